package kubernetes

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

// object is one Kubernetes object of the input.
type object struct {
	Kind       string
	APIVersion string
	Name       string
	Namespace  string // "" for cluster-scoped kinds
	Labels     map[string]string
	Node       *yaml.Node // the object's mapping
	Pos        model.Pos
}

// reader gathers the objects of every document read, with the problems met.
type reader struct {
	objects  []*object
	errs     model.Diagnostics // malformed input: the import fails
	warnings model.Diagnostics // input that could not be mapped
	docs     int
	nodes    int
}

func newReader() *reader { return &reader{} }

func (r *reader) pos(file string, n *yaml.Node) model.Pos {
	return model.Pos{File: file, Line: n.Line, Col: n.Column, Source: SourceName}
}

func (r *reader) errorf(p model.Pos, format string, args ...any) {
	r.errs = append(r.errs, model.Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...)})
}

func (r *reader) warnf(p model.Pos, format string, args ...any) {
	r.warnings = append(r.warnings, model.Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...)})
}

// read parses every YAML document of one file.
func (r *reader) read(file string, data []byte) {
	if line := model.OverIndented(data, maxIndent); line > 0 {
		// Checked before parsing: the parser's time grows with the square
		// of block nesting, which deep indentation is.
		r.errorf(model.Pos{File: file, Line: line, Col: maxIndent + 1, Source: SourceName}, "indented past column %d, the limit", maxIndent)
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for len(r.errs) < model.MaxDiagnostics {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			r.errs = append(r.errs, yamlError(file, err))
			return
		}
		r.docs++
		if r.docs > maxDocuments {
			r.errorf(r.pos(file, &doc), "more than %d YAML documents; import fewer manifests at once", maxDocuments)
			return
		}
		if len(doc.Content) == 0 {
			continue // an empty document between two "---"
		}
		root := doc.Content[0]
		if !r.withinLimits(file, root) {
			return
		}
		r.document(file, root)
	}
}

// full reports whether enough problems are gathered to stop reading.
func (r *reader) full() bool { return len(r.errs) >= model.MaxDiagnostics }

// withinLimits walks a document once, refusing one nested too deeply or
// the input once it holds too many nodes.
func (r *reader) withinLimits(file string, root *yaml.Node) bool {
	type item struct {
		n     *yaml.Node
		depth int
	}
	stack := []item{{root, 1}}
	aliases := 0
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		r.nodes++
		if r.nodes > maxNodes {
			r.errorf(r.pos(file, it.n), "more than %d YAML nodes; import fewer manifests at once", maxNodes)
			return false
		}
		if it.depth > maxDepth {
			r.errorf(r.pos(file, it.n), "nesting deeper than the limit of %d", maxDepth)
			return false
		}
		if it.n.Kind == yaml.AliasNode {
			// Each alias repeats its anchor's work for every reader of it.
			if aliases++; aliases > maxAliases {
				r.errorf(r.pos(file, it.n), "more than %d aliases in one document", maxAliases)
				return false
			}
		}
		for _, c := range it.n.Content {
			stack = append(stack, item{c, it.depth + 1})
		}
	}
	return true
}

// document turns one document's root into objects, expanding List kinds.
func (r *reader) document(file string, root *yaml.Node) {
	root = resolve(root)
	if root == nil || isNull(root) {
		return
	}
	p := r.pos(file, root)
	if root.Kind != yaml.MappingNode {
		r.errorf(p, "a Kubernetes manifest document must be a mapping, not a %s", nodeKind(root))
		return
	}
	kind := str(root, "kind")
	if kind == "" {
		r.warnf(p, "document has no kind, so it is not a Kubernetes object; skipped")
		return
	}
	if kind == "List" || strings.HasSuffix(kind, "List") && get(root, "items") != nil {
		for _, it := range items(root, "items") {
			r.document(file, it)
		}
		return
	}
	meta := get(root, "metadata")
	name := str(meta, "name")
	if name == "" {
		name = str(meta, "generateName")
	}
	if name == "" {
		r.warnf(p, "%s has no metadata.name; skipped", kind)
		return
	}
	r.objects = append(r.objects, &object{
		Kind:       kind,
		APIVersion: str(root, "apiVersion"),
		Name:       name,
		Namespace:  str(meta, "namespace"),
		Labels:     stringMap(get(meta, "labels")),
		Node:       root,
		Pos:        p,
	})
}

// yamlError turns a parser error into a positioned problem.
func yamlError(file string, err error) model.Diagnostic {
	p, msg := importer.YAMLError(model.Pos{File: file, Line: 1, Col: 1, Source: SourceName}, err)
	return model.Diagnostic{Pos: p, Message: "invalid YAML: " + msg}
}
