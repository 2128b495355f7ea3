package aws

import (
	"maps"
	"slices"
	"strconv"
	"strings"

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

// str returns v as a string when it is a known scalar.
func str(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int:
		return strconv.Itoa(v), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// boolean reads a CloudFormation boolean, which may be written as a string.
// known is false when v is absent or unknown.
func boolean(v any) (value, known bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(strings.ToLower(v))
		return b, err == nil
	}
	return false, false
}

func number(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case float64:
		return int(v), true
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
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

// unknown reports whether v is, or holds, a value not known statically.
func unknown(v any) (importer.Unknown, bool) {
	switch v := v.(type) {
	case importer.Unknown:
		return v, true
	case *importer.Unknown:
		return *v, true
	}
	return importer.Unknown{}, false
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
			for _, k := range sortedKeys(v) {
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

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
