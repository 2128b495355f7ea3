package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/mdtext"
)

func renderMarkdown(res *engine.Result) []byte {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	h := headerOf(res.Model)
	title := "Threat assessment"
	if h.title != "" {
		title = "Threat assessment: " + h.title
	}
	p("# %s\n\n", mdtext.Text(title))
	if h.scope != "" {
		p("**Scope:** %s\n\n", mdtext.Text(h.scope))
	}
	var meta []string
	if h.authors != "" {
		meta = append(meta, "**Authors:** "+mdtext.Text(h.authors))
	}
	if res.Model != nil {
		if d := res.Model.Created.String(); d != "" {
			meta = append(meta, "**Created:** "+d)
		}
		if d := res.Model.Updated.String(); d != "" {
			meta = append(meta, "**Updated:** "+d)
		}
	}
	if len(meta) > 0 {
		p("%s\n\n", strings.Join(meta, " · "))
	}
	p("**Summary:** %s\n", mdtext.Text(Summarize(res).String()))
	writeDiagramMD(&b, res)
	if len(res.Threats) == 0 {
		writeWarnings(&b, res)
		return []byte(b.String())
	}
	writeHeatMapMD(&b, HeatMapOf(res))

	p("\n## Assessment\n\n")
	p("| %s |\n", strings.Join(assessmentColumns, " | "))
	p("|%s\n", strings.Repeat(" --- |", len(assessmentColumns)))
	for _, t := range res.Threats {
		cells := []string{
			mdCell(t.TargetName),
			mdCell(t.Actor),
			mdCell(t.Scenario),
			mdCell(strideLetters(t.Stride)),
			"**" + mdCell(strings.ToUpper(string(t.Severity))) + "**",
			mdCell(strings.Join(mitigationLines(t.Mitigations), "\n")),
			mdCell(string(t.Status)),
		}
		p("| %s |\n", strings.Join(cells, " | "))
	}

	p("\n## Threats in detail\n")
	for _, t := range res.Threats {
		writeThreat(&b, t)
	}
	writeAcceptedMD(&b, AcceptedRisks(res))
	writeComplianceMD(&b, ComplianceOf(res))
	writeWarnings(&b, res)
	return []byte(b.String())
}

// writeDiagramMD embeds the data-flow diagram as a Mermaid block, which
// GitHub and GitLab draw in place.
func writeDiagramMD(b *strings.Builder, res *engine.Result) {
	if !hasDiagram(res) {
		return
	}
	b.WriteString("\n## Data-flow diagram\n\n")
	g, note, err := diagramOf(res)
	if err != nil {
		fmt.Fprintf(b, "_The diagram could not be drawn: %s._\n", mdtext.Text(err.Error()))
		return
	}
	if note != "" {
		fmt.Fprintf(b, "%s\n\n", mdtext.Text(note))
	}
	src := strings.TrimRight(string(g.Mermaid()), "\n")
	fence := "```"
	for strings.Contains(src, fence) {
		fence += "`"
	}
	fmt.Fprintf(b, "%smermaid\n%s\n%s\n", fence, src, fence)
}

// writeHeatMapMD writes the risk matrix with the unresolved threats
// counted in each cell.
func writeHeatMapMD(b *strings.Builder, h HeatMap) {
	b.WriteString("\n## Risk heat map\n\n")
	b.WriteString("Unresolved threats by impact (rows) and likelihood (columns); each cell gives the count and the severity the risk matrix assigns.\n\n")
	b.WriteString("| Impact \\ Likelihood |")
	for _, l := range h.Likelihoods {
		fmt.Fprintf(b, " %s |", mdCell(capitalize(string(l))))
	}
	fmt.Fprintf(b, "\n|%s\n", strings.Repeat(" --- |", len(h.Likelihoods)+1))
	for r, imp := range h.Impacts {
		fmt.Fprintf(b, "| **%s** |", mdCell(capitalize(string(imp))))
		for c := range h.Likelihoods {
			n := strconv.Itoa(h.Counts[r][c])
			if h.Counts[r][c] > 0 {
				n = "**" + n + "**"
			}
			fmt.Fprintf(b, " %s · %s |", n, mdCell(string(h.Severity[r][c])))
		}
		b.WriteString("\n")
	}
}

