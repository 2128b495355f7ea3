package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits bound what one YAML input may cost, so a hostile or broken file
// fails fast with a clear message instead of exhausting the machine.
type Limits struct {
	MaxBytes  int64 // largest file accepted
	MaxDepth  int   // deepest nesting of mappings and sequences
	MaxIndent int   // deepest indentation of a line, in columns
	// Root, when set, confines imports to this directory: a model that
	// came from someone else (an upload to the server) must not read the
	// host's other files.
	Root string
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
	decodeNode(d *decoder, n *yaml.Node)
}

// ExtensionPrefix starts top-level model keys that Ward ignores: a place
// for YAML anchors that elements merge (<<: *name).
const ExtensionPrefix = "x-"

var (
	modelType = reflect.TypeFor[Model]()
	posType   = reflect.TypeFor[Pos]()
)

// decodeYAML parses data (named file in messages) and decodes its single
// document into out, a pointer to a struct. Every problem is collected with
// its position; the returned list is empty on success. parsed is false when
// the file is not YAML at all, so out holds nothing worth validating.
func decodeYAML(file string, data []byte, out any, lim Limits) (diags Diagnostics, parsed bool) {
	d := &decoder{file: file, src: data, lim: lim, budget: 2*len(data) + 1<<16}
	if int64(len(data)) > lim.MaxBytes {
		d.diags.add(Pos{File: file}, "file is %d bytes, more than the limit of %d", len(data), lim.MaxBytes)
		return d.diags, false
	}
	if line := OverIndented(data, lim.MaxIndent); line > 0 {
		// Checked before parsing: the parser's time grows with the square
		// of block nesting, which deep indentation is.
		d.diags.add(Pos{File: file, Line: line, Col: lim.MaxIndent + 1}, "indented past column %d, the limit", lim.MaxIndent)
		return d.diags, false
	}
	body, ok := d.parse(data)
	if !ok {
		return d.diags, false
	}
	if body == nil {
		d.diags.add(Pos{File: file, Line: 1, Col: 1}, "file is empty")
		return d.diags, false
	}
	d.decode(body, reflect.ValueOf(out).Elem(), "")
	return d.diags, true
}

// OverIndented returns the first line indented by more than limit spaces,
// or 0 when there is none: checked before parsing, as deep indentation
// makes a YAML parser slow.
func OverIndented(data []byte, limit int) int {
	line, col := 1, 0
	start := true
	for _, c := range data {
		switch {
		case c == '\n':
			line, col, start = line+1, 0, true
		case start && c == ' ':
			col++
			if col > limit {
				return line
			}
		default:
			start = false
		}
	}
	return 0
}

type decoder struct {
	file       string
	src        []byte // the text being decoded
	lineStarts []int  // offsets of src's lines, computed when first needed
	lineOffset int    // lines before the parsed text, when it is a batch of a file
	diags      Diagnostics
	lim        Limits
	budget     int // nodes left to visit; aliases spend it too (billion laughs)
	depth      int
	typeMap    map[reflect.Type]*structInfo
}

// parse reads the file's one document. The parser bounds flow nesting and
// alias expansion itself; the decoder bounds the rest as it walks.
func (d *decoder) parse(data []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, true
		}
		d.diags = append(d.diags, d.yamlError(err))
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.addf(&extra, "a model file holds one YAML document; split the others into their own files")
		return nil, false
	} else if !errors.Is(err, io.EOF) {
		d.diags = append(d.diags, d.yamlError(err))
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	return doc.Content[0], true
}

var yamlLine = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)

// YAMLErrorLine reads a YAML parser error: the line it names, when it
// names one (ok), and its message without the "yaml: " prefix. The model
// loader and the importers place parser errors with it.
func YAMLErrorLine(err error) (line int, msg string, ok bool) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1]) // the pattern admits digits only
		return line, m[2], true
	}
	return 0, msg, false
}

// yamlError turns a parser error into a positioned diagnostic with the
// parser's own message.
func (d *decoder) yamlError(err error) Diagnostic {
	p := Pos{File: d.file, Line: 1, Col: 1}
	line, msg, ok := YAMLErrorLine(err)
	if ok {
		p.Line = line + d.lineOffset
	}
	return Diagnostic{Pos: p, Message: "invalid YAML: " + msg}
}

func (d *decoder) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: d.file}
	}
	return Pos{File: d.file, Line: n.Line + d.lineOffset, Col: n.Column}
}

