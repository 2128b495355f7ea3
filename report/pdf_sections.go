package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/png" // DecodeConfig reads the diagram's size
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/mdtext"
	"github.com/wardsec/ward/risk"
)

// coverPage writes the title block, the summary and the contents.
func (d *pdfDoc) coverPage() {
	pdf := d.pdf
	pdf.AddPage()
	w, _ := pdf.GetPageSize()
	d.setFillColor(colorAccent)
	pdf.Rect(0, 0, w, 5, "F")

	h := headerOf(d.res.Model)
	pdf.SetY(26)
	d.setFont(true, 10)
	d.setTextColor(colorAccent)
	pdf.CellFormat(0, 6, "THREAT ASSESSMENT", "", 1, "L", false, 0, "")
	title := h.title
	if title == "" {
		title = "Untitled model"
	}
	d.setFont(true, 24)
	d.setTextColor(colorInk)
	pdf.MultiCell(0, 10.5, pdfText(title), "", "L", false)
	pdf.Ln(3)
	if h.scope != "" {
		d.setFont(false, 11)
		pdf.MultiCell(0, 5.5, pdfText(h.scope), "", "L", false)
		pdf.Ln(3)
	}
	d.field("Authors", h.authors)
	if m := d.res.Model; m != nil {
		d.field("Created", m.Created.String())
		d.field("Updated", m.Updated.String())
		d.field("Review every", m.ReviewEvery.Text)
	}
	pdf.Ln(5)
	d.summaryPanel()
	d.contents()
	if len(d.res.Threats) > 0 {
		d.heatMapSection()
	}
}

// summaryPanel is the summary line and, when there are threats, a tile per
// severity with its total and unresolved counts.
func (d *pdfDoc) summaryPanel() {
	pdf := d.pdf
	s := Summarize(d.res)
	d.ensureSpace(40)
	x, y := pageMargin, pdf.GetY()
	width := d.contentWidth()
	d.setFont(false, 10.5)
	lines := pdf.SplitText(pdfText(s.String()), width-8)
	h := 10 + float64(len(lines))*5
	d.setFillColor(colorPanel)
	pdf.Rect(x, y, width, h, "F")
	d.setFillColor(colorAccent)
	pdf.Rect(x, y, 1.2, h, "F")
	pdf.SetXY(x+4, y+2.5)
	d.setFont(true, 9)
	d.setTextColor(colorAccent)
	pdf.CellFormat(0, 4.5, "SUMMARY", "", 2, "L", false, 0, "")
	d.setFont(false, 10.5)
	d.setTextColor(colorInk)
	for _, l := range lines {
		pdf.CellFormat(width-8, 5, l, "", 2, "L", false, 0, "")
	}
	pdf.SetXY(pageMargin, y+h+4)
	if s.Total == 0 {
		return
	}

	const gap, tileH = 4.0, 19.0
	tileW := (width - 3*gap) / 4
	y = pdf.GetY()
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		sev := risk.Severities[i]
		fill, ink := pdfSeverityColor(sev)
		d.setFillColor(fill)
		pdf.Rect(x, y, tileW, tileH, "F")
		d.setTextColor(ink)
		pdf.SetXY(x+3, y+2)
		d.setFont(true, 18)
		pdf.CellFormat(tileW-6, 8, fmt.Sprint(s.BySeverity[sev]), "", 2, "L", false, 0, "")
		d.setFont(true, 8)
		pdf.CellFormat(tileW-6, 4, strings.ToUpper(string(sev)), "", 2, "L", false, 0, "")
		d.setFont(false, 8)
		pdf.CellFormat(tileW-6, 4, fmt.Sprintf("%d open", s.OpenBySeverity[sev]), "", 2, "L", false, 0, "")
		x += tileW + gap
	}
	d.setTextColor(colorInk)
	pdf.SetXY(pageMargin, y+tileH+6)
}

