package report

import (
	"bytes"
	"context"
	"html/template"
	"slices"
	"strings"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/mdtext"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// This file turns a result into what the HTML template shows.

// page is what the template shows. Every field is ready to print, so the
// template holds layout only.
type page struct {
	Title                            string
	Scope, Authors, Created, Updated string
	Summary                          string
	Total, Open                      int
	Severities                       []severityCount
	Statuses                         []statusCount
	Diagram                          *diagramView
	HeatMap                          *heatMapView
	Rows                             []row
	Groups                           []group
	Accepted                         []acceptedView
	Compliance                       []frameworkView
	Warnings                         []warning
	Filters                          filters
	CSS                              template.CSS
	JS                               template.JS
	CSP                              string
}

type warning struct{ Pos, Message string }

type severityCount struct {
	Severity    risk.Severity
	Total, Open int
}

type statusCount struct {
	Status engine.Status
	Count  int
}

type diagramView struct {
	SVG template.HTML
	// Large marks a diagram that would be unreadable shrunk to the page's
	// width; it keeps its size and scrolls instead.
	Large   bool
	Note    string // what the SVG shows, when not the whole model
	Problem string // why there is no SVG
}

// maxFittedWidth is the widest diagram, in points, that is still readable
// when shrunk to the page's width (about 1,260 pixels).
const maxFittedWidth = 2000

type heatMapView struct {
	Likelihoods []string
	Rows        []heatRow
}

type heatRow struct {
	Impact string
	Cells  []heatCell
}

type heatCell struct {
	Count    int
	Severity risk.Severity
}

// row is one line of the assessment table. The script filters on its
// severity, status and STRIDE letters, and sorts severities and statuses
// in the order of the filter's options, so the ranks live in Go alone.
type row struct {
	Anchor, Component, Actor, Scenario string
	Stride, StrideNames                string
	Severity                           risk.Severity
	Status                             engine.Status
	Mitigations                        []string
}

// group is one rule's threats in detail: what they share once, then each
// threat. A hand-written threat is a group of its own.
type group struct {
	Anchor, Title, Rule, Description string
	Stride                           string
	Requirements, TestCases          []string
	References                       []webLink
	Compliance                       []string
	// Suggested are the library's mitigations, the same for every threat
	// of the rule that has not adopted its own.
	Suggested []mitigationView
	Threats   []detail
}

type webLink struct{ Text, URL string }

type detail struct {
	Anchor, ID                    string
	Severity, BaseSeverity        risk.Severity
	Likelihood, Impact            string
	Component, Kind, Location     string
	Actor, OtherActors            string
	Status                        engine.Status
	Scenario                      string
	Rationale, Evidence, Doomsday []string
	// Mitigations are the team's own; a threat without any is answered
	// only by its group's suggestions, if that.
	Mitigations                          []mitigationView
	Acceptance                           *model.Acceptance
	AcceptanceUntil                      string
	AcceptanceExpired, SeverityWasRaised bool
	// Tracked is whether any mitigation has a ticket, owner or due date.
	Tracked bool
}

type mitigationView struct {
	Title, ID, Kind, Status string
	Ticket                  webLink
	Owner, Due              string
}

type acceptedView struct {
	Anchor, Title, ID, Component string
	Severity                     risk.Severity
	Owner, Reason, Until         string
	Expired                      bool
}

type frameworkView struct {
	Name         string
	Open         int
	Requirements []requirementView
}

type requirementView struct {
	ID            string
	Threats, Open int
	Rules         []ruleCount
}

// filters are the choices of the table's select boxes.
type filters struct {
	Severities []risk.Severity
	Statuses   []engine.Status
	Strides    []strideOption
}

type strideOption struct{ Letter, Name string }

func pageOf(res *engine.Result) page {
	h := headerOf(res.Model)
	p := page{
		Title:   "Threat assessment",
		Scope:   h.scope,
		Authors: h.authors,
		CSS:     template.CSS(pageCSS), //nolint:gosec // our embedded style sheet
		JS:      template.JS(pageJS),   //nolint:gosec // our embedded script
		CSP:     pageCSP,
	}
	if h.title != "" {
		p.Title = "Threat assessment: " + h.title
	}
	if res.Model != nil {
		p.Created, p.Updated = res.Model.Created.String(), res.Model.Updated.String()
	}
	s := Summarize(res)
	p.Summary, p.Total, p.Open = s.String(), s.Total, s.Open
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		sev := risk.Severities[i]
		p.Severities = append(p.Severities, severityCount{sev, s.BySeverity[sev], s.OpenBySeverity[sev]})
	}
	for _, st := range engine.Statuses {
		if s.ByStatus[st] > 0 {
			p.Statuses = append(p.Statuses, statusCount{st, s.ByStatus[st]})
		}
	}
	if hasDiagram(res) {
		p.Diagram = diagramViewOf(res)
	}
	for _, w := range res.Warnings {
		p.Warnings = append(p.Warnings, warning{w.Pos.String(), w.Message})
	}
	if len(res.Threats) > 0 {
		p.addThreats(res)
	}
	return p
}

