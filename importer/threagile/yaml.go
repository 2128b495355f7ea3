package threagile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// reader walks the YAML node tree, collecting errors (input it cannot
// read) and warnings (values it cannot map) with their positions.
type reader struct {
	file   string
	budget int // nodes left to visit; aliases spend it too
	errs   model.Diagnostics
	warn   model.Diagnostics
}

// parse reads the file's one document and checks its depth.
func (r *reader) parse(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, model.Diagnostics{{Pos: r.at(1, 1), Message: "the file is empty; expected a Threagile model YAML"}}
		}
		p, msg := importer.YAMLError(r.at(1, 1), err)
		return nil, model.Diagnostics{{Pos: p, Message: "invalid YAML: " + msg}}
	}
	if len(doc.Content) == 0 {
		return nil, model.Diagnostics{{Pos: r.at(1, 1), Message: "the file is empty; expected a Threagile model YAML"}}
	}
	root := doc.Content[0]
	if deep := tooDeep(root, 0); deep != nil {
		return nil, model.Diagnostics{{Pos: r.pos(deep), Message: fmt.Sprintf("nested more than %d levels deep", MaxDepth)}}
	}
	if root.Kind != yaml.MappingNode {
		return nil, model.Diagnostics{{Pos: r.pos(root), Message: "expected a mapping at the top of a Threagile model YAML"}}
	}
	return root, nil
}

// tooDeep returns the first node nested deeper than MaxDepth, or nil.
func tooDeep(n *yaml.Node, depth int) *yaml.Node {
	if depth > MaxDepth {
		return n
	}
	for _, c := range n.Content {
		if d := tooDeep(c, depth+1); d != nil {
			return d
		}
	}
	return nil
}

func (r *reader) at(line, col int) model.Pos {
	return model.Pos{File: r.file, Line: line, Col: col, Source: Name}
}

func (r *reader) pos(n *yaml.Node) model.Pos {
	if n == nil {
		return r.at(0, 0)
	}
	return r.at(n.Line, n.Column)
}

func (r *reader) errorf(n *yaml.Node, format string, args ...any) {
	r.errs = append(r.errs, model.Diagnostic{Pos: r.pos(n), Message: fmt.Sprintf(format, args...)})
}

func (r *reader) warnf(n *yaml.Node, format string, args ...any) {
	r.warn = append(r.warn, model.Diagnostic{Pos: r.pos(n), Message: fmt.Sprintf(format, args...)})
}

// resolve follows aliases, spending the budget so that aliases cannot
// expand a small file into a huge walk.
func (r *reader) resolve(n *yaml.Node) *yaml.Node {
	for range 64 {
		if r.budget <= 0 {
			if r.budget == 0 {
				r.errorf(n, "aliases expand to more than twice the file's size; refusing to expand further")
				r.budget--
			}
			return nil
		}
		r.budget--
		if n == nil || n.Kind != yaml.AliasNode {
			return n
		}
		n = n.Alias
	}
	r.errorf(n, "too many chained aliases")
	return nil
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// entry is one key of a mapping with its value.
type entry struct {
	Key   string
	KeyAt *yaml.Node
	Value *yaml.Node
}

// entries lists a mapping's keys in the order written; null is empty.
func (r *reader) entries(n *yaml.Node, what string) []entry {
	n = r.resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		r.errorf(n, "%s must be a mapping", what)
		return nil
	}
	out := make([]entry, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := r.resolve(n.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			r.errorf(n.Content[i], "%s keys must be text", what)
			continue
		}
		out = append(out, entry{Key: k.Value, KeyAt: k, Value: n.Content[i+1]})
	}
	return out
}

// fields indexes a mapping by key.
func (r *reader) fields(n *yaml.Node, what string) map[string]*yaml.Node {
	es := r.entries(n, what)
	out := make(map[string]*yaml.Node, len(es))
	for _, e := range es {
		if _, dup := out[e.Key]; dup {
			r.warnf(e.KeyAt, "%s sets %q twice; the first one counts", what, e.Key)
			continue
		}
		out[e.Key] = e.Value
	}
	return out
}

// str returns a scalar's text; "" when unset.
func (r *reader) str(n *yaml.Node, what string) string {
	n = r.resolve(n)
	if isNull(n) {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		r.errorf(n, "%s must be text", what)
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// flag returns a boolean scalar; false when unset.
func (r *reader) flag(n *yaml.Node, what string) bool {
	s := r.str(n, what)
	switch s {
	case "", "false", "False", "FALSE", "no":
		return false
	case "true", "True", "TRUE", "yes":
		return true
	}
	r.errorf(n, "%s must be true or false, not %q", what, s)
	return false
}

// strs returns a sequence of scalars, keeping each one's node.
func (r *reader) strs(n *yaml.Node, what string) []*yaml.Node {
	n = r.resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, "%s must be a list", what)
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		c = r.resolve(c)
		if c == nil {
			continue
		}
		if c.Kind != yaml.ScalarNode {
			r.errorf(c, "%s must hold text", what)
			continue
		}
		if !isNull(c) {
			out = append(out, c)
		}
	}
	return out
}
