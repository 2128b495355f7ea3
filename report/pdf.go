package report

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/mdtext"
	"github.com/wardsec/ward/risk"
)

// writePDF renders the printable threat assessment: a title page with the
// summary, heat map and contents, the data-flow diagram, the assessment
// table (landscape), each threat in detail, accepted risks, the compliance
// summary and warnings. The same result always gives the same bytes.
func writePDF(w io.Writer, res *engine.Result, _ Options) error {
	d := newPDFDoc(res)
	d.render()
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("lay out pdf: %w", err)
	}
	return d.pdf.Output(w)
}

// Page geometry in millimetres (A4).
const (
	pageMargin       = 16.0
	pageTop          = 20.0 // below the running header
	pageBottom       = 16.0 // above the footer
	headerY          = 8.0
	footerFromBottom = 10.0
)

var a4 = fpdf.SizeType{Wd: 210, Ht: 297}

// Page orientations; landscape pages hold the wide assessment table and
// wide diagrams.
const (
	portrait  = "P"
	landscape = "L"
)

// pagesAlias is replaced by the page count when the document is written.
const pagesAlias = "{nb}"

// fixedDate dates a document whose model carries no date, so the output
// never depends on the clock.
var fixedDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// pdfColor is an RGB colour.
type pdfColor struct{ r, g, b int }

var (
	colorInk    = pdfColor{31, 41, 55}
	colorMuted  = pdfColor{107, 114, 128}
	colorAccent = pdfColor{30, 64, 120}
	colorRule   = pdfColor{209, 213, 219}
	colorZebra  = pdfColor{243, 244, 246}
	colorPanel  = pdfColor{241, 245, 249}
	colorWhite  = pdfColor{255, 255, 255}
)

// pdfSeverityColors are a severity's fill and the text colour that reads
// on it, the ones the embedded diagram uses.
var pdfSeverityColors = map[risk.Severity][2]pdfColor{
	risk.Critical: {{166, 30, 77}, colorWhite},
	risk.High:     {{224, 49, 49}, colorWhite},
	risk.Medium:   {{245, 159, 0}, colorInk},
	risk.Low:      {{25, 113, 194}, colorWhite},
}

func pdfSeverityColor(s risk.Severity) (fill, text pdfColor) {
	c, ok := pdfSeverityColors[s]
	if !ok {
		return colorRule, colorInk
	}
	return c[0], c[1]
}

// pdfTint mixes c with white; share is how much of c is kept.
func pdfTint(c pdfColor, share float64) pdfColor {
	mix := func(v int) int { return int(math.Round(float64(v)*share + 255*(1-share))) }
	return pdfColor{mix(c.r), mix(c.g), mix(c.b)}
}

// pdfDoc is one PDF report being laid out.
type pdfDoc struct {
	pdf *fpdf.Fpdf
	res *engine.Result
	// title is the model's title, shown in every page's header.
	title string
	// section names the part being written, shown in the header.
	section string
	// sections are the contents, with links and page aliases.
	sections []*pdfSection
	// threatLinks lead from the assessment table to each threat's details.
	threatLinks []int
	// accepted and compliance are computed once, for the contents and
	// their sections.
	accepted   []AcceptedRisk
	compliance []Framework
}

// pdfSection is an entry of the contents.
type pdfSection struct {
	title string
	link  int
	alias string // replaced by the section's page number
	page  int
}

func newPDFDoc(res *engine.Result) *pdfDoc {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: portrait, UnitStr: "mm", Size: a4})
	d := &pdfDoc{pdf: pdf, res: res}
	addFonts(pdf)
	pdf.SetMargins(pageMargin, pageTop, pageMargin)
	pdf.SetAutoPageBreak(true, pageBottom)
	pdf.AliasNbPages(pagesAlias)
	pdf.SetCatalogSort(true)
	h := headerOf(res.Model)
	d.title = h.title
	date := fixedDate
	if m := res.Model; m != nil {
		switch {
		case !m.Updated.IsZero():
			date = m.Updated.Time
		case !m.Created.IsZero():
			date = m.Created.Time
		}
	}
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	docTitle := "Threat assessment"
	if h.title != "" {
		docTitle += ": " + h.title
	}
	setInfo(pdf.SetTitle, docTitle)
	setInfo(pdf.SetAuthor, h.authors)
	// The summary is the document's subject, so file managers and search
	// tools can show it without opening the file.
	setInfo(pdf.SetSubject, Summarize(res).String())
	setInfo(pdf.SetCreator, "Ward")
	setInfo(pdf.SetProducer, "Ward")
	pdf.SetLang("en")
	pdf.SetHeaderFunc(d.pageHeader)
	pdf.SetFooterFunc(d.pageFooter)
	return d
}

