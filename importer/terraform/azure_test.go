package terraform_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wardsec/ward/model"
)

// TestAzureMisconfigurationsFound checks that each deliberate mistake of
// azure-app raises its threat and the fixed twin raises none of them.
func TestAzureMisconfigurationsFound(t *testing.T) {
	want := []string{
		"azure-storage-account-anonymous-blob-access@azurerm_storage_account.assets",
		"azure-sql-database-allow-azure-services@azurerm_mssql_server.main",
		"azure-key-vault-no-purge-protection@azurerm_key_vault.main",
		"azure-nsg-inbound-from-internet@azurerm_network_security_group.vms",
		"azure-app-service-http-allowed@azurerm_linux_web_app.web",
		"datastore-network-exposed@azurerm_redis_cache.cache",
		"azure-container-registry-admin-user@azurerm_container_registry.images",
		"azure-container-registry-anonymous-pull@azurerm_container_registry.images",
		"azure-event-hubs-sas-keys@azurerm_eventhub_namespace.events",
		"azure-service-bus-expired-messages-dropped@azurerm_servicebus_namespace.bus",
		"datastore-network-exposed@azurerm_postgresql_flexible_server.reports",
		"azure-application-gateway-no-waf@azurerm_application_gateway.gateway",
		"azure-application-gateway-weak-tls@azurerm_application_gateway.gateway",
		"azure-vm-management-ports-exposed@azurerm_windows_virtual_machine.jump",
		"password-brute-force@azurerm_windows_virtual_machine.jump",
		"azure-functions-host-storage-key@azurerm_linux_function_app.worker",
		"azure-key-vault-open-network@azurerm_key_vault.main",
		"azure-vnet-no-flow-logs@azurerm_network_security_group.vms",
		"azure-front-door-no-waf@azurerm_cdn_frontdoor_profile.edge",
		"azure-front-door-origin-bypass@azurerm_cdn_frontdoor_profile.edge",
		"azure-app-service-origin-bypass@azurerm_linux_web_app.web",
		"azure-storage-account-no-soft-delete@azurerm_storage_account.assets",
	}
	checkTwins(t, "testdata/azure-app", "testdata/azure-app-fixed", want)
}

// TestMixedProviders checks that a configuration of AWS and Azure
// resources yields one model with both, and one internet.
func TestMixedProviders(t *testing.T) {
	dir := t.TempDir()
	src := `
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
resource "azurerm_linux_web_app" "web" {
  name       = "web"
  https_only = true
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importPath(t, dir)
	kinds := map[string]model.Kind{}
	internets := 0
	for _, c := range res.Model.Components {
		kinds[c.ID] = c.Kind
		if c.ID == "internet" {
			internets++
		}
	}
	if kinds["aws_s3_bucket.logs"] != "aws.s3" || kinds["azurerm_linux_web_app.web"] != "azure.app-service" || internets != 1 {
		t.Errorf("components %v, %d internet entities; want the bucket, the app and one internet", kinds, internets)
	}
	zones := map[string]int{}
	for _, z := range res.Model.Zones {
		zones[z.ID]++
	}
	if zones["internet"] != 1 || zones["aws-account"] != 1 || zones["azure-subscription"] != 1 {
		t.Errorf("zones %v; want internet once, aws-account and azure-subscription", zones)
	}
}

// TestAzurePlanJSON checks that azurerm resources of a plan take the
// Azure mapping too.
func TestAzurePlanJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	plan := `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "azurerm_key_vault.main", "mode": "managed", "type": "azurerm_key_vault", "name": "main",
   "values": {"name": "kv", "purge_protection_enabled": false, "public_network_access_enabled": false}}
]}}}`
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importPath(t, path)
	var kv *model.Component
	for _, c := range res.Model.Components {
		if c.ID == "azurerm_key_vault.main" {
			kv = c
		}
	}
	if kv == nil || kv.Kind != "azure.key-vault" {
		t.Fatalf("components %v; want the vault as azure.key-vault", res.Model.Components)
	}
	got := map[string]any{}
	for _, p := range kv.Properties {
		got[p.Name] = p.Value
	}
	if got["azure_purge_protection"] != false || got["network_restricted"] != true {
		t.Errorf("vault props %v; want no purge protection and a restricted network", got)
	}
}

// TestAzureDerivedFlows checks the flows an app's settings, a gateway's
// backends and a role assignment give, and the breadth of the web app's
// grant in each twin.
func TestAzureDerivedFlows(t *testing.T) {
	for dir, wildcards := range map[string]bool{"testdata/azure-app": true, "testdata/azure-app-fixed": false} {
		m := importPath(t, dir).Model
		flows := map[string]bool{}
		for _, f := range m.Flows {
			flows[f.ID] = true
		}
		want := []string{
			"azurerm_linux_web_app.web-to-azurerm_mssql_server.main",
			"azurerm_linux_web_app.web-to-azurerm_redis_cache.cache",
			"azurerm_linux_web_app.web-to-azurerm_key_vault.main",
			"azurerm_application_gateway.gateway-to-azurerm_linux_web_app.web",
			"azurerm_cdn_frontdoor_profile.edge-to-azurerm_linux_web_app.web",
			"azurerm_linux_function_app.worker-to-azurerm_storage_account.assets",
			"azurerm_linux_function_app.worker-to-azurerm_eventhub_namespace.events",
		}
		if !wildcards {
			want = append(want, "azurerm_linux_web_app.web-to-azurerm_storage_account.assets")
		}
		for _, id := range want {
			if !flows[id] {
				t.Errorf("%s: no flow %s", dir, id)
			}
		}
		web := m.Component("azurerm_linux_web_app.web")
		p, _ := web.Properties.Get("iam_wildcards")
		if got, _ := p.Value.(bool); got != wildcards {
			t.Errorf("%s: web iam_wildcards = %v, want %v", dir, p.Value, wildcards)
		}
		vm := m.Component("azurerm_windows_virtual_machine.jump")
		if vm == nil || vm.Zone.ID != "azurerm_subnet.vms" {
			t.Errorf("%s: jump host %+v; want it in its interface's subnet", dir, vm)
		}
	}
}
