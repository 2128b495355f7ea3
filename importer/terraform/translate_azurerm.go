package terraform

import (
	"maps"
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/aws"
	"github.com/wardsec/ward/importer/azure"
	"github.com/wardsec/ward/importer/gcp"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// provider is one Terraform provider's road to its mapping.
type provider struct {
	prefix    string
	translate func([]importer.Resource, func(model.Pos, string)) []importer.Resource
	mapping   func([]importer.Resource, string) *importer.Result
}

// providers, in the order their models are merged.
var providers = []provider{
	{"aws_", translate, aws.Map},
	{"azurerm_", translateAzurerm, azure.Map},
	{"google_", translateGoogle, gcp.Map},
}

// homeOrder is the order in which a provider present in the configuration
// takes the resources of providers Ward does not map, whose mapping then
// reports them: AWS, else Google Cloud, else Azure.
var homeOrder = []int{0, 2, 1}

// mapResources sends each provider's resources to its mapping and merges
// the models when a configuration holds several.
func mapResources(resources []importer.Resource, warn func(model.Pos, string)) *importer.Result {
	providerOf := func(r importer.Resource) int {
		return slices.IndexFunc(providers, func(p provider) bool { return strings.HasPrefix(r.Type, p.prefix) })
	}
	present := make([]bool, len(providers))
	for _, r := range resources {
		if i := providerOf(r); i >= 0 {
			present[i] = true
		}
	}
	home := 0
	for _, i := range homeOrder {
		if present[i] {
			home = i
			break
		}
	}
	present[home] = true
	groups := make([][]importer.Resource, len(providers))
	for _, r := range resources {
		i := providerOf(r)
		if i < 0 {
			i = home
		}
		groups[i] = append(groups[i], r)
	}
	var results []*importer.Result
	for i, p := range providers {
		if present[i] {
			results = append(results, p.mapping(p.translate(groups[i], warn), Name))
		}
	}
	if len(results) == 1 {
		return results[0]
	}
	return importer.Merge(results...)
}

// translateAzurerm turns azurerm_* resources into ARM-shaped ones: the
// ARM type, and Props holding "kind", "identity", "properties" and, for a
// child resource, a "parent" reference. Split resources are folded into
// what they configure; other types keep their Terraform type, which the
// mapping reports.
func translateAzurerm(in []importer.Resource, warn func(model.Pos, string)) []importer.Resource {
	return translateTable(in, azurermKinds, azurermFolders, warn,
		"the resource it configures is not in this configuration; its settings are not applied")
}

// translateTable converts resources by a provider's kinds and folds the
// split ones into what they configure; a fold whose target is missing is
// reported with orphan.
func translateTable(in []importer.Resource, kinds map[string]kind, folders map[string]folder, warn func(model.Pos, string), orphan string) []importer.Resource {
	out := make([]importer.Resource, 0, len(in))
	var folds []importer.Resource
	for _, r := range in {
		if _, ok := folders[r.Type]; ok {
			folds = append(folds, r)
			continue
		}
		out = append(out, convertBy(kinds, r))
	}
	byID := make(map[string]*importer.Resource, len(out))
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for _, r := range folds {
		if !folders[r.Type](r.Props, byID) {
			warn(r.Pos, r.ID+": "+orphan)
		}
	}
	return out
}

// convertBy gives r the type and properties kinds names for it, and the
// Terraform name as its name; other types are left as written.
func convertBy(kinds map[string]kind, r importer.Resource) importer.Resource {
	k, ok := kinds[r.Type]
	if !ok {
		return r
	}
	tf := r.Props
	r.Type = k.cfn
	r.Props = k.conv(tf)
	if name, ok := tf["name"].(string); ok {
		r.Name = name
	}
	return r
}

// armBody is an ARM resource's "properties", made when missing.
func armBody(p map[string]any) map[string]any {
	props, ok := p["properties"].(map[string]any)
	if !ok {
		props = map[string]any{}
		p["properties"] = props
	}
	return props
}

// armProps builds an ARM body: properties renamed from Terraform
// arguments (pairs of terraform name, ARM name).
func armProps(tf map[string]any, pairs ...string) map[string]any {
	return map[string]any{"properties": rename(tf, pairs...)}
}

// publicAccess turns public_network_access_enabled into ARM's
// publicNetworkAccess.
func publicAccess(tf map[string]any, props map[string]any) {
	setIf(props, "publicNetworkAccess", onOff(tf["public_network_access_enabled"], "Enabled", "Disabled"))
}

// not negates a Terraform "…_enabled" boolean for ARM's "disable…",
// keeping unknowns.
func not(v any) any {
	switch b := v.(type) {
	case bool:
		return !b
	case importer.Unknown:
		return b
	}
	return nil
}

// defaultTrue is v, or true when the argument is absent.
func defaultTrue(v any) any {
	if v == nil {
		return true
	}
	return v
}

// defaultFalse is v, or false when the argument is absent.
func defaultFalse(v any) any {
	if v == nil {
		return false
	}
	return v
}

// armTLS turns "1.2" or "TLS1_2" into ARM's "TLS1_2".
func armTLS(v any) any {
	if s, ok := v.(string); ok && !strings.HasPrefix(s, "TLS") {
		return "TLS" + strings.ReplaceAll(s, ".", "_")
	}
	return v
}

var azurermKinds = map[string]kind{
	"azurerm_resource_group": {"Microsoft.Resources/resourceGroups", func(tf map[string]any) map[string]any {
		return armProps(tf)
	}},
	"azurerm_service_plan": {"Microsoft.Web/serverfarms", func(tf map[string]any) map[string]any {
		return armProps(tf)
	}},
	"azurerm_storage_account": {"Microsoft.Storage/storageAccounts", azStorageAccount},
	"azurerm_mssql_server":    {"Microsoft.Sql/servers", azMssqlServer},
	"azurerm_mssql_database": {"Microsoft.Sql/servers/databases", func(tf map[string]any) map[string]any {
		return map[string]any{"properties": map[string]any{}, "parent": tf["server_id"]}
	}},
	"azurerm_cosmosdb_account":     {"Microsoft.DocumentDB/databaseAccounts", azCosmosAccount},
	"azurerm_linux_web_app":        {"Microsoft.Web/sites", azWebApp("app,linux")},
	"azurerm_windows_web_app":      {"Microsoft.Web/sites", azWebApp("app")},
	"azurerm_linux_function_app":   {"Microsoft.Web/sites", azWebApp("functionapp,linux")},
	"azurerm_windows_function_app": {"Microsoft.Web/sites", azWebApp("functionapp")},
	"azurerm_key_vault":            {"Microsoft.KeyVault/vaults", azKeyVault},
	"azurerm_kubernetes_cluster":   {"Microsoft.ContainerService/managedClusters", azKubernetesCluster},
	"azurerm_servicebus_namespace": {"Microsoft.ServiceBus/namespaces", func(tf map[string]any) map[string]any {
		out := armProps(tf)
		p := out["properties"].(map[string]any)
		setIf(p, "disableLocalAuth", not(tf["local_auth_enabled"]))
		setIf(p, "minimumTlsVersion", tf["minimum_tls_version"])
		publicAccess(tf, p)
		if b := block(tf, "network_rule_set"); b != nil {
			p["networkRuleSets"] = rename(b, "default_action", "defaultAction")
		}
		return out
	}},
	"azurerm_virtual_network": {"Microsoft.Network/virtualNetworks", func(tf map[string]any) map[string]any { return armProps(tf) }},
	"azurerm_subnet": {"Microsoft.Network/virtualNetworks/subnets", func(tf map[string]any) map[string]any {
		out := armProps(tf, "address_prefixes", "addressPrefixes")
		setIf(out, "parent", tf["virtual_network_name"])
		return out
	}},
	"azurerm_network_security_group": {"Microsoft.Network/networkSecurityGroups", func(tf map[string]any) map[string]any {
		rules := []any{}
		for _, b := range blocks(tf, "security_rule") {
			rules = append(rules, azSecurityRule(b))
		}
		return map[string]any{"properties": map[string]any{"securityRules": rules}}
	}},
	"azurerm_linux_virtual_machine": {"Microsoft.Compute/virtualMachines", func(tf map[string]any) map[string]any {
		out := armProps(tf)
		p := out["properties"].(map[string]any)
		if v, ok := tf["disable_password_authentication"]; ok && v != nil {
			p["osProfile"] = map[string]any{"linuxConfiguration": map[string]any{"disablePasswordAuthentication": v}}
		}
		setIf(p, "networkProfile", rename(tf, "network_interface_ids", "networkInterfaces"))
		azIdentity(tf, out)
		return out
	}},
	"azurerm_api_management": {"Microsoft.ApiManagement/service", func(tf map[string]any) map[string]any {
		out := armProps(tf, "virtual_network_type", "virtualNetworkType")
		publicAccess(tf, out["properties"].(map[string]any))
		return out
	}},
	"azurerm_windows_virtual_machine": {"Microsoft.Compute/virtualMachines", func(tf map[string]any) map[string]any {
		out := armProps(tf)
		p := out["properties"].(map[string]any)
		// Windows machines always sign in with the admin password.
		p["osProfile"] = map[string]any{"windowsConfiguration": map[string]any{}}
		setIf(p, "networkProfile", rename(tf, "network_interface_ids", "networkInterfaces"))
		azIdentity(tf, out)
		return out
	}},
	"azurerm_network_interface":          {"Microsoft.Network/networkInterfaces", azNetworkInterface},
	"azurerm_public_ip":                  {"Microsoft.Network/publicIPAddresses", azPublicIP},
	"azurerm_redis_cache":                {"Microsoft.Cache/redis", azRedisCache},
	"azurerm_eventhub_namespace":         {"Microsoft.EventHub/namespaces", azEventHubNamespace},
	"azurerm_container_registry":         {"Microsoft.ContainerRegistry/registries", azContainerRegistry},
	"azurerm_application_gateway":        {"Microsoft.Network/applicationGateways", azApplicationGateway},
	"azurerm_postgresql_flexible_server": {"Microsoft.DBforPostgreSQL/flexibleServers", azFlexibleServer},
	"azurerm_mysql_flexible_server":      {"Microsoft.DBforMySQL/flexibleServers", azFlexibleServer},
	"azurerm_role_assignment":            {"Microsoft.Authorization/roleAssignments", azRoleAssignment},
	"azurerm_user_assigned_identity": {"Microsoft.ManagedIdentity/userAssignedIdentities", func(tf map[string]any) map[string]any {
		return armProps(tf)
	}},
	"azurerm_cdn_frontdoor_profile": {"Microsoft.Cdn/profiles", func(tf map[string]any) map[string]any {
		out := armProps(tf)
		// ARM's kind of a Front Door Standard or Premium profile.
		out["kind"] = "frontdoor"
		if v := tf["sku_name"]; v != nil {
			out["sku"] = map[string]any{"name": v}
		}
		return out
	}},
	"azurerm_cdn_frontdoor_origin_group": {"Microsoft.Cdn/profiles/originGroups", func(tf map[string]any) map[string]any {
		return map[string]any{"properties": map[string]any{}, "parent": tf["cdn_frontdoor_profile_id"]}
	}},
	"azurerm_cdn_frontdoor_origin": {"Microsoft.Cdn/profiles/originGroups/origins", func(tf map[string]any) map[string]any {
		out := armProps(tf, "host_name", "hostName")
		p := out["properties"].(map[string]any)
		if b := block(tf, "private_link"); b != nil {
			p["sharedPrivateLinkResource"] = map[string]any{"privateLink": map[string]any{"id": b["private_link_target_id"]}}
		}
		setIf(out, "parent", tf["cdn_frontdoor_origin_group_id"])
		return out
	}},
	"azurerm_cdn_frontdoor_firewall_policy": {"Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", func(tf map[string]any) map[string]any {
		settings := map[string]any{}
		setIf(settings, "enabledState", onOff(defaultTrue(tf["enabled"]), "Enabled", "Disabled"))
		setIf(settings, "mode", tf["mode"])
		return map[string]any{"properties": map[string]any{"policySettings": settings}}
	}},
	"azurerm_web_application_firewall_policy": {"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", azWAFPolicy},
}

func azStorageAccount(tf map[string]any) map[string]any {
	out := armProps(tf, "allow_nested_items_to_be_public", "allowBlobPublicAccess", "allow_blob_public_access", "allowBlobPublicAccess",
		"https_traffic_only_enabled", "supportsHttpsTrafficOnly", "enable_https_traffic_only", "supportsHttpsTrafficOnly",
		"shared_access_key_enabled", "allowSharedKeyAccess")
	p := out["properties"].(map[string]any)
	setIf(p, "minimumTlsVersion", tf["min_tls_version"])
	publicAccess(tf, p)
	if b := block(tf, "network_rules"); b != nil {
		p["networkAcls"] = rename(b, "default_action", "defaultAction")
	}
	// ARM keeps these on the blobServices/default child.
	if b := block(tf, "blob_properties"); b != nil {
		blob := rename(b, "versioning_enabled", "isVersioningEnabled")
		if d := block(b, "delete_retention_policy"); d != nil {
			blob["deleteRetentionPolicy"] = map[string]any{"enabled": true, "days": d["days"]}
		}
		p["blobServices"] = blob
	}
	return out
}

func azMssqlServer(tf map[string]any) map[string]any {
	out := armProps(tf)
	p := out["properties"].(map[string]any)
	setIf(p, "minimalTlsVersion", armTLS(tf["minimum_tls_version"]))
	publicAccess(tf, p)
	if b := block(tf, "azuread_administrator"); b != nil {
		p["administrators"] = rename(b, "azuread_authentication_only", "azureADOnlyAuthentication")
	}
	return out
}

func azCosmosAccount(tf map[string]any) map[string]any {
	out := armProps(tf, "is_virtual_network_filter_enabled", "isVirtualNetworkFilterEnabled", "local_authentication_disabled", "disableLocalAuth")
	p := out["properties"].(map[string]any)
	setIf(p, "minimalTlsVersion", tf["minimal_tls_version"])
	publicAccess(tf, p)
	var ranges []any
	switch v := tf["ip_range_filter"].(type) {
	case string: // azurerm 3: comma-separated
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				ranges = append(ranges, s)
			}
		}
	case []any:
		ranges = v
	}
	var rules []any
	for _, ip := range ranges {
		rules = append(rules, map[string]any{"ipAddressOrRange": ip})
	}
	setIf(p, "ipRules", rules)
	return out
}

