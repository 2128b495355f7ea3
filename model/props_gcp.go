package model

// gcpProperties are the catalog's Google Cloud-specific properties. Name them
// for the setting, prefixed "gcp_" unless the concept is general.
var gcpProperties = []PropertyInfo{}
