package terraform

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// module is one module instance: the root, or a local module call.
type module struct {
	l      *loader
	dir    string
	prefix string // "" or "module.NAME."
	// vars hold the variables' values: the caller's inputs, else defaults.
	vars      map[string]any
	locals    map[string]hclsyntax.Expression
	localVals map[string]any
	resolving map[string]bool
	outputs   map[string]hclsyntax.Expression
	resources []*resourceBlock
	byAddr    map[string]*resourceBlock // "TYPE.NAME"
	// children are module instances by call name, with the instance key
	// for counted calls: "net", "net[0]", "net[\"a\"]".
	children map[string]*module
	depth    int
}

// resourceBlock is a resource as written, with its instances once known.
type resourceBlock struct {
	typ, name string
	block     *hclsyntax.Block
	// keys are the instance keys: nil for a single instance, ints for
	// count, strings for for_each. known is false when count or for_each
	// cannot be evaluated.
	keys    []any
	values  map[string]any // for_each values by key
	known   bool
	counted bool
}

// load reads a module's files; inputs are the caller's arguments.
func (l *loader) load(files []string, dir, prefix string, inputs map[string]any, depth int) (*module, error) {
	m := l.newModule(dir, prefix, depth)
	var bodies []*hclsyntax.Body
	for _, f := range files {
		body, err := l.parse(f)
		if err != nil {
			return nil, err
		}
		if isOverride(f) {
			l.override(bodies, body)
			continue
		}
		bodies = append(bodies, body)
	}
	var calls []*hclsyntax.Block
	for _, body := range bodies {
		more, err := m.add(body, inputs)
		if err != nil {
			return nil, err
		}
		calls = append(calls, more...)
	}
	for _, b := range calls {
		if err := m.call(b); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (l *loader) newModule(dir, prefix string, depth int) *module {
	return &module{
		l: l, dir: dir, prefix: prefix, depth: depth,
		vars: map[string]any{}, locals: map[string]hclsyntax.Expression{}, localVals: map[string]any{},
		resolving: map[string]bool{}, outputs: map[string]hclsyntax.Expression{},
		byAddr: map[string]*resourceBlock{}, children: map[string]*module{},
	}
}

// add reads one file's blocks, returning its module calls. Blocks that
// do not describe resources (terraform, provider, moved, import, check,
// removed) are left alone.
func (m *module) add(body *hclsyntax.Body, inputs map[string]any) ([]*hclsyntax.Block, error) {
	l, prefix := m.l, m.prefix
	var calls []*hclsyntax.Block
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable":
			if err := m.variable(b, inputs); err != nil {
				return nil, err
			}
		case "locals":
			for name, a := range b.Body.Attributes {
				m.locals[name] = a.Expr
			}
		case "output":
			if a, ok := b.Body.Attributes["value"]; ok && len(b.Labels) == 1 {
				m.outputs[b.Labels[0]] = a.Expr
			}
		case "resource":
			if len(b.Labels) != 2 {
				continue
			}
			r := &resourceBlock{typ: b.Labels[0], name: b.Labels[1], block: b}
			m.resources = append(m.resources, r)
			m.byAddr[r.typ+"."+r.name] = r
		case "data":
			if len(b.Labels) == 2 {
				l.warn(posOf(b.DefRange()), fmt.Sprintf("%sdata.%s.%s: data source not read; values from it are unknown", prefix, b.Labels[0], b.Labels[1]))
			}
		case "module":
			calls = append(calls, b)
		}
	}
	return calls, nil
}

// variable sets a variable's value: the caller's input, else (in the
// root module) the value files and command line give, else its default.
func (m *module) variable(b *hclsyntax.Block, inputs map[string]any) error {
	if len(b.Labels) != 1 {
		return nil
	}
	name := b.Labels[0]
	if v, ok := inputs[name]; ok {
		m.vars[name] = v
		return nil
	}
	if m.prefix == "" {
		if rv, ok := m.l.rootVars[name]; ok {
			v, err := rv.resolve(name, attrExpr(b, "type"))
			if err != nil {
				return err
			}
			rv.used = true
			m.l.rootVars[name] = rv
			m.vars[name] = v
			return nil
		}
	}
	if a, ok := b.Body.Attributes["default"]; ok {
		m.vars[name] = m.eval(a.Expr, nil)
		return nil
	}
	m.vars[name] = importer.Unknown{Why: "var." + name + " has no default and no value is given"}
	return nil
}