// addThreats fills the sections that only a result with threats has.
func (p *page) addThreats(res *engine.Result) {
	p.HeatMap = heatMapViewOf(HeatMapOf(res))
	p.Rows = make([]row, len(res.Threats))
	for i, t := range res.Threats {
		p.Rows[i] = rowOf(t)
	}
	p.Groups = groupsOf(res.Threats)
	for _, a := range AcceptedRisks(res) {
		p.Accepted = append(p.Accepted, acceptedView{
			Anchor: threatAnchor(a.Threat), Title: a.Threat.Title, ID: a.Threat.ID,
			Component: a.Threat.TargetName, Severity: a.Threat.Severity,
			Owner: a.Acceptance.Owner, Reason: a.Acceptance.Reason,
			Until: a.Acceptance.Until.String(), Expired: a.Expired,
		})
	}
	for _, fw := range ComplianceOf(res) {
		fv := frameworkView{Name: fw.Name, Open: fw.Open}
		for _, r := range fw.Requirements {
			fv.Requirements = append(fv.Requirements, requirementView{ID: r.ID, Threats: len(r.Threats), Open: r.Open, Rules: rulesOf(r)})
		}
		p.Compliance = append(p.Compliance, fv)
	}
	p.Filters = filters{Severities: slices.Clone(risk.Severities), Statuses: engine.Statuses}
	slices.Reverse(p.Filters.Severities)
	for _, st := range model.Strides {
		p.Filters.Strides = append(p.Filters.Strides, strideOption{Letter: st.Letter(), Name: st.Name()})
	}
}

// diagramViewOf renders the model's data-flow diagram as inline SVG, or
// says why it could not.
func diagramViewOf(res *engine.Result) *diagramView {
	g, note, err := diagramOf(res)
	if err != nil {
		return &diagramView{Problem: "The diagram could not be drawn: " + err.Error()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), diagramTimeout)
	defer cancel()
	var svg bytes.Buffer
	if err := diagram.Render(ctx, g, diagram.SVG, &svg); err != nil {
		return &diagramView{Problem: "The diagram could not be drawn: " + err.Error()}
	}
	inline, err := inlineSVG(svg.Bytes())
	if err != nil {
		return &diagramView{Problem: "The diagram was left out because its SVG is not safe to embed: " + err.Error()}
	}
	return &diagramView{SVG: inline.SVG, Large: inline.Width > maxFittedWidth, Note: note}
}

