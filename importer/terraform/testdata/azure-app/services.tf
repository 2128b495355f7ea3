# Services the apps use, each with a deliberate mistake.

# Mistake: the plain-text port is open and, with no firewall rule, every
# address on the internet reaches the cache.
resource "azurerm_redis_cache" "cache" {
  name                 = "redis-app"
  location             = azurerm_resource_group.app.location
  resource_group_name  = azurerm_resource_group.app.name
  capacity             = 1
  family               = "C"
  sku_name             = "Standard"
  non_ssl_port_enabled = true
  minimum_tls_version  = "1.2"
}

# Mistake: the admin user's shared password and anonymous pulls.
resource "azurerm_container_registry" "images" {
  name                   = "acrapp"
  resource_group_name    = azurerm_resource_group.app.name
  location               = azurerm_resource_group.app.location
  sku                    = "Premium"
  admin_enabled          = true
  anonymous_pull_enabled = true
}

# Mistake: SAS keys still work.
resource "azurerm_eventhub_namespace" "events" {
  name                = "evh-app"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  sku                 = "Standard"
}

resource "azurerm_servicebus_namespace" "bus" {
  name                = "sb-app"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  sku                 = "Standard"
  local_auth_enabled  = false
}

# Mistake: expired orders are dropped, not dead-lettered.
resource "azurerm_servicebus_queue" "orders" {
  name         = "orders"
  namespace_id = azurerm_servicebus_namespace.bus.id
}

# Mistake: a firewall rule admitting every address.
resource "azurerm_postgresql_flexible_server" "reports" {
  name                   = "psql-reports"
  resource_group_name    = azurerm_resource_group.app.name
  location               = azurerm_resource_group.app.location
  version                = "16"
  sku_name               = "B_Standard_B1ms"
  administrator_login    = "psqladmin"
  administrator_password = "change-me"
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "all" {
  name             = "all"
  server_id        = azurerm_postgresql_flexible_server.reports.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