func azWebApp(armKind string) conversion {
	return func(tf map[string]any) map[string]any {
		out := armProps(tf, "https_only", "httpsOnly", "virtual_network_subnet_id", "virtualNetworkSubnetId")
		out["kind"] = armKind
		p := out["properties"].(map[string]any)
		publicAccess(tf, p)
		site := map[string]any{}
		if b := block(tf, "site_config"); b != nil {
			site = rename(b, "minimum_tls_version", "minTlsVersion", "ftps_state", "ftpsState", "app_scale_limit", "functionAppScaleLimit",
				"ip_restriction_default_action", "ipSecurityRestrictionsDefaultAction")
			setList(site, "ipSecurityRestrictions", azIPRestrictions(b))
		}
		setList(site, "appSettings", azAppSettings(tf))
		var conns []any
		for _, b := range blocks(tf, "connection_string") {
			conns = append(conns, rename(b, "name", "name", "type", "type", "value", "connectionString"))
		}
		setList(site, "connectionStrings", conns)
		if len(site) > 0 {
			p["siteConfig"] = site
		}
		// ARM keeps these as the basicPublishingCredentialsPolicies
		// children; the provider turns both on unless told otherwise.
		p["basicPublishingCredentialsPolicies"] = map[string]any{
			"ftp": map[string]any{"allow": defaultTrue(tf["ftp_publish_basic_authentication_enabled"])},
			"scm": map[string]any{"allow": defaultTrue(tf["webdeploy_publish_basic_authentication_enabled"])},
		}
		azIdentity(tf, out)
		return out
	}
}

