package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wardsec/ward/model"
)

// JSON configuration (*.tf.json) is read into the same syntax tree as
// native files, so one evaluator serves both: objects and arrays become
// object and tuple constructors, strings become templates ("${var.x}"),
// as the language's JSON form defines. Without provider schemas, a
// nested object is an attribute; the translation reads an object and a
// list of one object alike.

// jsonTopSchema names the top-level blocks; others are left alone.
var jsonTopSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "locals"},
}}

// jsonResourceSchema names a resource's meta blocks; the rest of its body
// are arguments.
var jsonResourceSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "lifecycle"},
	{Type: "connection"},
	{Type: "provisioner", LabelNames: []string{"type"}},
	{Type: "dynamic", LabelNames: []string{"name"}},
}}

var jsonDynamicSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "for_each"}, {Name: "iterator"}, {Name: "labels"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
}

// parseJSONBytes parses JSON configuration text into a native body.
func parseJSONBytes(p *hclparse.Parser, file string, data []byte) (*hclsyntax.Body, error) {
	if _, parsed := p.Files()[file]; !parsed {
		if err := checkJSONNesting(file, data); err != nil {
			return nil, err
		}
	}
	f, diags := p.ParseJSON(data, file)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	content, _, diags := f.Body.PartialContent(jsonTopSchema)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	out := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	for _, b := range content.Blocks {
		var body *hclsyntax.Body
		switch b.Type {
		case "resource", "data":
			body, diags = jsonResourceBody(b.Body)
		case "variable":
			// A variable's default is a value, not a template.
			body, diags = jsonAttributes(b.Body, true)
		default:
			body, diags = jsonAttributes(b.Body, false)
		}
		if diags.HasErrors() {
			return nil, diagError(diags)
		}
		out.Blocks = append(out.Blocks, jsonBlock(b, body))
	}
	return out, nil
}

func jsonBlock(b *hcl.Block, body *hclsyntax.Body) *hclsyntax.Block {
	// Components point at the block's name, the last label.
	at := b.DefRange
	if len(b.LabelRanges) > 0 {
		at = b.LabelRanges[len(b.LabelRanges)-1]
	}
	return &hclsyntax.Block{Type: b.Type, Labels: b.Labels, Body: body, TypeRange: at, OpenBraceRange: b.DefRange, CloseBraceRange: b.DefRange}
}

func jsonResourceBody(body hcl.Body) (*hclsyntax.Body, hcl.Diagnostics) {
	content, rest, diags := body.PartialContent(jsonResourceSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	out, diags := jsonAttributes(rest, false)
	if diags.HasErrors() {
		return nil, diags
	}
	for _, b := range content.Blocks {
		if b.Type != "dynamic" {
			continue // lifecycle, connection, provisioner: not properties
		}
		dyn, diags := jsonDynamic(b.Body)
		if diags.HasErrors() {
			return nil, diags
		}
		out.Blocks = append(out.Blocks, jsonBlock(b, dyn))
	}
	return out, nil
}

func jsonDynamic(body hcl.Body) (*hclsyntax.Body, hcl.Diagnostics) {
	content, diags := body.Content(jsonDynamicSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	out := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	for name, a := range content.Attributes {
		e, diags := jsonExpr(a.Expr, false, 0)
		if diags.HasErrors() {
			return nil, diags
		}
		out.Attributes[name] = &hclsyntax.Attribute{Name: name, Expr: e, SrcRange: a.Range, NameRange: a.NameRange}
	}
	for _, b := range content.Blocks {
		// Content may hold dynamic blocks of its own.
		inner, diags := jsonResourceBody(b.Body)
		if diags.HasErrors() {
			return nil, diags
		}
		out.Blocks = append(out.Blocks, jsonBlock(b, inner))
	}
	return out, nil
}

// jsonAttributes reads every property of body as an argument; literal
// keeps strings as written instead of reading them as templates.
func jsonAttributes(body hcl.Body, literal bool) (*hclsyntax.Body, hcl.Diagnostics) {
	attrs, diags := body.JustAttributes()
	if diags.HasErrors() {
		return nil, diags
	}
	out := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	for name, a := range attrs {
		if name == "//" {
			continue // a comment, in the JSON form
		}
		e, diags := jsonExpr(a.Expr, literal, 0)
		if diags.HasErrors() {
			return nil, diags
		}
		out.Attributes[name] = &hclsyntax.Attribute{Name: name, Expr: e, SrcRange: a.Range, NameRange: a.NameRange}
	}
	return out, nil
}

// jsonExpr turns a JSON value into a native expression.
func jsonExpr(e hcl.Expression, literal bool, depth int) (hclsyntax.Expression, hcl.Diagnostics) {
	rng := e.Range()
	if depth > maxDepth {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Value nested too deeply", Detail: "JSON values nest at most 64 levels.", Subject: &rng}}
	}
	v, diags := e.Value(nil) // nil: strings verbatim, templates not yet read
	if diags.HasErrors() {
		return nil, diags
	}
	t := v.Type()
	switch {
	case t.IsTupleType():
		list, _ := e.(interface{ ExprList() []hcl.Expression })
		out := &hclsyntax.TupleConsExpr{SrcRange: rng, OpenRange: rng}
		if list == nil {
			return out, nil
		}
		for _, x := range list.ExprList() {
			ex, diags := jsonExpr(x, literal, depth+1)
			if diags.HasErrors() {
				return nil, diags
			}
			out.Exprs = append(out.Exprs, ex)
		}
		return out, nil
	case t.IsObjectType():
		obj, _ := e.(interface{ ExprMap() []hcl.KeyValuePair })
		out := &hclsyntax.ObjectConsExpr{SrcRange: rng, OpenRange: rng}
		if obj == nil {
			return out, nil
		}
		for _, kv := range obj.ExprMap() {
			k, diags := jsonExpr(kv.Key, literal, depth+1)
			if diags.HasErrors() {
				return nil, diags
			}
			val, diags := jsonExpr(kv.Value, literal, depth+1)
			if diags.HasErrors() {
				return nil, diags
			}
			out.Items = append(out.Items, hclsyntax.ObjectConsItem{KeyExpr: k, ValueExpr: val})
		}
		return out, nil
	case t == cty.String && !literal && !v.IsNull():
		// Column+1 skips the opening quote; escapes may shift it a little.
		start := hcl.Pos{Line: rng.Start.Line, Column: rng.Start.Column + 1, Byte: rng.Start.Byte + 1}
		return hclsyntax.ParseTemplate([]byte(v.AsString()), rng.Filename, start)
	}
	return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: rng}, nil
}

// maxJSONNesting bounds how deep JSON configuration nests, checked before
// the parser, which recurses once per level, sees it.
const maxJSONNesting = 2 * maxDepth

// checkJSONNesting refuses JSON nested deeper than maxJSONNesting, at the
// position of the first level too deep. Syntax errors are left to the
// parser, which reports them with their position.
func checkJSONNesting(file string, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		d, ok := tok.(json.Delim)
		switch {
		case !ok:
		case d == '{' || d == '[':
			if depth++; depth > maxJSONNesting {
				before := data[:dec.InputOffset()]
				line := bytes.Count(before, []byte("\n")) + 1
				col := len(before) - bytes.LastIndexByte(before, '\n') - 1
				return fmt.Errorf("%w: %s:%d:%d: nested more than %d levels deep", model.ErrInvalid, file, line, col, maxJSONNesting)
			}
		default:
			depth--
		}
	}
}