// writeAcceptedMD lists the accepted risks with their owners and expiry.
func writeAcceptedMD(b *strings.Builder, accepted []AcceptedRisk) {
	if len(accepted) == 0 {
		return
	}
	b.WriteString("\n## Accepted risks\n\n")
	b.WriteString("| Threat | Component | Severity | Owner | Until | Status | Reason |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, a := range accepted {
		status := "accepted"
		if a.Expired {
			status = "**expired**"
		}
		fmt.Fprintf(b, "| %s (%s) | %s | %s | %s | %s | %s | %s |\n",
			mdCell(a.Threat.Title), mdCell(a.Threat.ID), mdCell(a.Threat.TargetName),
			mdCell(string(a.Threat.Severity)), mdCell(a.Acceptance.Owner),
			mdCell(a.Acceptance.Until.String()), status, mdCell(a.Acceptance.Reason))
	}
}

// writeComplianceMD lists, per framework, the requirements the threats
// touch and the rules behind them.
func writeComplianceMD(b *strings.Builder, frameworks []Framework) {
	if len(frameworks) == 0 {
		return
	}
	b.WriteString("\n## Compliance summary\n")
	for _, fw := range frameworks {
		fmt.Fprintf(b, "\n### %s\n\n", mdtext.Text(fw.Name))
		fmt.Fprintf(b, "%s touched; %s.\n\n",
			plural(len(fw.Requirements), "requirement"), plural(fw.Open, "unresolved threat"))
		b.WriteString("| Requirement | Threats | Unresolved | Rules |\n")
		b.WriteString("| --- | --- | --- | --- |\n")
		for _, r := range fw.Requirements {
			var rules []string
			for _, rc := range rulesOf(r) {
				rules = append(rules, fmt.Sprintf("%s (%d)", mdCell(rc.Title), rc.Threats))
			}
			fmt.Fprintf(b, "| %s | %d | %d | %s |\n", mdCell(r.ID), len(r.Threats), r.Open, strings.Join(rules, "<br>"))
		}
	}
}

// capitalize upper-cases the first letter of an ASCII word.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func writeThreat(b *strings.Builder, t *engine.Threat) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	list := func(heading string, items []string, item func(string) string) {
		if len(items) == 0 {
			return
		}
		p("\n**%s:**\n\n", heading)
		for _, it := range items {
			p("- %s\n", item(it))
		}
	}

	p("\n### %s · %s — %s\n\n", strings.ToUpper(string(t.Severity)), mdtext.Code(t.ID), mdtext.Text(t.Title))
	writeFacts(b, t)
	p("\n**Scenario:** %s\n", mdtext.Text(t.Scenario))
	if t.Description != "" {
		p("\n**About this threat:** %s\n", mdtext.Text(t.Description))
	}
	list("Evidence", t.Evidence, mdtext.Code)

	writeRating(b, t)
	if len(t.Mitigations) > 0 {
		p("\n**Mitigations:**\n\n")
		for _, m := range t.Mitigations {
			p("- %s\n", mitigationMD(m))
		}
	}
	if a := t.Acceptance; a != nil {
		p("\n**Accepted risk:** %s accepted it until %s: %s\n", mdtext.Text(a.Owner), a.Until.String(), mdtext.Text(a.Reason))
	}
	list("Security requirements", t.Requirements, mdtext.Text)
	list("Test cases", t.TestCases, mdtext.Text)
	list("References", t.References, referenceMD)
	if len(t.Compliance) > 0 {
		var items []string
		for _, fw := range slices.Sorted(maps.Keys(t.Compliance)) {
			items = append(items, mdtext.Text(fw)+": "+mdtext.Text(strings.Join(t.Compliance[fw], ", ")))
		}
		list("Compliance", items, func(s string) string { return s })
	}
}

