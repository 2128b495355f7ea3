# The gateway in front of the web app, a jump host, a worker function and
# the web app's rights, corrected.

resource "azurerm_public_ip" "gateway" {
  name                = "pip-gateway"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_web_application_firewall_policy" "gateway" {
  name                = "waf-app"
  resource_group_name = azurerm_resource_group.app.name
  location            = azurerm_resource_group.app.location

  policy_settings {
    enabled = true
    mode    = "Prevention"
  }

  managed_rules {
    managed_rule_set {
      type    = "OWASP"
      version = "3.2"
    }
  }
}

resource "azurerm_application_gateway" "gateway" {
  name                = "agw-app"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  firewall_policy_id  = azurerm_web_application_firewall_policy.gateway.id

  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 1
  }

  ssl_policy {
    policy_type = "Predefined"
    policy_name = "AppGwSslPolicy20220101S"
  }

  gateway_ip_configuration {
    name      = "gateway"
    subnet_id = azurerm_subnet.vms.id
  }

  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = azurerm_public_ip.gateway.id
  }

  backend_address_pool {
    name  = "web"
    fqdns = [azurerm_linux_web_app.web.default_hostname]
  }

  http_listener {
    name                           = "https"
    frontend_ip_configuration_name = "public"
    frontend_port_name             = "https"
    protocol                       = "Https"
  }
}

resource "azurerm_public_ip" "jump" {
  name                = "pip-jump"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_network_interface" "jump" {
  name                = "nic-jump"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name

  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.vms.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.jump.id
  }
}

resource "azurerm_windows_virtual_machine" "jump" {
  name                  = "vm-jump"
  resource_group_name   = azurerm_resource_group.app.name
  location              = azurerm_resource_group.app.location
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  admin_password        = "change-me-Passw0rd!"
  network_interface_ids = [azurerm_network_interface.jump.id]
}

resource "azurerm_linux_function_app" "worker" {
  name                          = "func-worker"
  resource_group_name           = azurerm_resource_group.app.name
  location                      = azurerm_resource_group.app.location
  service_plan_id               = azurerm_service_plan.main.id
  storage_account_name          = azurerm_storage_account.assets.name
  storage_uses_managed_identity = true
  https_only                    = true

  site_config {}

  app_settings = {
    "EVENTS" = "Endpoint=sb://evh-app.servicebus.windows.net/"
  }
}

# The web app reads blobs, nothing more.
resource "azurerm_role_assignment" "web" {
  scope                = azurerm_storage_account.assets.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_linux_web_app.web.identity[0].principal_id
}

resource "azurerm_network_watcher_flow_log" "vms" {
  name                      = "fl-vms"
  network_watcher_name      = "NetworkWatcher_westeurope"
  resource_group_name       = "NetworkWatcherRG"
  network_security_group_id = azurerm_network_security_group.vms.id
  storage_account_id        = azurerm_storage_account.assets.id
  enabled                   = true

  retention_policy {
    enabled = true
    days    = 30
  }
}

resource "azurerm_private_endpoint" "vault" {
  name                = "pe-vault"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  subnet_id           = azurerm_subnet.vms.id

  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = azurerm_key_vault.main.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "sql" {
  name                       = "diag-sql"
  target_resource_id         = azurerm_mssql_server.main.id
  log_analytics_workspace_id = "/subscriptions/0000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/ops"

  enabled_log {
    category = "SQLSecurityAuditEvents"
  }
}

resource "azurerm_cdn_frontdoor_profile" "edge" {
  name                = "afd-app"
  resource_group_name = azurerm_resource_group.app.name
  sku_name            = "Premium_AzureFrontDoor"
}

resource "azurerm_cdn_frontdoor_firewall_policy" "edge" {
  name                = "wafedge"
  resource_group_name = azurerm_resource_group.app.name
  sku_name            = "Premium_AzureFrontDoor"
  mode                = "Prevention"
}

resource "azurerm_cdn_frontdoor_security_policy" "edge" {
  name                     = "edge"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.edge.id

  security_policies {
    firewall {
      cdn_frontdoor_firewall_policy_id = azurerm_cdn_frontdoor_firewall_policy.edge.id
      association {
        patterns_to_match = ["/*"]
        domain {
          cdn_frontdoor_domain_id = "/subscriptions/0000/resourceGroups/rg-app/providers/Microsoft.Cdn/profiles/afd-app/afdEndpoints/web"
        }
      }
    }
  }
}

resource "azurerm_cdn_frontdoor_origin_group" "web" {
  name                     = "web"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.edge.id
  load_balancing {}
}

# Reached over Private Link only.
resource "azurerm_cdn_frontdoor_origin" "web" {
  name                           = "web"
  cdn_frontdoor_origin_group_id  = azurerm_cdn_frontdoor_origin_group.web.id
  host_name                      = azurerm_linux_web_app.web.default_hostname
  certificate_name_check_enabled = true

  private_link {
    location               = azurerm_resource_group.app.location
    private_link_target_id = azurerm_linux_web_app.web.id
    target_type            = "sites"
  }
}
