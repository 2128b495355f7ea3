package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/wardsec/ward/importer"
)

// configReferences restores references between resources that a plan
// knows only after apply: a new subnet's vpc_id is unknown in the planned
// values, but the plan's configuration section says it reads
// aws_vpc.main.id. The planned values are kept wherever they are known.
func configReferences(plan *tfjson.Plan, resources []importer.Resource) {
	if plan.Config == nil || plan.Config.RootModule == nil {
		return
	}
	c := &planConfig{exprs: map[string]map[string]*tfjson.Expression{}, outputs: map[string]*tfjson.Expression{}}
	c.collect(plan.Config.RootModule, "", 0)
	ids := make(map[string]bool, len(resources))
	for _, r := range resources {
		ids[r.ID] = true
	}
	for _, r := range resources {
		parts := addressParts(r.ID)
		if len(parts) < 2 {
			continue
		}
		cfg := c.exprs[configAddress(parts)]
		scope := strings.Join(parts[:len(parts)-2], ".")
		if scope != "" {
			scope += "."
		}
		for name, e := range cfg {
			if v, ok := r.Props[name]; ok {
				r.Props[name] = c.restore(v, e, scope, ids, 0)
			}
		}
	}
}

// planConfig is a plan's configuration section, indexed by module path
// with instance keys left out: resources' expressions by address
// ("module.net.aws_subnet.a"), module outputs' by address
// ("module.net.vpc_id").
type planConfig struct {
	exprs   map[string]map[string]*tfjson.Expression
	outputs map[string]*tfjson.Expression
}

func (c *planConfig) collect(m *tfjson.ConfigModule, prefix string, depth int) {
	if m == nil || depth > MaxModuleDepth {
		return
	}
	for _, r := range m.Resources {
		if r != nil && r.Mode == tfjson.ManagedResourceMode {
			c.exprs[prefix+r.Address] = r.Expressions
		}
	}
	for name, out := range m.Outputs {
		if out != nil {
			c.outputs[prefix+name] = out.Expression
		}
	}
	for name, call := range m.ModuleCalls {
		if call != nil {
			c.collect(call.Module, prefix+"module."+name+".", depth+1)
		}
	}
}

// restore puts references where v is unknown; nested blocks are walked
// alongside their planned values.
func (c *planConfig) restore(v any, e *tfjson.Expression, scope string, ids map[string]bool, depth int) any {
	if e == nil || e.ExpressionData == nil || depth > maxDepth {
		return v
	}
	if len(e.NestedBlocks) > 0 {
		list, _ := v.([]any)
		for i, nested := range e.NestedBlocks {
			if i >= len(list) {
				break
			}
			if block, ok := list[i].(map[string]any); ok {
				for k, sub := range nested {
					if bv, ok := block[k]; ok {
						block[k] = c.restore(bv, sub, scope, ids, depth+1)
					}
				}
			}
		}
		return v
	}
	switch val := v.(type) {
	case importer.Unknown:
		refs := c.resolveRefs(e.References, scope, ids, 0)
		switch len(refs) {
		case 0:
			return v
		case 1:
			return refs[0]
		}
		out := make([]any, len(refs))
		for i, ref := range refs {
			out[i] = ref
		}
		return out
	case []any:
		// Unknown elements take the references in turn.
		refs := c.resolveRefs(e.References, scope, ids, 0)
		for i, el := range val {
			if _, unknown := el.(importer.Unknown); unknown && len(refs) > 0 {
				val[i], refs = refs[0], refs[1:]
			}
		}
	}
	return v
}

// resolveRefs turns an expression's references into references to the
// plan's resources in the same module instance, once per resource. A
// module output is followed to what it reads in the module. References
// to variables, locals and data sources name no resource of the plan.
func (c *planConfig) resolveRefs(refs []string, scope string, ids map[string]bool, depth int) []importer.ResourceRef {
	var out []importer.ResourceRef
	seen := map[string]bool{}
	add := func(ref importer.ResourceRef) {
		if !seen[ref.ID] {
			seen[ref.ID] = true
			out = append(out, ref)
		}
	}
	for _, s := range refs {
		t, diags := hclsyntax.ParseTraversalAbs([]byte(s), "", hcl.InitialPos)
		if diags.HasErrors() || len(t) < 2 {
			continue
		}
		name, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		step, rest := name.Name, t[2:]
		if len(rest) > 0 {
			if ix, ok := rest[0].(hcl.TraverseIndex); ok {
				step, rest = instanceAddr(step, fromCty(ix.Key)), rest[1:]
			}
		}
		var attr string
		if len(rest) > 0 {
			if a, ok := rest[0].(hcl.TraverseAttr); ok {
				attr = a.Name
			}
		}
		switch t.RootName() {
		case "var", "local", "data", "each", "count", "path", "self", "terraform":
			continue
		case "module":
			e := c.outputs[configAddress(addressParts(scope+"module."+step+"."+attr))]
			if attr == "" || e == nil || e.ExpressionData == nil || depth >= MaxModuleDepth {
				continue
			}
			for _, ref := range c.resolveRefs(e.References, scope+"module."+step+".", ids, depth+1) {
				add(ref)
			}
			continue
		}
		if id := scope + t.RootName() + "." + step; ids[id] {
			add(importer.ResourceRef{ID: id, Attr: attr})
		}
	}
	return out
}

// addressParts splits a resource instance address at its dots, keeping
// instance keys with their step: module.a["x.y"].aws_s3_bucket.b[0]
// gives module, a["x.y"], aws_s3_bucket, b[0].
func addressParts(addr string) []string {
	var parts []string
	start, depth, quoted := 0, 0, false
	for i := 0; i < len(addr); i++ {
		switch c := addr[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			parts = append(parts, addr[start:i])
			start = i + 1
		}
	}
	return append(parts, addr[start:])
}

// configAddress is an instance's address in configuration: keys left out.
func configAddress(parts []string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		name, _, _ := strings.Cut(p, "[")
		out[i] = name
	}
	return strings.Join(out, ".")
}