// azIdentity turns an identity block into ARM's identity, user-assigned
// identities as references.
func azIdentity(tf, out map[string]any) {
	b := block(tf, "identity")
	if b == nil {
		return
	}
	id := rename(b, "type", "type")
	setIf(id, "userAssignedIdentities", b["identity_ids"])
	out["identity"] = id
}

// azAppSettings lists an app's settings as ARM's name/value pairs, in name
// order, with a function app's host storage setting: by identity
// (AzureWebJobsStorage__accountName) or by account key (AzureWebJobsStorage).
func azAppSettings(tf map[string]any) []any {
	var out []any
	if m, ok := tf["app_settings"].(map[string]any); ok {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			out = append(out, map[string]any{"name": k, "value": m[k]})
		}
	}
	account := tf["storage_account_name"]
	switch {
	case account == nil:
	case tf["storage_uses_managed_identity"] == true:
		out = append(out, map[string]any{"name": "AzureWebJobsStorage__accountName", "value": account})
	case tf["storage_account_access_key"] != nil:
		out = append(out, map[string]any{"name": "AzureWebJobsStorage", "value": account})
	}
	return out
}

func azKeyVault(tf map[string]any) map[string]any {
	out := armProps(tf, "purge_protection_enabled", "enablePurgeProtection",
		"enable_rbac_authorization", "enableRbacAuthorization", "rbac_authorization_enabled", "enableRbacAuthorization")
	p := out["properties"].(map[string]any)
	publicAccess(tf, p)
	if b := block(tf, "network_acls"); b != nil {
		p["networkAcls"] = rename(b, "default_action", "defaultAction")
	}
	return out
}

