package model

import (
	"bytes"
	"reflect"
	"regexp"
	"runtime"
	"sync"
)

// Large model files are decoded in batches: the items of a long top-level
// list ("components:", "flows:", …) are cut into runs of batchItems items,
// each parsed by the YAML parser on its own, in parallel, and decoded
// straight into the model. Only one batch's syntax tree per CPU is alive at
// a time, so memory follows the model, not the file's syntax tree.
//
// The cut is made only where it cannot change the meaning: the file must be
// a plain block mapping with no anchors, aliases, merge keys, tags,
// directives or tabs, each list's items must start at one indentation, and
// every other line of the list must be indented deeper. A cut inside a
// multi-line quoted string leaves a batch that does not parse; then, and
// whenever the shape is not plain, the whole file is parsed at once
// instead. FuzzChunkedDecode checks both ways agree.

// batchItems is how many list items one batch holds; lists shorter than
// twice that are not cut.
var batchItems = 512

var (
	// sectionKey is a top-level key whose value starts on the next line.
	sectionKey = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*):[ ]*( #.*)?\r?$`)
	// plainKey is any other top-level key with its value on the same line.
	plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*: `)
)

// risky reports whether data holds what would make a cut unsafe: anchors,
// aliases and tags (&x, *x, !x) where a value may start, merge keys,
// directives and document markers, tabs and a byte-order mark. It errs on
// the side of caution: a match only means the slower whole-file parse.
func risky(data []byte) bool {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return true
	}
	prev := byte('\n')
	for i, c := range data {
		switch c {
		case '\t':
			return true
		case '&', '*', '!':
			if bytes.IndexByte([]byte(" \n\r[{,"), prev) >= 0 && i+1 < len(data) && bytes.IndexByte([]byte(" \n\r,[]{}"), data[i+1]) < 0 {
				return true
			}
		case '<':
			if prev == '<' {
				return true
			}
		case '%':
			if prev == '\n' {
				return true
			}
		case '-', '.':
			if prev == '\n' && bytes.HasPrefix(data[i:], []byte{c, c, c}) {
				return true
			}
		}
		prev = c
	}
	return false
}

// batch is a run of list items: the text to parse, where it starts, and
// which model list it belongs to.
type batch struct {
	key   string
	text  []byte
	line0 int // line number of text's first line, minus one
}

// split returns the file with its long lists blanked out (line count kept),
// and the lists' items in batches; ok is false when the file must be
// parsed whole.
func split(data []byte) (header []byte, batches []batch, ok bool) {
	if risky(data) {
		return nil, nil, false
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	offsets := make([]int, len(lines)+1) // where each line starts in data
	for i, l := range lines {
		offsets[i+1] = offsets[i] + len(l)
	}
	header = make([]byte, 0, len(data)/8)
	for i := 0; i < len(lines); {
		line := lines[i]
		m := sectionKey.FindSubmatch(bytes.TrimRight(line, "\n"))
		if m == nil {
			if len(bytes.TrimSpace(line)) > 0 && line[0] != '#' && !plainKey.Match(line) {
				return nil, nil, false // the document is not a plain block mapping
			}
			header = append(header, line...)
			i++
			continue
		}
		header = append(header, line...)
		i++
		end, starts, list := section(lines, i)
		if !list {
			if end < 0 {
				return nil, nil, false
			}
			// Not a list, or a short one: it stays in the header.
			for ; i < end; i++ {
				header = append(header, lines[i]...)
			}
			continue
		}
		if len(starts) < 2*batchItems {
			for ; i < end; i++ {
				header = append(header, lines[i]...)
			}
			continue
		}
		// A batch is a slice of data, not a copy.
		for b := 0; b < len(starts); b += batchItems {
			from, to := starts[b], end
			if b+batchItems < len(starts) {
				to = starts[b+batchItems]
			}
			batches = append(batches, batch{key: string(m[1]), text: data[offsets[from]:offsets[to]], line0: from})
		}
		for ; i < end; i++ {
			header = append(header, '\n')
		}
	}
	return header, batches, len(batches) > 0
}

// section scans the lines of a top-level key's value from line i. It
// returns the line where the value ends and the lines where list items
// start. list is false when the value is not a block list
// of the plain shape; end is -1 when the value is a list whose shape
// forbids cutting anywhere in the file.
func section(lines [][]byte, i int) (end int, starts []int, list bool) {
	indent := -1
	for end = i; end < len(lines); end++ {
		line := lines[end]
		trimmed := bytes.TrimLeft(line, " ")
		if len(bytes.TrimSpace(trimmed)) == 0 || trimmed[0] == '#' {
			continue // blank lines and comments may sit anywhere
		}
		n := len(line) - len(trimmed)
		isItem := trimmed[0] == '-' && (len(trimmed) == 1 || trimmed[1] == ' ' || trimmed[1] == '\n' || trimmed[1] == '\r')
		if indent < 0 {
			if !isItem {
				// A mapping or scalar value: find its end, keep it whole.
				for ; end < len(lines); end++ {
					l := lines[end]
					if len(bytes.TrimSpace(l)) > 0 && l[0] != ' ' && l[0] != '#' {
						break
					}
				}
				return end, nil, false
			}
			indent = n
		}
		switch {
		case n == indent && isItem:
			starts = append(starts, end)
		case n > indent:
			// The item continues.
		case n == 0 && !isItem:
			return end, starts, true // the next top-level key
		default:
			return -1, nil, false
		}
	}
	return end, starts, indent >= 0
}

// decodeChunked decodes a model file in batches when its shape allows,
// reporting ok false when the caller must decode it whole.
func decodeChunked(file string, data []byte, out *Model, lim Limits) (Diagnostics, bool) {
	if OverIndented(data, lim.MaxIndent) > 0 {
		return nil, false // the whole-file path reports it
	}
	header, batches, ok := split(data)
	if !ok {
		return nil, false
	}
	field := map[string]reflect.Value{}
	mv := reflect.ValueOf(out).Elem()
	for _, b := range batches {
		if _, seen := field[b.key]; seen {
			continue
		}
		f, ok := listField(mv, b.key)
		if !ok {
			return nil, false // an unknown list: the whole-file path reports it
		}
		field[b.key] = f
	}

	parts := make([]reflect.Value, len(batches))
	diags := make([]Diagnostics, len(batches))
	failed := make([]bool, len(batches))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, b := range batches {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			d := &decoder{file: file, src: b.text, lim: lim, budget: 2*len(b.text) + 1<<16, lineOffset: b.line0, depth: 1}
			root, ok := d.parse(b.text)
			if !ok || root == nil {
				failed[i] = true
				return
			}
			parts[i] = reflect.New(field[b.key].Type()).Elem()
			d.decode(root, parts[i], b.key)
			diags[i] = d.diags
		}()
	}
	wg.Wait()
	for _, f := range failed {
		if f {
			return nil, false
		}
	}
	hd, parsed := decodeYAML(file, header, out, lim)
	if !parsed {
		return nil, false
	}
	all := hd
	for i, b := range batches {
		all = append(all, diags[i]...)
		f := field[b.key]
		f.Set(reflect.AppendSlice(f, parts[i]))
	}
	return all, true
}

// listField returns the model's list field whose YAML key is key.
func listField(mv reflect.Value, key string) (reflect.Value, bool) {
	t := mv.Type()
	for i := range t.NumField() {
		name, _, _ := bytes.Cut([]byte(t.Field(i).Tag.Get("yaml")), []byte(","))
		if string(name) == key && t.Field(i).Type.Kind() == reflect.Slice {
			return mv.Field(i), true
		}
	}
	return reflect.Value{}, false
}
