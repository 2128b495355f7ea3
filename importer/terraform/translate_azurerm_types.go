package terraform

import (
	"strings"

	"github.com/wardsec/ward/importer"
)

func azNetworkInterface(tf map[string]any) map[string]any {
	var confs []any
	for _, b := range blocks(tf, "ip_configuration") {
		p := map[string]any{}
		if v := b["subnet_id"]; v != nil {
			p["subnet"] = map[string]any{"id": v}
		}
		if v := b["public_ip_address_id"]; v != nil {
			p["publicIPAddress"] = map[string]any{"id": v}
		}
		confs = append(confs, map[string]any{"name": b["name"], "properties": p})
	}
	return map[string]any{"properties": map[string]any{"ipConfigurations": confs}}
}

func azPublicIP(tf map[string]any) map[string]any {
	out := armProps(tf)
	if v := tf["sku"]; v != nil {
		out["sku"] = map[string]any{"name": v}
	}
	return out
}

func azRedisCache(tf map[string]any) map[string]any {
	out := armProps(tf, "non_ssl_port_enabled", "enableNonSslPort", "enable_non_ssl_port", "enableNonSslPort",
		"minimum_tls_version", "minimumTlsVersion", "subnet_id", "subnetId")
	p := out["properties"].(map[string]any)
	publicAccess(tf, p)
	setIf(p, "disableAccessKeyAuthentication", not(tf["access_keys_authentication_enabled"]))
	if b := block(tf, "redis_configuration"); b != nil {
		if v := b["active_directory_authentication_enabled"]; v != nil {
			p["redisConfiguration"] = map[string]any{"aad-enabled": v}
		}
	}
	return out
}

func azEventHubNamespace(tf map[string]any) map[string]any {
	out := armProps(tf, "minimum_tls_version", "minimumTlsVersion")
	p := out["properties"].(map[string]any)
	setIf(p, "disableLocalAuth", not(tf["local_authentication_enabled"]))
	publicAccess(tf, p)
	if b := block(tf, "network_rulesets"); b != nil {
		p["networkRuleSets"] = rename(b, "default_action", "defaultAction")
	}
	return out
}

func azContainerRegistry(tf map[string]any) map[string]any {
	out := armProps(tf, "admin_enabled", "adminUserEnabled", "anonymous_pull_enabled", "anonymousPullEnabled")
	p := out["properties"].(map[string]any)
	publicAccess(tf, p)
	if b := block(tf, "network_rule_set"); b != nil {
		p["networkRuleSet"] = rename(b, "default_action", "defaultAction")
	}
	return out
}

func azApplicationGateway(tf map[string]any) map[string]any {
	out := armProps(tf)
	p := out["properties"].(map[string]any)
	if b := block(tf, "sku"); b != nil {
		p["sku"] = rename(b, "name", "name", "tier", "tier")
	}
	if b := block(tf, "waf_configuration"); b != nil {
		p["webApplicationFirewallConfiguration"] = rename(b, "enabled", "enabled", "firewall_mode", "firewallMode")
	}
	if v := tf["firewall_policy_id"]; v != nil {
		p["firewallPolicy"] = map[string]any{"id": v}
	}
	if b := block(tf, "ssl_policy"); b != nil {
		p["sslPolicy"] = rename(b, "min_protocol_version", "minProtocolVersion", "policy_name", "policyName", "policy_type", "policyType")
	}
	var gateways, frontends, pools, listeners []any
	for _, b := range blocks(tf, "gateway_ip_configuration") {
		gateways = append(gateways, map[string]any{"properties": map[string]any{"subnet": map[string]any{"id": b["subnet_id"]}}})
	}
	for _, b := range blocks(tf, "frontend_ip_configuration") {
		fp := map[string]any{}
		if v := b["public_ip_address_id"]; v != nil {
			fp["publicIPAddress"] = map[string]any{"id": v}
		}
		setIf(fp, "privateIPAddress", b["private_ip_address"])
		frontends = append(frontends, map[string]any{"name": b["name"], "properties": fp})
	}
	for _, b := range blocks(tf, "backend_address_pool") {
		var addrs []any
		for _, f := range asList(b["fqdns"]) {
			addrs = append(addrs, map[string]any{"fqdn": f})
		}
		for _, ip := range asList(b["ip_addresses"]) {
			addrs = append(addrs, map[string]any{"ipAddress": ip})
		}
		pools = append(pools, map[string]any{"name": b["name"], "properties": map[string]any{"backendAddresses": addrs}})
	}
	for _, b := range blocks(tf, "http_listener") {
		listeners = append(listeners, map[string]any{"name": b["name"], "properties": rename(b, "protocol", "protocol")})
	}
	setList(p, "gatewayIPConfigurations", gateways)
	setList(p, "frontendIPConfigurations", frontends)
	setList(p, "backendAddressPools", pools)
	setList(p, "httpListeners", listeners)
	return out
}

func azWAFPolicy(tf map[string]any) map[string]any {
	settings := map[string]any{}
	if b := block(tf, "policy_settings"); b != nil {
		setIf(settings, "state", onOff(b["enabled"], "Enabled", "Disabled"))
		setIf(settings, "mode", b["mode"])
	}
	return map[string]any{"properties": map[string]any{"policySettings": settings}}
}

