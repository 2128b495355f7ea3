package modelfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

// doc is a model file's text with its YAML tree: the tree says where
// things are, the text is what gets changed.
type doc struct {
	file  string // its name, for messages
	text  []byte
	root  *yaml.Node // the top-level mapping
	lines []int      // offset where each line starts
	eol   string     // the file's line ending: "\n" or "\r\n"
}

func parseDoc(file string, text []byte) (*doc, error) {
	var n yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(text))
	if err := dec.Decode(&n); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %w", ErrUnsafe, err)
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return nil, &LayoutError{Pos: model.Pos{File: file, Line: 1, Col: 1}, Msg: "the top level is not a mapping of keys"}
	}
	root := n.Content[0]
	if root.Style&yaml.FlowStyle != 0 {
		return nil, &LayoutError{Pos: model.Pos{File: file, Line: root.Line, Col: root.Column}, Msg: "the top level is written in flow style ({...}); write one key per line"}
	}
	d := &doc{file: file, text: text, root: root, lines: []int{0}, eol: "\n"}
	for i, c := range text {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	if i := bytes.IndexByte(text, '\n'); i > 0 && text[i-1] == '\r' {
		d.eol = "\r\n"
	}
	return d, nil
}

// LayoutError says that the file is written in a way Ward cannot change
// without rewriting the author's text: the change is left to the user.
type LayoutError struct {
	Pos model.Pos
	Msg string
}

func (e *LayoutError) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap makes a LayoutError a user error (model.ErrInvalid).
func (e *LayoutError) Unwrap() error { return model.ErrInvalid }

func (d *doc) layoutf(at *yaml.Node, format string, args ...any) error {
	return &LayoutError{Pos: model.Pos{File: d.file, Line: at.Line, Col: at.Column}, Msg: fmt.Sprintf(format, args...)}
}

// line returns line i (counted from 0) without its line ending.
func (d *doc) line(i int) []byte {
	end := d.lineEnd(i)
	l := d.text[d.lines[i]:end]
	l = bytes.TrimSuffix(l, []byte("\n"))
	return bytes.TrimSuffix(l, []byte("\r"))
}

// lineEnd is the offset just past line i's line ending.
func (d *doc) lineEnd(i int) int {
	if i+1 < len(d.lines) {
		return d.lines[i+1]
	}
	return len(d.text)
}

// offset turns a parser position (line and column from 1, the column in
// characters) into a byte offset.
func (d *doc) offset(line, col int) (int, bool) {
	if line < 1 || line > len(d.lines) || col < 1 {
		return 0, false
	}
	l := d.line(line - 1)
	at := 0
	for range col - 1 {
		if at >= len(l) {
			return 0, false
		}
		_, size := utf8.DecodeRune(l[at:])
		at += size
	}
	return d.lines[line-1] + at, true
}

// indent counts the spaces starting a line; -1 for a blank line.
func indent(line []byte) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	if len(bytes.TrimSpace(line[n:])) == 0 {
		return -1
	}
	return n
}

// blockEnd returns the last line of the block that starts on line start
// and whose other lines are indented deeper than parent: the lines of a
// list item or of a mapping's entries. Trailing blank lines are not part
// of it; comments indented deeper are.
func (d *doc) blockEnd(start, parent int) int {
	last := start
	for i := start + 1; i < len(d.lines); i++ {
		if d.lines[i] == len(d.text) {
			break // the empty "line" after a final line ending
		}
		ind := indent(d.line(i))
		if ind < 0 {
			continue
		}
		if ind <= parent {
			break
		}
		last = i
	}
	return last
}

// afterLine returns a splice inserting lines (each ending in the file's
// line ending) after line i, keeping a missing final line ending missing.
func (d *doc) afterLine(i int, lines string) splice {
	at := d.lineEnd(i)
	if at == len(d.text) && !bytes.HasSuffix(d.text, []byte("\n")) {
		lines = d.eol + lines[:len(lines)-len(d.eol)]
	}
	return splice{start: at, end: at, text: lines}
}

// rootPair returns the top-level key named key and its value, or nils.
func (d *doc) rootPair(key string) (k, v *yaml.Node) {
	return pair(d.root, key)
}

// pair returns the entry of mapping m whose key is key, or nils.
func pair(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return k, m.Content[i+1]
		}
	}
	return nil, nil
}

// splice replaces text[start:end] with text.
type splice struct {
	start, end int
	text       string
}

// applySplices applies non-overlapping splices to text.
func applySplices(text []byte, ss []splice) []byte {
	var b bytes.Buffer
	at := 0
	for _, s := range ss {
		b.Write(text[at:s.start])
		b.WriteString(s.text)
		at = s.end
	}
	b.Write(text[at:])
	return b.Bytes()
}

// sameTree reports whether two YAML trees mean the same: kinds, tags,
// values, anchors and aliases, ignoring positions, styles and comments.
func sameTree(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || a.Anchor != b.Anchor || len(a.Content) != len(b.Content) {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		if a.Value != b.Value || a.ShortTag() != b.ShortTag() {
			return false
		}
	case yaml.AliasNode:
		return a.Value == b.Value
	default:
		if a.ShortTag() != b.ShortTag() {
			return false
		}
	}
	for i := range a.Content {
		if !sameTree(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}