// writeFacts lists what the threat is about: target, actors, categories.
func writeFacts(b *strings.Builder, t *engine.Threat) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	target := mdtext.Text(t.TargetName)
	if t.TargetKind != "" {
		target += " (" + mdtext.Text(t.TargetKind) + ")"
	}
	if loc := location(t.Location); loc != "" {
		target += ", " + mdtext.Code(loc)
	}
	p("- **Component:** %s\n", target)
	if t.Actor != "" {
		actor := mdtext.Text(t.Actor)
		if others := otherActors(t.Info); len(others) > 0 {
			actor += "; also " + mdtext.Text(strings.Join(others, ", "))
		}
		p("- **Actor:** %s\n", actor)
	}
	p("- **STRIDE:** %s\n", mdtext.Text(strings.Join(strideNames(t.Stride), ", ")))
	p("- **Status:** %s\n", mdtext.Text(string(t.Status)))
	if t.Rule != "" {
		p("- **Rule:** %s\n", mdtext.Code(t.Rule))
	}
	if len(t.Doomsday) > 0 {
		p("- **Doomsday scenarios:** %s\n", mdtext.Text(strings.Join(t.Doomsday, ", ")))
	}

}

// writeRating explains the severity: the matrix cell, then adjustments and
// doomsday lifts.
func writeRating(b *strings.Builder, t *engine.Threat) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("\n**Why %s:** likelihood %s × impact %s gives %s", strings.ToUpper(string(t.Severity)),
		mdtext.Text(string(t.Likelihood)), mdtext.Text(string(t.Impact)), mdtext.Text(string(t.BaseSeverity)))
	if t.Severity != t.BaseSeverity {
		p(", raised to %s", mdtext.Text(string(t.Severity)))
	}
	p(".\n")
	if len(t.Rationale) > 0 {
		p("\n")
		for _, r := range t.Rationale {
			p("- %s\n", mdtext.Text(r))
		}
	}

}

func mitigationMD(m engine.Mitigation) string {
	s := mdtext.Text(m.Title)
	if m.ID != "" {
		s += " (" + mdtext.Code(m.ID) + ")"
	}
	facts := []string{mdtext.Text(string(m.Kind)), mdtext.Text(m.Status)}
	if !m.FromModel {
		facts[1] = "suggested by the library"
	}
	if m.Ticket != "" {
		facts = append(facts, "ticket "+mdtext.Link(m.Ticket))
	}
	if m.Owner != "" {
		facts = append(facts, "owner "+mdtext.Text(m.Owner))
	}
	if m.Due != "" {
		facts = append(facts, "due "+mdtext.Text(m.Due))
	}
	return s + " — " + strings.Join(facts, ", ")
}

func writeWarnings(b *strings.Builder, res *engine.Result) {
	if len(res.Warnings) == 0 {
		return
	}
	b.WriteString("\n## Warnings\n\n")
	for _, w := range res.Warnings {
		fmt.Fprintf(b, "- %s: %s\n", mdtext.Code(w.Pos.String()), mdtext.Text(w.Message))
	}
}

// referenceMD links CAPEC, CWE and ATT&CK ids to their pages.
func referenceMD(ref string) string {
	if mdtext.IsWebURL(ref) {
		return mdtext.Link(ref)
	}
	if u := mdtext.ReferenceURL(ref); u != "" {
		return fmt.Sprintf("[%s](%s)", ref, u)
	}
	return mdtext.Text(ref)
}

// mdCell escapes s for a table cell: pipes are escaped and line breaks
// become <br>.
func mdCell(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = mdtext.Text(l)
	}
	return strings.Join(lines, "<br>")
}
