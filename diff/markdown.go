package diff

import (
	"fmt"
	"io"
	"strings"

	"github.com/wardsec/ward/internal/mdtext"
)

// writeMarkdown writes a pull-request comment: the summary line first,
// then a collapsible section per kind of change. New threats start open:
// they are what a reviewer must see.
func writeMarkdown(w io.Writer, d *Diff, _ Options) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	scope := code(d.Old.Name()) + " → " + code(d.New.Name())
	if d.Feature != "" {
		scope += ", feature " + code(d.Feature)
	}
	p("**Threat model changes** (%s): %s\n", scope, mdtext.Text(d.Summary().String()))
	for _, s := range d.sections() {
		if len(s.threats) == 0 {
			continue
		}
		open := ""
		if s.view == newSide {
			open = " open"
		}
		p("\n<details%s><summary><b>%s (%d)</b></summary>\n\n", open, s.title, len(s.threats))
		p("| Severity | Status | Threat | Component |\n| --- | --- | --- | --- |\n")
		for _, t := range s.threats {
			sev, status := s.view.cells(t)
			component := mdtext.Text(t.TargetName)
			if loc := location(t.Pos); loc != "" {
				component += "<br>" + codeCell(loc)
			}
			p("| %s | %s | %s<br>%s | %s |\n", mdtext.Text(sev), mdtext.Text(status), mdtext.Text(t.Title), codeCell(t.ID), component)
		}
		p("\n</details>\n")
	}
	if len(d.MitigationStatuses) > 0 {
		p("\n<details><summary><b>Mitigation status changes (%d)</b></summary>\n\n", len(d.MitigationStatuses))
		p("| Mitigation | Status |\n| --- | --- |\n")
		for _, m := range d.MitigationStatuses {
			p("| %s<br>%s | %s → %s |\n", mdtext.Text(m.Title), codeCell(m.ID), mdtext.Text(string(m.Old)), mdtext.Text(string(m.New)))
		}
		p("\n</details>\n")
	}
	for _, g := range d.byCategory() {
		title := g[0].Category.Plural()
		title = strings.ToUpper(title[:1]) + title[1:]
		p("\n<details><summary><b>%s: %s</b></summary>\n\n", title, counts(g))
		p("| Change | Element | What changed |\n| --- | --- | --- |\n")
		for _, e := range g {
			label := codeCell(e.ID)
			if e.Category == Header {
				label = "header"
			}
			if e.Name != "" && e.Name != e.ID && e.Category != Header {
				label += " " + mdtext.Text(e.Name)
			}
			var what []string
			for _, f := range e.Fields {
				what = append(what, codeCell(f.Name)+": "+mdtext.Text(shown(f.Old))+" → "+mdtext.Text(shown(f.New)))
			}
			if loc := location(e.Pos); len(what) == 0 && loc != "" {
				what = append(what, "at "+codeCell(loc))
			}
			p("| %s | %s | %s |\n", e.Change, label, strings.Join(what, "<br>"))
		}
		p("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// code is a code span of s, or nothing for blank text.
func code(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return mdtext.Code(s)
}

// codeCell is a code span inside a table cell, where a pipe, even in
// code, ends the cell unless escaped.
func codeCell(s string) string {
	return strings.ReplaceAll(code(s), "|", `\|`)
}
