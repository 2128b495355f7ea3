// Package importer builds Ward models from what teams already have:
// infrastructure code (Terraform, CloudFormation, Kubernetes manifests) and
// other tools' threat models. Each source lives in a sub-package and turns
// its input into a *model.Model whose elements keep the file:line they came
// from.
//
// Cloud resources take one road whatever their source: a source turns them
// into Resources shaped like CloudFormation's (the type names and property
// shapes AWS's own APIs also return for a live account), and one mapping per
// provider turns Resources into components, zones and flows.
package importer

import (
	"github.com/wardsec/ward/model"
)

// Result is what a source made of its input.
type Result struct {
	Model *model.Model
	// Warnings are things the source could not map — unknown resource
	// types, unresolved references, remote modules — each with where it
	// was written. Nothing is dropped silently.
	Warnings model.Diagnostics
}

// Source imports one kind of input.
type Source interface {
	// Name is the word used on the command line: "cloudformation",
	// "kubernetes", "threagile", "threatdragon", "terraform".
	Name() string
	// Import reads the file or directory at path.
	Import(path string) (*Result, error)
}

// Resource is one cloud resource as every source sees it.
type Resource struct {
	// Type is the CloudFormation resource type, e.g. "AWS::S3::Bucket".
	Type string
	// ID is the resource's address in its source: a CloudFormation logical
	// id, a Terraform address ("aws_s3_bucket.logs"), an ARN for a live
	// account. It becomes the component id (made safe) and is the key
	// people's additions are kept under across re-imports.
	ID string
	// Name is a human name when the source has one.
	Name string
	// Props are the resource's properties in CloudFormation's shape.
	// Values a source cannot know statically are Unknown, never guessed.
	Props map[string]any
	Pos   model.Pos
}

// Unknown marks a value that is not known before deployment.
type Unknown struct {
	// Why says what it depends on, e.g. "var.bucket_name has no default".
	Why string
}
