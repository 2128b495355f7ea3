package azure

import (
	"slices"
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
	"microsoft.storage/storageaccounts":                     {kind("azure.storage-account"), storageAccount},
	"microsoft.sql/servers":                                 {kind("azure.sql-database"), sqlServer},
	"microsoft.sql/servers/databases":                       {nil, nil},
	"microsoft.sql/servers/firewallrules":                   {nil, nil},
	"microsoft.documentdb/databaseaccounts":                 {kind("azure.cosmos-db"), cosmosAccount},
	"microsoft.web/sites":                                   {webKind, webSite},
	"microsoft.keyvault/vaults":                             {kind("azure.key-vault"), keyVault},
	"microsoft.containerservice/managedclusters":            {kind("azure.aks"), managedCluster},
	"microsoft.servicebus/namespaces":                       {kind("azure.service-bus"), serviceBus},
	"microsoft.network/networksecuritygroups":               {kind("azure.nsg"), securityGroup},
	"microsoft.network/networksecuritygroups/securityrules": {nil, nil},
	"microsoft.compute/virtualmachines":                     {kind("azure.vm"), virtualMachine},
	"microsoft.apimanagement/service":                       {kind("azure.api-management"), apiManagement},
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
	if a, _ := prop(r, "networkAcls", "defaultAction").(string); a == "Deny" {
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
	m.tls(r, c, prop(r, "minimalTlsVersion"))
	m.SetBool(r, c, "azure_local_auth_disabled", prop(r, "administrators", "azureADOnlyAuthentication"), mapkit.Ptr(false), false)
	open := m.networkAccess(r, c)
	rules := mapkit.List(prop(r, "firewallRules"))
	for _, child := range m.children(r, "microsoft.sql/servers/firewallrules") {
		rules = append(rules, child.Props)
	}
	azureServices, internet := false, false
	for _, rule := range rules {
		start, _ := mapkit.Get(rule, "properties", "startIpAddress").(string)
		end, _ := mapkit.Get(rule, "properties", "endIpAddress").(string)
		switch {
		case start == "0.0.0.0" && end == "0.0.0.0":
			// The "Allow Azure services" rule.
			azureServices = true
		case start == "0.0.0.0" && end == "255.255.255.255":
			internet = true
		}
	}
	m.Set(r, c, "azure_allow_azure_services", azureServices)
	if open && internet {
		m.Set(r, c, "public", true)
		m.FromInternet(c, "tds", r.Pos)
	}
}

// children lists the resources of type typ whose parent is r.
func (m *mapper) children(r *importer.Resource, typ string) []*importer.Resource {
	var out []*importer.Resource
	for _, child := range m.byID {
		if typeKey(child.Type) == typ && m.parentOf(child) == r {
			out = append(out, child)
		}
	}
	// byID is a map: keep the order stable.
	slices.SortFunc(out, func(a, b *importer.Resource) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func cosmosAccount(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
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
	if m.networkAccess(r, c) {
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
}

// internetSources are the source prefixes that mean anyone.
var internetSources = map[string]bool{"*": true, "Internet": true, "0.0.0.0/0": true, "Any": true, "::/0": true}

// adminPorts are the ports of remote administration.
var adminPorts = map[string]bool{"22": true, "3389": true, "*": true}

func securityGroup(m *mapper, r *importer.Resource, c *model.Component) {
	rules := mapkit.List(prop(r, "securityRules"))
	for _, child := range m.children(r, "microsoft.network/networksecuritygroups/securityrules") {
		rules = append(rules, child.Props)
	}
	open := false
	for _, rule := range rules {
		p := mapkit.Get(rule, "properties")
		if mapkit.Get(p, "direction") != "Inbound" || mapkit.Get(p, "access") != "Allow" {
			continue
		}
		sources := mapkit.List(mapkit.Get(p, "sourceAddressPrefixes"))
		sources = append(sources, mapkit.List(mapkit.Get(p, "sourceAddressPrefix"))...)
		fromAnyone := false
		for _, s := range sources {
			if s, ok := s.(string); ok && internetSources[s] {
				fromAnyone = true
			}
		}
		if !fromAnyone {
			continue
		}
		open = true
		ports := mapkit.List(mapkit.Get(p, "destinationPortRanges"))
		ports = append(ports, mapkit.List(mapkit.Get(p, "destinationPortRange"))...)
		for _, port := range ports {
			if s, ok := port.(string); ok && adminPorts[s] {
				m.Warnf(r, "admits remote administration (port %s) from the internet", s)
			}
		}
	}
	m.Set(r, c, "network_restricted", !open)
	if open {
		m.FromInternet(c, "tcp", r.Pos)
	}
}

func virtualMachine(m *mapper, r *importer.Resource, c *model.Component) {
	switch v := prop(r, "osProfile", "linuxConfiguration", "disablePasswordAuthentication").(type) {
	case bool:
		if v {
			m.Set(r, c, "authentication", "certificate")
		} else {
			m.Set(r, c, "authentication", "password")
		}
	case importer.Unknown:
		m.Set(r, c, "authentication", v)
	}
}

func apiManagement(m *mapper, r *importer.Resource, c *model.Component) {
	if vnet, _ := prop(r, "virtualNetworkType").(string); vnet == "Internal" {
		m.Set(r, c, "network_restricted", true)
		return
	}
	if m.networkAccess(r, c) {
		m.Set(r, c, "public", true)
		m.FromInternet(c, "https", r.Pos)
	}
}
