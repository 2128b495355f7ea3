package importer

// ResourceRef is a value that names another resource of the same input: a
// CloudFormation Ref or Fn::GetAtt, a Terraform reference. Mappings turn
// such references into flows.
type ResourceRef struct {
	// ID is the referenced resource's Resource.ID.
	ID string
	// Attr is the attribute read, e.g. "Arn"; "" for the resource itself.
	Attr string
}