func (d *decoder) addf(n *yaml.Node, format string, args ...any) {
	d.diags.add(d.pos(n), format, args...)
}

// resolve follows aliases to their anchored node.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for range 64 {
		if n == nil || n.Kind != yaml.AliasNode {
			return n
		}
		if n.Alias == nil {
			d.addf(n, "alias *%s has no anchor before it", n.Value)
			return nil
		}
		n = n.Alias
	}
	d.addf(n, "too many chained aliases")
	return nil
}

func (d *decoder) spend(n *yaml.Node) bool {
	d.budget--
	if d.budget == 0 {
		d.addf(n, "aliases expand to more than twice the file's size; refusing to expand further")
	}
	return d.budget > 0
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// decode fills v from n. what names the value in messages ("component").
func (d *decoder) decode(n *yaml.Node, v reflect.Value, what string) {
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
	if v.CanAddr() && d.decodeCustom(n, v.Addr().Interface(), what) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), what)
	case reflect.Struct:
		d.decodeStruct(n, v, what)
	case reflect.Slice:
		d.decodeSlice(n, v, what)
	case reflect.Map:
		d.decodeMap(n, v, what)
	case reflect.Interface:
		v.Set(reflect.ValueOf(d.value(n, what)))
	default:
		d.decodeScalar(n, v, what)
	}
}

// decodeCustom lets types that read themselves do so, reporting whether
// ptr was one of them.
func (d *decoder) decodeCustom(n *yaml.Node, ptr any, what string) bool {
	if nd, ok := ptr.(nodeDecoder); ok {
		nd.decodeNode(d, n)
		return true
	}
	sd, ok := ptr.(scalarDecoder)
	if !ok {
		return false
	}
	text, ok := d.scalar(n, what)
	if !ok {
		return true
	}
	p := d.pos(n)
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		// A block scalar's text starts on the line after its marker.
		p.Line++
		p.Col = d.blockIndent(n)
	}
	if err := sd.decodeScalar(text, p); err != nil {
		d.addf(n, "%s", err)
	}
	return true
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, what string) {
	if n.Kind != yaml.SequenceNode {
		if !isNull(n) {
			d.addf(n, "%s must be a list", what)
		}
		return
	}
	elem := strings.TrimSuffix(what, "s")
	v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
	kept := 0
	for _, item := range n.Content {
		ev, before := v.Index(kept), len(d.diags)
		d.decode(item, ev, elem)
		if ev.Kind() == reflect.Pointer && (ev.IsNil() || !d.placed(ev.Elem())) {
			// An empty item ("-" alone) or one that is not a mapping would
			// leave a nil or position-less element for validation and rules
			// to trip over: drop it, and say so unless decoding already did.
			if len(d.diags) == before {
				d.addf(item, "%s is empty", elem)
			}
			continue
		}
		kept++
	}
	v.SetLen(kept)
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, what string) {
	if n.Kind != yaml.MappingNode {
		d.addf(n, "%s must be a mapping of keys to values", what)
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(v.Type(), len(n.Content)/2))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key, ok := d.scalar(k, "key")
		if !ok {
			continue
		}
		if v.MapIndex(reflect.ValueOf(key)).IsValid() {
			d.addf(k, "duplicate key %q", key)
		}
		ev := reflect.New(v.Type().Elem()).Elem()
		d.decode(val, ev, key)
		v.SetMapIndex(reflect.ValueOf(key), ev)
	}
}

