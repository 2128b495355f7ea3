package diff

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// threatColumns are the terminal table's columns; the last two wrap.
var threatColumns = []string{"Severity", "Status", "Threat", "Component"}

// minWrap keeps a wrapped column readable on a narrow terminal; the
// table overflows rather than going narrower.
const minWrap = 16

func writeTable(w io.Writer, d *Diff, opt Options) error {
	width := opt.Width
	if width <= 0 {
		width = DefaultWidth
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Threat model changes: %s → %s\n", d.Old.Name(), d.New.Name())
	if t := titles(d); t != "" {
		fmt.Fprintf(&b, "Model: %s\n", t)
	}
	if d.Feature != "" {
		fmt.Fprintf(&b, "Feature: %s (only its threats are compared)\n", d.Feature)
	}
	fmt.Fprintf(&b, "%s\n", d.Summary())
	for _, s := range d.sections() {
		if len(s.threats) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s (%d)\n", s.title, len(s.threats))
		b.WriteString(threatTable(s, width))
		b.WriteByte('\n')
	}
	if len(d.MitigationStatuses) > 0 {
		fmt.Fprintf(&b, "\nMitigation status changes (%d)\n", len(d.MitigationStatuses))
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, m := range d.MitigationStatuses {
			fmt.Fprintf(tw, "  %s\t%s → %s\t%s\n", m.ID, m.Old, m.New, shown(m.Title))
		}
		_ = tw.Flush() // writes to a strings.Builder, which cannot fail
	}
	if groups := d.byCategory(); len(groups) > 0 {
		fmt.Fprintf(&b, "\nModel changes (%d)\n", len(d.Elements))
		for _, g := range groups {
			writeGroup(&b, g)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// titles is the model's title, or "old → new" when it changed.
func titles(d *Diff) string {
	if d.Old.Title == d.New.Title || d.Old.Title == "" {
		return d.New.Title
	}
	if d.New.Title == "" {
		return d.Old.Title
	}
	return d.Old.Title + " → " + d.New.Title
}

var changeMark = map[Change]string{Added: "+", Removed: "-", Changed: "~"}

// writeGroup lists one category's changes, one element a line, with what
// changed indented below it.
func writeGroup(b *strings.Builder, g []Element) {
	fmt.Fprintf(b, "  %s: %s\n", g[0].Category.Plural(), counts(g))
	for _, e := range g {
		fmt.Fprintf(b, "    %s %s", changeMark[e.Change], shown(elementLabel(e)))
		if loc := location(e.Pos); loc != "" {
			fmt.Fprintf(b, "  %s", loc)
		}
		b.WriteByte('\n')
		for _, f := range e.Fields {
			fmt.Fprintf(b, "        %s\n", fieldText(f))
		}
	}
}

func threatTable(s section, width int) string {
	rows := make([][]string, len(s.threats))
	for i, t := range s.threats {
		sev, status := s.view.cells(t)
		component := t.TargetName
		if loc := location(t.Pos); loc != "" {
			component += "\n" + loc
		}
		rows[i] = []string{sev, status, t.Title + "\n" + t.ID, component}
	}
	tw := table.NewWriter()
	tw.SetStyle(table.StyleLight)
	tw.Style().Format.Header = text.FormatDefault
	tw.Style().Options.SeparateRows = true
	tw.AppendHeader(table.Row{threatColumns[0], threatColumns[1], threatColumns[2], threatColumns[3]})
	for _, r := range rows {
		tw.AppendRow(table.Row{r[0], r[1], r[2], r[3]})
	}
	limits := wrapWidths(rows, width)
	cfg := make([]table.ColumnConfig, len(threatColumns))
	for i := range threatColumns {
		cfg[i] = table.ColumnConfig{Number: i + 1, WidthMax: limits[i], WidthMaxEnforcer: wrap}
	}
	tw.SetColumnConfigs(cfg)
	return tw.Render()
}

// wrapWidths caps the two wrapping columns (threat, component) so the
// table fits width. The fixed columns keep their width; the threat column
// keeps room for its longest id, which breaks badly, and the component
// column takes the rest. 0 means no cap.
func wrapWidths(rows [][]string, width int) []int {
	natural := make([]int, len(threatColumns))
	for i, c := range threatColumns {
		natural[i] = text.StringWidthWithoutEscSequences(c)
	}
	longestID := 0
	for _, r := range rows {
		for i, cell := range r {
			lines := strings.Split(cell, "\n")
			for _, line := range lines {
				natural[i] = max(natural[i], text.StringWidthWithoutEscSequences(line))
			}
			if i == 2 {
				longestID = max(longestID, text.StringWidthWithoutEscSequences(lines[len(lines)-1]))
			}
		}
	}
	// The light style draws a border and a space either side of a cell.
	avail := width - (3*len(threatColumns) + 1) - natural[0] - natural[1]
	limits := make([]int, len(threatColumns))
	if natural[2]+natural[3] <= avail {
		return limits
	}
	limits[2] = max(min(natural[2], max(longestID, avail/2), avail-minWrap), minWrap)
	limits[3] = max(avail-limits[2], minWrap)
	return limits
}

// wrap word-wraps each line of s to width, breaking words longer than a
// line, without the padding go-pretty's wrapper adds.
func wrap(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		parts := strings.Split(text.WrapSoft(l, width), "\n")
		for j, p := range parts {
			parts[j] = strings.TrimRight(p, " ")
		}
		lines[i] = strings.Join(parts, "\n")
	}
	return strings.Join(lines, "\n")
}
