// Package report writes Ward's threat assessment — one row per threat:
// component, actor, scenario, STRIDE, severity, mitigation and status — as a
// terminal table, JSON or Markdown.
package report

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Format names accepted by Write.
const (
	Table    = "table"
	JSON     = "json"
	Markdown = "markdown"
	HTML     = "html"
	PDF      = "pdf"
	XLSX     = "xlsx"
	CSV      = "csv"
	SARIF    = "sarif"
)

// ErrUnknownFormat is returned by Write for a format it does not know; the
// error names the valid ones.
var ErrUnknownFormat = errors.New("unknown report format")

// DefaultWidth is the table width used when Options.Width is zero.
const DefaultWidth = 120

// Options tune how a report looks. Formats ignore the options that do not
// apply to them.
type Options struct {
	// Color paints severities with ANSI colours (table only). Set it only
	// when writing to a terminal.
	Color bool
	// Width is the terminal width the table wraps its columns to; zero
	// means DefaultWidth.
	Width int
	// SourceRoot is the directory the SARIF report's file locations are
	// relative to, usually the repository's root; empty means the working
	// directory.
	SourceRoot string
}

// writer renders a result in one format.
type writer func(w io.Writer, res *engine.Result, opt Options) error

// writers holds every format, in the order Formats lists them.
var writers = []struct {
	name   string
	binary bool
	exts   []string
	write  writer
}{
	{Table, false, []string{".txt"}, func(w io.Writer, res *engine.Result, opt Options) error {
		return writeAll(w, renderTable(res, opt))
	}},
	{JSON, false, []string{".json"}, writeJSON},
	{Markdown, false, []string{".md", ".markdown"}, func(w io.Writer, res *engine.Result, _ Options) error {
		return writeAll(w, renderMarkdown(res))
	}},
	{HTML, false, []string{".html", ".htm"}, writeHTML},
	{PDF, true, []string{".pdf"}, writePDF},
	{XLSX, true, []string{".xlsx"}, writeXLSX},
	{CSV, false, []string{".csv"}, writeCSV},
	{SARIF, false, []string{".sarif", ".sarif.json"}, writeSARIF},
}

// Formats lists the format names Write accepts.
func Formats() []string {
	names := make([]string, len(writers))
	for i, f := range writers {
		names[i] = f.name
	}
	return names
}

// Binary reports whether the format is not text (PDF, XLSX): such output
// belongs in a file, not on a terminal.
func Binary(format string) bool {
	for _, f := range writers {
		if f.name == format {
			return f.binary
		}
	}
	return false
}

// FormatOf names the format a file's extension asks for, e.g. "html" for
// "report.html"; ok is false for an extension no format claims.
func FormatOf(path string) (format string, ok bool) {
	lower := strings.ToLower(path)
	best := ""
	for _, f := range writers {
		for _, ext := range f.exts {
			// The longest match wins: ".sarif.json" over ".json".
			if strings.HasSuffix(lower, ext) && len(ext) > len(best) {
				best, format = ext, f.name
			}
		}
	}
	return format, best != ""
}

// Write renders res in the named format to w. It returns ErrUnknownFormat,
// wrapped with the valid names, for any other format, and the first error
// from w. It writes nothing when the format is unknown.
func Write(w io.Writer, format string, res *engine.Result, opt Options) error {
	if res == nil {
		return errors.New("report: nil result")
	}
	for _, f := range writers {
		if f.name == format {
			if err := f.write(w, res, opt); err != nil {
				return fmt.Errorf("write %s report: %w", format, err)
			}
			return nil
		}
	}
	return fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, format, strings.Join(Formats(), ", "))
}

func writeAll(w io.Writer, b []byte) error {
	_, err := w.Write(b)
	return err
}

// Summary counts a result's threats. Open counts the unresolved threats —
// status open, mitigation-planned or acceptance-expired — the ones a CI gate
// counts; it is not only those whose status is "open".
type Summary struct {
	Total int
	// Open is the number of unresolved threats.
	Open           int
	BySeverity     map[risk.Severity]int
	ByStatus       map[engine.Status]int
	OpenBySeverity map[risk.Severity]int
}

