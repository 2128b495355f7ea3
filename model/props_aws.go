package model

// awsProperties are the catalog's AWS-specific properties. Name them
// for the setting, prefixed "aws_" unless the concept is general.
var awsProperties = []PropertyInfo{}
