package model

// cicdProperties are the catalog's CI/CD-specific properties. Name them
// for the setting, prefixed "cicd_" unless the concept is general.
var cicdProperties = []PropertyInfo{
	boolProp("branch_protection", "changes to the main branch need review and passing checks", false),
	boolProp("pinned_dependencies", "actions, images and packages are pinned to a digest or exact version", false),
}
