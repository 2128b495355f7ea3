# The gateway in front of the web app, a jump host, a worker function and
# the web app's rights.

resource "azurerm_public_ip" "gateway" {
  name                = "pip-gateway"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

# Mistake: WAF_v2 without its firewall, and TLS 1.0 accepted.
resource "azurerm_application_gateway" "gateway" {
  name                = "agw-app"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name

  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 1
  }

  ssl_policy {
    policy_type = "Predefined"
    policy_name = "AppGwSslPolicy20150501"
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

# Mistake: a public address in a subnet whose group admits RDP from anywhere.
resource "azurerm_windows_virtual_machine" "jump" {
  name                  = "vm-jump"
  resource_group_name   = azurerm_resource_group.app.name
  location              = azurerm_resource_group.app.location
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  admin_password        = "change-me-Passw0rd!"
  network_interface_ids = [azurerm_network_interface.jump.id]
}

# Mistake: the host storage is reached with the account key.
resource "azurerm_linux_function_app" "worker" {
  name                       = "func-worker"
  resource_group_name        = azurerm_resource_group.app.name
  location                   = azurerm_resource_group.app.location
  service_plan_id            = azurerm_service_plan.main.id
  storage_account_name       = azurerm_storage_account.assets.name
  storage_account_access_key = azurerm_storage_account.assets.primary_access_key
  https_only                 = true

  site_config {}

  app_settings = {
    "EVENTS" = "Endpoint=sb://evh-app.servicebus.windows.net/"
  }
}

data "azurerm_subscription" "current" {}

# Mistake: the web app may do anything in the subscription.
resource "azurerm_role_assignment" "web" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azurerm_linux_web_app.web.identity[0].principal_id
}

# Mistake: Front Door without a firewall policy, its origin reachable
# around it.
resource "azurerm_cdn_frontdoor_profile" "edge" {
  name                = "afd-app"
  resource_group_name = azurerm_resource_group.app.name
  sku_name            = "Premium_AzureFrontDoor"
}

resource "azurerm_cdn_frontdoor_origin_group" "web" {
  name                     = "web"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.edge.id
  load_balancing {}
}

resource "azurerm_cdn_frontdoor_origin" "web" {
  name                           = "web"
  cdn_frontdoor_origin_group_id  = azurerm_cdn_frontdoor_origin_group.web.id
  host_name                      = azurerm_linux_web_app.web.default_hostname
  certificate_name_check_enabled = true
}