// Summarize counts res's threats by severity and by status, and the
// unresolved ones by severity. Every map is non-nil.
func Summarize(res *engine.Result) Summary {
	s := Summary{
		BySeverity:     map[risk.Severity]int{},
		ByStatus:       map[engine.Status]int{},
		OpenBySeverity: map[risk.Severity]int{},
	}
	if res == nil {
		return s
	}
	for _, t := range res.Threats {
		s.Total++
		s.BySeverity[t.Severity]++
		s.ByStatus[t.Status]++
		if t.Status.Unresolved() {
			s.Open++
			s.OpenBySeverity[t.Severity]++
		}
	}
	return s
}

// String is the one-line summary the table and Markdown print, e.g.
// "3 threats: 1 high, 2 medium; 2 open: 1 high, 1 medium".
func (s Summary) String() string {
	if s.Total == 0 {
		return "No threats found."
	}
	line := fmt.Sprintf("%s: %s", plural(s.Total, "threat"), severityCounts(s.BySeverity))
	if s.Open == 0 {
		return line + "; none open."
	}
	return fmt.Sprintf("%s; %d open: %s.", line, s.Open, severityCounts(s.OpenBySeverity))
}

// severityCounts lists the non-zero counts, most severe first.
func severityCounts(m map[risk.Severity]int) string {
	var parts []string
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		if n := m[risk.Severities[i]]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, risk.Severities[i]))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// strideLetters is the short form, e.g. "TR".
func strideLetters(ss []model.Stride) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.Letter())
	}
	return b.String()
}

func strideNames(ss []model.Stride) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name()
	}
	return out
}

// maxSuggested is how many library suggestions the assessment table shows
// for a threat; the team's own mitigations are shown up to maxAdopted.
const (
	maxSuggested = 1
	maxAdopted   = 2
)

// mitigationLines is the table's Mitigation cell, one line per mitigation:
// the first titles with their status, then how many more there are.
func mitigationLines(ms []engine.Mitigation) []string {
	if len(ms) == 0 {
		return []string{"none"}
	}
	limit := maxAdopted
	if !ms[0].FromModel {
		limit = maxSuggested
	}
	var out []string
	for i, m := range ms {
		if i == limit {
			out = append(out, fmt.Sprintf("(+%d more)", len(ms)-limit))
			break
		}
		out = append(out, fmt.Sprintf("%s (%s)", m.Title, m.Status))
	}
	return out
}

// otherActors are the actors able to carry out a threat besides its most
// likely one.
func otherActors(info *engine.Info) []string {
	var out []string
	for _, a := range info.Actors {
		if a != info.Actor {
			out = append(out, a)
		}
	}
	return out
}

// complianceItems lists a threat's requirements, one line per framework
// in name order: "pci-dss-4.0: 3.5.1, 4.2.1".
func complianceItems(c map[string][]string) []string {
	items := make([]string, 0, len(c))
	for _, fw := range slices.Sorted(maps.Keys(c)) {
		items = append(items, fw+": "+strings.Join(c[fw], ", "))
	}
	return items
}

// location is the target's position as file:line:col, or "" when unknown.
func location(p model.Pos) string {
	if p.File == "" {
		return ""
	}
	return p.String()
}

// header is what every text format prints above the table.
type header struct {
	title, scope, authors, dates string
}

func headerOf(m *model.Model) header {
	var h header
	if m == nil {
		return h
	}
	h.title = m.Title
	h.scope = m.Scope.Statement
	if m.Scope.Covers != "" {
		cov := "covers " + string(m.Scope.Covers)
		if m.Scope.Covers == model.CoversBoth {
			cov = "covers the application and the platform"
		}
		if h.scope == "" {
			h.scope = cov
		} else {
			h.scope += " (" + cov + ")"
		}
	}
	h.authors = strings.Join(m.Authors, ", ")
	var dates []string
	if d := m.Created.String(); d != "" {
		dates = append(dates, "created "+d)
	}
	if d := m.Updated.String(); d != "" {
		dates = append(dates, "updated "+d)
	}
	h.dates = strings.Join(dates, ", ")
	return h
}
