package terraform

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// iteration is what a dynamic block's iterator means in one of its
// blocks: ITER.key and ITER.value.
type iteration struct{ key, value any }

// with returns a copy of in where name iterates to key and value.
func (in *instance) with(name string, key, value any) *instance {
	out := &instance{}
	if in != nil {
		*out = *in
	}
	iters := make(map[string]iteration, len(out.iters)+1)
	for k, v := range out.iters {
		iters[k] = v
	}
	iters[name] = iteration{key: key, value: value}
	out.iters = iters
	return out
}

// dynamic expands a dynamic block into the blocks its content makes, one
// per element of its for_each, or says why it cannot.
func (m *module) dynamic(b *hclsyntax.Block, in *instance, depth int) ([]any, string) {
	name := b.Labels[0]
	iter := name
	if e := attrExpr(b, "iterator"); e != nil {
		if kw := hcl.ExprAsKeyword(e); kw != "" {
			iter = kw
		} else if s, ok := m.eval(e, nil).(string); ok && hclsyntax.ValidIdentifier(s) {
			iter = s // the JSON form writes the name as a string
		}
	}
	var content *hclsyntax.Block
	for _, c := range b.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	where := "dynamic block " + name + " at " + posOf(b.DefRange()).String()
	if content == nil {
		return nil, where + " has no content block"
	}
	var keys, values []any
	switch coll := m.eval(attrExpr(b, "for_each"), in).(type) {
	case []any:
		for i, v := range coll {
			keys, values = append(keys, i), append(values, v)
		}
	case map[string]any:
		names := make([]string, 0, len(coll))
		for k := range coll {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			keys, values = append(keys, k), append(values, coll[k])
		}
	default:
		return nil, where + ": for_each is not known statically"
	}
	if len(keys) > MaxInstances || m.l.expanded+len(keys) > maxExpanded {
		return nil, where + ": for_each makes too many blocks to expand"
	}
	m.l.expanded += len(keys)
	out := make([]any, 0, len(keys))
	for i := range keys {
		out = append(out, m.body(content.Body, in.with(iter, keys[i], values[i]), depth+1))
	}
	return out, ""
}
