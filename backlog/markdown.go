package backlog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/mdtext"
	"github.com/wardsec/ward/model"
)

// markdownBody is an issue body for GitHub and GitLab: what the threat is,
// where, how bad, what to do as checklists, and the id marker last.
func markdownBody(t *engine.Threat) string {
	info := infoOf(t)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	list := func(heading string, items []string, item func(string) string) {
		if len(items) == 0 {
			return
		}
		p("\n### %s\n\n", heading)
		for _, it := range items {
			p("%s\n", item(it))
		}
	}

	p("%s\n", mdtext.IssueText(t.Scenario))
	if info.Description != "" {
		p("\n%s\n", mdtext.IssueText(info.Description))
	}
	p("\n")
	component := mdtext.IssueText(t.TargetName)
	if t.TargetKind != "" {
		component += " (" + mdtext.IssueText(t.TargetKind) + ")"
	}
	if loc := lineOf(t.Location); loc != "" {
		component += " — " + mdtext.Code(loc)
	}
	p("- **Component:** %s\n", component)
	if info.Actor != "" {
		p("- **Actor:** %s\n", mdtext.IssueText(info.Actor))
	}
	p("- **STRIDE:** %s\n", mdtext.IssueText(strideNames(info.Stride)))
	p("- **Severity:** %s\n", mdtext.IssueText(severityLine(t)))
	p("- **Status:** %s\n", mdtext.IssueText(string(t.Status)))
	if t.Rule != "" {
		p("- **Rule:** %s\n", mdtext.Code(t.Rule))
	}
	list("Why this severity", t.Rationale, func(s string) string { return "- " + mdtext.IssueText(s) })
	list("Evidence", t.Evidence, func(s string) string { return "- " + mdtext.Code(s) })
	list("Mitigations", mitigationLines(t.Mitigations), func(s string) string { return "- " + mdtext.IssueText(s) })
	list("Security requirements", info.Requirements, func(s string) string { return "- [ ] " + mdtext.IssueText(s) })
	list("Test cases", info.TestCases, func(s string) string { return "- [ ] " + mdtext.IssueText(s) })
	list("References", info.References, func(s string) string { return "- " + referenceMD(s) })
	p("\n---\n\n_Exported by Ward from threat %s. A re-export skips threats that already have an issue._\n\n%s\n",
		mdtext.Code(t.ID), Marker(t.ID))
	return b.String()
}

// severityLine is "HIGH (likelihood moderate × impact severe)", saying so
// when a doomsday scenario raised the matrix's verdict.
func severityLine(t *engine.Threat) string {
	s := fmt.Sprintf("%s (likelihood %s × impact %s", strings.ToUpper(string(t.Severity)), t.Likelihood, t.Impact)
	if t.BaseSeverity != "" && t.BaseSeverity != t.Severity {
		s += fmt.Sprintf(" gives %s, raised to %s", t.BaseSeverity, t.Severity)
	}
	return s + ")"
}

// mitigationLines describes each mitigation with its kind, and for the
// team's own its status, ticket and owner.
func mitigationLines(ms []engine.Mitigation) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		facts := []string{string(m.Kind)}
		if m.FromModel {
			facts = append(facts, m.Status)
			if m.Ticket != "" {
				facts = append(facts, "ticket "+m.Ticket)
			}
			if m.Owner != "" {
				facts = append(facts, "owner "+m.Owner)
			}
			if m.Due != "" {
				facts = append(facts, "due "+m.Due)
			}
		} else {
			facts = append(facts, "suggested")
		}
		out = append(out, fmt.Sprintf("%s (%s)", oneLine(m.Title), strings.Join(facts, ", ")))
	}
	return out
}

// lineOf is "file:line", the part of a position a reader opens; "" when
// unknown.
func lineOf(p model.Pos) string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}

func strideNames(ss []model.Stride) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name()
	}
	return strings.Join(names, ", ")
}

// referenceMD links CAPEC, CWE and ATT&CK ids to their catalogue pages.
func referenceMD(ref string) string {
	u := mdtext.ReferenceURL(ref)
	switch {
	case u == "" || strings.ContainsAny(u, " <>()\n"):
		return mdtext.IssueText(ref)
	case u == ref:
		return "<" + u + ">"
	}
	return "[" + mdtext.IssueText(ref) + "](" + u + ")"
}