func heatMapViewOf(h HeatMap) *heatMapView {
	v := &heatMapView{}
	for _, l := range h.Likelihoods {
		v.Likelihoods = append(v.Likelihoods, capitalize(string(l)))
	}
	for r, imp := range h.Impacts {
		hr := heatRow{Impact: capitalize(string(imp))}
		for c := range h.Likelihoods {
			hr.Cells = append(hr.Cells, heatCell{Count: h.Counts[r][c], Severity: h.Severity[r][c]})
		}
		v.Rows = append(v.Rows, hr)
	}
	return v
}

func rowOf(t *engine.Threat) row {
	return row{
		Anchor:      threatAnchor(t),
		Component:   t.TargetName,
		Actor:       t.Actor,
		Scenario:    t.Scenario,
		Stride:      strideLetters(t.Stride),
		StrideNames: strings.Join(strideNames(t.Stride), ", "),
		Severity:    t.Severity,
		Status:      t.Status,
		Mitigations: mitigationLines(t.Mitigations),
	}
}

// groupsOf gathers threats by rule, groups in the order their first
// threat appears, so the most severe come first as in the table.
func groupsOf(threats []*engine.Threat) []group {
	var groups []group
	index := map[string]int{}
	for _, t := range threats {
		key, anchor := groupKey(t)
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			if t.Rule == "" {
				anchor = "" // the threat's own section carries the anchor
			}
			groups = append(groups, groupOf(t, anchor))
		}
		g := &groups[i]
		g.Threats = append(g.Threats, detailOf(t))
		if g.Suggested == nil && len(t.Mitigations) > 0 && !t.Mitigations[0].FromModel {
			g.Suggested = mitigationViews(t.Mitigations)
		}
	}
	return groups
}

func groupOf(t *engine.Threat, anchor string) group {
	g := group{
		Anchor:       anchor,
		Title:        t.Title,
		Rule:         t.Rule,
		Description:  t.Description,
		Stride:       strings.Join(strideNames(t.Stride), ", "),
		Requirements: t.Requirements,
		TestCases:    t.TestCases,
	}
	for _, ref := range t.References {
		g.References = append(g.References, webLink{Text: ref, URL: mdtext.ReferenceURL(ref)})
	}
	g.Compliance = complianceItems(t.Compliance)
	return g
}

func detailOf(t *engine.Threat) detail {
	d := detail{
		Anchor:            threatAnchor(t),
		ID:                t.ID,
		Severity:          t.Severity,
		BaseSeverity:      t.BaseSeverity,
		SeverityWasRaised: t.Severity != t.BaseSeverity,
		Likelihood:        string(t.Likelihood),
		Impact:            string(t.Impact),
		Component:         t.TargetName,
		Kind:              t.TargetKind,
		Location:          location(t.Location),
		Actor:             t.Actor,
		Status:            t.Status,
		Scenario:          t.Scenario,
		Rationale:         t.Rationale,
		Evidence:          t.Evidence,
		Doomsday:          t.Doomsday,
		Acceptance:        t.Acceptance,
		AcceptanceExpired: t.Status == engine.AcceptanceExpired,
	}
	d.OtherActors = strings.Join(otherActors(t.Info), ", ")
	if t.Acceptance != nil {
		d.AcceptanceUntil = t.Acceptance.Until.String()
	}
	if len(t.Mitigations) > 0 && t.Mitigations[0].FromModel {
		d.Mitigations = mitigationViews(t.Mitigations)
	}
	for _, m := range t.Mitigations {
		d.Tracked = d.Tracked || m.Ticket != "" || m.Owner != "" || m.Due != ""
	}
	return d
}

func mitigationViews(ms []engine.Mitigation) []mitigationView {
	out := make([]mitigationView, len(ms))
	for i, m := range ms {
		out[i] = mitigationView{Title: m.Title, ID: m.ID, Kind: string(m.Kind), Status: m.Status,
			Owner: m.Owner, Due: m.Due, Ticket: webLink{Text: m.Ticket}}
		if mdtext.IsWebURL(m.Ticket) {
			out[i].Ticket.URL = m.Ticket
		}
	}
	return out
}
