package azure_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/azure"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/mapkit"
)

// TestMapResourceGraph maps resources as a live subscription lists them:
// ARM ids, subnets inside their network, lower-case type names.
func TestMapResourceGraph(t *testing.T) {
	vnet := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet"
	res := azure.Map([]importer.Resource{
		{Type: "Microsoft.Network/virtualNetworks", ID: vnet, Props: map[string]any{"properties": map[string]any{
			"subnets": []any{map[string]any{"name": "aks"}},
		}}},
		{Type: "microsoft.containerservice/managedclusters", ID: "aks", Name: "aks", Props: map[string]any{"properties": map[string]any{
			"agentPoolProfiles":      []any{map[string]any{"vnetSubnetID": importer.ResourceRef{ID: vnet + "/subnets/aks"}}},
			"apiServerAccessProfile": map[string]any{"authorizedIPRanges": []any{"203.0.113.0/24"}},
			"networkProfile":         map[string]any{"networkPolicy": "none"},
		}}},
		{Type: "Microsoft.Web/sites", ID: "fn", Props: map[string]any{"kind": "functionapp,linux", "properties": map[string]any{
			"httpsOnly":  true,
			"siteConfig": map[string]any{"minTlsVersion": "1.0"},
		}}},
		{Type: "Microsoft.KeyVault/vaults", ID: "kv", Props: map[string]any{"properties": map[string]any{
			"enablePurgeProtection": importer.Unknown{Why: "var.purge has no default"},
			"publicNetworkAccess":   "Disabled",
		}}},
		{Type: "Microsoft.Sql/servers", ID: "sql", Props: map[string]any{"properties": map[string]any{}}},
		{Type: "Microsoft.Sql/servers/firewallRules", ID: "sql/all", Props: map[string]any{"parent": importer.ResourceRef{ID: "sql"},
			"properties": map[string]any{"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}}},
		{Type: "Microsoft.Synapse/workspaces", ID: "syn"},
	}, "graph")
	comps := importtest.ComponentsByID(res)
	aks := comps[mapkit.ID("aks")]
	if aks == nil || aks.Kind != "azure.aks" || aks.Zone.ID != mapkit.ID(vnet+"/subnets/aks") {
		t.Fatalf("aks = %+v; want an azure.aks in its subnet's zone", aks)
	}
	if p := importtest.Props(aks); p["network_restricted"] != true || p["network_policy"] != false {
		t.Errorf("aks props %v; want network_restricted and no network_policy", p)
	}
	fn := comps["fn"]
	if fn.Kind != "azure.functions" || importtest.Props(fn)["tls_min_version"] != "1.0" || importtest.Props(fn)["encrypted_in_transit"] != true {
		t.Errorf("fn = %s %v", fn.Kind, importtest.Props(fn))
	}
	kv := importtest.Props(comps["kv"])
	if _, set := kv["azure_purge_protection"]; set || kv["network_restricted"] != true {
		t.Errorf("kv props %v; want purge protection unset and the network restricted", kv)
	}
	if p := importtest.Props(comps["sql"]); p["public"] != true || p["azure_allow_azure_services"] != false {
		t.Errorf("sql props %v; want public through its 0.0.0.0-255.255.255.255 rule", p)
	}
	if comps["sql-all"] != nil {
		t.Error("firewall rule became a component; want it folded into its server")
	}
	if comps["syn"] == nil || comps["syn"].Kind != "process" {
		t.Errorf("unknown type: %+v; want a generic component", comps["syn"])
	}
	var text []string
	for _, w := range res.Warnings {
		text = append(text, w.Message)
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"kv: azure_purge_protection left unset: var.purge has no default", "Microsoft.Synapse/workspaces"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
	if comps[azure.InternetID] == nil {
		t.Error("no internet entity for the public SQL server and app")
	}
}
