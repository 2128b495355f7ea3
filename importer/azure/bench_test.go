package azure_test

import (
	"fmt"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/azure"
)

// BenchmarkMap10k maps 10,000 resources: apps naming servers in their
// settings, machines behind interfaces and groups, role assignments.
func BenchmarkMap10k(b *testing.B) {
	var in []importer.Resource
	for i := range 1000 {
		sql, nic, vm, group := fmt.Sprint("sql", i), fmt.Sprint("nic", i), fmt.Sprint("vm", i), fmt.Sprint("nsg", i)
		in = append(in,
			importer.Resource{Type: "Microsoft.Sql/servers", ID: sql, Name: sql, Props: map[string]any{"properties": map[string]any{}}},
			importer.Resource{Type: "Microsoft.Sql/servers/firewallRules", ID: sql + "/all", Props: map[string]any{"parent": ref(sql),
				"properties": map[string]any{"startIpAddress": "0.0.0.0", "endIpAddress": "0.0.0.0"}}},
			importer.Resource{Type: "Microsoft.Web/sites", ID: fmt.Sprint("web", i), Props: map[string]any{"kind": "app", "properties": map[string]any{
				"siteConfig": map[string]any{"appSettings": []any{map[string]any{"name": "DB", "value": "Server=" + sql + ".database.windows.net"}}}}}},
			importer.Resource{Type: "Microsoft.Network/publicIPAddresses", ID: fmt.Sprint("pip", i), Props: map[string]any{"sku": map[string]any{"name": "Standard"}}},
			importer.Resource{Type: "Microsoft.Network/networkInterfaces", ID: nic, Props: map[string]any{"properties": map[string]any{
				"ipConfigurations":     []any{map[string]any{"properties": map[string]any{"publicIPAddress": map[string]any{"id": ref(fmt.Sprint("pip", i))}}}},
				"networkSecurityGroup": map[string]any{"id": ref(group)},
			}}},
			nsg(group, "*"),
			importer.Resource{Type: "Microsoft.Compute/virtualMachines", ID: vm, Props: map[string]any{"properties": map[string]any{
				"networkProfile": map[string]any{"networkInterfaces": []any{ref(nic)}}}}},
			importer.Resource{Type: "Microsoft.Authorization/roleAssignments", ID: fmt.Sprint("ra", i), Props: map[string]any{"properties": map[string]any{
				"scope": ref(sql), "principalId": ref(vm), "roleDefinitionName": "Reader"}}},
			importer.Resource{Type: "Microsoft.Storage/storageAccounts", ID: fmt.Sprint("st", i), Props: map[string]any{"properties": map[string]any{}}},
			importer.Resource{Type: "Microsoft.KeyVault/vaults", ID: fmt.Sprint("kv", i), Props: map[string]any{"properties": map[string]any{}}},
		)
	}
	b.ResetTimer()
	for b.Loop() {
		res := azure.Map(in, "bench")
		if len(res.Model.Flows) < 3000 {
			b.Fatalf("%d flows", len(res.Model.Flows))
		}
	}
}
