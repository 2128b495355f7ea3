package rules

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/ext"

	"github.com/wardsec/ward/model"
)

// env is the one CEL environment every condition compiles in.
var env = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		cel.Variable("element", cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable("model", cel.MapType(cel.StringType, cel.DynType)),
		ext.Strings(),
	)
})

// schema describes the fields of the context maps, so that a condition
// naming a field that does not exist fails when the rule loads rather than
// silently never matching. nil marks a leaf or a value not checked further.
type schema map[string]schema

var (
	zoneSchema  = schema{"id": nil, "name": nil, "trust": nil, "trust_level": nil, "path": nil}
	propsSchema = func() schema {
		s := schema{}
		for _, p := range model.PropertyCatalog() {
			s[p.Name] = nil
		}
		return s
	}()
	dataFields      = []string{"classification", "classification_level", "data_tags", "assets"}
	componentSchema = with(schema{
		"id": nil, "name": nil, "kind": nil, "category": nil, "provider": nil, "zone": zoneSchema,
		"props": propsSchema, "set": nil, "tags": nil, "stores": nil, "processes": nil, "public": nil,
		"inbound": nil, "outbound": nil, "exposed": nil,
	}, dataFields...)
	elementSchema = func() schema {
		s := schema{}
		for k, v := range componentSchema {
			s[k] = v
		}
		// Flow fields: one variable serves both kinds of element.
		for _, k := range []string{"protocol", "authentication", "authenticated", "encrypted", "initiator", "data", "crosses_boundary", "trust_delta"} {
			s[k] = nil
		}
		s["from"], s["to"] = componentSchema, componentSchema
		return s
	}()
	rootSchema = schema{
		"element": elementSchema,
		"model":   {"title": nil, "actors": nil, "actor_kinds": nil, "assets": nil},
	}
)

func with(s schema, leaves ...string) schema {
	for _, l := range leaves {
		s[l] = nil
	}
	return s
}

// compiled is a condition ready to run, with the context paths it reads.
type compiled struct {
	prg   cel.Program
	paths [][]string
}

// compile checks and plans a CEL condition written at text.Pos. Messages
// point into the rule file: the condition's line plus the line within it.
func compile(text model.Text) (compiled, model.Diagnostics) {
	var ds model.Diagnostics
	e, err := env()
	if err != nil {
		return compiled{}, model.Diagnostics{{Pos: text.Pos, Message: "CEL environment: " + err.Error()}}
	}
	checked, iss := e.Compile(text.Value)
	if iss.Err() != nil {
		for _, ce := range iss.Errors() {
			ds = append(ds, model.Diagnostic{Pos: at(text, ce.Location.Line(), ce.Location.Column()), Message: "CEL: " + ce.Message})
		}
		return compiled{}, ds
	}
	if t := checked.OutputType(); !t.IsExactType(types.BoolType) && !t.IsExactType(types.DynType) {
		return compiled{}, model.Diagnostics{{Pos: text.Pos, Message: fmt.Sprintf("CEL: condition must be true or false, not %s", t)}}
	}
	native := checked.NativeRep()
	var paths [][]string
	ast.PreOrderVisit(native.Expr(), ast.NewExprVisitor(func(x ast.Expr) {
		path, ok := selectPath(x)
		if !ok {
			return
		}
		// Visit only the longest chain: skip a select whose parent selects it.
		if msg := checkPath(path); msg != "" {
			loc := native.SourceInfo().GetStartLocation(x.ID())
			ds = append(ds, model.Diagnostic{Pos: at(text, loc.Line(), loc.Column()), Message: "CEL: " + msg})
			return
		}
		paths = append(paths, path)
	}))
	if len(ds) > 0 {
		return compiled{}, ds
	}
	// No runtime cost tracking: it doubles evaluation time, and a
	// condition only sees one element's own context, whose size the
	// model's limits bound.
	prg, err := e.Program(checked, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return compiled{}, model.Diagnostics{{Pos: text.Pos, Message: "CEL: " + err.Error()}}
	}
	return compiled{prg: prg, paths: longest(paths)}, nil
}

// at maps a line and 0-based column inside a condition to the rule file.
// A block scalar (when: |) keeps lines and indentation, so both map
// exactly; a condition on one line maps exactly too.
func at(text model.Text, line, col int) model.Pos {
	p := text.Pos
	p.Line += line - 1
	p.Col += col
	return p
}

// selectPath returns the chain of a field selection rooted at a variable,
// e.g. element.props.public → [element props public].
func selectPath(x ast.Expr) ([]string, bool) {
	var path []string
	for x.Kind() == ast.SelectKind {
		s := x.AsSelect()
		path = append(path, s.FieldName())
		x = s.Operand()
	}
	if x.Kind() != ast.IdentKind || len(path) == 0 {
		return nil, false
	}
	path = append(path, x.AsIdent())
	slices.Reverse(path)
	return path, true
}

// checkPath returns a message when path names a field the context lacks.
func checkPath(path []string) string {
	s, ok := rootSchema[path[0]]
	if !ok {
		return "" // a comprehension variable: its fields are not checked
	}
	for i, field := range path[1:] {
		if s == nil {
			return ""
		}
		next, ok := s[field]
		if !ok {
			keys := make([]string, 0, len(s))
			for k := range s {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parent := strings.Join(path[:i+1], ".")
			if parent == "element.props" || strings.HasSuffix(parent, ".props") {
				return fmt.Sprintf("%s has no property %q%s (custom properties are read as %s[\"x-name\"])", parent, field, model.DidYouMean(field, keys), parent)
			}
			return fmt.Sprintf("%s has no field %q%s", parent, field, model.DidYouMean(field, keys))
		}
		s = next
	}
	return ""
}

// longest keeps, among chains of the same root, those not a prefix of
// another, dropping duplicates: element.props is implied by
// element.props.public.
func longest(paths [][]string) [][]string {
	var out [][]string
	for i, p := range paths {
		keep := true
		for j, q := range paths {
			if i != j && len(q) > len(p) && slices.Equal(q[:len(p)], p) {
				keep = false
				break
			}
			if j < i && slices.Equal(q, p) {
				keep = false
				break
			}
		}
		if keep && p[0] == "element" {
			out = append(out, p)
		}
	}
	return out
}

// ErrEval is wrapped by errors from evaluating a condition.
var ErrEval = errors.New("evaluate condition")

func (c compiled) eval(act map[string]any) (bool, error) {
	if c.prg == nil {
		return true, nil
	}
	out, _, err := c.prg.Eval(act)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrEval, err)
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("%w: result is %s, not a bool", ErrEval, typeName(out))
	}
	return bool(b), nil
}

func typeName(v ref.Val) string {
	if v == nil {
		return "null"
	}
	return v.Type().TypeName()
}
