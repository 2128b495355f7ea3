resource "azurerm_service_plan" "main" {
  name                = "asp-app"
  resource_group_name = azurerm_resource_group.app.name
  location            = azurerm_resource_group.app.location
  os_type             = "Linux"
  sku_name            = "P1v3"
}

# Mistake: plain HTTP accepted.
resource "azurerm_linux_web_app" "web" {
  name                = "app-web"
  resource_group_name = azurerm_resource_group.app.name
  location            = azurerm_resource_group.app.location
  service_plan_id     = azurerm_service_plan.main.id
  https_only          = false

  site_config {
    minimum_tls_version = "1.2"
  }

  app_settings = {
    "CACHE_HOST"   = "redis-app.redis.cache.windows.net:6380"
    "ORDERS_QUEUE" = "@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/orders-queue)"
  }

  connection_string {
    name  = "Orders"
    type  = "SQLAzure"
    value = "Server=tcp:${azurerm_mssql_server.main.fully_qualified_domain_name},1433;Database=orders"
  }

  identity {
    type = "SystemAssigned"
  }
}
