package azure_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/azure"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/model"
)

func ref(id string) importer.ResourceRef { return importer.ResourceRef{ID: id} }

func flowIDs(res *importer.Result) map[string]bool {
	out := map[string]bool{}
	for _, f := range res.Model.Flows {
		out[f.ID] = true
	}
	return out
}

// vmWith is a machine behind one interface with a public address of sku,
// in a subnet; groups are added by the caller.
func vmWith(sku any, more ...importer.Resource) []importer.Resource {
	pip := importer.Resource{Type: "Microsoft.Network/publicIPAddresses", ID: "pip", Props: map[string]any{}}
	if sku != nil {
		pip.Props["sku"] = map[string]any{"name": sku}
	}
	return append([]importer.Resource{
		pip,
		{Type: "Microsoft.Network/virtualNetworks/subnets", ID: "snet", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.Network/networkInterfaces", ID: "nic", Props: map[string]any{"properties": map[string]any{
			"ipConfigurations": []any{map[string]any{"properties": map[string]any{
				"subnet": map[string]any{"id": ref("snet")}, "publicIPAddress": map[string]any{"id": ref("pip")}}}},
		}}},
		{Type: "Microsoft.Compute/virtualMachines", ID: "vm", Props: map[string]any{"properties": map[string]any{
			"networkProfile": map[string]any{"networkInterfaces": []any{ref("nic")}},
		}}},
	}, more...)
}

func nsg(id string, from string, subnets ...any) importer.Resource {
	props := map[string]any{"securityRules": []any{map[string]any{"properties": map[string]any{
		"direction": "Inbound", "access": "Allow", "sourceAddressPrefix": from, "destinationPortRange": "22"}}}}
	var list []any
	for _, s := range subnets {
		list = append(list, map[string]any{"id": s})
	}
	if list != nil {
		props["subnets"] = list
	}
	return importer.Resource{Type: "Microsoft.Network/networkSecurityGroups", ID: id, Props: map[string]any{"properties": props}}
}

// TestVMExposure checks that a machine is reachable from the internet only
// through a public address that every group in its way admits.
func TestVMExposure(t *testing.T) {
	withNICGroup := func(group string) importer.Resource {
		// The interface of vmWith, with a group of its own.
		return importer.Resource{Type: "Microsoft.Network/networkInterfaces", ID: "nic", Props: map[string]any{"properties": map[string]any{
			"ipConfigurations": []any{map[string]any{"properties": map[string]any{
				"subnet": map[string]any{"id": ref("snet")}, "publicIPAddress": map[string]any{"id": ref("pip")}}}},
			"networkSecurityGroup": map[string]any{"id": ref(group)},
		}}}
	}
	cases := []struct {
		name       string
		resources  []importer.Resource
		restricted any // nil: left unset
		warn       string
	}{
		{"basic address without a group is open", vmWith("Basic"), false, ""},
		{"standard address without a group is closed", vmWith("Standard"), true, ""},
		{"address of unknown sku stays unknown", vmWith(nil), nil, "network_restricted left unset"},
		{"subnet group admitting anyone", vmWith("Standard", nsg("g", "*", ref("snet"))), false, ""},
		{"subnet group admitting the office", vmWith("Standard", nsg("g", "203.0.113.0/24", ref("snet"))), true, ""},
		{"interface group closed behind an open subnet group", nil, true, ""},
	}
	// The last case's interface carries its own group.
	last := &cases[len(cases)-1]
	last.resources = vmWith("Standard", nsg("open", "Internet", ref("snet")), nsg("closed", "10.0.0.0/8"))
	last.resources[2] = withNICGroup("closed")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := azure.Map(tc.resources, "test")
			vm := importtest.ComponentsByID(res)["vm"]
			p := importtest.Props(vm)
			if p["public_ip"] != true {
				t.Errorf("public_ip = %v, want true", p["public_ip"])
			}
			if p["network_restricted"] != tc.restricted {
				t.Errorf("network_restricted = %v, want %v", p["network_restricted"], tc.restricted)
			}
			if open := flowIDs(res)["internet-to-vm"]; open != (tc.restricted == false) {
				t.Errorf("internet flow %v, want %v", open, tc.restricted == false)
			}
			if tc.warn != "" && !strings.Contains(importtest.WarningMessages(res), tc.warn) {
				t.Errorf("warnings %q lack %q", importtest.WarningMessages(res), tc.warn)
			}
		})
	}
}