// setInfo sets a document property, as UTF-16 only when s needs it so
// plain text stays readable in the file.
func setInfo(set func(string, bool), s string) {
	if s == "" {
		return
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x7f || s[i] < ' ' {
			set(s, true)
			return
		}
	}
	set(s, false)
}

func (d *pdfDoc) render() {
	d.accepted, d.compliance = AcceptedRisks(d.res), ComplianceOf(d.res)
	d.planSections()
	d.coverPage()
	d.diagramSection()
	if len(d.res.Threats) > 0 {
		d.assessmentSection()
		d.detailSection()
	}
	if len(d.accepted) > 0 {
		d.acceptedSection(d.accepted)
	}
	if len(d.compliance) > 0 {
		d.complianceSection(d.compliance)
	}
	d.warningSection()
	for _, s := range d.sections {
		d.pdf.RegisterAlias(s.alias, fmt.Sprint(s.page))
	}
}

// planSections lists the contents before the pages are laid out; each
// section's page number is filled in when it starts.
func (d *pdfDoc) planSections() {
	var titles []string
	if len(d.res.Threats) > 0 {
		titles = append(titles, sectionHeatMap)
	}
	if hasDiagram(d.res) {
		titles = append(titles, sectionDiagram)
	}
	if len(d.res.Threats) > 0 {
		titles = append(titles, sectionAssessment, sectionDetails)
	}
	if len(d.accepted) > 0 {
		titles = append(titles, sectionAccepted)
	}
	if len(d.compliance) > 0 {
		titles = append(titles, sectionCompliance)
	}
	if len(d.res.Warnings) > 0 {
		titles = append(titles, sectionWarnings)
	}
	for i, t := range titles {
		d.sections = append(d.sections, &pdfSection{title: t, link: d.pdf.AddLink(), alias: fmt.Sprintf("{s%d}", i+1)})
	}
}

// Section titles, shared by the contents, the headings and the header.
const (
	sectionHeatMap    = "Heat map"
	sectionDiagram    = "Data-flow diagram"
	sectionAssessment = "Assessment"
	sectionDetails    = "Threats in detail"
	sectionAccepted   = "Accepted risks"
	sectionCompliance = "Compliance"
	sectionWarnings   = "Warnings"
)

// startSection begins a section: on a new page in the given orientation
// when newPage is set, with its heading, bookmark and contents link.
func (d *pdfDoc) startSection(title, orientation string, newPage bool) {
	d.section = title
	if newPage {
		d.pdf.AddPageFormat(orientation, a4)
	} else {
		// Room for the heading and a first line or two.
		d.ensureSpace(22)
	}
	d.pdf.Bookmark(title, 0, -1)
	for _, s := range d.sections {
		if s.title == title {
			d.pdf.SetLink(s.link, -1, d.pdf.PageNo())
			s.page = d.pdf.PageNo()
		}
	}
	d.setFont(true, 16)
	d.setTextColor(colorAccent)
	d.pdf.CellFormat(0, 9, title, "", 1, "L", false, 0, "")
	d.pdf.Ln(2)
	d.setTextColor(colorInk)
}

// subheading is a heading inside a section, kept with what follows.
func (d *pdfDoc) subheading(text string) {
	d.ensureSpace(25)
	d.pdf.Ln(2)
	d.setFont(true, 11.5)
	d.setTextColor(colorAccent)
	d.pdf.MultiCell(0, 6, pdfText(text), "", "L", false)
	d.pdf.Ln(1)
	d.setTextColor(colorInk)
}

// ensureSpace starts a page, in the current orientation, when less than
// h millimetres remain on this one.
func (d *pdfDoc) ensureSpace(h float64) {
	if d.pdf.GetY()+h > d.bottom() {
		d.pdf.AddPageFormat(d.orientation(), a4)
	}
}

func (d *pdfDoc) orientation() string {
	if w, h := d.pdf.GetPageSize(); w > h {
		return landscape
	}
	return portrait
}

// bottom is the lowest y the page's content may reach.
func (d *pdfDoc) bottom() float64 {
	_, h := d.pdf.GetPageSize()
	return h - pageBottom
}

// contentWidth is the width between the margins.
func (d *pdfDoc) contentWidth() float64 {
	w, _ := d.pdf.GetPageSize()
	return w - 2*pageMargin
}

func (d *pdfDoc) pageHeader() {
	if d.pdf.PageNo() == 1 {
		return
	}
	w, _ := d.pdf.GetPageSize()
	d.setFont(true, 8)
	d.setTextColor(colorMuted)
	d.pdf.SetXY(pageMargin, headerY)
	title := d.title
	if title == "" {
		title = "Threat assessment"
	}
	half := (w - 2*pageMargin) / 2
	d.pdf.CellFormat(half, 5, fitText(d.pdf, pdfText(title), half), "", 0, "L", false, 0, "")
	d.setFont(false, 8)
	d.pdf.CellFormat(half, 5, d.section, "", 0, "R", false, 0, "")
	d.setDrawColor(colorRule)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(pageMargin, headerY+6, w-pageMargin, headerY+6)
	d.pdf.SetXY(pageMargin, pageTop)
	d.setTextColor(colorInk)
}

