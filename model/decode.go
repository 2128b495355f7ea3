package model

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Limits bound what one YAML input may cost, so a hostile or broken file
// fails fast with a clear message instead of exhausting the machine.
type Limits struct {
	MaxBytes  int64 // largest file accepted
	MaxDepth  int   // deepest nesting of mappings and sequences
	MaxIndent int   // largest column a token may start at
}

// DefaultLimits admit a model of several hundred thousand elements and
// reject pathological nesting.
var DefaultLimits = Limits{MaxBytes: 256 << 20, MaxDepth: 64, MaxIndent: 1024}

// scalarDecoder is implemented by types that read themselves from one YAML
// scalar, such as enums, dates and references.
type scalarDecoder interface {
	decodeScalar(text string, p Pos) error
}

// nodeDecoder is implemented by types that read an arbitrary node, such as
// free-form properties.
type nodeDecoder interface {
	decodeNode(d *decoder, n ast.Node)
}

var (
	posType           = reflect.TypeFor[Pos]()
	scalarDecoderType = reflect.TypeFor[scalarDecoder]()
	nodeDecoderType   = reflect.TypeFor[nodeDecoder]()
)

// decodeYAML parses data (named file in messages) and decodes its single
// document into out, a pointer to a struct. Every problem is collected with
// its position; the returned list is empty on success. parsed is false when
// the file is not YAML at all, so out holds nothing worth validating.
func decodeYAML(file string, data []byte, out any, lim Limits) (diags Diagnostics, parsed bool) {
	d := &decoder{file: file, anchors: map[string]ast.Node{}, lim: lim,
		budget: 2*len(data) + 1<<16}
	if int64(len(data)) > lim.MaxBytes {
		d.diags.add(Pos{File: file}, "file is %d bytes, more than the limit of %d", len(data), lim.MaxBytes)
		return d.diags, false
	}
	f, ok := d.parse(data)
	if !ok {
		return d.diags, false
	}
	var body ast.Node
	for _, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if body != nil {
			d.addf(doc.Body, "a model file holds one YAML document; split the others into their own files")
			break
		}
		body = doc.Body
	}
	if body == nil {
		d.diags.add(Pos{File: file, Line: 1, Col: 1}, "file is empty")
		return d.diags, false
	}
	d.decode(body, reflect.ValueOf(out).Elem(), "")
	return d.diags, true
}

type decoder struct {
	file    string
	diags   Diagnostics
	anchors map[string]ast.Node
	lim     Limits
	budget  int // nodes left to visit; aliases spend it too (billion laughs)
	depth   int
	typeMap map[reflect.Type]*structInfo
}

// parse tokenizes first so that nesting can be bounded before the
// recursive parser sees the input.
func (d *decoder) parse(data []byte) (*ast.File, bool) {
	tokens := lexer.Tokenize(string(data))
	flow := 0
	for _, tk := range tokens {
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow--
		case token.InvalidType:
			d.diags.add(d.tokenPos(tk), "invalid YAML: %s", tk.Error)
			return nil, false
		}
		if flow > d.lim.MaxDepth {
			d.diags.add(d.tokenPos(tk), "nesting deeper than the limit of %d", d.lim.MaxDepth)
			return nil, false
		}
		if tk.Position != nil && tk.Position.Column > d.lim.MaxIndent {
			d.diags.add(d.tokenPos(tk), "indented past column %d, the limit", d.lim.MaxIndent)
			return nil, false
		}
	}
	f, err := parser.Parse(tokens, 0)
	if err != nil {
		d.diags = append(d.diags, d.yamlError(err))
		return nil, false
	}
	return f, true
}

func (d *decoder) tokenPos(tk *token.Token) Pos {
	if tk == nil || tk.Position == nil {
		return Pos{File: d.file}
	}
	return Pos{File: d.file, Line: tk.Position.Line, Col: tk.Position.Column}
}

// yamlError turns a parser error into a positioned diagnostic with the
// parser's own message and no source excerpt.
func (d *decoder) yamlError(err error) Diagnostic {
	type tokenError interface{ GetToken() *token.Token }
	type messageError interface{ GetMessage() string }
	p := Pos{File: d.file, Line: 1, Col: 1}
	msg := err.Error()
	if te, ok := err.(tokenError); ok && te.GetToken() != nil {
		p = d.tokenPos(te.GetToken())
	}
	if me, ok := err.(messageError); ok {
		msg = me.GetMessage()
	}
	return Diagnostic{Pos: p, Message: "invalid YAML: " + msg}
}

func (d *decoder) pos(n ast.Node) Pos {
	if n == nil {
		return Pos{File: d.file}
	}
	return d.tokenPos(n.GetToken())
}

func (d *decoder) addf(n ast.Node, format string, args ...any) {
	d.diags.add(d.pos(n), format, args...)
}