// TestRoleAssignments checks access flows and the breadth of a grant.
func TestRoleAssignments(t *testing.T) {
	site := func(id string, identity map[string]any) importer.Resource {
		p := map[string]any{"kind": "app", "properties": map[string]any{"publicNetworkAccess": "Disabled"}}
		if identity != nil {
			p["identity"] = identity
		}
		return importer.Resource{Type: "Microsoft.Web/sites", ID: id, Props: p}
	}
	assign := func(id string, scope, principal any, role string) importer.Resource {
		return importer.Resource{Type: "Microsoft.Authorization/roleAssignments", ID: id, Props: map[string]any{"properties": map[string]any{
			"scope": scope, "principalId": principal, "roleDefinitionName": role}}}
	}
	res := azure.Map([]importer.Resource{
		site("web", map[string]any{"type": "SystemAssigned"}),
		site("api", map[string]any{"type": "UserAssigned", "userAssignedIdentities": []any{ref("uai")}}),
		site("batch", nil),
		{Type: "Microsoft.ManagedIdentity/userAssignedIdentities", ID: "uai"},
		{Type: "Microsoft.Storage/storageAccounts", ID: "st", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.Resources/resourceGroups", ID: "rg"},
		assign("ra1", "/subscriptions/0000", importer.ResourceRef{ID: "web", Attr: "identity"}, "Owner"),
		assign("ra2", ref("st"), ref("uai"), "Storage Blob Data Reader"),
		assign("ra3", ref("rg"), ref("batch"), "Reader"),
		assign("ra4", "/subscriptions/0000/resourceGroups/rg/providers/x/y", ref("batch"), "Contributor"),
		assign("ra5", importer.Unknown{Why: "var.scope has no default"}, ref("batch"), "Owner"),
	}, "test")
	if !strings.Contains(importtest.WarningMessages(res), "ra5: iam_wildcards left unset: the scope of this Owner grant is unknown (var.scope has no default)") {
		t.Errorf("warnings %q; want the unknown scope of an Owner grant reported", importtest.WarningMessages(res))
	}
	comps := importtest.ComponentsByID(res)
	if p := importtest.Props(comps["web"]); p["iam_wildcards"] != true || p["least_privilege"] != false {
		t.Errorf("web props %v; want wildcard permissions from Owner on the subscription", p)
	}
	for _, id := range []string{"api", "batch"} {
		if _, set := importtest.Props(comps[id])["iam_wildcards"]; set {
			t.Errorf("%s: iam_wildcards set by a narrow grant", id)
		}
	}
	if !flowIDs(res)["api-to-st"] {
		t.Errorf("flows %v; want api to st through its user-assigned identity", flowIDs(res))
	}
	if comps["ra1"] != nil || comps["uai"] != nil {
		t.Error("an assignment or an identity became a component")
	}
}

// TestAppSettingFlows checks that an app reaches the services its
// settings name, by reference or by host name, and not others.
func TestAppSettingFlows(t *testing.T) {
	res := azure.Map([]importer.Resource{
		{Type: "Microsoft.Web/sites", ID: "fn", Props: map[string]any{"kind": "functionapp", "properties": map[string]any{
			"siteConfig": map[string]any{
				"appSettings": []any{
					map[string]any{"name": "AzureWebJobsStorage", "value": "DefaultEndpointsProtocol=https;AccountName=stfn;AccountKey=x"},
					map[string]any{"name": "DB", "value": ref("sql")},
					map[string]any{"name": "VAULT", "value": "@Microsoft.KeyVault(SecretUri=https://KV-App.vault.azure.net/secrets/a)"},
					map[string]any{"name": "OTHER", "value": "https://unrelated.example.com"},
				},
				"connectionStrings": []any{map[string]any{"connectionString": "Host=pg.postgres.database.azure.com;Database=x"}},
			},
		}}},
		{Type: "Microsoft.Storage/storageAccounts", ID: "st", Name: "stfn", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.Sql/servers", ID: "sql", Name: "sql", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.KeyVault/vaults", ID: "kv", Name: "kv-app", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.DBforPostgreSQL/flexibleServers", ID: "pg", Name: "pg", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.Cache/redis", ID: "unused", Name: "unused", Props: map[string]any{"properties": map[string]any{}}},
	}, "test")
	flows := flowIDs(res)
	for _, want := range []string{"fn-to-st", "fn-to-sql", "fn-to-kv", "fn-to-pg"} {
		if !flows[want] {
			t.Errorf("no flow %s; flows %v", want, flows)
		}
	}
	if flows["fn-to-unused"] {
		t.Error("a flow to a service no setting names")
	}
	for _, f := range res.Model.Flows {
		if f.ID == "fn-to-sql" && (f.Protocol != "tds" || !f.Encrypted) {
			t.Errorf("fn-to-sql = %s encrypted %v; want TDS, always encrypted", f.Protocol, f.Encrypted)
		}
	}
	if p := importtest.Props(importtest.ComponentsByID(res)["fn"]); p["azure_identity_based_connections"] != false {
		t.Errorf("fn props %v; want the account-key host storage reported", p)
	}
}

// TestPrivateEndpoints checks that a private endpoint restricts its target
// unless public access is kept on explicitly.
func TestPrivateEndpoints(t *testing.T) {
	pe := []any{map[string]any{"properties": map[string]any{"privateEndpoint": map[string]any{}}}}
	for _, tc := range []struct {
		name       string
		access     any
		restricted bool
	}{
		{"public access not set", nil, true},
		{"public access kept on", "Enabled", false},
		{"public access off", "Disabled", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := map[string]any{"privateEndpointConnections": pe}
			if tc.access != nil {
				p["publicNetworkAccess"] = tc.access
			}
			res := azure.Map([]importer.Resource{{Type: "Microsoft.KeyVault/vaults", ID: "kv", Props: map[string]any{"properties": p}}}, "test")
			if got := importtest.Props(importtest.ComponentsByID(res)["kv"])["network_restricted"]; got != tc.restricted {
				t.Errorf("network_restricted = %v, want %v", got, tc.restricted)
			}
		})
	}
}

