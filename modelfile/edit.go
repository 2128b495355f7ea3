package modelfile

import (
	"bytes"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The edits below each find where a change goes from the parsed tree,
// return the splices that make it in the text, and make the same change
// to the tree, which apply then compares with the new text parsed again.

// appendItem adds item at the end of list seq.
func (d *doc) appendItem(seq, item *yaml.Node) ([]splice, error) {
	if seq.Style&yaml.FlowStyle != 0 {
		text, err := flowEntry(item)
		if err != nil {
			return nil, err
		}
		s, err := d.flowAppend(seq, text)
		seq.Content = append(seq.Content, item)
		return []splice{s}, err
	}
	dash, err := d.dashColumn(seq)
	if err != nil {
		return nil, err
	}
	last := seq.Content[len(seq.Content)-1]
	text, err := blockItem(item, dash, d.eol)
	if err != nil {
		return nil, err
	}
	seq.Content = append(seq.Content, item)
	return []splice{d.afterLine(d.blockEnd(last.Line-1, dash), text)}, nil
}

// dashColumn returns where the "-" of a block list's items stand, checking
// the first one starts its line.
func (d *doc) dashColumn(seq *yaml.Node) (int, error) {
	at, ok := d.offset(seq.Line, seq.Column)
	if !ok || at >= len(d.text) || d.text[at] != '-' || len(bytes.TrimLeft(d.text[d.lines[seq.Line-1]:at], " ")) > 0 {
		return 0, d.layoutf(seq, "write each list item on its own line, starting with \"- \"")
	}
	return at - d.lines[seq.Line-1], nil
}

// flowAppend inserts entry, already rendered, at the end of the flow
// collection ([...] or {...}) n, which must fit on one line.
func (d *doc) flowAppend(n *yaml.Node, entry string) (splice, error) {
	open, ok := d.offset(n.Line, n.Column)
	if !ok || open >= len(d.text) || (d.text[open] != '[' && d.text[open] != '{') {
		return splice{}, d.layoutf(n, "cannot find where this list or mapping starts (an anchor or a tag before it?); change it by hand")
	}
	closing, ok := flowClose(d.line(n.Line-1), open-d.lines[n.Line-1])
	if !ok {
		return splice{}, d.layoutf(n, "a list or mapping in brackets that spans several lines; write it on one line, or as a block with one entry per line")
	}
	closing += d.lines[n.Line-1]
	if len(n.Content) == 0 {
		return splice{start: open + 1, end: closing, text: entry}, nil
	}
	at := closing
	for d.text[at-1] == ' ' {
		at--
	}
	if d.text[at-1] == ',' {
		return splice{start: at, end: at, text: " " + entry}, nil
	}
	return splice{start: at, end: at, text: ", " + entry}, nil
}

// flowClose returns the offset in line of the bracket closing the one at
// open, skipping quoted text; false when it is not on this line.
func flowClose(line []byte, open int) (int, bool) {
	depth := 0
	prev := byte('[')
	for i := open; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
			if depth == 0 {
				return i, true
			}
		case (c == '"' || c == '\'') && bytes.IndexByte([]byte("[{,: "), prev) >= 0:
			end, ok := quoteEnd(line, i)
			if !ok {
				return 0, false
			}
			i = end
		case c == '#' && prev == ' ':
			return 0, false
		}
		prev = line[i]
	}
	return 0, false
}

// quoteEnd returns the offset of the quote closing the one at start.
func quoteEnd(line []byte, start int) (int, bool) {
	q := line[start]
	for i := start + 1; i < len(line); i++ {
		switch {
		case q == '"' && line[i] == '\\':
			i++
		case line[i] == q && q == '\'' && i+1 < len(line) && line[i+1] == '\'':
			i++
		case line[i] == q:
			return i, true
		}
	}
	return 0, false
}

// setValue replaces the value of key in mapping m by v, or adds the pair
// at the end of m when key is missing.
func (d *doc) setValue(m *yaml.Node, key string, v *yaml.Node) ([]splice, error) {
	k, old := pair(m, key)
	if k == nil {
		return d.addPair(m, str(key), v)
	}
	if sameTree(old, v) {
		return nil, nil
	}
	s, err := d.replace(k, old, v)
	if err != nil {
		return nil, err
	}
	i := slices.Index(m.Content, old)
	m.Content[i] = v
	return []splice{s}, nil
}

// replace returns the splice writing v in place of old, the value of key,
// on key's line.
func (d *doc) replace(key, old, v *yaml.Node) (splice, error) {
	text, err := inline(v)
	if err != nil {
		return splice{}, err
	}
	start, end, err := d.valueSpan(key, old)
	if err != nil {
		return splice{}, err
	}
	if start == end {
		text = " " + text // "key:" with nothing after it
	}
	return splice{start: start, end: end, text: text}, nil
}