func azKubernetesCluster(tf map[string]any) map[string]any {
	out := armProps(tf, "local_account_disabled", "disableLocalAccounts", "role_based_access_control_enabled", "enableRBAC")
	p := out["properties"].(map[string]any)
	access := rename(tf, "private_cluster_enabled", "enablePrivateCluster")
	if b := block(tf, "api_server_access_profile"); b != nil {
		setIf(access, "authorizedIPRanges", b["authorized_ip_ranges"])
	}
	p["apiServerAccessProfile"] = access
	if v, ok := tf["workload_identity_enabled"]; ok && v != nil {
		p["securityProfile"] = map[string]any{"workloadIdentity": map[string]any{"enabled": v}}
	}
	if b := block(tf, "network_profile"); b != nil {
		p["networkProfile"] = rename(b, "network_policy", "networkPolicy")
	}
	if b := block(tf, "default_node_pool"); b != nil {
		setIf(p, "agentPoolProfiles", []any{rename(b, "vnet_subnet_id", "vnetSubnetID")})
	}
	return out
}

// azSecurityRule turns a security_rule block or resource into ARM's shape.
func azSecurityRule(tf map[string]any) map[string]any {
	return map[string]any{"name": tf["name"], "properties": rename(tf, "direction", "direction", "access", "access", "protocol", "protocol",
		"priority", "priority", "source_address_prefix", "sourceAddressPrefix", "source_address_prefixes", "sourceAddressPrefixes",
		"destination_port_range", "destinationPortRange", "destination_port_ranges", "destinationPortRanges")}
}