// TestServices checks the newer service types' main properties.
func TestServices(t *testing.T) {
	res := azure.Map([]importer.Resource{
		{Type: "Microsoft.Cache/Redis", ID: "open", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.Cache/Redis", ID: "listed", Props: map[string]any{"properties": map[string]any{
			"enableNonSslPort": true,
			"firewallRules":    []any{map[string]any{"properties": map[string]any{"startIP": "203.0.113.1", "endIP": "203.0.113.2"}}},
		}}},
		{Type: "Microsoft.Network/applicationGateways", ID: "agw", Props: map[string]any{"properties": map[string]any{
			"firewallPolicy": map[string]any{"id": ref("waf")},
			"sslPolicy":      map[string]any{"policyName": "AppGwSslPolicy20170401"},
		}}},
		{Type: "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", ID: "waf", Props: map[string]any{"properties": map[string]any{
			"policySettings": map[string]any{"state": "Enabled", "mode": "Detection"}}}},
		{Type: "Microsoft.ContainerRegistry/registries", ID: "acr", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.ApiManagement/service", ID: "apim", Props: map[string]any{"properties": map[string]any{
			"products": []any{
				map[string]any{"properties": map[string]any{"state": true, "subscriptionRequired": true, "approvalRequired": true}},
				map[string]any{"properties": map[string]any{"state": true, "subscriptionRequired": false}},
				map[string]any{"properties": map[string]any{"state": false, "approvalRequired": false}},
			},
		}}},
		{Type: "Microsoft.ApiManagement/service", ID: "apim-open", Props: map[string]any{"properties": map[string]any{
			"products": []any{map[string]any{"properties": map[string]any{"state": true}}},
		}}},
		{Type: "Microsoft.Storage/storageAccounts", ID: "st", Props: map[string]any{"properties": map[string]any{
			"blobServices": map[string]any{"isVersioningEnabled": true, "deleteRetentionPolicy": map[string]any{"enabled": true, "days": 7}},
		}}},
		{Type: "Microsoft.ServiceBus/namespaces", ID: "sb", Props: map[string]any{"properties": map[string]any{
			"queues": []any{
				map[string]any{"properties": map[string]any{"deadLetteringOnMessageExpiration": true}},
				map[string]any{"properties": map[string]any{"deadLetteringOnMessageExpiration": importer.Unknown{Why: "var.dl has no default"}}},
			},
		}}},
	}, "test")
	comps := importtest.ComponentsByID(res)
	want := map[string]map[string]any{
		"open":      {"public": true, "encrypted_in_transit": true, "authentication": "password"},
		"listed":    {"network_restricted": true, "encrypted_in_transit": false},
		"agw":       {"waf": false, "tls_min_version": "1.1"},
		"acr":       {"azure_local_auth_disabled": true, "azure_anonymous_pull": false},
		"apim":      {"azure_subscription_approval": true},
		"apim-open": {"azure_subscription_approval": false},
		"st":        {"versioning": true, "soft_delete": true},
	}
	for id, props0 := range want {
		got := importtest.Props(comps[id])
		for k, v := range props0 {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v", id, k, got[k], v)
			}
		}
	}
	if _, set := importtest.Props(comps["sb"])["dead_letter_queue"]; set {
		t.Error("dead_letter_queue set though one queue's setting is unknown")
	}
	if comps["waf"] != nil {
		t.Error("the WAF policy became a component")
	}
	var kinds []model.Kind
	for _, id := range []string{"open", "agw", "acr"} {
		kinds = append(kinds, comps[id].Kind)
	}
	if kinds[0] != "cache" || kinds[1] != "azure.application-gateway" || kinds[2] != "azure.container-registry" {
		t.Errorf("kinds %v", kinds)
	}
}

