package threatdragon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/wardsec/ward/model"
)

// document is the part of a v2 model the importer reads.
type document struct {
	Version string `json:"version"`
	Summary struct {
		Title       string `json:"title"`
		Owner       string `json:"owner"`
		Description string `json:"description"`
	} `json:"summary"`
	Detail struct {
		Contributors []struct {
			Name string `json:"name"`
		} `json:"contributors"`
		Reviewer string    `json:"reviewer"`
		Diagrams []diagram `json:"diagrams"`
	} `json:"detail"`
}

type diagram struct {
	Title string `json:"title"`
	Cells []cell `json:"cells"`
	// DiagramJSON holds the cells of a version 1 model.
	DiagramJSON json.RawMessage `json:"diagramJson"`
	at          int64
}

type cell struct {
	ID       string    `json:"id"`
	Shape    string    `json:"shape"`
	Position *point    `json:"position"`
	Size     *extent   `json:"size"`
	Source   *endpoint `json:"source"`
	Target   *endpoint `json:"target"`
	Data     cellData  `json:"data"`
	at       int64
}

type point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

type extent struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// endpoint is a flow's end: a cell, or a loose point when not attached.
type endpoint struct {
	Cell string `json:"cell"`
}

type cellData struct {
	Type              string   `json:"type"`
	Name              string   `json:"name"`
	Description       string   `json:"description"`
	OutOfScope        bool     `json:"outOfScope"`
	ReasonOutOfScope  string   `json:"reasonOutOfScope"`
	Protocol          string   `json:"protocol"`
	IsEncrypted       bool     `json:"isEncrypted"`
	IsPublicNetwork   bool     `json:"isPublicNetwork"`
	IsBidirectional   bool     `json:"isBidirectional"`
	IsALog            bool     `json:"isALog"`
	StoresCredentials bool     `json:"storesCredentials"`
	IsWebApplication  bool     `json:"isWebApplication"`
	HandlesPayment    bool     `json:"handlesCardPayment"`
	Threats           []threat `json:"threats"`
}

type threat struct {
	Title       string `json:"title"`
	Status      string `json:"status"`
	Severity    string `json:"severity"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Mitigation  string `json:"mitigation"`
	at          int64
}

// source is the input with what turns byte offsets into positions.
type source struct {
	file  string
	data  []byte
	lines []int // offset where each line starts
}

func (s *source) pos(off int64) model.Pos {
	if s.lines == nil {
		s.lines = []int{0}
		for i, c := range s.data {
			if c == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	}
	o := int(max(0, min(off, int64(len(s.data)))))
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > o }) - 1
	return model.Pos{File: s.file, Line: line + 1, Col: o - s.lines[line] + 1, Source: Name}
}

func (s *source) fail(off int64, msg string) error {
	return model.Diagnostics{{Pos: s.pos(off), Message: msg}}
}

// decode checks the JSON's syntax and depth while noting where each cell
// and threat starts, then decodes the document.
func (s *source) decode() (*document, error) {
	if len(bytes.TrimSpace(s.data)) == 0 {
		return nil, s.fail(0, "the file is empty; expected a Threat Dragon v2 JSON model")
	}
	starts, err := s.scan()
	if err != nil {
		return nil, err
	}
	var doc document
	if err := json.Unmarshal(s.data, &doc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, s.fail(s.valueStart(te.Offset), fmt.Sprintf("%s must be a JSON %s, not %s", orWhole(te.Field), jsonType(te.Type.Kind().String()), te.Value))
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, s.fail(se.Offset, "invalid JSON: "+se.Error())
		}
		return nil, s.fail(0, "invalid JSON: "+err.Error())
	}
	for i := range doc.Detail.Diagrams {
		d := &doc.Detail.Diagrams[i]
		base := "detail/diagrams/" + strconv.Itoa(i)
		d.at = starts[base]
		if len(d.DiagramJSON) > 0 && string(d.DiagramJSON) != "null" {
			return nil, fmt.Errorf("%w: %w", s.fail(d.at, "this is a version 1 model (its diagrams keep their cells under diagramJson); open and save it in version 2 to convert it, then import it again"), ErrVersion1)
		}
		for j := range d.Cells {
			c := &d.Cells[j]
			cb := base + "/cells/" + strconv.Itoa(j)
			c.at = starts[cb]
			for k := range c.Data.Threats {
				c.Data.Threats[k].at = starts[cb+"/data/threats/"+strconv.Itoa(k)]
			}
		}
	}
	return &doc, nil
}

func orWhole(field string) string {
	if field == "" {
		return "the model"
	}
	return field
}

func jsonType(kind string) string {
	switch kind {
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "float64", "int", "int64":
		return "number"
	case "bool":
		return "boolean"
	}
	return kind
}

// frame is one open object or array while scanning.
type frame struct {
	array   bool
	wantKey bool
	key     string
	index   int
}

// scan walks the tokens, rejecting bad syntax and deep nesting with their
// position, and returns where each object (up to the depth of a threat)
// starts, keyed by its path ("detail/diagrams/0/cells/3").
func (s *source) scan() (map[string]int64, error) {
	dec := json.NewDecoder(bytes.NewReader(s.data))
	dec.UseNumber()
	starts := map[string]int64{}
	var stack []frame
	var segs []string
	done := func() { // a value ended in the innermost container
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) > 0 {
				return nil, s.fail(int64(len(s.data)), "invalid JSON: unexpected end of file")
			}
			return starts, nil
		}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return nil, s.fail(se.Offset, "invalid JSON: "+se.Error())
			}
			return nil, s.fail(dec.InputOffset(), "invalid JSON: "+err.Error())
		}
		off := dec.InputOffset()
		if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].wantKey {
			if k, ok := tok.(string); ok {
				stack[n-1].key, stack[n-1].wantKey = k, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= MaxDepth {
				return nil, s.fail(off-1, fmt.Sprintf("nested more than %d levels deep", MaxDepth))
			}
			seg := ""
			if n := len(stack); n > 0 {
				if stack[n-1].array {
					seg = strconv.Itoa(stack[n-1].index)
				} else {
					seg = stack[n-1].key
				}
			}
			if len(stack) > 0 {
				segs = append(segs, seg)
			}
			if tok == json.Delim('{') && len(segs) <= 8 {
				starts[strings.Join(segs, "/")] = off - 1
			}
			stack = append(stack, frame{array: tok == json.Delim('['), wantKey: tok == json.Delim('{')})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
			done()
		default:
			done()
		}
	}
}

// valueStart finds where the value ending at off begins: type errors give
// the offset after the value (after the opening bracket for containers).
func (s *source) valueStart(off int64) int64 {
	i := int(max(0, min(off, int64(len(s.data)))))
	switch {
	case i == 0:
		return 0
	case s.data[i-1] == '{' || s.data[i-1] == '[':
		return int64(i - 1)
	case s.data[i-1] == '"':
		for j := i - 2; j >= 0; j-- {
			if s.data[j] == '"' && (j == 0 || s.data[j-1] != '\\') {
				return int64(j)
			}
		}
		return 0
	}
	j := i
	for j > 0 && !strings.ContainsRune(" \t\r\n:,[", rune(s.data[j-1])) {
		j--
	}
	return int64(j)
}