// azurermFolders are the split resources folded into what they configure.
var azurermFolders = map[string]folder{
	"azurerm_mssql_firewall_rule": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["server_id"], "Microsoft.Sql/servers", byID, func(p map[string]any) {
			props := armBody(p)
			props["firewallRules"] = append(asList(props["firewallRules"]), map[string]any{"name": tf["name"],
				"properties": rename(tf, "start_ip_address", "startIpAddress", "end_ip_address", "endIpAddress")})
		})
	},
	"azurerm_network_security_rule": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["network_security_group_name"], "Microsoft.Network/networkSecurityGroups", byID, func(p map[string]any) {
			props := armBody(p)
			props["securityRules"] = append(asList(props["securityRules"]), azSecurityRule(tf))
		})
	},
	"azurerm_redis_firewall_rule": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["redis_cache_name"], "Microsoft.Cache/redis", byID, func(p map[string]any) {
			appendProp(p, "firewallRules", map[string]any{"name": tf["name"],
				"properties": rename(tf, "start_ip", "startIP", "end_ip", "endIP")})
		})
	},
	"azurerm_postgresql_flexible_server_firewall_rule": firewallRule("server_id", "Microsoft.DBforPostgreSQL/flexibleServers"),
	"azurerm_mysql_flexible_server_firewall_rule":      firewallRule("server_id", "Microsoft.DBforMySQL/flexibleServers"),
	"azurerm_postgresql_flexible_server_configuration": serverConfiguration("Microsoft.DBforPostgreSQL/flexibleServers"),
	"azurerm_mysql_flexible_server_configuration":      serverConfiguration("Microsoft.DBforMySQL/flexibleServers"),
	"azurerm_mssql_server_extended_auditing_policy": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["server_id"], "Microsoft.Sql/servers", byID, func(p map[string]any) {
			armBody(p)["auditingSettings"] = map[string]any{"state": onOff(defaultTrue(tf["enabled"]), "Enabled", "Disabled")}
		})
	},
	"azurerm_mssql_server_security_alert_policy": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["server_name"], "Microsoft.Sql/servers", byID, func(p map[string]any) {
			armBody(p)["securityAlertPolicies"] = rename(tf, "state", "state")
		})
	},
	"azurerm_network_watcher_flow_log": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		target := tf["network_security_group_id"]
		if target == nil {
			target = tf["target_resource_id"]
		}
		return foldAny(target, byID, func(p map[string]any) {
			appendProp(p, "flowLogs", map[string]any{"name": tf["name"], "enabled": tf["enabled"]})
		})
	},
	"azurerm_network_interface_security_group_association": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["network_interface_id"], "Microsoft.Network/networkInterfaces", byID, func(p map[string]any) {
			armBody(p)["networkSecurityGroup"] = map[string]any{"id": tf["network_security_group_id"]}
		})
	},
	"azurerm_servicebus_queue": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["namespace_id"], "Microsoft.ServiceBus/namespaces", byID, func(p map[string]any) {
			appendProp(p, "queues", map[string]any{"name": tf["name"],
				"properties": map[string]any{"deadLetteringOnMessageExpiration": defaultFalse(tf["dead_lettering_on_message_expiration"])}})
		})
	},
	// A security policy attaches a firewall policy to the profile.
	"azurerm_cdn_frontdoor_security_policy": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		policy := mapkit.Get(block(block(tf, "security_policies"), "firewall"), "cdn_frontdoor_firewall_policy_id")
		return foldInto(tf["cdn_frontdoor_profile_id"], "Microsoft.Cdn/profiles", byID, func(p map[string]any) {
			appendProp(p, "securityPolicies", map[string]any{"name": tf["name"],
				"properties": map[string]any{"parameters": map[string]any{"wafPolicy": map[string]any{"id": policy}}}})
		})
	},
	"azurerm_storage_account_network_rules": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["storage_account_id"], "Microsoft.Storage/storageAccounts", byID, func(p map[string]any) {
			armBody(p)["networkAcls"] = rename(tf, "default_action", "defaultAction")
		})
	},
	"azurerm_api_management_product": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["api_management_name"], "Microsoft.ApiManagement/service", byID, func(p map[string]any) {
			appendProp(p, "products", map[string]any{"name": tf["product_id"], "properties": rename(tf,
				"published", "state", "subscription_required", "subscriptionRequired", "approval_required", "approvalRequired")})
		})
	},
	"azurerm_private_endpoint":           privateEndpoint,
	"azurerm_monitor_diagnostic_setting": diagnosticSetting,
	// An association places the group in its subnet.
	"azurerm_subnet_network_security_group_association": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["network_security_group_id"], "Microsoft.Network/networkSecurityGroups", byID, func(p map[string]any) {
			props := armBody(p)
			props["subnets"] = append(asList(props["subnets"]), map[string]any{"id": tf["subnet_id"]})
		})
	},
}