// azFlexibleServer turns a PostgreSQL or MySQL flexible server into ARM's
// shape; the network settings sit under "network".
func azFlexibleServer(tf map[string]any) map[string]any {
	out := armProps(tf)
	p := out["properties"].(map[string]any)
	network := rename(tf, "delegated_subnet_id", "delegatedSubnetResourceId")
	publicAccess(tf, network)
	if len(network) > 0 {
		p["network"] = network
	}
	if b := block(tf, "high_availability"); b != nil {
		p["highAvailability"] = rename(b, "mode", "mode")
	}
	if b := block(tf, "authentication"); b != nil {
		auth := map[string]any{}
		setIf(auth, "passwordAuth", onOff(b["password_auth_enabled"], "Enabled", "Disabled"))
		setIf(auth, "activeDirectoryAuth", onOff(b["active_directory_auth_enabled"], "Enabled", "Disabled"))
		p["authConfig"] = auth
	}
	return out
}

// azRoleAssignment keeps the scope, role and principal. A scope read from
// an azurerm_subscription data source is a subscription's id, whichever
// one: it is written as one so the mapping can tell its breadth.
func azRoleAssignment(tf map[string]any) map[string]any {
	scope := tf["scope"]
	if u, ok := scope.(importer.Unknown); ok && strings.HasPrefix(u.Why, "data.azurerm_subscription ") {
		scope = "/subscriptions/{data.azurerm_subscription}"
	}
	p := rename(tf, "role_definition_name", "roleDefinitionName", "role_definition_id", "roleDefinitionId",
		"principal_id", "principalId")
	setIf(p, "scope", scope)
	return map[string]any{"properties": p}
}

// foldAny applies set to the properties of whatever resource ref names.
func foldAny(ref any, byID map[string]*importer.Resource, set func(map[string]any)) bool {
	return foldInto(ref, "", byID, set)
}

// appendProp appends v to the list under properties.key.
func appendProp(p map[string]any, key string, v any) {
	props := armBody(p)
	props[key] = append(asList(props[key]), v)
}

// firewallRule folds a start/end address rule into the server serverArg
// names.
func firewallRule(serverArg, typ string) folder {
	return func(tf map[string]any, byID map[string]*importer.Resource) bool {
		server := tf[serverArg]
		if server == nil {
			server = tf["server_name"]
		}
		return foldInto(server, typ, byID, func(p map[string]any) {
			appendProp(p, "firewallRules", map[string]any{"name": tf["name"],
				"properties": rename(tf, "start_ip_address", "startIpAddress", "end_ip_address", "endIpAddress")})
		})
	}
}

// serverConfiguration folds a server parameter (require_secure_transport)
// into its server's "configurations".
func serverConfiguration(typ string) folder {
	return func(tf map[string]any, byID map[string]*importer.Resource) bool {
		server := tf["server_id"]
		if server == nil {
			server = tf["server_name"]
		}
		return foldInto(server, typ, byID, func(p map[string]any) {
			appendProp(p, "configurations", rename(tf, "name", "name", "value", "value"))
		})
	}
}

// diagnosticSetting folds a diagnostic setting into the resource it
// watches: the log categories it sends somewhere.
func diagnosticSetting(tf map[string]any, byID map[string]*importer.Resource) bool {
	logs := len(blocks(tf, "enabled_log"))
	for _, b := range blocks(tf, "log") {
		if b["enabled"] != false {
			logs++
		}
	}
	return foldAny(tf["target_resource_id"], byID, func(p map[string]any) {
		appendProp(p, "diagnosticSettings", map[string]any{"name": tf["name"], "logs": logs})
	})
}

// privateEndpoint folds an endpoint into the resource it connects to.
func privateEndpoint(tf map[string]any, byID map[string]*importer.Resource) bool {
	conn := block(tf, "private_service_connection")
	return foldAny(conn["private_connection_resource_id"], byID, func(p map[string]any) {
		appendProp(p, "privateEndpointConnections", map[string]any{"name": tf["name"], "properties": map[string]any{
			"privateEndpoint": map[string]any{"subnet": map[string]any{"id": tf["subnet_id"]}}}})
	})
}

// azIPRestrictions turns an app's ip_restriction blocks into ARM's
// ipSecurityRestrictions: a service tag in ipAddress with tag ServiceTag.
func azIPRestrictions(site map[string]any) []any {
	var out []any
	for _, b := range blocks(site, "ip_restriction") {
		rule := rename(b, "name", "name", "action", "action", "ip_address", "ipAddress",
			"virtual_network_subnet_id", "vnetSubnetResourceId")
		if v := b["service_tag"]; v != nil {
			rule["ipAddress"] = v
			rule["tag"] = "ServiceTag"
		}
		if h := block(b, "headers"); h != nil {
			setIf(rule, "headers", rename(h, "x_azure_fdid", "x-azure-fdid", "x_forwarded_host", "x-forwarded-host"))
		}
		out = append(out, rule)
	}
	return out
}