// call reads a local module, once per instance of its count or
// for_each; remote ones are skipped with a warning.
func (m *module) call(b *hclsyntax.Block) error {
	if len(b.Labels) != 1 {
		return nil
	}
	name := b.Labels[0]
	pos := posOf(b.DefRange())
	src, _ := m.eval(attrExpr(b, "source"), nil).(string)
	if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
		m.l.warn(pos, fmt.Sprintf("module %s: remote source, skipped", m.prefix+name))
		return nil
	}
	dir := filepath.Join(m.dir, src)
	if m.depth >= MaxModuleDepth || m.l.seen[dir] {
		m.l.warn(pos, fmt.Sprintf("module %s: calls itself or nests deeper than %d; skipped", m.prefix+name, MaxModuleDepth))
		return nil
	}
	files, err := tfFiles(dir)
	if err != nil || len(files) == 0 {
		m.l.warn(pos, fmt.Sprintf("module %s: no Terraform files in %s; skipped", m.prefix+name, dir))
		return nil
	}
	m.l.seen[dir] = true
	defer delete(m.l.seen, dir)
	for _, in := range m.callInstances(b, pos) {
		if m.l.instances >= MaxInstances {
			m.l.warn(pos, fmt.Sprintf("module %s: more than %d module instances in all; the rest are skipped", m.prefix+name, MaxInstances))
			return nil
		}
		m.l.instances++
		inputs := map[string]any{}
		for arg, a := range b.Body.Attributes {
			switch arg {
			case "source", "version", "count", "for_each", "providers", "depends_on":
				continue
			}
			inputs[arg] = m.eval(a.Expr, in)
		}
		key := name
		if in != nil && !in.unknownKey {
			key = instanceAddr(name, in.key)
		}
		child, err := m.l.load(files, dir, m.prefix+"module."+key+".", inputs, m.depth+1)
		if err != nil {
			return err
		}
		m.children[key] = child
	}
	return nil
}

// callInstances lists a module call's instances: one nil for a plain
// call, one per key of a known count or for_each, one with an unknown key
// when they are not known.
func (m *module) callInstances(b *hclsyntax.Block, pos model.Pos) []*instance {
	r := &resourceBlock{}
	var why string
	switch {
	case attrExpr(b, "count") != nil:
		why = r.count(m.eval(attrExpr(b, "count"), nil))
	case attrExpr(b, "for_each") != nil:
		why = r.forEach(m.eval(attrExpr(b, "for_each"), nil))
	default:
		return []*instance{nil}
	}
	if why != "" {
		m.l.warn(pos, fmt.Sprintf("module %s: %s; read as one instance", m.prefix+b.Labels[0], why))
		return []*instance{{unknownKey: true}}
	}
	if len(r.keys) == 0 {
		m.l.warn(pos, fmt.Sprintf("module %s: count or for_each is empty; no instance is created", m.prefix+b.Labels[0]))
	}
	out := make([]*instance, 0, len(r.keys))
	for _, k := range r.keys {
		in := &instance{key: k}
		if r.values != nil {
			in.each, in.value = true, r.values[k.(string)]
		}
		out = append(out, in)
	}
	return out
}

func attrExpr(b *hclsyntax.Block, name string) hclsyntax.Expression {
	if a, ok := b.Body.Attributes[name]; ok {
		return a.Expr
	}
	return nil
}

// instances evaluates count and for_each of every resource, children
// included; references to resources need them.
func (m *module) instances() {
	for _, r := range m.resources {
		pos := posOf(r.block.DefRange())
		addr := m.prefix + r.typ + "." + r.name
		var why string
		switch {
		case attrExpr(r.block, "count") != nil:
			why = r.count(m.eval(attrExpr(r.block, "count"), nil))
		case attrExpr(r.block, "for_each") != nil:
			why = r.forEach(m.eval(attrExpr(r.block, "for_each"), nil))
		default:
			r.known = true
			continue
		}
		r.counted = true
		switch {
		case why != "":
			m.l.warn(pos, addr+": "+why+"; imported as one instance")
		case len(r.keys) == 0:
			m.l.warn(pos, addr+": count or for_each is empty; no instance is created")
		}
	}
	for _, c := range sortedChildren(m) {
		c.instances()
	}
}

