package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/wardsec/ward/risk"
)

// xlsxTable is a list sheet: a header row, then one row per entry, made a
// spreadsheet table so every column has a filter. The header row stays in
// view.
type xlsxTable struct {
	sheet string
	// name is the table's, unique in the workbook and without spaces.
	name string
	cols []xlsxColumn
	rows int
	// row gives the cells of row i (from 0): strings, ints and
	// xlsxSeverity values.
	row func(i int) []any
}

// xlsxColumn is a column of a list sheet.
type xlsxColumn struct {
	name string
	// width caps the column's width, in characters; the column is as wide
	// as its longest line up to it.
	width float64
	// wrap breaks long text into lines instead of letting it run on.
	wrap bool
}

// xlsxSeverity marks a cell to be painted with its severity's colours.
type xlsxSeverity risk.Severity

// xlsxTableStyle bands the rows lightly, leaving the severity colours
// the strongest thing on the sheet.
const xlsxTableStyle = "TableStyleLight1"

// table fills a sheet held in memory.
func (b *xlsxBook) table(t xlsxTable) {
	if b.err != nil {
		return
	}
	if _, err := b.f.NewSheet(t.sheet); err != nil {
		b.check(err)
		return
	}
	widths := t.widths()
	header := make([]any, len(t.cols))
	for i, c := range t.cols {
		header[i] = c.name
		b.check(b.f.SetColWidth(t.sheet, xlsxCol(i), xlsxCol(i), widths[i]))
		if c.wrap {
			b.check(b.f.SetColStyle(t.sheet, xlsxCol(i), b.wrap))
		}
	}
	b.check(b.f.SetSheetRow(t.sheet, "A1", &header))
	b.check(b.f.SetCellStyle(t.sheet, "A1", xlsxCol(len(t.cols)-1)+"1", b.header))
	for r := 0; r < t.rows; r++ {
		raw := t.row(r)
		cells := make([]excelize.Cell, len(raw))
		values := make([]any, len(raw))
		for i, v := range raw {
			cells[i] = b.cell(v)
			values[i] = cells[i].Value
		}
		b.check(b.f.SetSheetRow(t.sheet, fmt.Sprintf("A%d", r+2), &values))
		for i, c := range cells {
			if c.StyleID != 0 {
				ref := fmt.Sprintf("%s%d", xlsxCol(i), r+2)
				b.check(b.f.SetCellStyle(t.sheet, ref, ref, c.StyleID))
			}
		}
		if h := rowHeight(t.cols, widths, raw); h > 0 {
			b.check(b.f.SetRowHeight(t.sheet, r+2, h))
		}
	}
	b.check(b.f.SetPanes(t.sheet, xlsxFrozenHeader()))
	b.check(b.f.AddTable(t.sheet, t.spreadsheetTable()))
}

// streamTable fills a sheet row by row, writing each as it goes, for a
// list as long as a large model's threats. Only one sheet of a workbook
// may be streamed: the zip library writes streamed sheets in no fixed
// order.
func (b *xlsxBook) streamTable(t xlsxTable) {
	if b.err != nil {
		return
	}
	if _, err := b.f.NewSheet(t.sheet); err != nil {
		b.check(err)
		return
	}
	sw, err := b.f.NewStreamWriter(t.sheet)
	if err != nil {
		b.check(err)
		return
	}
	// A stream takes widths, styles and panes before its first row.
	widths := t.widths()
	header := make([]any, len(t.cols))
	for i, c := range t.cols {
		header[i] = excelize.Cell{StyleID: b.header, Value: c.name}
		b.check(sw.SetColWidth(i+1, i+1, widths[i]))
		if c.wrap {
			b.check(sw.SetColStyle(i+1, i+1, b.wrap))
		}
	}
	b.check(sw.SetPanes(xlsxFrozenHeader()))
	b.check(sw.SetRow("A1", header))
	for r := 0; r < t.rows && b.err == nil; r++ {
		raw := t.row(r)
		cells := make([]any, len(raw))
		for i, v := range raw {
			cells[i] = b.cell(v)
		}
		b.check(sw.SetRow(fmt.Sprintf("A%d", r+2), cells, excelize.RowOpts{Height: rowHeight(t.cols, widths, raw)}))
	}
	b.check(sw.AddTable(t.spreadsheetTable()))
	b.check(sw.Flush())
}

// cell is what a sheet shows for a row's value, with its style.
func (b *xlsxBook) cell(v any) excelize.Cell {
	switch v := v.(type) {
	case string:
		return excelize.Cell{Value: xlsxText(v)}
	case xlsxSeverity:
		return excelize.Cell{Value: string(v), StyleID: b.severity[risk.Severity(v)]}
	default:
		return excelize.Cell{Value: v}
	}
}

func (t xlsxTable) spreadsheetTable() *excelize.Table {
	// A table spans at least one row below its header, even an empty one.
	return &excelize.Table{
		Range:     fmt.Sprintf("A1:%s%d", xlsxCol(len(t.cols)-1), max(t.rows, 1)+1),
		Name:      t.name,
		StyleName: xlsxTableStyle,
	}
}

// widths sizes each column to its longest line, within the column's cap,
// leaving room for the header and its filter button.
func (t xlsxTable) widths() []float64 {
	natural := make([]int, len(t.cols))
	for r := 0; r < t.rows; r++ {
		for i, v := range t.row(r) {
			natural[i] = max(natural[i], longestLine(fmt.Sprint(v)))
		}
	}
	widths := make([]float64, len(t.cols))
	for i, c := range t.cols {
		widths[i] = max(float64(utf8.RuneCountInString(c.name)+4), min(float64(natural[i]+2), c.width))
	}
	return widths
}

func xlsxFrozenHeader() *excelize.Panes {
	return &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}
}

// xlsxLineHeight is the height of a line of text at the default font, in
// points; xlsxMaxLines caps a row so one long cell does not fill the
// screen.
const (
	xlsxLineHeight = 15
	xlsxMaxLines   = 12
)

// rowHeight estimates how tall a row's wrapped cells need it to be, since
// spreadsheets do not fit rows to the wrapped text of a file they open; 0
// keeps the default height.
func rowHeight(cols []xlsxColumn, widths []float64, row []any) float64 {
	lines := 1
	for i, v := range row {
		s, ok := v.(string)
		if !ok || !cols[i].wrap {
			continue
		}
		n := 0
		perLine := max(int(widths[i])-1, 1)
		for _, l := range strings.Split(s, "\n") {
			n += max(1, (utf8.RuneCountInString(l)+perLine-1)/perLine)
		}
		lines = max(lines, n)
	}
	if lines == 1 {
		return 0
	}
	return float64(min(lines, xlsxMaxLines) * xlsxLineHeight)
}

func xlsxCol(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1) // i is a column of a short list
	return name
}
