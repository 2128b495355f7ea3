package gcp

import (
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
)

func prop(r *importer.Resource, path ...string) any { return mapkit.Get(r.Props, path...) }

// publicMembers are the IAM members that mean anyone.
var publicMembers = map[string]bool{"allUsers": true, "allAuthenticatedUsers": true}

// publicIAM reports whether the resource's IAM policy grants a role to
// anyone, optionally only the given role; unknown members yield an
// Unknown.
func publicIAM(r *importer.Resource, role string) any {
	var unknown any
	for _, b := range mapkit.List(prop(r, "iamPolicy", "bindings")) {
		if role != "" && mapkit.Get(b, "role") != role {
			continue
		}
		members := mapkit.Get(b, "members")
		if u, ok := members.(importer.Unknown); ok {
			unknown = u
			continue
		}
		for _, mem := range mapkit.List(members) {
			switch s := mem.(type) {
			case string:
				if publicMembers[s] {
					return true
				}
			case importer.Unknown:
				unknown = s
			}
		}
	}
	if unknown != nil {
		return unknown
	}
	return false
}