// count sets the instance keys from a count, or says why it cannot.
func (r *resourceBlock) count(v any) string {
	n, ok := number(v)
	if !ok || n < 0 || n > MaxInstances {
		return "count is not known statically"
	}
	for i := range n {
		r.keys = append(r.keys, i)
	}
	r.known = true
	return ""
}

// forEach sets the instance keys and values from a for_each, or says why
// it cannot.
func (r *resourceBlock) forEach(v any) string {
	const unknown = "for_each is not known statically"
	values := map[string]any{}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			values[k] = e
		}
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return unknown
			}
			values[s] = s
		}
	default:
		return unknown
	}
	if len(values) > MaxInstances {
		return unknown
	}
	for k := range values {
		r.keys = append(r.keys, k)
	}
	slices.SortFunc(r.keys, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	r.values, r.known = values, true
	return ""
}

// sortedChildren orders module instances by call name, then instance
// key: net[2] before net[10].
func sortedChildren(m *module) []*module {
	names := make([]string, 0, len(m.children))
	for n := range m.children {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		ca, ka, _ := strings.Cut(a, "[")
		cb, kb, _ := strings.Cut(b, "[")
		if c := strings.Compare(ca, cb); c != 0 {
			return c
		}
		ia, errA := strconv.Atoi(strings.TrimSuffix(ka, "]"))
		ib, errB := strconv.Atoi(strings.TrimSuffix(kb, "]"))
		if errA == nil && errB == nil {
			return ia - ib
		}
		return strings.Compare(ka, kb)
	})
	out := make([]*module, len(names))
	for i, n := range names {
		out[i] = m.children[n]
	}
	return out
}

// instanceAddr is a resource instance's address.
func instanceAddr(base string, key any) string {
	switch k := key.(type) {
	case int:
		return fmt.Sprintf("%s[%d]", base, k)
	case string:
		return fmt.Sprintf("%s[%q]", base, k)
	}
	return base
}

// expand evaluates every resource instance, modules included.
func (l *loader) expand(root *module) []importer.Resource {
	root.instances()
	return root.resourcesOf()
}

func (m *module) resourcesOf() []importer.Resource {
	var out []importer.Resource
	for _, r := range m.resources {
		base := m.prefix + r.typ + "." + r.name
		pos := posOf(r.block.DefRange())
		keys := r.keys
		if !r.counted || !r.known {
			keys = []any{nil}
		}
		for _, k := range keys {
			if m.l.expanded >= maxExpanded {
				if !m.l.overflow {
					m.l.overflow = true
					m.l.warn(pos, fmt.Sprintf("%s: the configuration expands to more than %d resource instances and dynamic blocks; the rest are skipped", base, maxExpanded))
				}
				return out
			}
			m.l.expanded++
			in := &instance{}
			if r.counted && r.known {
				in.key = k
				if r.values != nil {
					in.each = true
					in.value = r.values[k.(string)]
				}
			}
			if !r.known {
				in.unknownKey = true
			}
			props := m.body(r.block.Body, in, 0)
			out = append(out, importer.Resource{Type: r.typ, ID: instanceAddr(base, in.key), Props: props, Pos: pos})
		}
	}
	for _, c := range sortedChildren(m) {
		out = append(out, c.resourcesOf()...)
	}
	return out
}

// metaArgs are resource arguments that are not properties.
var metaArgs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true}

// body turns a resource body into a map: arguments by name, nested blocks
// as lists of maps by block type.
func (m *module) body(b *hclsyntax.Body, in *instance, depth int) map[string]any {
	out := map[string]any{}
	for name, a := range b.Attributes {
		if depth == 0 && metaArgs[name] {
			continue
		}
		out[name] = m.eval(a.Expr, in)
	}
	if depth > maxDepth {
		return out
	}
	for _, nb := range b.Blocks {
		switch {
		case depth == 0 && (nb.Type == "lifecycle" || nb.Type == "provisioner" || nb.Type == "connection"):
			continue
		case nb.Type == "dynamic" && len(nb.Labels) == 1:
			items, why := m.dynamic(nb, in, depth)
			if why != "" {
				out[nb.Labels[0]] = importer.Unknown{Why: why}
				continue
			}
			list, _ := out[nb.Labels[0]].([]any)
			out[nb.Labels[0]] = append(list, items...)
			continue
		}
		list, _ := out[nb.Type].([]any)
		out[nb.Type] = append(list, m.body(nb.Body, in, depth+1))
	}
	return out
}
