package azure

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

// prop reads a key under the resource's "properties".
func prop(r *importer.Resource, path ...string) any {
	return get(r.Props, append([]string{"properties"}, path...)...)
}

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

// parentOf is the resource a child resource names as its parent.
func (m *mapper) parentOf(r *importer.Resource) *importer.Resource {
	if ref, ok := r.Props["parent"].(importer.ResourceRef); ok {
		return m.byID[ref.ID]
	}
	return nil
}

// tlsVersion turns ARM's TLS names ("TLS1_2", "1.2") into Ward's.
func tlsVersion(v any) (any, bool) {
	switch s := v.(type) {
	case importer.Unknown:
		return s, true
	case string:
		switch s {
		case "TLS1_0", "1.0":
			return "1.0", true
		case "TLS1_1", "1.1":
			return "1.1", true
		case "TLS1_2", "1.2":
			return "1.2", true
		case "TLS1_3", "1.3":
			return "1.3", true
		}
	}
	return nil, false
}

// disabled reads a publicNetworkAccess setting: true when "Disabled".
func disabled(v any) (any, bool) {
	switch s := v.(type) {
	case importer.Unknown:
		return s, true
	case string:
		return s == "Disabled", true
	}
	return nil, false
}
