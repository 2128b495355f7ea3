# Services the apps use, corrected.

resource "azurerm_redis_cache" "cache" {
  name                          = "redis-app"
  location                      = azurerm_resource_group.app.location
  resource_group_name           = azurerm_resource_group.app.name
  capacity                      = 1
  family                        = "C"
  sku_name                      = "Standard"
  non_ssl_port_enabled          = false
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "cache" {
  name                = "pe-redis"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  subnet_id           = azurerm_subnet.vms.id

  private_service_connection {
    name                           = "redis"
    private_connection_resource_id = azurerm_redis_cache.cache.id
    subresource_names              = ["redisCache"]
    is_manual_connection           = false
  }
}

resource "azurerm_container_registry" "images" {
  name                   = "acrapp"
  resource_group_name    = azurerm_resource_group.app.name
  location               = azurerm_resource_group.app.location
  sku                    = "Premium"
  admin_enabled          = false
  anonymous_pull_enabled = false
}

resource "azurerm_eventhub_namespace" "events" {
  name                         = "evh-app"
  location                     = azurerm_resource_group.app.location
  resource_group_name          = azurerm_resource_group.app.name
  sku                          = "Standard"
  local_authentication_enabled = false
}

resource "azurerm_servicebus_namespace" "bus" {
  name                = "sb-app"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  sku                 = "Standard"
  local_auth_enabled  = false
}

resource "azurerm_servicebus_queue" "orders" {
  name                                 = "orders"
  namespace_id                         = azurerm_servicebus_namespace.bus.id
  dead_lettering_on_message_expiration = true
}

resource "azurerm_postgresql_flexible_server" "reports" {
  name                   = "psql-reports"
  resource_group_name    = azurerm_resource_group.app.name
  location               = azurerm_resource_group.app.location
  version                = "16"
  sku_name               = "B_Standard_B1ms"
  administrator_login    = "psqladmin"
  administrator_password = "change-me"
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "office" {
  name             = "office"
  server_id        = azurerm_postgresql_flexible_server.reports.id
  start_ip_address = "203.0.113.1"
  end_ip_address   = "203.0.113.254"
}
