package terraform

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/wardsec/ward/importer"
)

// maxDepth bounds nesting of values and of locals referring to locals.
const maxDepth = 64

// instance is what count.index and each.* mean for one resource instance.
type instance struct {
	key        any // int for count, string for for_each, nil
	each       bool
	value      any
	unknownKey bool // count or for_each was not known
	// iters are the dynamic blocks' iterators in scope, by name.
	iters map[string]iteration
}

// eval turns an expression into a Go value: strings, ints, float64s,
// bools, []any, map[string]any, importer.ResourceRef for references to
// resources, importer.Unknown for what is not known statically.
func (m *module) eval(e hclsyntax.Expression, in *instance) any {
	return m.evalDepth(e, in, 0)
}

func (m *module) evalDepth(e hclsyntax.Expression, in *instance, depth int) any {
	if e == nil {
		return nil
	}
	if depth > maxDepth {
		return importer.Unknown{Why: "expression nested too deeply"}
	}
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return fromCty(e.Val)
	case *hclsyntax.TemplateWrapExpr:
		return m.evalDepth(e.Wrapped, in, depth+1)
	case *hclsyntax.ParenthesesExpr:
		return m.evalDepth(e.Expression, in, depth+1)
	case *hclsyntax.TemplateExpr:
		if len(e.Parts) == 1 {
			return m.evalDepth(e.Parts[0], in, depth+1)
		}
		return m.template(e, in, depth)
	case *hclsyntax.TupleConsExpr:
		out := make([]any, 0, len(e.Exprs))
		for _, x := range e.Exprs {
			out = append(out, m.evalDepth(x, in, depth+1))
		}
		return out
	case *hclsyntax.ObjectConsExpr:
		out := map[string]any{}
		for _, item := range e.Items {
			k, ok := m.evalDepth(item.KeyExpr, in, depth+1).(string)
			if !ok {
				return importer.Unknown{Why: "object key at " + posOf(item.KeyExpr.Range()).String() + " is not known statically"}
			}
			out[k] = m.evalDepth(item.ValueExpr, in, depth+1)
		}
		return out
	case *hclsyntax.ObjectConsKeyExpr:
		if name := hcl.ExprAsKeyword(e.Wrapped); name != "" && !e.ForceNonLiteral {
			return name
		}
		return m.evalDepth(e.Wrapped, in, depth+1)
	case *hclsyntax.ScopeTraversalExpr:
		return m.traversal(e.Traversal, in, depth)
	case *hclsyntax.RelativeTraversalExpr:
		return walk(m.evalDepth(e.Source, in, depth+1), e.Traversal)
	case *hclsyntax.IndexExpr:
		coll := m.evalDepth(e.Collection, in, depth+1)
		key := m.evalDepth(e.Key, in, depth+1)
		return index(coll, key)
	case *hclsyntax.SplatExpr:
		return m.splat(e)
	case *hclsyntax.FunctionCallExpr:
		if e.Name == "jsonencode" && len(e.Args) == 1 {
			// A policy document stays a document: the mapping reads it.
			return m.evalDepth(e.Args[0], in, depth+1)
		}
		if e.Name == "jsondecode" && len(e.Args) == 1 {
			if s, ok := m.evalDepth(e.Args[0], in, depth+1).(string); ok {
				return decodeJSON(s)
			}
		}
		if e.Name == "tostring" || e.Name == "tonumber" || e.Name == "tobool" || e.Name == "tolist" || e.Name == "toset" || e.Name == "tomap" {
			if len(e.Args) == 1 {
				return m.evalDepth(e.Args[0], in, depth+1)
			}
		}
		if _, ok := functions[e.Name]; !ok {
			return importer.Unknown{Why: "function " + e.Name + " at " + posOf(e.Range()).String() + " is not evaluated statically"}
		}
	}
	return m.evalCty(e, in, depth)
}

