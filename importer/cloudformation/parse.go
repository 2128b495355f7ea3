package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// Limits bound what a template may cost to read.
const (
	MaxFileSize = 50 << 20 // bytes
	MaxDepth    = 100      // nesting of mappings and sequences
	MaxNodes    = 1_000_000
	// MaxStackDepth bounds nested stacks.
	MaxStackDepth = 8
)

// template is a parsed template before intrinsic functions are resolved.
type template struct {
	file        string
	transforms  []string
	parameters  map[string]parameter
	mappings    map[string]any
	conditions  map[string]bool
	resources   []rawResource
	outputs     map[string]any
	globals     map[string]any
	description string
}

type parameter struct {
	def any // nil when there is no default
}

type rawResource struct {
	id        string
	typ       string
	props     map[string]any
	condition string
	pos       model.Pos
}

// parseTemplate reads a CloudFormation template, JSON or YAML (JSON is
// read as YAML, whose flow style it is).
func parseTemplate(file string, data []byte) (*template, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: template is %d bytes, over the %d-byte limit", file, len(data), MaxFileSize)
	}
	// Tabs are whitespace in JSON but not YAML indentation; JSON never
	// needs them outside strings, where they are escaped.
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		data = bytes.ReplaceAll(data, []byte("\t"), []byte(" "))
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, invalidf(model.Pos{File: file, Line: 1, Col: 1}, "empty template")
		}
		return nil, yamlError(file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, invalidf(model.Pos{File: file, Line: doc.Line, Col: doc.Column}, "a template is a mapping with a Resources section")
	}
	c := &converter{file: file}
	root := doc.Content[0]
	t := &template{file: file, parameters: map[string]parameter{}, mappings: map[string]any{}, conditions: map[string]bool{}, outputs: map[string]any{}}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		v, err := c.value(val, 0)
		if err != nil {
			return nil, err
		}
		switch key.Value {
		case "Transform":
			for _, tr := range asList(v) {
				if s, ok := tr.(string); ok {
					t.transforms = append(t.transforms, s)
				}
			}
		case "Parameters":
			for name, p := range asMap(v) {
				t.parameters[name] = parameter{def: asMap(p)["Default"]}
			}
		case "Mappings":
			t.mappings = asMap(v)
		case "Conditions":
			for name := range asMap(v) {
				t.conditions[name] = true
			}
		case "Description":
			t.description, _ = v.(string)
		case "Globals":
			t.globals = asMap(v)
		case "Outputs":
			t.outputs = asMap(v)
		case "Resources":
			if err := t.readResources(c, val); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

func (t *template) readResources(c *converter, n *yaml.Node) error {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		return invalidf(c.pos(n), "Resources is a mapping of logical ids to resources")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		v, err := c.value(val, 1)
		if err != nil {
			return err
		}
		body, ok := v.(map[string]any)
		if !ok {
			return invalidf(c.pos(val), "resource %s is not a mapping", key.Value)
		}
		typ, ok := body["Type"].(string)
		if !ok || typ == "" {
			return invalidf(c.pos(val), "resource %s has no Type", key.Value)
		}
		props, _ := body["Properties"].(map[string]any)
		cond, _ := body["Condition"].(string)
		t.resources = append(t.resources, rawResource{id: key.Value, typ: typ, props: props, condition: cond, pos: c.pos(key)})
	}
	return nil
}

func yamlError(file string, err error) error {
	p, msg := importer.YAMLError(model.Pos{File: file, Line: 1, Col: 1}, err)
	return invalidf(p, "invalid template: %s", msg)
}

// invalidf is a user error at a position; the command line exits 2.
func invalidf(p model.Pos, format string, args ...any) error {
	return model.Diagnostics{{Pos: p, Message: fmt.Sprintf(format, args...)}}
}

// converter turns YAML nodes into plain values, spelling short-form tags
// (!Ref, !GetAtt, !Sub…) the long way ({"Ref": …}, {"Fn::GetAtt": …}).
type converter struct {
	file  string
	nodes int
}

func (c *converter) pos(n *yaml.Node) model.Pos {
	return model.Pos{File: c.file, Line: n.Line, Col: n.Column}
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, invalidf(c.pos(n), "nested more than %d levels deep", MaxDepth)
	}
	if c.nodes++; c.nodes > MaxNodes {
		return nil, invalidf(c.pos(n), "more than %d values (aliases expanding too far?)", MaxNodes)
	}
	n = resolveAlias(n)
	tag := n.Tag
	if strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		return c.shortForm(n, depth)
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolveAlias(n.Content[i])
			if k.Kind != yaml.ScalarNode {
				return nil, invalidf(c.pos(k), "keys must be plain strings")
			}
			v, err := c.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return nil, invalidf(c.pos(n), "unexpected YAML node")
}

func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.Atoi(n.Value); err == nil {
			return i
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	}
	return n.Value
}

// shortForm spells a tagged node as its long-form intrinsic function.
func (c *converter) shortForm(n *yaml.Node, depth int) (any, error) {
	name := strings.TrimPrefix(n.Tag, "!")
	var inner any
	var err error
	if n.Kind == yaml.ScalarNode {
		inner = n.Value
	} else {
		plain := *n
		plain.Tag = ""
		if inner, err = c.value(&plain, depth+1); err != nil {
			return nil, err
		}
	}
	switch name {
	case "Ref", "Condition":
		return map[string]any{name: inner}, nil
	case "GetAtt":
		if s, ok := inner.(string); ok {
			res, attr, _ := strings.Cut(s, ".")
			return map[string]any{"Fn::GetAtt": []any{res, attr}}, nil
		}
	}
	return map[string]any{"Fn::" + name: inner}, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}