// contents lists the sections with their page numbers, each a link.
func (d *pdfDoc) contents() {
	if len(d.sections) == 0 {
		return
	}
	pdf := d.pdf
	d.ensureSpace(12 + 6*float64(len(d.sections)))
	d.setFont(true, 9)
	d.setTextColor(colorAccent)
	pdf.CellFormat(0, 6, "CONTENTS", "", 1, "L", false, 0, "")
	width := d.contentWidth()
	for _, s := range d.sections {
		y := pdf.GetY()
		d.setFont(false, 10)
		d.setTextColor(colorInk)
		pdf.CellFormat(width-14, 6, s.title, "", 0, "L", false, s.link, "")
		pdf.CellFormat(14, 6, s.alias, "", 1, "L", false, s.link, "")
		d.setDrawColor(colorRule)
		pdf.SetLineWidth(0.1)
		pdf.Line(pageMargin, y+6, pageMargin+width, y+6)
	}
	pdf.Ln(6)
}

// heatMapSection draws the risk matrix with the unresolved threats counted
// in each cell, coloured by the cell's severity.
func (d *pdfDoc) heatMapSection() {
	hm := HeatMapOf(d.res)
	const labelW, cellW, cellH, axisH = 30.0, 34.0, 13.0, 7.0
	gridH := axisH + float64(len(hm.Impacts))*cellH + 18
	d.ensureSpace(gridH + 20)
	d.startSection(sectionHeatMap, portrait, false)
	d.note("Unresolved threats by likelihood (ease of exploitation) and impact. Each cell is coloured by the severity the risk matrix gives it.")
	d.pdf.Ln(3)

	pdf := d.pdf
	x0, y0 := pageMargin, pdf.GetY()
	d.setFont(true, 8)
	d.setTextColor(colorMuted)
	pdf.SetXY(x0, y0)
	pdf.CellFormat(labelW, axisH, "Impact \\ Likelihood", "", 0, "L", false, 0, "")
	for _, l := range hm.Likelihoods {
		pdf.CellFormat(cellW, axisH, capitalize(string(l)), "", 0, "C", false, 0, "")
	}
	d.setDrawColor(colorWhite)
	pdf.SetLineWidth(0.8)
	for r, imp := range hm.Impacts {
		y := y0 + axisH + float64(r)*cellH
		d.setFont(true, 8)
		d.setTextColor(colorMuted)
		pdf.SetXY(x0, y)
		pdf.CellFormat(labelW, cellH, capitalize(string(imp)), "", 0, "L", false, 0, "")
		for c := range hm.Likelihoods {
			fill, ink := pdfSeverityColor(hm.Severity[r][c])
			n := hm.Counts[r][c]
			if n == 0 {
				fill, ink = pdfTint(fill, 0.25), colorMuted
			}
			x := x0 + labelW + float64(c)*cellW
			d.setFillColor(fill)
			pdf.Rect(x, y, cellW, cellH, "FD")
			d.setTextColor(ink)
			pdf.SetXY(x, y+1.8)
			d.setFont(true, 13)
			pdf.CellFormat(cellW, 6, fmt.Sprint(n), "", 2, "C", false, 0, "")
			d.setFont(false, 7)
			pdf.CellFormat(cellW, 3.5, string(hm.Severity[r][c]), "", 0, "C", false, 0, "")
		}
	}
	d.setTextColor(colorInk)
	pdf.SetXY(pageMargin, y0+axisH+float64(len(hm.Impacts))*cellH+6)
}

// maxDiagramComponents is the most components drawn one by one; a larger
// model's diagram shows its zones and the flows between them, which still
// reads on a printed page.
const maxDiagramComponents = 60