// resolve strips anchors, tags and aliases, charging the budget for the
// nodes an alias brings in again.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range 64 {
		switch v := n.(type) {
		case *ast.AnchorNode:
			if name, ok := v.Name.(ast.ScalarNode); ok {
				d.anchors[fmt.Sprint(name.GetValue())] = v.Value
			}
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			name := ""
			if s, ok := v.Value.(ast.ScalarNode); ok {
				name = fmt.Sprint(s.GetValue())
			}
			target, ok := d.anchors[name]
			if !ok {
				d.addf(v, "alias *%s has no anchor before it", name)
				return nil
			}
			n = target
		default:
			return n
		}
	}
	d.addf(n, "too many chained anchors, tags or aliases")
	return nil
}

func (d *decoder) spend(n ast.Node) bool {
	d.budget--
	if d.budget == 0 {
		d.addf(n, "aliases expand to more than twice the file's size; refusing to expand further")
	}
	return d.budget > 0
}

// decode fills v from n. what names the value in messages ("component").
func (d *decoder) decode(n ast.Node, v reflect.Value, what string) {
	n = d.resolve(n)
	if n == nil || !d.spend(n) {
		return
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > d.lim.MaxDepth {
		if d.depth == d.lim.MaxDepth+1 {
			d.addf(n, "nesting deeper than the limit of %d", d.lim.MaxDepth)
		}
		return
	}
	if v.CanAddr() {
		if nd, ok := v.Addr().Interface().(nodeDecoder); ok {
			nd.decodeNode(d, n)
			return
		}
		if sd, ok := v.Addr().Interface().(scalarDecoder); ok {
			text, ok := d.scalar(n, what)
			if !ok {
				return
			}
			p := d.pos(n)
			if lit, block := d.resolve(n).(*ast.LiteralNode); block {
				// A block scalar's text starts on the line after its marker.
				p = d.pos(lit.Value)
			}
			if err := sd.decodeScalar(text, p); err != nil {
				d.addf(n, "%s", err)
			}
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if _, null := n.(*ast.NullNode); null {
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), what)
	case reflect.Struct:
		d.decodeStruct(n, v, what)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			if _, null := n.(*ast.NullNode); !null {
				d.addf(n, "%s must be a list", what)
			}
			return
		}
		elem := strings.TrimSuffix(what, "s")
		v.Set(reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values)))
		n := 0
		for _, item := range seq.Values {
			ev, before := v.Index(n), len(d.diags)
			d.decode(item, ev, elem)
			if ev.Kind() == reflect.Pointer && (ev.IsNil() || !d.placed(ev.Elem())) {
				// An empty item ("-" alone) or one that is not a mapping
				// would leave a nil or position-less element for validation
				// and rules to trip over: drop it, and say so unless
				// decoding already did.
				if len(d.diags) == before {
					d.addf(item, "%s is empty", elem)
				}
				continue
			}
			n++
		}
		v.SetLen(n)
	case reflect.Map:
		m, ok := n.(*ast.MappingNode)
		if !ok {
			d.addf(n, "%s must be a mapping of keys to values", what)
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(v.Type(), len(m.Values)))
		}
		for _, kv := range m.Values {
			key, ok := d.scalar(kv.Key, "key")
			if !ok {
				continue
			}
			if v.MapIndex(reflect.ValueOf(key)).IsValid() {
				d.addf(kv.Key, "duplicate key %q", key)
			}
			ev := reflect.New(v.Type().Elem()).Elem()
			d.decode(kv.Value, ev, key)
			v.SetMapIndex(reflect.ValueOf(key), ev)
		}
	case reflect.String:
		text, ok := d.scalar(n, what)
		if !ok {
			return
		}
		if spec, isEnum := enumSpecs[v.Type()]; isEnum && text != "" {
			if err := spec.check(text); err != nil {
				d.addf(n, "%s", err)
				return
			}
		}
		v.SetString(text)
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.addf(n, "%s must be true or false", what)
			return
		}
		v.SetBool(b.Value)
	case reflect.Int:
		text, ok := d.scalar(n, what)
		if !ok {
			return
		}
		i, err := strconv.Atoi(text)
		if err != nil {
			d.addf(n, "%s must be a whole number, not %q", what, text)
			return
		}
		v.SetInt(int64(i))
	case reflect.Interface:
		v.Set(reflect.ValueOf(d.value(n, what)))
	default:
		d.addf(n, "cannot read %s into %s", what, v.Type())
	}
}

// placed reports whether v, a decoded struct, was read from a mapping:
// decodeStruct sets its position then. Values of other types count as
// placed.
func (d *decoder) placed(v reflect.Value) bool {
	if v.Kind() != reflect.Struct {
		return true
	}
	si := d.info(v.Type())
	return si.pos < 0 || v.Field(si.pos).Interface() != Pos{}
}

