package diff

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wardsec/ward/model"
)

// Format names accepted by Write.
const (
	Table    = "table"
	JSON     = "json"
	Markdown = "markdown"
)

// ErrUnknownFormat is returned by Write for a format it does not know.
var ErrUnknownFormat = errors.New("unknown diff format")

// DefaultWidth is the table width used when Options.Width is zero.
const DefaultWidth = 120

// Options tune how a diff looks; formats ignore what does not apply.
type Options struct {
	// Width is the terminal width the table wraps to; zero means
	// DefaultWidth.
	Width int
}

var writers = []struct {
	name  string
	exts  []string
	write func(io.Writer, *Diff, Options) error
}{
	{Table, []string{".txt"}, writeTable},
	{JSON, []string{".json"}, writeJSON},
	{Markdown, []string{".md", ".markdown"}, writeMarkdown},
}

// Formats lists the format names Write accepts.
func Formats() []string {
	names := make([]string, len(writers))
	for i, f := range writers {
		names[i] = f.name
	}
	return names
}

// FormatOf names the format a file's extension asks for ("json" for
// "changes.json"); ok is false for an extension no format claims.
func FormatOf(path string) (format string, ok bool) {
	lower := strings.ToLower(path)
	for _, f := range writers {
		for _, ext := range f.exts {
			if strings.HasSuffix(lower, ext) {
				return f.name, true
			}
		}
	}
	return "", false
}

// Write renders d in the named format to w. It returns ErrUnknownFormat,
// wrapped with the valid names, for any other format (writing nothing),
// and the first error from w.
func Write(w io.Writer, format string, d *Diff, opt Options) error {
	if d == nil {
		return errors.New("diff: nil diff")
	}
	for _, f := range writers {
		if f.name == format {
			if err := f.write(w, d, opt); err != nil {
				return fmt.Errorf("write %s diff: %w", format, err)
			}
			return nil
		}
	}
	return fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, format, strings.Join(Formats(), ", "))
}

// shown is a value for a human: "unset" for "", long text cut short.
func shown(s string) string {
	if s == "" {
		return "unset"
	}
	const limit = 60
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return s
}

// fieldText is "name: old → new".
func fieldText(f Field) string {
	return f.Name + ": " + shown(f.Old) + " → " + shown(f.New)
}

// sections are the threat lists in the order text formats show them.
func (d *Diff) sections() []section {
	return []section{
		{"New threats", d.NewThreats, newSide},
		{"Resolved threats", d.Resolved, oldSide},
		{"Re-ranked threats", d.Reranked, severityMoved},
		{"Threat status changes", d.StatusChanged, statusMoved},
	}
}

type section struct {
	title   string
	threats []Threat
	view    view
}

// view says which state a threat list shows and what moved.
type view int

const (
	newSide view = iota
	oldSide
	severityMoved
	statusMoved
)

// cells are the Severity and Status cells of a threat in a view.
func (v view) cells(t Threat) (severity, status string) {
	switch v {
	case oldSide:
		return upper(t.Old.Severity), string(t.Old.Status)
	case severityMoved:
		return upper(t.Old.Severity) + " → " + upper(t.New.Severity), string(t.New.Status)
	case statusMoved:
		return upper(t.New.Severity), string(t.Old.Status) + " → " + string(t.New.Status)
	}
	return upper(t.New.Severity), string(t.New.Status)
}

func upper[T ~string](s T) string { return strings.ToUpper(string(s)) }

// location is p as file:line:col, or "" when unknown.
func location(p model.Pos) string {
	if p.File == "" {
		return ""
	}
	return p.String()
}

// byCategory groups the element changes by category, in Categories order.
func (d *Diff) byCategory() [][]Element {
	var out [][]Element
	for _, c := range Categories {
		var group []Element
		for _, e := range d.Elements {
			if e.Category == c {
				group = append(group, e)
			}
		}
		if len(group) > 0 {
			out = append(out, group)
		}
	}
	return out
}

// counts is "1 added, 2 changed" for a group of element changes.
func counts(es []Element) string {
	n := map[Change]int{}
	for _, e := range es {
		n[e.Change]++
	}
	var parts []string
	for _, c := range []Change{Added, Removed, Changed} {
		if n[c] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[c], c))
		}
	}
	return strings.Join(parts, ", ")
}

// elementLabel is "id (name)", the name left out when it adds nothing;
// the model header reads "header".
func elementLabel(e Element) string {
	id := e.ID
	if e.Category == Header {
		id = "header"
	}
	if e.Name == "" || e.Name == e.ID || e.Category == Header {
		return id
	}
	return id + " (" + e.Name + ")"
}
