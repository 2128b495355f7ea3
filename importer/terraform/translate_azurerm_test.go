package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/importer"
)

// azureResourcesOf parses one file's text and returns its resources in
// ARM's shape, as the Azure mapping receives them.
func azureResourcesOf(t *testing.T, src string) ([]importer.Resource, *loader) {
	t.Helper()
	return translatedText(t, src, translateAzurerm)
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
			"basicPublishingCredentialsPolicies": map[string]any{"ftp": map[string]any{"allow": true}, "scm": map[string]any{"allow": true}},
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
		{"web app settings, connection strings and identity", `
resource "azurerm_mssql_server" "s" {
  name = "sql"
}
resource "azurerm_user_assigned_identity" "i" {
  name = "id"
}
resource "azurerm_windows_web_app" "w" {
  name                                     = "web"
  ftp_publish_basic_authentication_enabled = false
  app_settings = {
    "B" = "2"
    "A" = "Server=${azurerm_mssql_server.s.fully_qualified_domain_name}"
  }
  connection_string {
    name  = "Db"
    type  = "SQLAzure"
    value = "Server=sql.database.windows.net"
  }
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.i.id]
  }
}`, "azurerm_windows_web_app.w", "Microsoft.Web/sites", map[string]any{"kind": "app",
			"identity": map[string]any{"type": "UserAssigned", "userAssignedIdentities": []any{ref("azurerm_user_assigned_identity.i", "id")}},
			"properties": map[string]any{
				"basicPublishingCredentialsPolicies": map[string]any{"ftp": map[string]any{"allow": false}, "scm": map[string]any{"allow": true}},
				"siteConfig": map[string]any{
					"appSettings": []any{
						map[string]any{"name": "A", "value": ref("azurerm_mssql_server.s", "fully_qualified_domain_name")},
						map[string]any{"name": "B", "value": "2"},
					},
					"connectionStrings": []any{map[string]any{"name": "Db", "type": "SQLAzure", "connectionString": "Server=sql.database.windows.net"}},
				},
			}}},
		{"redis cache with a folded firewall rule and a private endpoint", `
resource "azurerm_redis_cache" "r" {
  name                          = "cache"
  non_ssl_port_enabled          = true
  minimum_tls_version           = "1.2"
  public_network_access_enabled = true
}
resource "azurerm_redis_firewall_rule" "f" {
  name             = "office"
  redis_cache_name = azurerm_redis_cache.r.name
  start_ip         = "203.0.113.1"
  end_ip           = "203.0.113.9"
}
resource "azurerm_private_endpoint" "p" {
  name      = "pe"
  subnet_id = "/subscriptions/s/subnets/x"
  private_service_connection {
    private_connection_resource_id = azurerm_redis_cache.r.id
  }
}`, "azurerm_redis_cache.r", "Microsoft.Cache/redis", map[string]any{"properties": map[string]any{
			"enableNonSslPort": true, "minimumTlsVersion": "1.2", "publicNetworkAccess": "Enabled",
			"firewallRules": []any{map[string]any{"name": "office", "properties": map[string]any{"startIP": "203.0.113.1", "endIP": "203.0.113.9"}}},
			"privateEndpointConnections": []any{map[string]any{"name": "pe", "properties": map[string]any{
				"privateEndpoint": map[string]any{"subnet": map[string]any{"id": "/subscriptions/s/subnets/x"}}}}},
		}}},
		{"network interface with its public address and group", `
resource "azurerm_public_ip" "p" {
  sku = "Basic"
}
resource "azurerm_network_interface" "n" {
  ip_configuration {
    name                 = "a"
    subnet_id            = "/subscriptions/s/subnets/x"
    public_ip_address_id = azurerm_public_ip.p.id
  }
}
resource "azurerm_network_interface_security_group_association" "a" {
  network_interface_id      = azurerm_network_interface.n.id
  network_security_group_id = "/subscriptions/s/nsg/y"
}`, "azurerm_network_interface.n", "Microsoft.Network/networkInterfaces", map[string]any{"properties": map[string]any{
			"ipConfigurations": []any{map[string]any{"name": "a", "properties": map[string]any{
				"subnet": map[string]any{"id": "/subscriptions/s/subnets/x"}, "publicIPAddress": map[string]any{"id": ref("azurerm_public_ip.p", "id")}}}},
			"networkSecurityGroup": map[string]any{"id": "/subscriptions/s/nsg/y"},
		}}},
		{"postgresql flexible server with rule, parameter and diagnostics", `
resource "azurerm_postgresql_flexible_server" "p" {
  name                          = "pg"
  public_network_access_enabled = true
  high_availability {
    mode = "ZoneRedundant"
  }
  authentication {
    password_auth_enabled         = false
    active_directory_auth_enabled = true
  }
}
resource "azurerm_postgresql_flexible_server_firewall_rule" "all" {
  name             = "all"
  server_id        = azurerm_postgresql_flexible_server.p.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
resource "azurerm_postgresql_flexible_server_configuration" "tls" {
  name      = "require_secure_transport"
  server_id = azurerm_postgresql_flexible_server.p.id
  value     = "off"
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  name               = "diag"
  target_resource_id = azurerm_postgresql_flexible_server.p.id
  enabled_log {
    category = "PostgreSQLLogs"
  }
}`, "azurerm_postgresql_flexible_server.p", "Microsoft.DBforPostgreSQL/flexibleServers", map[string]any{"properties": map[string]any{
			"network":          map[string]any{"publicNetworkAccess": "Enabled"},
			"highAvailability": map[string]any{"mode": "ZoneRedundant"},
			"authConfig":       map[string]any{"passwordAuth": "Disabled", "activeDirectoryAuth": "Enabled"},
			"firewallRules": []any{map[string]any{"name": "all", "properties": map[string]any{
				"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}}},
			"configurations":     []any{map[string]any{"name": "require_secure_transport", "value": "off"}},
			"diagnosticSettings": []any{map[string]any{"name": "diag", "logs": 1}},
		}}},
		{"role assignment on the current subscription", `
data "azurerm_subscription" "current" {}
resource "azurerm_role_assignment" "r" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Contributor"
  principal_id         = "00000000-0000-0000-0000-000000000001"
}`, "azurerm_role_assignment.r", "Microsoft.Authorization/roleAssignments", map[string]any{"properties": map[string]any{
			"scope": "/subscriptions/{data.azurerm_subscription}", "roleDefinitionName": "Contributor",
			"principalId": "00000000-0000-0000-0000-000000000001",
		}}},
		{"application gateway with a WAF policy", `
resource "azurerm_application_gateway" "g" {
  firewall_policy_id = "/subscriptions/s/policies/waf"
  ssl_policy {
    min_protocol_version = "TLSv1_2"
  }
  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = "/subscriptions/s/pip/gw"
  }
  backend_address_pool {
    name         = "web"
    fqdns        = ["web.azurewebsites.net"]
    ip_addresses = ["10.0.0.4"]
  }
  http_listener {
    name     = "https"
    protocol = "Https"
  }
}`, "azurerm_application_gateway.g", "Microsoft.Network/applicationGateways", map[string]any{"properties": map[string]any{
			"firewallPolicy": map[string]any{"id": "/subscriptions/s/policies/waf"},
			"sslPolicy":      map[string]any{"minProtocolVersion": "TLSv1_2"},
			"frontendIPConfigurations": []any{map[string]any{"name": "public", "properties": map[string]any{
				"publicIPAddress": map[string]any{"id": "/subscriptions/s/pip/gw"}}}},
			"backendAddressPools": []any{map[string]any{"name": "web", "properties": map[string]any{"backendAddresses": []any{
				map[string]any{"fqdn": "web.azurewebsites.net"}, map[string]any{"ipAddress": "10.0.0.4"}}}}},
			"httpListeners": []any{map[string]any{"name": "https", "properties": map[string]any{"protocol": "Https"}}},
		}}},
		{"storage account with separate network rules", `
resource "azurerm_storage_account" "s" {
  name = "st"
}
resource "azurerm_storage_account_network_rules" "r" {
  storage_account_id = azurerm_storage_account.s.id
  default_action     = "Deny"
}`, "azurerm_storage_account.s", "Microsoft.Storage/storageAccounts", map[string]any{"properties": map[string]any{
			"networkAcls": map[string]any{"defaultAction": "Deny"},
		}}},
		{"web app access restricted to Front Door", `
resource "azurerm_linux_web_app" "w" {
  name = "web"
  site_config {
    ip_restriction_default_action = "Deny"
    ip_restriction {
      service_tag = "AzureFrontDoor.Backend"
      headers {
        x_azure_fdid = ["1234"]
      }
    }
  }
}`, "azurerm_linux_web_app.w", "Microsoft.Web/sites", map[string]any{"kind": "app,linux", "properties": map[string]any{
			"basicPublishingCredentialsPolicies": map[string]any{"ftp": map[string]any{"allow": true}, "scm": map[string]any{"allow": true}},
			"siteConfig": map[string]any{"ipSecurityRestrictionsDefaultAction": "Deny", "ipSecurityRestrictions": []any{
				map[string]any{"ipAddress": "AzureFrontDoor.Backend", "tag": "ServiceTag", "headers": map[string]any{"x-azure-fdid": []any{"1234"}}},
			}},
		}}},
		{"front door origin names its group and private link", `
resource "azurerm_cdn_frontdoor_origin" "o" {
  cdn_frontdoor_origin_group_id = "/subscriptions/s/og"
  host_name                     = "web.azurewebsites.net"
  private_link {
    private_link_target_id = "/subscriptions/s/sites/web"
  }
}`, "azurerm_cdn_frontdoor_origin.o", "Microsoft.Cdn/profiles/originGroups/origins", map[string]any{"parent": "/subscriptions/s/og",
			"properties": map[string]any{"hostName": "web.azurewebsites.net",
				"sharedPrivateLinkResource": map[string]any{"privateLink": map[string]any{"id": "/subscriptions/s/sites/web"}}},
		}},
		{"storage account blob properties", `
resource "azurerm_storage_account" "s" {
  name = "st"
  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 7
    }
  }
}`, "azurerm_storage_account.s", "Microsoft.Storage/storageAccounts", map[string]any{"properties": map[string]any{
			"blobServices": map[string]any{"isVersioningEnabled": true, "deleteRetentionPolicy": map[string]any{"enabled": true, "days": 7}},
		}}},
		{"api management with a folded product", `
resource "azurerm_api_management" "a" {
  name = "apim"
}
resource "azurerm_api_management_product" "p" {
  product_id            = "starter"
  api_management_name   = azurerm_api_management.a.name
  published             = true
  subscription_required = true
  approval_required     = false
}`, "azurerm_api_management.a", "Microsoft.ApiManagement/service", map[string]any{"properties": map[string]any{
			"products": []any{map[string]any{"name": "starter", "properties": map[string]any{
				"state": true, "subscriptionRequired": true, "approvalRequired": false}}},
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