// TestFrontDoorOrigins checks waf and the origin lock of a Front Door
// profile, and the access restrictions of the app behind it.
func TestFrontDoorOrigins(t *testing.T) {
	app := func(id string, restrictions []any) importer.Resource {
		return importer.Resource{Type: "Microsoft.Web/sites", ID: id, Name: id, Props: map[string]any{"kind": "app", "properties": map[string]any{
			"httpsOnly": true, "siteConfig": map[string]any{"ipSecurityRestrictions": restrictions}}}}
	}
	frontDoorOnly := []any{map[string]any{"ipAddress": "AzureFrontDoor.Backend", "tag": "ServiceTag", "action": "Allow",
		"headers": map[string]any{"x-azure-fdid": []any{"1234"}}}}
	anyone := []any{map[string]any{"ipAddress": "Any", "action": "Allow"}}
	profile := func(origin string) []importer.Resource {
		return []importer.Resource{
			{Type: "Microsoft.Cdn/profiles", ID: "afd", Props: map[string]any{"kind": "frontdoor", "properties": map[string]any{
				"securityPolicies": []any{map[string]any{"properties": map[string]any{"parameters": map[string]any{"wafPolicy": map[string]any{"id": ref("waf")}}}}},
			}}},
			{Type: "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", ID: "waf", Props: map[string]any{"properties": map[string]any{
				"policySettings": map[string]any{"enabledState": "Enabled", "mode": "Prevention"}}}},
			{Type: "Microsoft.Cdn/profiles/originGroups", ID: "og", Props: map[string]any{"parent": ref("afd")}},
			{Type: "Microsoft.Cdn/profiles/originGroups/origins", ID: "o", Props: map[string]any{"parent": ref("og"),
				"properties": map[string]any{"hostName": origin + ".azurewebsites.net"}}},
		}
	}
	for _, tc := range []struct {
		name         string
		restrictions []any
		locked       any
		restricted   bool
	}{
		{"app admits only this profile", frontDoorOnly, true, true},
		{"app admits anyone", anyone, nil, false},
		{"app without restrictions", nil, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := azure.Map(append(profile("web"), app("web", tc.restrictions)), "test")
			comps := importtest.ComponentsByID(res)
			fd := importtest.Props(comps["afd"])
			if comps["afd"].Kind != "azure.front-door" || fd["waf"] != true || fd["azure_origin_locked_to_front_door"] != tc.locked {
				t.Errorf("front door %s %v; want waf and origin lock %v", comps["afd"].Kind, fd, tc.locked)
			}
			if !flowIDs(res)["afd-to-web"] {
				t.Error("no flow from the profile to its origin")
			}
			if got := importtest.Props(comps["web"])["network_restricted"]; got != tc.restricted {
				t.Errorf("web network_restricted = %v, want %v", got, tc.restricted)
			}
			if public := flowIDs(res)["internet-to-web"]; public == tc.restricted {
				t.Errorf("internet flow to web %v with network_restricted %v", public, tc.restricted)
			}
		})
	}
}
