package model

// azureProperties are the catalog's Azure-specific properties. Name them
// for the setting, prefixed "azure_" unless the concept is general.
var azureProperties = []PropertyInfo{
	boolProp("azure_local_auth_disabled",
		"only Microsoft Entra ID identities are accepted: account keys, SAS keys, SQL logins and local cluster accounts are turned off (disableLocalAuth, allowSharedKeyAccess=false, Entra-only authentication)", false),
	boolProp("azure_allow_azure_services",
		"the firewall admits any Azure service or datacenter, other customers' resources included (SQL \"Allow Azure services and resources\", Cosmos DB \"Accept connections from within public Azure datacenters\")", false),
	boolProp("azure_publishing_basic_auth_disabled",
		"FTP and SCM (Kudu) basic-auth publishing credentials are turned off; deployments sign in with Microsoft Entra ID", false),
	boolProp("azure_identity_based_connections",
		"the app reaches its host storage and other Azure services with its managed identity, not with connection strings holding account keys", false),
	boolProp("azure_scale_limit",
		"the app's scale-out is capped (functionAppScaleLimit or maximum instance count)", false),
	boolProp("azure_workload_identity",
		"pods authenticate to Azure with Microsoft Entra Workload ID, not with the node's managed identity or stored service principal secrets", false),
	boolProp("azure_purge_protection",
		"deleted Key Vault objects cannot be purged before the soft-delete retention period ends", false),
	boolProp("azure_rbac_authorization",
		"Key Vault data access is granted with Azure RBAC roles, not vault access policies", false),
	boolProp("azure_subscription_approval",
		"API Management subscriptions need an administrator's approval; nobody gets a key by signing up on the developer portal", false),
	boolProp("azure_legacy_auth_blocked",
		"Conditional Access blocks legacy authentication protocols (IMAP, POP, SMTP AUTH, basic-auth Exchange ActiveSync) for every user", false),
	boolProp("azure_user_consent_restricted",
		"users cannot consent to applications, or only to verified publishers for low-risk permissions; other requests go to admin consent", false),
	boolProp("azure_pim",
		"privileged directory and Azure roles are eligible through Privileged Identity Management and activated just in time, never assigned permanently", false),
	boolProp("azure_origin_locked_to_front_door",
		"the origin accepts only traffic from this Front Door profile: a Private Link origin, or access restricted to the AzureFrontDoor.Backend service tag with the X-Azure-FDID header checked", false),
	boolProp("azure_anonymous_pull",
		"the container registry serves image pulls to anyone without credentials (anonymousPullEnabled)", false),
}
