package report

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

// assessmentColumns are the threat assessment's columns.
var assessmentColumns = []string{"Component", "Actor", "Scenario", "STRIDE", "Severity", "Mitigation", "Status"}

// columns are the terminal table's: a row number, which the list of threat
// ids below the table refers to, then the assessment's.
var columns = append([]string{"#"}, assessmentColumns...)

const severityColumn = 5

// weights share the width left after the fixed columns among the columns
// that wrap; 0 marks a fixed column, never wrapped.
var weights = []int{0, 2, 2, 5, 0, 0, 4, 0}

// labels are the columns holding names (component, actor). They keep
// their natural width up to labelMax, so names do not break, as long as
// the prose columns keep at least half the width.
var labels = []bool{false, true, true, false, false, false, false, false}

const labelMax = 24

// tableOverhead is what the light box style adds around n columns: a
// border and a space of padding on each side of every cell.
func tableOverhead(n int) int { return 3*n + 1 }

// minWrapWidth keeps wrapped columns readable on narrow terminals; the
// table overflows rather than shrinking a column below it or its header.
const minWrapWidth = 8

// ANSI colours for severities. They are written directly, not through
// go-pretty's colours, so Options.Color alone decides (go-pretty also
// consults the environment).
var severityColor = map[risk.Severity]string{
	risk.Critical: "\x1b[1;31m",
	risk.High:     "\x1b[31m",
	risk.Medium:   "\x1b[33m",
	risk.Low:      "\x1b[36m",
}

const colorReset = "\x1b[0m"

func renderTable(res *engine.Result, opt Options) []byte {
	width := opt.Width
	if width <= 0 {
		width = DefaultWidth
	}
	var b strings.Builder
	h := headerOf(res.Model)
	para := func(label, s string) {
		if s == "" {
			return
		}
		if label != "" {
			s = label + ": " + s
		}
		b.WriteString(wrap(s, width))
		b.WriteByte('\n')
	}
	title := "Threat assessment"
	if h.title != "" {
		title = h.title + " — threat assessment"
	}
	para("", title)
	para("Scope", h.scope)
	para("Authors", h.authors)
	if h.dates != "" {
		para("", strings.ToUpper(h.dates[:1])+h.dates[1:])
	}
	b.WriteByte('\n')

	if len(res.Threats) > 0 {
		b.WriteString(assessmentTable(res.Threats, width, opt.Color))
		b.WriteString("\n\nThreat ids, for mitigations and accepted risks:\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for i, t := range res.Threats {
			fmt.Fprintf(tw, "%4d\t%s\t%s\n", i+1, t.ID, t.Location)
		}
		_ = tw.Flush() // writes to a strings.Builder, which cannot fail
		b.WriteByte('\n')
	}
	para("", Summarize(res).String())
	return []byte(b.String())
}

func assessmentTable(threats []*engine.Threat, width int, color bool) string {
	rows := make([][]string, len(threats))
	for i, t := range threats {
		rows[i] = []string{
			strconv.Itoa(i + 1),
			t.TargetName,
			t.Actor,
			t.Scenario,
			strideLetters(t.Stride),
			strings.ToUpper(string(t.Severity)),
			strings.Join(mitigationLines(t.Mitigations), "\n"),
			string(t.Status),
		}
	}
	limits := columnWidths(rows, width)

	tw := table.NewWriter()
	tw.SetStyle(table.StyleLight)
	tw.Style().Options.SeparateRows = true
	tw.Style().Format.Header = text.FormatDefault
	header := make(table.Row, len(columns))
	for i, c := range columns {
		header[i] = c
	}
	tw.AppendHeader(header)
	for i, r := range rows {
		row := make(table.Row, len(r))
		for j, cell := range r {
			row[j] = cell
		}
		if c, ok := severityColor[threats[i].Severity]; color && ok {
			row[severityColumn] = c + r[severityColumn] + colorReset
		}
		tw.AppendRow(row)
	}
	cfg := make([]table.ColumnConfig, len(columns))
	for i := range columns {
		cfg[i] = table.ColumnConfig{Number: i + 1, WidthMax: limits[i], WidthMaxEnforcer: wrap}
	}
	tw.SetColumnConfigs(cfg)
	return tw.Render()
}

// columnWidths returns the maximum width of each column (0: no limit) so
// the table fits in width. Fixed columns keep their natural width. Each
// wrapped column first gets a minimum (its header, at least minWrapWidth);
// the rest of the width goes to the columns in proportion to their
// weights, a column needing less than its share leaving the surplus to the
// others. When even the minimums do not fit, the table is wider than width.
func columnWidths(rows [][]string, width int) []int {
	natural := make([]int, len(columns))
	for _, r := range rows {
		for i, cell := range r {
			for _, line := range strings.Split(cell, "\n") {
				natural[i] = max(natural[i], text.StringWidthWithoutEscSequences(line))
			}
		}
	}
	avail := width - tableOverhead(len(columns))
	total := 0
	for i, c := range columns {
		natural[i] = max(natural[i], text.StringWidthWithoutEscSequences(c))
		total += natural[i]
	}
	limits := make([]int, len(columns))
	if total <= avail {
		return limits
	}
	for i, w := range weights {
		if w == 0 {
			avail -= natural[i]
		}
	}
	labelWidth := 0
	for i, l := range labels {
		if l {
			labelWidth += min(natural[i], labelMax)
		}
	}
	need := make([]int, len(columns))
	for i, c := range columns {
		if weights[i] == 0 {
			continue
		}
		limits[i] = min(natural[i], max(text.StringWidthWithoutEscSequences(c), minWrapWidth))
		if labels[i] && 2*labelWidth <= avail {
			limits[i] = min(natural[i], labelMax)
		}
		need[i] = natural[i] - limits[i]
	}
	for _, l := range limits {
		avail -= l
	}
	share(limits, need, avail)
	return limits
}

// share hands avail out to the columns with a need, in proportion to their
// weights: columns whose need fits in their share take it; repeat until the
// remaining columns all need more than their share, then split what is
// left. It adds to limits.
func share(limits, need []int, avail int) {
	for avail > 0 {
		sum := 0
		for i, n := range need {
			if n > 0 {
				sum += weights[i]
			}
		}
		if sum == 0 {
			break
		}
		settled := false
		for i, n := range need {
			if n > 0 && n*sum <= avail*weights[i] {
				limits[i] += n
				avail -= n
				need[i] = 0
				settled = true
			}
		}
		if settled {
			continue
		}
		for i, n := range need {
			if n > 0 {
				limits[i] += avail * weights[i] / sum
			}
		}
		break
	}
}

// wrap word-wraps each line of s to width, breaking words longer than a
// line, and drops the padding go-pretty's wrapper adds.
func wrap(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		w := text.WrapSoft(l, width)
		parts := strings.Split(w, "\n")
		for j, p := range parts {
			parts[j] = strings.TrimRight(p, " ")
		}
		lines[i] = strings.Join(parts, "\n")
	}
	return strings.Join(lines, "\n")
}