// evalCty evaluates what remains (operators, conditionals, templates,
// for expressions) with the language's own evaluator, over the values of
// the variables it reads.
func (m *module) evalCty(e hclsyntax.Expression, in *instance, depth int) any {
	vars := map[string]map[string]cty.Value{}
	for _, t := range e.Variables() {
		root := t.RootName()
		if len(t) < 2 {
			continue
		}
		var name string
		switch s := t[1].(type) {
		case hcl.TraverseAttr:
			name = s.Name
		default:
			continue
		}
		if vars[root] == nil {
			vars[root] = map[string]cty.Value{}
		}
		v := m.traversal(t[:2], in, depth+1)
		if _, ok := v.(importer.Unknown); ok {
			return v
		}
		if ref, ok := v.(importer.ResourceRef); ok {
			return importer.Unknown{Why: "expression at " + posOf(e.Range()).String() + " combines a reference to " + ref.ID}
		}
		cv, ok := toCty(v, 0)
		if !ok {
			return importer.Unknown{Why: "expression at " + posOf(e.Range()).String() + " is not known statically"}
		}
		vars[root][name] = cv
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: functions}
	for root, vs := range vars {
		ctx.Variables[root] = cty.ObjectVal(vs)
	}
	var unsupported string
	_ = hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics { // the visitor reports nothing
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok && unsupported == "" {
			if _, known := functions[call.Name]; !known {
				unsupported = call.Name
			}
		}
		return nil
	})
	if unsupported != "" {
		return importer.Unknown{Why: "function " + unsupported + " at " + posOf(e.Range()).String() + " is not evaluated statically"}
	}
	v, diags := e.Value(ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return importer.Unknown{Why: "expression at " + posOf(e.Range()).String() + " is not known statically"}
	}
	return fromCty(v)
}

// traversal resolves var.X, local.X, count.index, each.key/value,
// module.NAME.OUTPUT and TYPE.NAME[KEY].ATTR.
func (m *module) traversal(t hcl.Traversal, in *instance, depth int) any {
	root := t.RootName()
	rest := t[1:]
	attr := func(i int) (string, bool) {
		if len(rest) <= i {
			return "", false
		}
		a, ok := rest[i].(hcl.TraverseAttr)
		return a.Name, ok
	}
	name, ok := attr(0)
	if !ok {
		return importer.Unknown{Why: root + " is not known statically"}
	}
	if it, found := in.iter(root); found {
		switch name {
		case "key":
			return walk(it.key, rest[1:])
		case "value":
			return walk(it.value, rest[1:])
		}
		return importer.Unknown{Why: root + "." + name + " is not an iterator's key or value"}
	}
	switch root {
	case "var":
		v, found := m.vars[name]
		if !found {
			return importer.Unknown{Why: "var." + name + " is not declared"}
		}
		return walk(v, rest[1:])
	case "local":
		return walk(m.local(name, depth), rest[1:])
	case "count":
		if in == nil || in.unknownKey || in.each {
			return importer.Unknown{Why: "count.index outside a counted resource"}
		}
		if k, ok := in.key.(int); ok && name == "index" {
			return k
		}
		return importer.Unknown{Why: "count." + name + " is not known statically"}
	case "each":
		if in == nil || !in.each {
			return importer.Unknown{Why: "each." + name + " outside a for_each resource"}
		}
		switch name {
		case "key":
			return in.key
		case "value":
			return walk(in.value, rest[1:])
		}
	case "path":
		if name == "module" {
			return m.dir
		}
	case "data":
		return importer.Unknown{Why: "data." + name + " is read from the provider at plan time"}
	case "module":
		key, steps := name, rest[1:]
		if len(steps) > 0 {
			if ix, ok := steps[0].(hcl.TraverseIndex); ok {
				key, steps = instanceAddr(name, fromCty(ix.Key)), steps[1:]
			}
		}
		child := m.children[key]
		var out string
		if len(steps) > 0 {
			a, isAttr := steps[0].(hcl.TraverseAttr)
			out, ok = a.Name, isAttr
		}
		if child == nil || !ok || len(steps) == 0 {
			return importer.Unknown{Why: "module." + key + " is not read"}
		}
		e, found := child.outputs[out]
		if !found {
			return importer.Unknown{Why: "module." + key + " has no output " + out}
		}
		return walk(child.evalDepth(e, nil, depth+1), steps[1:])
	}
	r := m.byAddr[root+"."+name]
	if r == nil {
		return importer.Unknown{Why: root + "." + name + " is not declared"}
	}
	id := m.prefix + root + "." + name
	rest = rest[1:]
	if len(rest) > 0 {
		if ix, ok := rest[0].(hcl.TraverseIndex); ok {
			id = instanceAddr(id, fromCty(ix.Key))
			rest = rest[1:]
		}
	}
	ref := importer.ResourceRef{ID: id}
	if len(rest) > 0 {
		if a, ok := rest[0].(hcl.TraverseAttr); ok {
			ref.Attr = a.Name
		}
	}
	return ref
}