// decodeScalar reads strings (and enums), booleans and whole numbers.
func (d *decoder) decodeScalar(n *yaml.Node, v reflect.Value, what string) {
	switch v.Kind() {
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
		var b bool
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			d.addf(n, "%s must be true or false", what)
			return
		}
		v.SetBool(b)
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
func (d *decoder) scalar(n *yaml.Node, what string) (string, bool) {
	n = d.resolve(n)
	switch {
	case n == nil:
		return "", false
	case isNull(n):
		return "", true
	case n.Kind == yaml.ScalarNode:
		return n.Value, true
	case n.Kind == yaml.MappingNode:
		d.addf(n, "%s must be a single value, not a mapping", what)
	case n.Kind == yaml.SequenceNode:
		d.addf(n, "%s must be a single value, not a list", what)
	default:
		d.addf(n, "%s must be a single value", what)
	}
	return "", false
}

// value converts n to plain Go values (bool, int, float64, string, []any,
// map[string]any) for free-form properties.
func (d *decoder) value(n *yaml.Node, what string) any {
	n = d.resolve(n)
	if n == nil || !d.spend(n) {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!bool":
			var b bool
			if n.Decode(&b) == nil {
				return b
			}
		case "!!int":
			var i int
			if n.Decode(&i) == nil {
				return i
			}
		case "!!float":
			var f float64
			if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return f
			}
		case "!!null":
			return nil
		}
		return n.Value
	case yaml.SequenceNode, yaml.MappingNode:
		d.depth++
		defer func() { d.depth-- }()
		if d.depth > d.lim.MaxDepth {
			d.addf(n, "nesting deeper than the limit of %d", d.lim.MaxDepth)
			return nil
		}
		if n.Kind == yaml.SequenceNode {
			out := make([]any, 0, len(n.Content))
			for _, item := range n.Content {
				out = append(out, d.value(item, what))
			}
			return out
		}
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if key, ok := d.scalar(n.Content[i], "key"); ok {
				out[key] = d.value(n.Content[i+1], key)
			}
		}
		return out
	}
	text, _ := d.scalar(n, what)
	return text
}

// blockIndent returns the column where a block scalar's text starts: the
// indentation of the line after its marker.
func (d *decoder) blockIndent(n *yaml.Node) int {
	if d.lineStarts == nil {
		d.lineStarts = []int{0}
		for i, c := range d.src {
			if c == '\n' {
				d.lineStarts = append(d.lineStarts, i+1)
			}
		}
	}
	line := n.Line // the marker's line, counted from 1: the text's starts after it
	if line >= len(d.lineStarts) {
		return n.Column
	}
	col := 1
	for i := d.lineStarts[line]; i < len(d.src) && d.src[i] == ' '; i++ {
		col++
	}
	return col
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

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, what string) {
	si := d.info(v.Type())
	if what == "" {
		what = si.name
	}
	if n.Kind != yaml.MappingNode {
		d.addf(n, "%s must be a mapping of keys to values", what)
		return
	}
	if si.pos >= 0 {
		p := d.pos(n)
		if len(n.Content) > 0 {
			// A mapping's own position is where its first key starts.
			p = d.pos(n.Content[0])
		}
		v.Field(si.pos).Set(reflect.ValueOf(p))
	}
	seen := make(map[string]bool, len(n.Content)/2)
	var merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, val)
			continue
		}
		key, ok := d.scalar(k, "key")
		if !ok {
			continue
		}
		idx, known := si.fields[key]
		if !known && strings.HasPrefix(key, ExtensionPrefix) && v.Type() == modelType {
			continue // a place for anchors to merge from
		}
		if !known {
			d.addf(k, "unknown key %q in %s%s", key, si.name, DidYouMean(key, si.keys))
			continue
		}
		if seen[key] {
			d.addf(k, "duplicate key %q in %s", key, si.name)
			continue
		}
		seen[key] = true
		d.decode(val, v.Field(idx), key)
	}
	d.merge(merged, v, si, seen)
	for _, key := range si.required {
		if !seen[key] {
			d.addf(n, "%s is missing %q", si.name, key)
		}
	}
}

// merge applies merge keys (<<: *defaults, or a list of them): their keys
// fill what the mapping does not set itself, the first source winning.
func (d *decoder) merge(sources []*yaml.Node, v reflect.Value, si *structInfo, seen map[string]bool) {
	var maps []*yaml.Node
	for _, src := range sources {
		src = d.resolve(src)
		switch {
		case src == nil:
		case src.Kind == yaml.MappingNode:
			maps = append(maps, src)
		case src.Kind == yaml.SequenceNode:
			for _, item := range src.Content {
				if item = d.resolve(item); item != nil && item.Kind == yaml.MappingNode {
					maps = append(maps, item)
				} else {
					d.addf(src, "a merge key takes a mapping or a list of mappings")
				}
			}
		default:
			d.addf(src, "a merge key takes a mapping or a list of mappings")
		}
	}
	for _, m := range maps {
		if !d.spend(m) {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			key, ok := d.scalar(m.Content[i], "key")
			if !ok || seen[key] {
				continue
			}
			idx, known := si.fields[key]
			if !known {
				d.addf(m.Content[i], "unknown key %q in %s%s", key, si.name, DidYouMean(key, si.keys))
				continue
			}
			seen[key] = true
			d.decode(m.Content[i+1], v.Field(idx), key)
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
