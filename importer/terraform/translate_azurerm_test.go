package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/wardsec/ward/importer"
)

// azureResourcesOf parses one file's text and returns its resources in
// ARM's shape, as the Azure mapping receives them.
func azureResourcesOf(t *testing.T, src string) ([]importer.Resource, *loader) {
	t.Helper()
	l := &loader{parser: hclparse.NewParser(), seen: map[string]bool{}}
	body, err := parseBytes(l.parser, "main.tf", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := l.newModule(".", "", 0)
	m.add(body, nil)
	return translateAzurerm(l.expand(m), l.warn), l
}

// TestTranslateAzurerm checks each azurerm type's ARM type and properties.
func TestTranslateAzurerm(t *testing.T) {
	ref := func(id, attr string) importer.ResourceRef { return importer.ResourceRef{ID: id, Attr: attr} }
	cases := []struct {
		name, src, id, typ string
		want               map[string]any
	}{
		{"storage account", `
resource "azurerm_storage_account" "s" {
  name                            = "st"
  allow_nested_items_to_be_public = true
  https_traffic_only_enabled      = false
  shared_access_key_enabled       = false
  min_tls_version                 = "TLS1_0"
  public_network_access_enabled   = false
  network_rules {
    default_action = "Deny"
  }
}`, "azurerm_storage_account.s", "Microsoft.Storage/storageAccounts", map[string]any{"properties": map[string]any{
			"allowBlobPublicAccess": true, "supportsHttpsTrafficOnly": false, "allowSharedKeyAccess": false,
			"minimumTlsVersion": "TLS1_0", "publicNetworkAccess": "Disabled", "networkAcls": map[string]any{"defaultAction": "Deny"},
		}}},
		{"sql server with a folded firewall rule", `
resource "azurerm_mssql_server" "s" {
  name                = "sql"
  minimum_tls_version = "1.2"
  azuread_administrator {
    azuread_authentication_only = true
  }
}
resource "azurerm_mssql_firewall_rule" "r" {
  name             = "all"
  server_id        = azurerm_mssql_server.s.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}`, "azurerm_mssql_server.s", "Microsoft.Sql/servers", map[string]any{"properties": map[string]any{
			"minimalTlsVersion": "TLS1_2", "administrators": map[string]any{"azureADOnlyAuthentication": true},
			"firewallRules": []any{map[string]any{"name": "all", "properties": map[string]any{"startIpAddress": "0.0.0.0", "endIpAddress": "0.0.0.0"}}},
		}}},
		{"function app", `
resource "azurerm_linux_function_app" "f" {
  name       = "fn"
  https_only = true
  site_config {
    minimum_tls_version = "1.1"
  }
}`, "azurerm_linux_function_app.f", "Microsoft.Web/sites", map[string]any{"kind": "functionapp,linux", "properties": map[string]any{
			"httpsOnly": true, "siteConfig": map[string]any{"minTlsVersion": "1.1"},
		}}},
		{"key vault", `
resource "azurerm_key_vault" "v" {
  name                      = "kv"
  purge_protection_enabled  = true
  enable_rbac_authorization = true
}`, "azurerm_key_vault.v", "Microsoft.KeyVault/vaults", map[string]any{"properties": map[string]any{
			"enablePurgeProtection": true, "enableRbacAuthorization": true,
		}}},
		{"kubernetes cluster", `
resource "azurerm_kubernetes_cluster" "k" {
  name                      = "aks"
  private_cluster_enabled   = true
  local_account_disabled    = true
  workload_identity_enabled = true
  network_profile {
    network_plugin = "azure"
    network_policy = "calico"
  }
}`, "azurerm_kubernetes_cluster.k", "Microsoft.ContainerService/managedClusters", map[string]any{"properties": map[string]any{
			"disableLocalAccounts": true, "apiServerAccessProfile": map[string]any{"enablePrivateCluster": true},
			"securityProfile": map[string]any{"workloadIdentity": map[string]any{"enabled": true}},
			"networkProfile":  map[string]any{"networkPolicy": "calico"},
		}}},
		{"service bus with local auth on", `
resource "azurerm_servicebus_namespace" "n" {
  name               = "sb"
  local_auth_enabled = true
}`, "azurerm_servicebus_namespace.n", "Microsoft.ServiceBus/namespaces", map[string]any{"properties": map[string]any{
			"disableLocalAuth": false,
		}}},
		{"cosmos db ip filter of azurerm 3", `
resource "azurerm_cosmosdb_account" "c" {
  name            = "cosmos"
  ip_range_filter = "0.0.0.0, 10.0.0.1"
}`, "azurerm_cosmosdb_account.c", "Microsoft.DocumentDB/databaseAccounts", map[string]any{"properties": map[string]any{
			"ipRules": []any{map[string]any{"ipAddressOrRange": "0.0.0.0"}, map[string]any{"ipAddressOrRange": "10.0.0.1"}},
		}}},
		{"subnet names its network", `
resource "azurerm_virtual_network" "n" {
  name = "vnet"
}
resource "azurerm_subnet" "s" {
  name                 = "snet"
  virtual_network_name = azurerm_virtual_network.n.name
}`, "azurerm_subnet.s", "Microsoft.Network/virtualNetworks/subnets", map[string]any{"properties": map[string]any{},
			"parent": ref("azurerm_virtual_network.n", "name")}},
		{"security group with inline and folded rules", `
resource "azurerm_network_security_group" "g" {
  name = "nsg"
  security_rule {
    name                   = "ssh"
    direction              = "Inbound"
    access                 = "Allow"
    source_address_prefix  = "Internet"
    destination_port_range = "22"
  }
}
resource "azurerm_network_security_rule" "r" {
  name                        = "web"
  direction                   = "Inbound"
  access                      = "Allow"
  source_address_prefixes     = ["10.0.0.0/8"]
  destination_port_ranges     = ["443"]
  network_security_group_name = azurerm_network_security_group.g.name
}`, "azurerm_network_security_group.g", "Microsoft.Network/networkSecurityGroups", map[string]any{"properties": map[string]any{
			"securityRules": []any{
				map[string]any{"name": "ssh", "properties": map[string]any{"direction": "Inbound", "access": "Allow",
					"sourceAddressPrefix": "Internet", "destinationPortRange": "22"}},
				map[string]any{"name": "web", "properties": map[string]any{"direction": "Inbound", "access": "Allow",
					"sourceAddressPrefixes": []any{"10.0.0.0/8"}, "destinationPortRanges": []any{"443"}}},
			},
		}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resources, _ := azureResourcesOf(t, tc.src)
			var got *importer.Resource
			for i := range resources {
				if resources[i].ID == tc.id {
					got = &resources[i]
				}
			}
			if got == nil {
				t.Fatalf("%s not translated; got %v", tc.id, resources)
			}
			if got.Type != tc.typ {
				t.Errorf("type = %s, want %s", got.Type, tc.typ)
			}
			if diff := cmp.Diff(tc.want, got.Props); diff != "" {
				t.Errorf("props (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTranslateAzurermOrphanFold checks that a rule whose server is not in
// the configuration is reported, not dropped silently.
func TestTranslateAzurermOrphanFold(t *testing.T) {
	resources, l := azureResourcesOf(t, `
resource "azurerm_mssql_firewall_rule" "r" {
  server_id        = "/subscriptions/x/resourceGroups/y/providers/Microsoft.Sql/servers/z"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}`)
	if len(resources) != 0 || len(l.warnings) != 1 {
		t.Errorf("got resources %v, warnings %v; want none and one warning", resources, l.warnings)
	}
}