// iter finds a dynamic block's iterator by name.
func (in *instance) iter(name string) (iteration, bool) {
	if in == nil {
		return iteration{}, false
	}
	it, ok := in.iters[name]
	return it, ok
}

// local evaluates a local value once; cycles are unknown.
func (m *module) local(name string, depth int) any {
	if v, ok := m.localVals[name]; ok {
		return v
	}
	e, ok := m.locals[name]
	if !ok {
		return importer.Unknown{Why: "local." + name + " is not declared"}
	}
	if m.resolving[name] || depth > maxDepth {
		return importer.Unknown{Why: "local." + name + " refers to itself"}
	}
	m.resolving[name] = true
	v := m.evalDepth(e, nil, depth+1)
	delete(m.resolving, name)
	m.localVals[name] = v
	return v
}

// splat handles TYPE.NAME[*].ATTR over a counted resource's instances.
func (m *module) splat(e *hclsyntax.SplatExpr) any {
	src, ok := e.Source.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(src.Traversal) != 2 {
		return importer.Unknown{Why: "splat at " + posOf(e.Range()).String() + " is not evaluated statically"}
	}
	step, ok := src.Traversal[1].(hcl.TraverseAttr)
	if !ok {
		return importer.Unknown{Why: "splat at " + posOf(e.Range()).String() + " is not evaluated statically"}
	}
	base := m.prefix + src.Traversal.RootName() + "." + step.Name
	r := m.byAddr[src.Traversal.RootName()+"."+step.Name]
	if r == nil || !r.known {
		return importer.Unknown{Why: "splat at " + posOf(e.Range()).String() + " is not evaluated statically"}
	}
	attrName := ""
	if rel, ok := e.Each.(*hclsyntax.RelativeTraversalExpr); ok && len(rel.Traversal) > 0 {
		if a, ok := rel.Traversal[0].(hcl.TraverseAttr); ok {
			attrName = a.Name
		}
	}
	keys := r.keys
	if !r.counted {
		keys = []any{nil}
	}
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, importer.ResourceRef{ID: instanceAddr(base, k), Attr: attrName})
	}
	return out
}

// walk applies attribute and index steps to a value.
func walk(v any, steps hcl.Traversal) any {
	for _, s := range steps {
		switch s := s.(type) {
		case hcl.TraverseAttr:
			if ref, ok := v.(importer.ResourceRef); ok && ref.Attr == "" {
				v = importer.ResourceRef{ID: ref.ID, Attr: s.Name}
				continue
			}
			v = index(v, s.Name)
		case hcl.TraverseIndex:
			v = index(v, fromCty(s.Key))
		default:
			return importer.Unknown{Why: "splat over a value is not evaluated statically"}
		}
	}
	return v
}

func index(coll, key any) any {
	switch c := coll.(type) {
	case importer.Unknown:
		return c
	case importer.ResourceRef:
		// An index picks an instance of a counted resource.
		if c.Attr == "" && !strings.HasSuffix(c.ID, "]") {
			switch key.(type) {
			case int, string:
				return importer.ResourceRef{ID: instanceAddr(c.ID, key)}
			}
		}
		return importer.Unknown{Why: "attribute of " + c.ID + " is known only after apply"}
	case map[string]any:
		k, ok := key.(string)
		if !ok {
			break
		}
		if v, found := c[k]; found {
			return v
		}
		return importer.Unknown{Why: "no key " + strconv.Quote(k)}
	case []any:
		if i, ok := number(key); ok && i >= 0 && i < len(c) {
			return c[i]
		}
	}
	if u, ok := key.(importer.Unknown); ok {
		return u
	}
	return importer.Unknown{Why: fmt.Sprintf("index %v is not known statically", key)}
}

func number(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case float64:
		return int(v), v == float64(int(v))
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}

