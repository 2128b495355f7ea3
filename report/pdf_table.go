package report

import "math"

// pdfColumn is one column of a PDF table.
type pdfColumn struct {
	title string
	// width is in millimetres, or a share: table scales the columns to
	// the content width.
	width float64
	align string // "L", "C" or "R"
}

// pdfCell is one cell of a PDF table.
type pdfCell struct {
	text string
	bold bool
	// fill and color override the row's background and the body colour.
	fill, color *pdfColor
	// link is an internal link (from AddLink) the cell leads to; 0 for none.
	link int
}

// Table text: size in points, line height and cell padding in millimetres.
const (
	tableSize    = 8.0
	tableLine    = 3.7
	tablePadY    = 1.3
	tablePadX    = 1.5
	tableHeadPad = 1.8
)

// table draws rows under a header row that is repeated on every page the
// table reaches. Cells wrap; a row taller than a page continues on the
// next one.
func (d *pdfDoc) table(cols []pdfColumn, rows [][]pdfCell) {
	pdf := d.pdf
	cols = d.fitColumns(cols)
	pdf.SetAutoPageBreak(false, pageBottom)
	defer pdf.SetAutoPageBreak(true, pageBottom)
	pdf.SetCellMargin(tablePadX)
	defer pdf.SetCellMargin(1)

	if pdf.GetY()+d.tableHeaderHeight(cols)+tableLine+2*tablePadY > d.bottom() {
		pdf.AddPageFormat(d.orientation(), a4)
	}
	d.tableHeader(cols)
	for i, row := range rows {
		lines := make([][]string, len(cols))
		n := 1
		for c, cell := range row {
			d.setFont(cell.bold, tableSize)
			lines[c] = pdf.SplitText(pdfText(cell.text), cols[c].width)
			n = max(n, len(lines[c]))
		}
		fill := colorWhite
		if i%2 == 1 {
			fill = colorZebra
		}
		for from := 0; from < n; {
			room := int(math.Floor((d.bottom() - pdf.GetY() - 2*tablePadY) / tableLine))
			fresh := int(math.Floor((d.bottom() - pageTop - d.tableHeaderHeight(cols) - 2*tablePadY) / tableLine))
			// Move the rest of the row to a new page when it would fit
			// there whole, or when barely a line fits here.
			if rest := n - from; room < rest && (rest <= fresh || room < 2) {
				pdf.AddPageFormat(d.orientation(), a4)
				d.tableHeader(cols)
				continue
			}
			to := min(n, from+room)
			d.tableRow(cols, row, lines, from, to, fill)
			from = to
		}
	}
	pdf.SetX(pageMargin)
	pdf.Ln(3)
}

// fitColumns scales the columns' widths to fill the content width.
func (d *pdfDoc) fitColumns(cols []pdfColumn) []pdfColumn {
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	out := make([]pdfColumn, len(cols))
	for i, c := range cols {
		c.width *= d.contentWidth() / total
		out[i] = c
	}
	return out
}

func (d *pdfDoc) tableHeaderHeight(cols []pdfColumn) float64 {
	d.setFont(true, tableSize)
	n := 1
	for _, c := range cols {
		n = max(n, len(d.pdf.SplitText(c.title, c.width)))
	}
	return float64(n)*tableLine + 2*tableHeadPad
}

func (d *pdfDoc) tableHeader(cols []pdfColumn) {
	pdf := d.pdf
	h := d.tableHeaderHeight(cols)
	x, y := pageMargin, pdf.GetY()
	d.setFillColor(colorInk)
	d.setTextColor(colorWhite)
	d.setFont(true, tableSize)
	for _, c := range cols {
		pdf.Rect(x, y, c.width, h, "F")
		for i, line := range pdf.SplitText(c.title, c.width) {
			pdf.SetXY(x, y+tableHeadPad+float64(i)*tableLine)
			pdf.CellFormat(c.width, tableLine, line, "", 0, c.align, false, 0, "")
		}
		x += c.width
	}
	d.setTextColor(colorInk)
	pdf.SetXY(pageMargin, y+h)
}

// tableRow draws lines [from, to) of every cell of a row.
func (d *pdfDoc) tableRow(cols []pdfColumn, row []pdfCell, lines [][]string, from, to int, fill pdfColor) {
	pdf := d.pdf
	h := float64(to-from)*tableLine + 2*tablePadY
	x, y := pageMargin, pdf.GetY()
	d.setDrawColor(colorRule)
	pdf.SetLineWidth(0.15)
	for c, cell := range row {
		bg := fill
		if cell.fill != nil {
			bg = *cell.fill
		}
		d.setFillColor(bg)
		pdf.Rect(x, y, cols[c].width, h, "FD")
		ink := colorInk
		if cell.color != nil {
			ink = *cell.color
		}
		d.setTextColor(ink)
		d.setFont(cell.bold, tableSize)
		for i := from; i < to && i < len(lines[c]); i++ {
			pdf.SetXY(x, y+tablePadY+float64(i-from)*tableLine)
			pdf.CellFormat(cols[c].width, tableLine, lines[c][i], "", 0, cols[c].align, false, cell.link, "")
		}
		x += cols[c].width
	}
	d.setTextColor(colorInk)
	pdf.SetXY(pageMargin, y+h)
}
