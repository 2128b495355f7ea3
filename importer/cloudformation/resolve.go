package cloudformation

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/wardsec/ward/importer"
)

// resolver evaluates intrinsic functions as far as the template alone
// allows: parameters with defaults, mappings, joins and substitutions of
// known strings. A Ref or Fn::GetAtt of a resource becomes an
// importer.ResourceRef; everything else unknown becomes importer.Unknown.
type resolver struct {
	t *template
	// params overrides parameter defaults (a nested stack's Parameters).
	params map[string]any
	// prefix is put before logical ids (a nested stack's resources).
	prefix    string
	resources map[string]bool
	// resolving holds the parameters being resolved, so a default that
	// refers to itself stops.
	resolving map[string]bool
}

func newResolver(t *template, params map[string]any, prefix string) *resolver {
	r := &resolver{t: t, params: params, prefix: prefix, resources: map[string]bool{}, resolving: map[string]bool{}}
	for _, res := range t.resources {
		r.resources[res.id] = true
	}
	return r
}

func (r *resolver) resolve(v any, depth int) any {
	if depth > MaxDepth {
		return importer.Unknown{Why: "nested too deeply"}
	}
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = r.resolve(e, depth+1)
		}
		return out
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return r.intrinsic(k, arg, depth+1)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = r.resolve(e, depth+1)
		}
		return out
	}
	return v
}

func (r *resolver) intrinsic(fn string, arg any, depth int) any {
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return importer.Unknown{Why: "Ref of a non-string"}
		}
		return r.ref(name)
	case "Fn::GetAtt":
		var parts []any
		switch a := arg.(type) {
		case []any:
			parts = a
		case string:
			res, attr, _ := strings.Cut(a, ".")
			parts = []any{res, attr}
		}
		if len(parts) == 2 {
			res, _ := parts[0].(string)
			attr, _ := r.resolve(parts[1], depth).(string)
			if r.resources[res] {
				return importer.ResourceRef{ID: r.prefix + res, Attr: attr}
			}
		}
		return importer.Unknown{Why: fmt.Sprintf("Fn::GetAtt %v names no resource of the template", arg)}
	case "Fn::Sub":
		return r.sub(arg, depth)
	case "Fn::Join":
		parts := asList(arg)
		if len(parts) != 2 {
			return importer.Unknown{Why: "malformed Fn::Join"}
		}
		sep, _ := r.resolve(parts[0], depth).(string)
		return r.join(sep, asList(r.resolve(parts[1], depth)))
	case "Fn::Select":
		parts := asList(arg)
		if len(parts) != 2 {
			return importer.Unknown{Why: "malformed Fn::Select"}
		}
		idx, ok := toInt(r.resolve(parts[0], depth))
		items, lok := r.resolve(parts[1], depth).([]any)
		if ok && lok && idx >= 0 && idx < len(items) {
			return items[idx]
		}
		return importer.Unknown{Why: "Fn::Select of a list not known statically"}
	case "Fn::FindInMap":
		parts := asList(arg)
		if len(parts) < 3 {
			return importer.Unknown{Why: "malformed Fn::FindInMap"}
		}
		var v any = r.t.mappings
		for _, p := range parts[:3] {
			key, ok := r.resolve(p, depth).(string)
			if !ok {
				return importer.Unknown{Why: "Fn::FindInMap key not known statically"}
			}
			v = asMap(v)[key]
		}
		if v == nil {
			return importer.Unknown{Why: "Fn::FindInMap names no entry"}
		}
		return v
	case "Fn::Base64":
		return r.resolve(arg, depth)
	case "Fn::If":
		parts := asList(arg)
		if len(parts) == 3 {
			return importer.Unknown{Why: fmt.Sprintf("depends on condition %v", parts[0])}
		}
		return importer.Unknown{Why: "malformed Fn::If"}
	case "Fn::ImportValue":
		return importer.Unknown{Why: "imported from another stack"}
	case "Fn::GetAZs", "Fn::Cidr", "Fn::Split", "Fn::Length", "Fn::ToJsonString":
		return importer.Unknown{Why: fn + " is evaluated at deployment"}
	}
	return importer.Unknown{Why: fn + " is evaluated at deployment"}
}

// ref resolves a Ref: a pseudo parameter, a parameter or a resource.
func (r *resolver) ref(name string) any {
	if r.resources[name] {
		return importer.ResourceRef{ID: r.prefix + name}
	}
	if v, ok := r.params[name]; ok {
		return v
	}
	if p, ok := r.t.parameters[name]; ok {
		if p.def == nil {
			return importer.Unknown{Why: "parameter " + name + " has no default"}
		}
		if r.resolving[name] {
			return importer.Unknown{Why: "parameter " + name + " refers to itself"}
		}
		r.resolving[name] = true
		defer delete(r.resolving, name)
		return r.resolve(p.def, 0)
	}
	switch name {
	case "AWS::NoValue":
		return nil
	case "AWS::Partition":
		return "aws"
	case "AWS::URLSuffix":
		return "amazonaws.com"
	}
	if strings.HasPrefix(name, "AWS::") {
		return importer.Unknown{Why: name + " is known at deployment"}
	}
	return importer.Unknown{Why: "Ref " + name + " names nothing in the template"}
}

var subVar = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// sub evaluates Fn::Sub. A string naming exactly one resource among
// unknown parts becomes a reference to it: an ARN built from a queue's
// name still means the queue.
func (r *resolver) sub(arg any, depth int) any {
	var format string
	vars := map[string]any{}
	switch a := arg.(type) {
	case string:
		format = a
	case []any:
		if len(a) != 2 {
			return importer.Unknown{Why: "malformed Fn::Sub"}
		}
		format, _ = a[0].(string)
		for k, v := range asMap(a[1]) {
			vars[k] = r.resolve(v, depth)
		}
	default:
		return importer.Unknown{Why: "malformed Fn::Sub"}
	}
	var found []importer.ResourceRef
	var why string
	out := subVar.ReplaceAllStringFunc(format, func(m string) string {
		name := m[2 : len(m)-1]
		var v any
		if val, ok := vars[name]; ok {
			v = val
		} else if res, attr, ok := strings.Cut(name, "."); ok && r.resources[res] {
			v = importer.ResourceRef{ID: r.prefix + res, Attr: attr}
		} else {
			v = r.ref(name)
		}
		switch v := v.(type) {
		case string:
			return v
		case int:
			return strconv.Itoa(v)
		case importer.ResourceRef:
			found = append(found, v)
		case importer.Unknown:
			why = v.Why
		}
		if why == "" {
			why = "${" + name + "} is known at deployment"
		}
		return m
	})
	switch {
	case len(found) > 0:
		return found[0]
	case why != "":
		return importer.Unknown{Why: why}
	}
	return strings.ReplaceAll(out, "${!", "${")
}

func (r *resolver) join(sep string, items []any) any {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteString(sep)
		}
		switch v := it.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		case importer.ResourceRef:
			return v
		default:
			for _, later := range items[i:] {
				if ref, ok := later.(importer.ResourceRef); ok {
					return ref
				}
			}
			return importer.Unknown{Why: "Fn::Join of values not known statically"}
		}
	}
	return b.String()
}

func toInt(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}