func (d *pdfDoc) pageFooter() {
	w, h := d.pdf.GetPageSize()
	y := h - footerFromBottom
	d.setDrawColor(colorRule)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(pageMargin, y-1.5, w-pageMargin, y-1.5)
	d.setFont(false, 8)
	d.setTextColor(colorMuted)
	d.pdf.SetXY(pageMargin, y)
	half := (w - 2*pageMargin) / 2
	d.pdf.CellFormat(half, 5, "Ward threat assessment", "", 0, "L", false, 0, "")
	d.pdf.CellFormat(half, 5, fmt.Sprintf("Page %d of %s", d.pdf.PageNo(), pagesAlias), "", 0, "R", false, 0, "")
	d.setTextColor(colorInk)
}

func (d *pdfDoc) setFont(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(fontFamily, style, size)
}

func (d *pdfDoc) setTextColor(c pdfColor) { d.pdf.SetTextColor(c.r, c.g, c.b) }
func (d *pdfDoc) setFillColor(c pdfColor) { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *pdfDoc) setDrawColor(c pdfColor) { d.pdf.SetDrawColor(c.r, c.g, c.b) }

// Body text: size in points and line height in millimetres.
const (
	bodySize   = 9.5
	bodyLine   = 4.7
	labelWidth = 36.0
)

// note writes a muted remark.
func (d *pdfDoc) note(text string) {
	d.setTextColor(colorMuted)
	d.setFont(false, 9)
	d.pdf.MultiCell(0, 4.5, pdfText(text), "", "L", false)
	d.setTextColor(colorInk)
}

// field writes a bold label and its wrapped value on one line.
func (d *pdfDoc) field(label, value string) {
	if value == "" {
		return
	}
	d.ensureSpace(bodyLine)
	d.pdf.SetX(pageMargin)
	d.setFont(true, bodySize)
	d.setTextColor(colorMuted)
	d.pdf.CellFormat(labelWidth, bodyLine, label, "", 0, "L", false, 0, "")
	d.setTextColor(colorInk)
	d.setFont(false, bodySize)
	d.pdf.MultiCell(0, bodyLine, pdfText(value), "", "L", false)
}

// list writes a labelled bulleted list; nothing when items is empty.
func (d *pdfDoc) list(label string, items []string) {
	if len(items) == 0 {
		return
	}
	d.listHeading(label)
	for _, it := range items {
		d.bullet(pdfRun{text: it})
	}
}

func (d *pdfDoc) listHeading(label string) {
	d.ensureSpace(2 * bodyLine)
	d.pdf.Ln(1.2)
	d.setFont(true, bodySize)
	d.setTextColor(colorMuted)
	d.pdf.CellFormat(0, bodyLine, label, "", 1, "L", false, 0, "")
	d.setTextColor(colorInk)
}

// pdfRun is a piece of flowing text, a link when link is a web address.
type pdfRun struct{ text, link string }

// bullet writes one list item, its runs flowing under the bullet.
func (d *pdfDoc) bullet(runs ...pdfRun) {
	const indent = 5.0
	pdf := d.pdf
	d.setFont(false, bodySize)
	d.ensureSpace(bodyLine)
	pdf.SetX(pageMargin + 1.5)
	pdf.CellFormat(indent-1.5, bodyLine, "•", "", 0, "L", false, 0, "")
	if len(runs) == 1 && runs[0].link == "" {
		// MultiCell wraps under the bullet too, and is much faster than
		// writing run by run.
		pdf.MultiCell(0, bodyLine, pdfText(runs[0].text), "", "L", false)
		return
	}
	pdf.SetLeftMargin(pageMargin + indent)
	d.flow(runs...)
	pdf.SetLeftMargin(pageMargin)
	pdf.Ln(bodyLine)
}

// flow writes runs of body text from the current position, wrapping at
// the margins.
func (d *pdfDoc) flow(runs ...pdfRun) {
	d.setFont(false, bodySize)
	for _, r := range runs {
		if mdtext.IsWebURL(r.link) {
			d.setTextColor(colorAccent)
			d.pdf.WriteLinkString(bodyLine, pdfText(r.text), r.link)
			continue
		}
		d.setTextColor(colorInk)
		d.pdf.Write(bodyLine, pdfText(r.text))
	}
	d.setTextColor(colorInk)
}

// fitText shortens s with an ellipsis to fit width w in the current font.
func fitText(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