// valueSpan returns where old, the one-line value of key, is written:
// a scalar or an empty flow collection on key's line. An empty value
// ("key:" and nothing) gives an empty span just past the colon.
func (d *doc) valueSpan(key, old *yaml.Node) (start, end int, err error) {
	bad := func(why string) error {
		return d.layoutf(key, "%s %s; change it by hand", key.Value, why)
	}
	switch {
	case old.Kind == yaml.AliasNode:
		return 0, 0, bad("is an alias")
	case old.Anchor != "" || old.Style&yaml.TaggedStyle != 0:
		return 0, 0, bad("has an anchor or a tag")
	case old.Line != key.Line:
		return 0, 0, bad("has its value on another line")
	case old.Kind != yaml.ScalarNode && (len(old.Content) > 0 || old.Style&yaml.FlowStyle == 0):
		return 0, 0, bad("holds a list or a mapping")
	}
	start, ok := d.offset(old.Line, old.Column)
	if !ok {
		return 0, 0, bad("is at a position Ward cannot find")
	}
	line := d.text[start : d.lines[old.Line-1]+len(d.line(old.Line-1))]
	switch {
	case old.Kind != yaml.ScalarNode:
		closing, ok := flowClose(line, 0)
		if !ok {
			return 0, 0, bad("is an empty list or mapping Ward cannot find the end of")
		}
		return start, start + closing + 1, nil
	case old.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return 0, 0, bad("is a block of text (| or >)")
	case old.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		q, ok := quoteEnd(line, 0)
		if !ok {
			return 0, 0, bad("is quoted text spanning lines")
		}
		return start, start + q + 1, nil
	case old.ShortTag() == "!!null" && old.Value == "":
		return start, start, nil
	case !bytes.HasPrefix(line, []byte(old.Value)) || strings.Contains(old.Value, "\n"):
		return 0, 0, bad("spans several lines")
	}
	return start, start + len(old.Value), nil
}

// addPair adds key: v at the end of mapping m.
func (d *doc) addPair(m, key, v *yaml.Node) ([]splice, error) {
	if m.Style&yaml.FlowStyle != 0 {
		text, err := flowPair(key, v)
		if err != nil {
			return nil, err
		}
		s, err := d.flowAppend(m, text)
		m.Content = append(m.Content, key, v)
		return []splice{s}, err
	}
	if len(m.Content) == 0 {
		return nil, d.layoutf(m, "an empty mapping; change it by hand")
	}
	first := m.Content[0]
	at, ok := d.offset(first.Line, first.Column)
	if !ok {
		return nil, d.layoutf(m, "cannot find where this mapping starts; change it by hand")
	}
	col := at - d.lines[first.Line-1]
	text, err := blockPair(key, v, col, d.eol)
	if err != nil {
		return nil, err
	}
	m.Content = append(m.Content, key, v)
	return []splice{d.afterLine(d.blockEnd(first.Line-1, col-1), text)}, nil
}

// appendToSection adds item to the top-level list named key, creating the
// list at the end of the file when it is missing.
func (d *doc) appendToSection(key string, item *yaml.Node) ([]splice, error) {
	k, v := d.rootPair(key)
	switch {
	case k == nil:
		return d.addSection(key, item)
	case v.Kind == yaml.SequenceNode && len(v.Content) > 0:
		return d.appendItem(v, item)
	case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle != 0, v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null":
		return d.fillSection(k, v, item)
	}
	return nil, d.layoutf(k, "%s is not a list", key)
}

// addSection appends a top-level block list "key:" holding item to the
// file, after a blank line.
func (d *doc) addSection(key string, item *yaml.Node) ([]splice, error) {
	items, err := blockItem(item, d.listIndent(), d.eol)
	if err != nil {
		return nil, err
	}
	// key is one of the model's own section names: a plain word.
	text := d.eol + strings.Repeat(" ", d.keyIndent()) + key + ":" + d.eol + items
	d.root.Content = append(d.root.Content, str(key), blockSeq(item))
	return []splice{d.afterLine(d.blockEnd(0, -1), text)}, nil
}

// fillSection turns the empty top-level list v of key ("key: []", "key:"
// or "key: ~") into a block list holding item, keeping the rest of key's
// line (a comment) as it is.
func (d *doc) fillSection(k, v, item *yaml.Node) ([]splice, error) {
	start, end, err := d.valueSpan(k, v)
	if err != nil {
		return nil, err
	}
	for start > 0 && d.text[start-1] == ' ' && start != end {
		start--
	}
	items, err := blockItem(item, d.listIndent(), d.eol)
	if err != nil {
		return nil, err
	}
	d.root.Content[slices.Index(d.root.Content, v)] = blockSeq(item)
	ss := []splice{d.afterLine(d.blockEnd(k.Line-1, k.Column-1), items)}
	if start != end {
		ss = append([]splice{{start: start, end: end}}, ss...)
	}
	return ss, nil
}

// keyIndent is the column of the top-level keys, 0 but in odd files.
func (d *doc) keyIndent() int {
	first := d.root.Content[0]
	if at, ok := d.offset(first.Line, first.Column); ok {
		return at - d.lines[first.Line-1]
	}
	return 0
}

// listIndent is where the "-" of the file's top-level lists stand, so a
// new list looks like the others; two columns in from the keys when there
// is none.
func (d *doc) listIndent() int {
	for i := 1; i < len(d.root.Content); i += 2 {
		if v := d.root.Content[i]; v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
			if col, err := d.dashColumn(v); err == nil {
				return col
			}
		}
	}
	return d.keyIndent() + 2
}
