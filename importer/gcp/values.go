package gcp

import (
	"maps"
	"slices"

	"github.com/wardsec/ward/importer"
)

// get walks nested maps by key; nil when a step is missing.
func get(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func prop(r *importer.Resource, path ...string) any { return get(r.Props, path...) }

func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// refs lists every resource reference inside v, in order.
func refs(v any) []importer.ResourceRef {
	var out []importer.ResourceRef
	var walk func(any, int)
	walk = func(v any, depth int) {
		if depth > 64 {
			return
		}
		switch v := v.(type) {
		case importer.ResourceRef:
			out = append(out, v)
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k], depth+1)
			}
		case []any:
			for _, e := range v {
				walk(e, depth+1)
			}
		}
	}
	walk(v, 0)
	return out
}

// publicMembers are the IAM members that mean anyone.
var publicMembers = map[string]bool{"allUsers": true, "allAuthenticatedUsers": true}

// publicIAM reports whether the resource's IAM policy grants a role to
// anyone, optionally only the given role; unknown members yield an
// Unknown.
func publicIAM(r *importer.Resource, role string) any {
	var unknown any
	for _, b := range list(prop(r, "iamPolicy", "bindings")) {
		if role != "" && get(b, "role") != role {
			continue
		}
		members := get(b, "members")
		if u, ok := members.(importer.Unknown); ok {
			unknown = u
			continue
		}
		for _, mem := range list(members) {
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
