package model

// azureProperties are the catalog's Azure-specific properties. Name them
// for the setting, prefixed "azure_" unless the concept is general.
var azureProperties = []PropertyInfo{}
