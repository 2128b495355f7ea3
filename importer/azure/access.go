package azure

import (
	"regexp"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// services are the types an app reaches through its settings, with the
// protocol spoken and the host name suffixes of their endpoints.
var services = map[string]struct {
	protocol string
	hosts    []string
}{
	"microsoft.sql/servers":                     {"tds", []string{".database.windows.net"}},
	"microsoft.documentdb/databaseaccounts":     {"https", []string{".documents.azure.com"}},
	"microsoft.storage/storageaccounts":         {"https", []string{".blob.core.windows.net", ".queue.core.windows.net", ".table.core.windows.net", ".file.core.windows.net", ".dfs.core.windows.net"}},
	"microsoft.cache/redis":                     {"redis", []string{".redis.cache.windows.net"}},
	"microsoft.keyvault/vaults":                 {"https", []string{".vault.azure.net"}},
	"microsoft.dbforpostgresql/flexibleservers": {"postgresql", []string{".postgres.database.azure.com"}},
	"microsoft.dbformysql/flexibleservers":      {"mysql", []string{".mysql.database.azure.com"}},
	"microsoft.servicebus/namespaces":           {"amqps", []string{".servicebus.windows.net"}},
	"microsoft.eventhub/namespaces":             {"amqps", []string{".servicebus.windows.net"}},
	"microsoft.web/sites":                       {"https", []string{".azurewebsites.net"}},
}

// indexHosts records each service's endpoint host names, and each storage
// account's name as a connection string's AccountName.
func (m *mapper) indexHosts(resources []importer.Resource) {
	m.hosts = map[string]*importer.Resource{}
	for i := range resources {
		r := &resources[i]
		s, ok := services[typeKey(r.Type)]
		if !ok || r.Name == "" {
			continue
		}
		name := strings.ToLower(r.Name)
		for _, h := range s.hosts {
			m.hosts[name+h] = r
		}
		if typeKey(r.Type) == "microsoft.storage/storageaccounts" {
			m.hosts["accountname="+name] = r
		}
	}
}

var hostName = regexp.MustCompile(`(?i)accountname=[a-z0-9]+|[a-z0-9-]+(\.[a-z0-9-]+)+`)

// targets lists the services v names, by reference or by host name.
func (m *mapper) targets(v any) []*importer.Resource {
	var out []*importer.Resource
	add := func(r *importer.Resource) {
		if r == nil {
			return
		}
		if _, ok := services[typeKey(r.Type)]; !ok {
			return
		}
		for _, o := range out {
			if o == r {
				return
			}
		}
		out = append(out, r)
	}
	var walk func(any, int)
	walk = func(v any, depth int) {
		if depth > 32 {
			return
		}
		switch v := v.(type) {
		case importer.ResourceRef:
			add(m.byID[v.ID])
		case string:
			for _, h := range hostName.FindAllString(v, -1) {
				add(m.hosts[strings.ToLower(h)])
			}
		case map[string]any:
			for _, e := range v {
				walk(e, depth+1)
			}
		case []any:
			for _, e := range v {
				walk(e, depth+1)
			}
		}
	}
	walk(v, 0)
	// Map order must not leak into the model.
	sortByID(out)
	return out
}

// settingFlows adds a flow from an app to each service its settings and
// connection strings name.
func (m *mapper) settingFlows(r *importer.Resource, c *model.Component) {
	var values []any
	for _, s := range mapkit.List(prop(r, "siteConfig", "appSettings")) {
		values = append(values, mapkit.Get(s, "value"))
	}
	for _, s := range mapkit.List(prop(r, "siteConfig", "connectionStrings")) {
		values = append(values, mapkit.Get(s, "connectionString"))
	}
	for _, t := range m.targets(values) {
		if t != r {
			m.Flow(c, m.ComponentOf(t.ID), services[typeKey(t.Type)].protocol, r.Pos)
		}
	}
}

// identityStorage are the settings of a function app that reaches its host
// storage with its identity.
var identityStorage = map[string]bool{
	"AzureWebJobsStorage__accountName": true, "AzureWebJobsStorage__blobServiceUri": true, "AzureWebJobsStorage__credential": true,
}

// hostStorage sets azure_identity_based_connections from how a function
// app reaches its host storage; left unset when its settings do not say.
func (m *mapper) hostStorage(r *importer.Resource, c *model.Component) {
	for _, s := range mapkit.List(prop(r, "siteConfig", "appSettings")) {
		name, _ := mapkit.Get(s, "name").(string)
		switch {
		case name == "AzureWebJobsStorage":
			m.Set(r, c, "azure_identity_based_connections", false)
			return
		case identityStorage[name]:
			m.Set(r, c, "azure_identity_based_connections", true)
		}
	}
}

// publishing sets azure_publishing_basic_auth_disabled when both FTP and
// SCM basic-auth publishing are known off, false when either is on.
func (m *mapper) publishing(r *importer.Resource, c *model.Component) {
	ftp := prop(r, "basicPublishingCredentialsPolicies", "ftp", "allow")
	scm := prop(r, "basicPublishingCredentialsPolicies", "scm", "allow")
	switch {
	case ftp == true || scm == true:
		m.Set(r, c, "azure_publishing_basic_auth_disabled", false)
	case ftp == false && scm == false:
		m.Set(r, c, "azure_publishing_basic_auth_disabled", true)
	}
}

// broadRoles are the built-in roles that allow every action ("*").
var broadRoles = map[string]bool{"Owner": true, "Contributor": true}

// broadScope matches a subscription's or a resource group's id.
var broadScope = regexp.MustCompile(`(?i)^/subscriptions/[^/]+(/resourcegroups/[^/]+)?/?$`)

// roleAssignment adds an access flow from the principal to the resource
// it is granted on; Owner or Contributor on a whole subscription or
// resource group gives the principal wildcard permissions.
func roleAssignment(m *mapper, r *importer.Resource, _ *model.Component) {
	principals := m.principals(prop(r, "principalId"))
	if len(principals) == 0 {
		return
	}
	role, _ := prop(r, "roleDefinitionName").(string)
	broad := false
	switch s := prop(r, "scope").(type) {
	case importer.Unknown:
		if broadRoles[role] {
			m.Warnf(r, "iam_wildcards left unset: the scope of this %s grant is unknown (%s)", role, s.Why)
		}
	case string:
		broad = broadScope.MatchString(s)
	case importer.ResourceRef:
		target := m.byID[s.ID]
		if target != nil && typeKey(target.Type) == "microsoft.resources/resourcegroups" {
			broad = true
		} else if target != nil {
			for _, p := range principals {
				m.Flow(p, m.ComponentOf(target.ID), "https", r.Pos)
			}
		}
	}
	if broad && broadRoles[role] {
		for _, p := range principals {
			m.Set(r, p, "iam_wildcards", true)
			m.Set(r, p, "least_privilege", false)
		}
	}
}

// principals are the components a principal id belongs to: the resource
// whose system identity it is, or those a user-assigned identity is
// attached to.
func (m *mapper) principals(v any) []*model.Component {
	ref, ok := v.(importer.ResourceRef)
	if !ok || m.byID[ref.ID] == nil {
		return nil
	}
	if typeKey(m.byID[ref.ID].Type) != userIdentityType {
		if c := m.ComponentOf(ref.ID); c != nil {
			return []*model.Component{c}
		}
		return nil
	}
	return m.identityUsers()[ref.ID]
}

// identityUsers indexes, once, the components each user-assigned identity
// is attached to, in id order: scanning every resource per role
// assignment would be quadratic.
func (m *mapper) identityUsers() map[string][]*model.Component {
	if m.usersOf != nil {
		return m.usersOf
	}
	m.usersOf = map[string][]*model.Component{}
	for id, r := range m.byID {
		c := m.ComponentOf(id)
		if c == nil {
			continue
		}
		for _, u := range mapkit.Refs(mapkit.Get(r.Props, "identity", "userAssignedIdentities")) {
			m.usersOf[u.ID] = append(m.usersOf[u.ID], c)
		}
	}
	for _, list := range m.usersOf {
		sortComponents(list)
	}
	return m.usersOf
}

// logging marks a resource whose logs a diagnostic setting or a flow log
// sends somewhere; without one, logging is left as it is.
func (m *mapper) logging(r *importer.Resource, c *model.Component) {
	if c == nil {
		return
	}
	for _, d := range mapkit.List(prop(r, "diagnosticSettings")) {
		if n, _ := mapkit.Get(d, "logs").(int); n > 0 {
			m.Set(r, c, "logging", true)
		}
	}
	for _, f := range mapkit.List(prop(r, "flowLogs")) {
		if mapkit.Get(f, "enabled") != false {
			m.Set(r, c, "logging", true)
		}
	}
}

// tlsProtocols always run over TLS: Azure SQL refuses unencrypted
// connections, and AMQP to Service Bus and Event Hubs is AMQPS.
var tlsProtocols = map[string]bool{"https": true, "amqps": true, "tds": true}

// encryptFlows marks the flows that are encrypted because of what they
// speak or because their destination requires TLS; it runs once every
// component's properties are known.
func (m *mapper) encryptFlows() {
	comps := make(map[string]*model.Component, len(m.Model.Components))
	for _, c := range m.Model.Components {
		comps[c.ID] = c
	}
	for _, f := range m.Model.Flows {
		if f.Encrypted || f.Protocol == "" {
			continue
		}
		if tlsProtocols[f.Protocol] {
			f.Encrypted = true
			continue
		}
		if to := comps[f.To.ID]; to != nil {
			if p, ok := to.Properties.Get("encrypted_in_transit"); ok && p.Value == true {
				f.Encrypted = true
			}
		}
	}
}

// anyAddress are the access restriction addresses that admit everyone.
var anyAddress = map[any]bool{"Any": true, "0.0.0.0/0": true, "::/0": true}

// accessRestricted reads an app's access restrictions: with a default
// action of Deny, or allow rules none of which admits everyone, only the
// listed sources reach it. It sets network_restricted when so.
func (m *mapper) accessRestricted(r *importer.Resource, c *model.Component) bool {
	def := prop(r, "siteConfig", "ipSecurityRestrictionsDefaultAction")
	allows, everyone := 0, false
	for _, rule := range mapkit.List(prop(r, "siteConfig", "ipSecurityRestrictions")) {
		if a := mapkit.Get(rule, "action"); a != nil && a != "Allow" {
			continue
		}
		allows++
		everyone = everyone || anyAddress[mapkit.Get(rule, "ipAddress")]
	}
	restricted := !everyone && (def == "Deny" || (def == nil && allows > 0))
	if restricted {
		m.Set(r, c, "network_restricted", true)
	}
	return restricted
}

// lockedToFrontDoor tells whether an app admits only Front Door's service
// tag with a check of the profile's id header.
func (m *mapper) lockedToFrontDoor(r *importer.Resource) bool {
	rules := mapkit.List(prop(r, "siteConfig", "ipSecurityRestrictions"))
	if len(rules) == 0 || prop(r, "siteConfig", "ipSecurityRestrictionsDefaultAction") == "Allow" {
		return false
	}
	for _, rule := range rules {
		if a := mapkit.Get(rule, "action"); a != nil && a != "Allow" {
			continue
		}
		if mapkit.Get(rule, "ipAddress") != "AzureFrontDoor.Backend" || len(mapkit.List(mapkit.Get(rule, "headers", "x-azure-fdid"))) == 0 {
			return false
		}
	}
	return true
}