// diagramSection places the data-flow diagram on a page of its own, scaled
// to fit with its aspect ratio kept, or says why it is missing.
func (d *pdfDoc) diagramSection() {
	if !hasDiagram(d.res) {
		return
	}
	summary := len(d.res.Model.Components) > maxDiagramComponents
	png, err := diagramPNG(d.res, summary)
	var cfg image.Config
	if err == nil {
		cfg, _, err = image.DecodeConfig(bytes.NewReader(png))
	}
	if err == nil && (cfg.Width == 0 || cfg.Height == 0) {
		err = fmt.Errorf("the diagram is empty")
	}
	var info *fpdf.ImageInfoType
	if err == nil {
		info = d.pdf.RegisterImageOptionsReader("diagram", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
		if err = d.pdf.Error(); err != nil {
			// Keep the report: lose only the picture.
			d.pdf.ClearError()
			err = fmt.Errorf("embed diagram: %w", err)
		}
	}
	if err != nil || info == nil {
		d.startSection(sectionDiagram, portrait, false)
		d.note(fmt.Sprintf("The diagram could not be drawn: %v.", err))
		return
	}

	orientation := portrait
	if cfg.Width > cfg.Height {
		orientation = landscape
	}
	d.startSection(sectionDiagram, orientation, true)
	if summary {
		d.note(fmt.Sprintf("The model has %d components, too many to draw one by one on a page: the diagram shows its zones and the flows between them.", len(d.res.Model.Components)))
		d.pdf.Ln(2)
	}
	boxW, boxH := d.contentWidth(), d.bottom()-d.pdf.GetY()
	// Never enlarge past the picture's size at 96 dpi: it would blur.
	natW, natH := float64(cfg.Width)*25.4/96, float64(cfg.Height)*25.4/96
	scale := min(boxW/natW, boxH/natH, 1)
	imgW, imgH := natW*scale, natH*scale
	d.pdf.ImageOptions("diagram", pageMargin+(boxW-imgW)/2, d.pdf.GetY(), imgW, imgH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
}

func diagramPNG(res *engine.Result, summary bool) ([]byte, error) {
	g, err := diagram.Build(res, diagram.Options{Summary: summary})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	// Report writers take no context; drawing is bounded by the model.
	if err := diagram.Render(context.Background(), g, diagram.PNG, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// assessmentColumnWidths fit the landscape content width; the scenario
// gets the most room.
var assessmentColumnWidths = []float64{34, 30, 94, 14, 18, 52, 23}

func (d *pdfDoc) assessmentSection() {
	d.startSection(sectionAssessment, landscape, true)
	cols := []pdfColumn{{title: "#", width: 10, align: "R"}}
	for i, name := range assessmentColumns {
		align := "L"
		if name == "STRIDE" || name == "Severity" {
			align = "C"
		}
		cols = append(cols, pdfColumn{title: name, width: assessmentColumnWidths[i], align: align})
	}
	rows := make([][]pdfCell, len(d.res.Threats))
	d.threatLinks = make([]int, len(d.res.Threats))
	for i, t := range d.res.Threats {
		d.threatLinks[i] = d.pdf.AddLink()
		fill, ink := pdfSeverityColor(t.Severity)
		info := infoOf(t)
		rows[i] = []pdfCell{
			{text: fmt.Sprint(i + 1), link: d.threatLinks[i], color: &colorAccent},
			{text: t.TargetName},
			{text: info.Actor},
			{text: t.Scenario},
			{text: strideLetters(info.Stride), bold: true},
			{text: strings.ToUpper(string(t.Severity)), bold: true, fill: &fill, color: &ink},
			{text: strings.Join(mitigationLines(t.Mitigations), "\n")},
			{text: string(t.Status)},
		}
	}
	d.table(cols, rows)
	d.note("A row's number is its threat's number in " + sectionDetails + ", and links there.")
}

// infoOf is the threat's rule information, empty when it has none.
func infoOf(t *engine.Threat) *engine.Info {
	if t.Info == nil {
		return &engine.Info{}
	}
	return t.Info
}

func (d *pdfDoc) detailSection() {
	d.startSection(sectionDetails, portrait, true)
	for i, t := range d.res.Threats {
		d.threatDetail(i, t)
	}
}

func (d *pdfDoc) threatDetail(i int, t *engine.Threat) {
	pdf := d.pdf
	info := infoOf(t)
	d.ensureSpace(40)
	if i > 0 {
		pdf.Ln(4)
	}
	pdf.SetLink(d.threatLinks[i], -1, pdf.PageNo())
	title := fmt.Sprintf("%d. %s", i+1, info.Title)
	pdf.Bookmark(pdfText(title), 1, -1)

	fill, ink := pdfSeverityColor(t.Severity)
	label := strings.ToUpper(string(t.Severity))
	d.setFont(true, 7.5)
	d.setFillColor(fill)
	d.setTextColor(ink)
	y := pdf.GetY()
	badgeW := pdf.GetStringWidth(label) + 5
	pdf.SetXY(pageMargin, y+0.5)
	pdf.CellFormat(badgeW, 5, label, "", 0, "C", true, 0, "")
	pdf.SetXY(pageMargin+badgeW+2.5, y)
	d.setFont(true, 12)
	d.setTextColor(colorInk)
	pdf.MultiCell(0, 6, pdfText(title), "", "L", false)
	d.setFont(false, 8)
	d.setTextColor(colorMuted)
	pdf.CellFormat(0, 4.5, pdfText(t.ID), "", 1, "L", false, 0, "")
	pdf.Ln(1.5)
	d.setTextColor(colorInk)

	d.threatFacts(t, info)
	d.field("Scenario", t.Scenario)
	d.field("About", info.Description)
	d.list("Evidence", t.Evidence)
	d.list("Why "+string(t.Severity), t.Rationale)
	if len(t.Mitigations) > 0 {
		d.listHeading("Mitigations")
		for _, m := range t.Mitigations {
			d.bullet(mitigationRuns(m)...)
		}
	}
	if a := t.Acceptance; a != nil {
		text := fmt.Sprintf("%s accepted it until %s: %s", a.Owner, a.Until.String(), a.Reason)
		if t.Status == engine.AcceptanceExpired {
			text += " (expired)"
		}
		d.pdf.Ln(1.2)
		d.field("Accepted risk", text)
	}
	d.list("Security requirements", info.Requirements)
	d.list("Test cases", info.TestCases)
	d.references(info.References)
	d.list("Compliance", complianceItems(info.Compliance))

	pdf.Ln(3)
	d.setDrawColor(colorRule)
	pdf.SetLineWidth(0.3)
	pdf.Line(pageMargin, pdf.GetY(), pageMargin+d.contentWidth(), pdf.GetY())
}

// references writes the threat's references on one wrapped line, each
// linked to its page when it has one.
func (d *pdfDoc) references(refs []string) {
	if len(refs) == 0 {
		return
	}
	d.listHeading("References")
	var runs []pdfRun
	for i, ref := range refs {
		if i > 0 {
			runs = append(runs, pdfRun{text: ",  "})
		}
		runs = append(runs, pdfRun{text: ref, link: mdtext.ReferenceURL(ref)})
	}
	d.pdf.SetX(pageMargin)
	d.flow(runs...)
	d.pdf.Ln(bodyLine)
}

// threatFacts lists what the threat is about and how it was rated.
func (d *pdfDoc) threatFacts(t *engine.Threat, info *engine.Info) {
	target := t.TargetName
	if t.TargetKind != "" {
		target += " (" + t.TargetKind + ")"
	}
	if loc := location(t.Location); loc != "" {
		target += ", " + loc
	}
	d.field("Component", target)
	actor := info.Actor
	if others := otherActors(info); len(others) > 0 {
		actor += "; also " + strings.Join(others, ", ")
	}
	d.field("Actor", actor)
	d.field("STRIDE", strings.Join(strideNames(info.Stride), ", "))
	rating := fmt.Sprintf("likelihood %s × impact %s gives %s", t.Likelihood, t.Impact, t.BaseSeverity)
	if t.Severity != t.BaseSeverity {
		rating += ", raised to " + string(t.Severity)
	}
	d.field("Severity", rating)
	d.field("Status", string(t.Status))
	d.field("Rule", t.Rule)
	d.field("Doomsday", strings.Join(t.Doomsday, ", "))
}

// mitigationRuns are one mitigation with its kind, status and tracking;
// a ticket that is a web address is a link.
func mitigationRuns(m engine.Mitigation) []pdfRun {
	s := m.Title
	if m.ID != "" {
		s += " (" + m.ID + ")"
	}
	status := m.Status
	if !m.FromModel {
		status = "suggested by the library"
	}
	runs := []pdfRun{{text: s + " — " + string(m.Kind) + ", " + status}}
	if m.Ticket != "" {
		runs = append(runs, pdfRun{text: ", ticket "}, pdfRun{text: m.Ticket, link: m.Ticket})
	}
	var rest []string
	if m.Owner != "" {
		rest = append(rest, "owner "+m.Owner)
	}
	if m.Due != "" {
		rest = append(rest, "due "+m.Due)
	}
	if len(rest) > 0 {
		runs = append(runs, pdfRun{text: ", " + strings.Join(rest, ", ")})
	}
	return runs
}

func (d *pdfDoc) acceptedSection(accepted []AcceptedRisk) {
	d.startSection(sectionAccepted, portrait, true)
	d.note("Risks their owners accepted, with the date each acceptance ends. An expired acceptance counts as unresolved again.")
	d.pdf.Ln(2)
	cols := []pdfColumn{
		{title: "#", width: 10, align: "R"},
		{title: "Threat", width: 56, align: "L"},
		{title: "Owner", width: 28, align: "L"},
		{title: "Until", width: 20, align: "L"},
		{title: "State", width: 18, align: "C"},
		{title: "Reason", width: 46, align: "L"},
	}
	index := d.threatIndex()
	rows := make([][]pdfCell, len(accepted))
	for i, a := range accepted {
		state, color := "current", colorInk
		if a.Expired {
			state, color = "expired", pdfColor{185, 28, 28}
		}
		n := index[a.Threat]
		rows[i] = []pdfCell{
			{text: fmt.Sprint(n + 1), link: d.threatLinks[n], color: &colorAccent},
			{text: infoOf(a.Threat).Title + "\n" + a.Threat.ID},
			{text: a.Acceptance.Owner},
			{text: a.Acceptance.Until.String()},
			{text: state, bold: true, color: &color},
			{text: a.Acceptance.Reason},
		}
	}
	d.table(cols, rows)
}

// threatIndex finds a threat's position in the result.
func (d *pdfDoc) threatIndex() map[*engine.Threat]int {
	index := make(map[*engine.Threat]int, len(d.res.Threats))
	for i, t := range d.res.Threats {
		index[t] = i
	}
	return index
}

func (d *pdfDoc) complianceSection(frameworks []Framework) {
	d.startSection(sectionCompliance, portrait, true)
	d.note("The compliance requirements the threats' rules cite, the rules whose threats touch each (with how many threats), and how many of those threats are unresolved.")
	cols := []pdfColumn{
		{title: "Requirement", width: 30, align: "L"},
		{title: "Rules (threats)", width: 108, align: "L"},
		{title: "Threats", width: 20, align: "R"},
		{title: "Open", width: 20, align: "R"},
	}
	for _, fw := range frameworks {
		d.subheading(fmt.Sprintf("%s — %s, %d unresolved", fw.Name, plural(len(fw.Requirements), "requirement"), fw.Open))
		rows := make([][]pdfCell, len(fw.Requirements))
		for i, r := range fw.Requirements {
			var rules []string
			for _, rc := range rulesOf(r) {
				rules = append(rules, fmt.Sprintf("%s (%d)", rc.Title, rc.Threats))
			}
			rows[i] = []pdfCell{
				{text: r.ID, bold: true},
				{text: strings.Join(rules, "\n")},
				{text: fmt.Sprint(len(r.Threats))},
				{text: fmt.Sprint(r.Open)},
			}
		}
		d.table(cols, rows)
	}
}

func (d *pdfDoc) warningSection() {
	if len(d.res.Warnings) == 0 {
		return
	}
	d.startSection(sectionWarnings, d.orientation(), false)
	for _, w := range d.res.Warnings {
		d.bullet(pdfRun{text: w.Pos.String() + ": " + w.Message})
	}
}
