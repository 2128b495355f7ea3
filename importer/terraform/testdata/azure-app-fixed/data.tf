resource "azurerm_storage_account" "assets" {
  name                            = "stappassets"
  resource_group_name             = azurerm_resource_group.app.name
  location                        = azurerm_resource_group.app.location
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 14
    }
  }
}

resource "azurerm_mssql_server" "main" {
  name                         = "sql-app"
  resource_group_name          = azurerm_resource_group.app.name
  location                     = azurerm_resource_group.app.location
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = "change-me"
  minimum_tls_version          = "1.2"
}

resource "azurerm_mssql_database" "orders" {
  name      = "orders"
  server_id = azurerm_mssql_server.main.id
}

resource "azurerm_mssql_firewall_rule" "office" {
  name             = "Office"
  server_id        = azurerm_mssql_server.main.id
  start_ip_address = "203.0.113.1"
  end_ip_address   = "203.0.113.254"
}

resource "azurerm_key_vault" "main" {
  name                     = "kv-app"
  location                 = azurerm_resource_group.app.location
  resource_group_name      = azurerm_resource_group.app.name
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true
}
