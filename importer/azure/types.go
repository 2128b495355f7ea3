package azure

import (
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// typeInfo is what an ARM type becomes: a kind (none for a resource
// folded into its parent) and a pass that sets properties and flows.
type typeInfo struct {
	kind   func(r *importer.Resource) model.Kind
	derive func(m *mapper, r *importer.Resource, c *model.Component)
}

func kind(k model.Kind) func(*importer.Resource) model.Kind {
	return func(*importer.Resource) model.Kind { return k }
}

// types is the mapping table, keyed by lower-cased ARM type.
var types = map[string]typeInfo{
	"microsoft.storage/storageaccounts":                         {kind("azure.storage-account"), storageAccount},
	"microsoft.sql/servers":                                     {kind("azure.sql-database"), sqlServer},
	"microsoft.sql/servers/databases":                           {nil, nil},
	"microsoft.sql/servers/firewallrules":                       {nil, nil},
	"microsoft.documentdb/databaseaccounts":                     {kind("azure.cosmos-db"), cosmosAccount},
	"microsoft.web/sites":                                       {webKind, webSite},
	"microsoft.keyvault/vaults":                                 {kind("azure.key-vault"), keyVault},
	"microsoft.containerservice/managedclusters":                {kind("azure.aks"), managedCluster},
	"microsoft.servicebus/namespaces":                           {kind("azure.service-bus"), serviceBus},
	"microsoft.network/networksecuritygroups":                   {kind("azure.nsg"), securityGroup},
	"microsoft.network/networksecuritygroups/securityrules":     {nil, nil},
	"microsoft.compute/virtualmachines":                         {kind("azure.vm"), virtualMachine},
	"microsoft.apimanagement/service":                           {kind("azure.api-management"), apiManagement},
	"microsoft.cache/redis":                                     {kind("cache"), redisCache},
	"microsoft.eventhub/namespaces":                             {kind("azure.event-hubs"), eventHubs},
	"microsoft.containerregistry/registries":                    {kind("azure.container-registry"), containerRegistry},
	"microsoft.network/applicationgateways":                     {kind("azure.application-gateway"), applicationGateway},
	"microsoft.dbforpostgresql/flexibleservers":                 {kind("database"), flexibleServer("postgresql")},
	"microsoft.dbformysql/flexibleservers":                      {kind("database"), flexibleServer("mysql")},
	"microsoft.authorization/roleassignments":                   {nil, roleAssignment},
	"microsoft.cdn/profiles":                                    {profileKind, frontDoor},
	"microsoft.cdn/profiles/origingroups":                       {nil, nil},
	"microsoft.cdn/profiles/origingroups/origins":               {nil, nil},
	"microsoft.network/frontdoorwebapplicationfirewallpolicies": {nil, nil},
	// Read through the machines, gateways and apps that use them.
	nicType:                               {nil, nil},
	publicIPType:                          {nil, nil},
	wafPolicyType:                         {nil, nil},
	userIdentityType:                      {nil, nil},
	"microsoft.cache/redis/firewallrules": {nil, nil},
}

// skipped types are zones or containers, not components.
var skipped = map[string]bool{
	vnetType:                             true,
	subnetType:                           true,
	"microsoft.resources/resourcegroups": true,
	// An App Service plan is capacity, not a node of the diagram.
	"microsoft.web/serverfarms": true,
}

// webKind tells a function app from a web app by the site's kind.
func webKind(r *importer.Resource) model.Kind {
	if k, _ := r.Props["kind"].(string); strings.Contains(strings.ToLower(k), "functionapp") {
		return "azure.functions"
	}
	return "azure.app-service"
}

// encryptedAlways marks services whose data Azure always encrypts at rest.
func (m *mapper) encryptedAlways(r *importer.Resource, c *model.Component) {
	m.Set(r, c, "encrypted_at_rest", true)
}

// networkAccess sets network_restricted from publicNetworkAccess and
// networkAcls.defaultAction, and reports whether the resource is open.
func (m *mapper) networkAccess(r *importer.Resource, c *model.Component) bool {
	off, ok := disabled(prop(r, "publicNetworkAccess"))
	if u, isU := off.(importer.Unknown); isU {
		m.Set(r, c, "network_restricted", u)
		return false
	}
	restricted := ok && off == true
	for _, acl := range []string{"networkAcls", "networkRuleSet", "networkRuleSets"} {
		if a, _ := prop(r, acl, "defaultAction").(string); a == "Deny" {
			restricted = true
		}
	}
	// A private endpoint is the way in unless public access is kept on.
	if !ok && len(mapkit.List(prop(r, "privateEndpointConnections"))) > 0 {
		restricted = true
	}
	m.Set(r, c, "network_restricted", restricted)
	return !restricted
}

func (m *mapper) tls(r *importer.Resource, c *model.Component, v any) {
	if v == nil {
		return
	}
	if t, ok := tlsVersion(v); ok {
		m.Set(r, c, "tls_min_version", t)
		return
	}
	m.Warnf(r, "tls_min_version left unset: %v is not a TLS version", v)
}

func storageAccount(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	m.SetBool(r, c, "versioning", prop(r, "blobServices", "isVersioningEnabled"), mapkit.Ptr(false), false)
	m.SetBool(r, c, "soft_delete", prop(r, "blobServices", "deleteRetentionPolicy", "enabled"), mapkit.Ptr(false), false)
	// Accounts made since November 2023 refuse anonymous blob access.
	m.SetBool(r, c, "public", prop(r, "allowBlobPublicAccess"), mapkit.Ptr(false), false)
	m.SetBool(r, c, "encrypted_in_transit", prop(r, "supportsHttpsTrafficOnly"), mapkit.Ptr(true), false)
	m.SetBool(r, c, "azure_local_auth_disabled", prop(r, "allowSharedKeyAccess"), mapkit.Ptr(false), true)
	m.tls(r, c, prop(r, "minimumTlsVersion"))
	m.networkAccess(r, c)
	if prop(r, "allowBlobPublicAccess") == true {
		m.FromInternet(c, "https", r.Pos)
	}
}

func sqlServer(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	// Automated backups of every database cannot be turned off.
	m.Set(r, c, "backups", true)
	m.tls(r, c, prop(r, "minimalTlsVersion"))
	m.SetBool(r, c, "azure_local_auth_disabled", prop(r, "administrators", "azureADOnlyAuthentication"), mapkit.Ptr(false), false)
	open := m.networkAccess(r, c)
	rules := mapkit.List(prop(r, "firewallRules"))
	for _, child := range m.children(r, "microsoft.sql/servers/firewallrules") {
		rules = append(rules, child.Props)
	}
	internet, azureServices := firewallRules(rules, "startIpAddress", "endIpAddress")
	m.Set(r, c, "azure_allow_azure_services", azureServices)
	if open && internet {
		m.Set(r, c, "public", true)
		m.FromInternet(c, "tds", r.Pos)
	}
	if s, _ := prop(r, "auditingSettings", "state").(string); s == "Enabled" {
		m.Set(r, c, "logging", true)
	}
	if s, ok := prop(r, "securityAlertPolicies", "state").(string); ok {
		m.Set(r, c, "monitoring", s == "Enabled")
	}
}

// children lists the resources of type typ whose parent is r, by id.
func (m *mapper) children(r *importer.Resource, typ string) []*importer.Resource {
	var out []*importer.Resource
	for _, child := range m.childrenOf[r.ID] {
		if typeKey(child.Type) == typ {
			out = append(out, child)
		}
	}
	return out
}

func cosmosAccount(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	// Periodic or continuous backups are always taken.
	m.Set(r, c, "backups", true)
	m.SetBool(r, c, "azure_local_auth_disabled", prop(r, "disableLocalAuth"), mapkit.Ptr(false), false)
	m.tls(r, c, prop(r, "minimalTlsVersion"))
	open := m.networkAccess(r, c)
	ips := mapkit.List(prop(r, "ipRules"))
	azureServices := false
	for _, ip := range ips {
		if mapkit.Get(ip, "ipAddressOrRange") == "0.0.0.0" {
			azureServices = true
		}
	}
	m.Set(r, c, "azure_allow_azure_services", azureServices)
	if open && (len(ips) > 0 || prop(r, "isVirtualNetworkFilterEnabled") == true) {
		m.Set(r, c, "network_restricted", true)
	}
}

func webSite(m *mapper, r *importer.Resource, c *model.Component) {
	m.SetBool(r, c, "encrypted_in_transit", prop(r, "httpsOnly"), mapkit.Ptr(false), false)
	m.tls(r, c, prop(r, "siteConfig", "minTlsVersion"))
	m.publishing(r, c)
	if c.Kind == "azure.functions" {
		m.hostStorage(r, c)
		switch v := prop(r, "siteConfig", "functionAppScaleLimit").(type) {
		case nil:
		case importer.Unknown:
			m.Set(r, c, "azure_scale_limit", v)
		default:
			m.Set(r, c, "azure_scale_limit", true)
		}
	}
	m.settingFlows(r, c)
	if m.networkAccess(r, c) && !m.accessRestricted(r, c) {
		m.Set(r, c, "public", true)
		protocol := "https"
		if prop(r, "httpsOnly") != true {
			protocol = "http"
		}
		m.FromInternet(c, protocol, r.Pos)
	}
}

func keyVault(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	m.SetBool(r, c, "azure_purge_protection", prop(r, "enablePurgeProtection"), mapkit.Ptr(false), false)
	// Soft delete is always on for vaults made since 2020.
	m.SetBool(r, c, "soft_delete", prop(r, "enableSoftDelete"), mapkit.Ptr(true), false)
	m.SetBool(r, c, "azure_rbac_authorization", prop(r, "enableRbacAuthorization"), mapkit.Ptr(false), false)
	m.networkAccess(r, c)
}

func managedCluster(m *mapper, r *importer.Resource, c *model.Component) {
	private := prop(r, "apiServerAccessProfile", "enablePrivateCluster")
	ranges := mapkit.List(prop(r, "apiServerAccessProfile", "authorizedIPRanges"))
	if private == true || len(ranges) > 0 {
		m.Set(r, c, "network_restricted", true)
	} else {
		m.SetBool(r, c, "network_restricted", private, mapkit.Ptr(false), false)
	}
	m.SetBool(r, c, "azure_local_auth_disabled", prop(r, "disableLocalAccounts"), mapkit.Ptr(false), false)
	m.SetBool(r, c, "azure_workload_identity", prop(r, "securityProfile", "workloadIdentity", "enabled"), mapkit.Ptr(false), false)
	switch p := prop(r, "networkProfile", "networkPolicy").(type) {
	case importer.Unknown:
		m.Set(r, c, "network_policy", p)
	case string:
		m.Set(r, c, "network_policy", p != "" && p != "none")
	case nil:
		m.Set(r, c, "network_policy", false)
	}
}

func serviceBus(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	m.SetBool(r, c, "azure_local_auth_disabled", prop(r, "disableLocalAuth"), mapkit.Ptr(false), false)
	m.tls(r, c, prop(r, "minimumTlsVersion"))
	m.networkAccess(r, c)
	// Every queue must keep its expired messages; without queues, unknown.
	queues := mapkit.List(prop(r, "queues"))
	if len(queues) == 0 {
		return
	}
	var all any = true
	for _, q := range queues {
		switch v := mapkit.Get(q, "properties", "deadLetteringOnMessageExpiration").(type) {
		case importer.Unknown:
			all = v
		case bool:
			if !v {
				m.Set(r, c, "dead_letter_queue", false)
				return
			}
		}
	}
	m.Set(r, c, "dead_letter_queue", all)
}

func securityGroup(m *mapper, r *importer.Resource, c *model.Component) {
	open, admin := m.nsgOpen(r)
	for _, port := range admin {
		m.Warnf(r, "admits remote administration (port %s) from the internet", port)
	}
	m.Set(r, c, "network_restricted", !open)
	if open {
		m.FromInternet(c, "tcp", r.Pos)
	}
}

func apiManagement(m *mapper, r *importer.Resource, c *model.Component) {
	m.subscriptionApproval(r, c)
	if vnet, _ := prop(r, "virtualNetworkType").(string); vnet == "Internal" {
		m.Set(r, c, "network_restricted", true)
		return
	}
	if m.networkAccess(r, c) {
		m.Set(r, c, "public", true)
		m.FromInternet(c, "https", r.Pos)
	}
}