func decodeJSON(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return importer.Unknown{Why: "value is not valid JSON"}
	}
	return normalize(v, 0)
}

// normalize makes decoded JSON numbers ints where they are whole.
func normalize(v any, depth int) any {
	if depth > maxDepth {
		return importer.Unknown{Why: "value nested too deeply"}
	}
	switch v := v.(type) {
	case float64:
		if v == float64(int(v)) {
			return int(v)
		}
	case []any:
		for i, e := range v {
			v[i] = normalize(e, depth+1)
		}
	case map[string]any:
		for k, e := range v {
			v[k] = normalize(e, depth+1)
		}
	}
	return v
}

func fromCty(v cty.Value) any {
	return fromCtyDepth(v, 0)
}

func fromCtyDepth(v cty.Value, depth int) any {
	if depth > maxDepth {
		return importer.Unknown{Why: "value nested too deeply"}
	}
	if !v.IsKnown() {
		return importer.Unknown{Why: "value is not known statically"}
	}
	if v.IsNull() {
		return nil
	}
	v, _ = v.Unmark()
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Bool:
		return v.True()
	case t == cty.Number:
		f := v.AsBigFloat()
		if f.IsInt() {
			if i, acc := f.Int64(); acc == big.Exact {
				return int(i)
			}
		}
		x, _ := f.Float64()
		return x
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, fromCtyDepth(e, depth+1))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = fromCtyDepth(e, depth+1)
		}
		return out
	}
	return importer.Unknown{Why: "value of type " + t.FriendlyName() + " is not supported"}
}

func toCty(v any, depth int) (cty.Value, bool) {
	if depth > maxDepth {
		return cty.NilVal, false
	}
	switch v := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType), true
	case string:
		return cty.StringVal(v), true
	case bool:
		return cty.BoolVal(v), true
	case int:
		return cty.NumberIntVal(int64(v)), true
	case float64:
		return cty.NumberFloatVal(v), true
	case []any:
		vals := make([]cty.Value, 0, len(v))
		for _, e := range v {
			cv, ok := toCty(e, depth+1)
			if !ok {
				return cty.NilVal, false
			}
			vals = append(vals, cv)
		}
		return cty.TupleVal(vals), true
	case map[string]any:
		vals := map[string]cty.Value{}
		for k, e := range v {
			cv, ok := toCty(e, depth+1)
			if !ok {
				return cty.NilVal, false
			}
			vals[k] = cv
		}
		return cty.ObjectVal(vals), true
	}
	return cty.NilVal, false
}

// functions are the pure functions evaluated statically; none can be
// made to allocate without bound (format and range can).
var functions = map[string]function.Function{
	"length": stdlib.LengthFunc, "concat": stdlib.ConcatFunc, "join": stdlib.JoinFunc,
	"lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc,
	"merge": stdlib.MergeFunc, "element": stdlib.ElementFunc, "lookup": stdlib.LookupFunc,
	"keys": stdlib.KeysFunc, "values": stdlib.ValuesFunc, "contains": stdlib.ContainsFunc,
	"min": stdlib.MinFunc, "max": stdlib.MaxFunc, "replace": stdlib.ReplaceFunc,
	"split": stdlib.SplitFunc, "trimspace": stdlib.TrimSpaceFunc, "coalesce": stdlib.CoalesceFunc,
	"distinct": stdlib.DistinctFunc, "flatten": stdlib.FlattenFunc,
}

// template joins a string template's parts. One naming a resource, as in
// "${aws_s3_bucket.b.arn}/*", makes the whole a reference to it.
func (m *module) template(e *hclsyntax.TemplateExpr, in *instance, depth int) any {
	var sb strings.Builder
	var ref *importer.ResourceRef
	for _, p := range e.Parts {
		switch v := m.evalDepth(p, in, depth+1).(type) {
		case string:
			sb.WriteString(v)
		case int, float64, bool:
			fmt.Fprint(&sb, v)
		case importer.ResourceRef:
			if ref != nil {
				return m.evalCty(e, in, depth)
			}
			ref = &v
		case importer.Unknown:
			return v
		default:
			return m.evalCty(e, in, depth)
		}
	}
	if ref != nil {
		return *ref
	}
	return sb.String()
}
