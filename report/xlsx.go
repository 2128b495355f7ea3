package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

// The XLSX workbook is for people who triage in a spreadsheet: a summary
// with the heat map, then one sheet per list — threats, mitigations,
// accepted risks, compliance — each with a frozen header row and filters.

// Sheet names, in workbook order.
const (
	xlsxSummarySheet     = "Summary"
	xlsxThreatsSheet     = "Threats"
	xlsxMitigationsSheet = "Mitigations"
	xlsxAcceptedSheet    = "Accepted risks"
	xlsxComplianceSheet  = "Compliance"
)

// xlsxMaxRows is how many rows a sheet holds below its header.
const xlsxMaxRows = excelize.TotalRows - 1

// xlsxMaxCell is how many characters a cell may show; Excel refuses more
// than 32,767.
const xlsxMaxCell = 32000

// xlsxSeverityColors are the fill and font colours of severity cells.
var xlsxSeverityColors = map[risk.Severity][2]string{
	risk.Critical: {"C00000", "FFFFFF"},
	risk.High:     {"F8696B", "000000"},
	risk.Medium:   {"FFEB84", "000000"},
	risk.Low:      {"9BC2E6", "000000"},
}

// writeXLSX writes the workbook. It refuses a result with more threats
// than a sheet has rows.
func writeXLSX(w io.Writer, res *engine.Result, _ Options) error {
	if n := len(res.Threats); n > xlsxMaxRows {
		return fmt.Errorf("%d threats do not fit in a worksheet of %d rows: use the csv or json format", n, xlsxMaxRows)
	}
	f := excelize.NewFile()
	// Close removes the temporary file a long streamed sheet spills to; by
	// then the workbook is written or has failed, which is what counts.
	defer func() { _ = f.Close() }()
	summary := Summarize(res).String()
	b, err := newXLSXBook(f)
	if err != nil {
		return err
	}
	b.summarySheet(res, summary)
	b.threatsSheet(res.Threats)
	b.mitigationsSheet(res.Threats)
	b.acceptedSheet(AcceptedRisks(res))
	b.complianceSheet(ComplianceOf(res))
	b.docProps(res)
	if b.err != nil {
		return fmt.Errorf("build workbook: %w", b.err)
	}
	return f.Write(w)
}

// xlsxBook builds the workbook, keeping the first error.
type xlsxBook struct {
	f   *excelize.File
	err error
	// Style ids.
	title, bold, header, wrap int
	severity                  map[risk.Severity]int
}

func newXLSXBook(f *excelize.File) (*xlsxBook, error) {
	b := &xlsxBook{f: f, severity: map[risk.Severity]int{}}
	styles := []struct {
		id    *int
		style excelize.Style
	}{
		{&b.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&b.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&b.header, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "top"},
		}},
		{&b.wrap, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
	}
	for _, s := range styles {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return nil, err
		}
		*s.id = id
	}
	// In a fixed order: style ids are part of the file's bytes.
	for _, sev := range risk.Severities {
		c := xlsxSeverityColors[sev]
		id, err := f.NewStyle(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: c[1]},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[0]}},
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
		})
		if err != nil {
			return nil, err
		}
		b.severity[sev] = id
	}
	return b, nil
}

func (b *xlsxBook) check(err error) {
	if b.err == nil {
		b.err = err
	}
}

// docProps names the workbook after the model and dates it by the model,
// not the clock, so the same model gives the same file.
func (b *xlsxBook) docProps(res *engine.Result) {
	p := &excelize.DocProperties{Creator: "Ward", Title: "Threat assessment"}
	if m := res.Model; m != nil {
		if m.Title != "" {
			p.Title = m.Title + " — threat assessment"
		}
		if !m.Created.IsZero() {
			p.Created = m.Created.UTC().Format("2006-01-02T15:04:05Z")
		}
		if !m.Updated.IsZero() {
			p.Modified = m.Updated.UTC().Format("2006-01-02T15:04:05Z")
		}
	}
	b.check(b.f.SetDocProps(p))
}

// xlsxText cuts text a cell cannot hold, saying so.
func xlsxText(s string) string {
	if utf8.RuneCountInString(s) <= xlsxMaxCell {
		return s
	}
	rs := []rune(s)
	return string(rs[:xlsxMaxCell]) + fmt.Sprintf("… (%d more characters)", len(rs)-xlsxMaxCell)
}

func longestLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, utf8.RuneCountInString(l))
	}
	return n
}

// xlsxLabel capitalises a level for display: "critical" gives "Critical".
func xlsxLabel(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