// scalar returns the text of a scalar node, reporting an error for
// mappings and lists.
func (d *decoder) scalar(n ast.Node, what string) (string, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case nil:
		return "", false
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.NullNode:
		return "", true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return v.GetToken().Value, true
	case *ast.MappingNode, *ast.MappingValueNode:
		d.addf(n, "%s must be a single value, not a mapping", what)
	case *ast.SequenceNode:
		d.addf(n, "%s must be a single value, not a list", what)
	default:
		d.addf(n, "%s must be a single value", what)
	}
	return "", false
}

// value converts n to plain Go values (bool, int, float64, string, []any,
// map[string]any) for free-form properties.
func (d *decoder) value(n ast.Node, what string) any {
	n = d.resolve(n)
	if n == nil || !d.spend(n) {
		return nil
	}
	switch v := n.(type) {
	case *ast.BoolNode:
		return v.Value
	case *ast.IntegerNode:
		if i, err := strconv.Atoi(strings.ReplaceAll(v.GetToken().Value, "_", "")); err == nil {
			return i
		}
		return v.GetToken().Value
	case *ast.FloatNode:
		if f, err := strconv.ParseFloat(v.GetToken().Value, 64); err == nil && !math.IsInf(f, 0) {
			return f
		}
		return v.GetToken().Value
	case *ast.NullNode:
		return nil
	case *ast.SequenceNode:
		d.depth++
		defer func() { d.depth-- }()
		if d.depth > d.lim.MaxDepth {
			d.addf(n, "nesting deeper than the limit of %d", d.lim.MaxDepth)
			return nil
		}
		out := make([]any, 0, len(v.Values))
		for _, item := range v.Values {
			out = append(out, d.value(item, what))
		}
		return out
	case *ast.MappingNode:
		d.depth++
		defer func() { d.depth-- }()
		if d.depth > d.lim.MaxDepth {
			d.addf(n, "nesting deeper than the limit of %d", d.lim.MaxDepth)
			return nil
		}
		out := make(map[string]any, len(v.Values))
		for _, kv := range v.Values {
			if key, ok := d.scalar(kv.Key, "key"); ok {
				out[key] = d.value(kv.Value, key)
			}
		}
		return out
	}
	text, _ := d.scalar(n, what)
	return text
}

type structInfo struct {
	name     string
	fields   map[string]int
	keys     []string
	required []string
	pos      int
}

func (d *decoder) info(t reflect.Type) *structInfo {
	if si, ok := d.typeMap[t]; ok {
		return si
	}
	name, _, _ := strings.Cut(t.Name(), "[") // generic types: Rating[...]
	si := &structInfo{name: typeWords(name), fields: map[string]int{}, pos: -1}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type == posType && f.Name == "Pos" {
			si.pos = i
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "" || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		si.fields[name] = i
		si.keys = append(si.keys, name)
		if opts == "required" {
			si.required = append(si.required, name)
		}
	}
	if d.typeMap == nil {
		d.typeMap = map[reflect.Type]*structInfo{}
	}
	d.typeMap[t] = si
	return si
}

func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, what string) {
	si := d.info(v.Type())
	if what == "" {
		what = si.name
	}
	var pairs []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		pairs = m.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{m}
	default:
		d.addf(n, "%s must be a mapping of keys to values", what)
		return
	}
	if si.pos >= 0 {
		v.Field(si.pos).Set(reflect.ValueOf(d.pos(n)))
	}
	seen := make(map[string]bool, len(pairs))
	for _, kv := range pairs {
		key, ok := d.scalar(kv.Key, "key")
		if !ok {
			continue
		}
		idx, known := si.fields[key]
		if !known {
			d.addf(kv.Key, "unknown key %q in %s%s", key, si.name, DidYouMean(key, si.keys))
			continue
		}
		if seen[key] {
			d.addf(kv.Key, "duplicate key %q in %s", key, si.name)
			continue
		}
		seen[key] = true
		d.decode(kv.Value, v.Field(idx), key)
	}
	for _, key := range si.required {
		if !seen[key] {
			d.addf(n, "%s is missing %q", si.name, key)
		}
	}
}

// typeWords turns a Go type name into words for messages: "DataAsset" →
// "data asset".
func typeWords(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte(' ')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// DidYouMean suggests the nearest of candidates to word, for typos: it
// returns ' (did you mean "x"?)' or "" when nothing is near.
func DidYouMean(word string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if dist := editDistance(word, c); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Decode reads a YAML file's single document into out, a pointer to a struct
// whose fields carry `yaml:"key"` or `yaml:"key,required"` tags, with the
// same checks, limits and positioned messages as model files. Other packages
// use it for their own YAML inputs, such as rule files.
func Decode(file string, data []byte, out any, lim Limits) error {
	diags, _ := decodeYAML(file, data, out, lim)
	return diags.Err()
}

// Text is a string kept with the position of its first character, for
// values that are themselves parsed later, such as rule conditions.
type Text struct {
	Value string
	Pos   Pos
}

func (t *Text) decodeScalar(text string, p Pos) error {
	t.Value, t.Pos = text, p
	return nil
}
