package backlog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wardsec/ward/engine"
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

	p("%s\n", mdText(t.Scenario))
	if info.Description != "" {
		p("\n%s\n", mdText(info.Description))
	}
	p("\n")
	component := mdText(t.TargetName)
	if t.TargetKind != "" {
		component += " (" + mdText(t.TargetKind) + ")"
	}
	if loc := lineOf(t.Location); loc != "" {
		component += " — " + mdCode(loc)
	}
	p("- **Component:** %s\n", component)
	if info.Actor != "" {
		p("- **Actor:** %s\n", mdText(info.Actor))
	}
	p("- **STRIDE:** %s\n", mdText(strideNames(info.Stride)))
	p("- **Severity:** %s\n", mdText(severityLine(t)))
	p("- **Status:** %s\n", mdText(string(t.Status)))
	if t.Rule != "" {
		p("- **Rule:** %s\n", mdCode(t.Rule))
	}
	list("Why this severity", t.Rationale, func(s string) string { return "- " + mdText(s) })
	list("Evidence", t.Evidence, func(s string) string { return "- " + mdCode(s) })
	list("Mitigations", mitigationLines(t.Mitigations), func(s string) string { return "- " + mdText(s) })
	list("Security requirements", info.Requirements, func(s string) string { return "- [ ] " + mdText(s) })
	list("Test cases", info.TestCases, func(s string) string { return "- [ ] " + mdText(s) })
	list("References", info.References, func(s string) string { return "- " + referenceMD(s) })
	p("\n---\n\n_Exported by Ward from threat %s. A re-export skips threats that already have an issue._\n\n%s\n",
		mdCode(t.ID), Marker(t.ID))
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
	u := referenceURL(ref)
	switch {
	case u == "" || strings.ContainsAny(u, " <>()\n"):
		return mdText(ref)
	case u == ref:
		return "<" + u + ">"
	}
	return "[" + mdText(ref) + "](" + u + ")"
}

// referenceURL is the page a reference points to: the reference itself
// when it is a web address, the catalogue page of a CAPEC, CWE or ATT&CK
// id, or "" for anything else.
func referenceURL(ref string) string {
	var num string
	switch {
	case strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://"):
		return ref
	case cutNumber(ref, "CAPEC-", &num):
		return "https://capec.mitre.org/data/definitions/" + num + ".html"
	case cutNumber(ref, "CWE-", &num):
		return "https://cwe.mitre.org/data/definitions/" + num + ".html"
	case cutNumber(ref, "T", &num):
		return "https://attack.mitre.org/techniques/T" + strings.ReplaceAll(num, ".", "/") + "/"
	}
	return ""
}

// cutNumber reports whether s is prefix followed by digits (and dots, for
// ATT&CK sub-techniques), setting *num to them.
func cutNumber(s, prefix string, num *string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || rest == "" || rest[0] == '.' {
		return false
	}
	for _, r := range rest {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	*num = rest
	return true
}

// mdEscaper backslash-escapes the punctuation that could start Markdown or
// HTML in model text: emphasis, code, links, tags, tables, strikethrough,
// and mentions and references that would ping people or link issues.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`, `#`, `\#`, `@`, `\@`,
)

// mdText escapes s for a paragraph or list item. Line breaks become spaces
// so model text cannot start a block.
func mdText(s string) string {
	return mdEscaper.Replace(oneLine(s))
}

// mdCode wraps s in a code span, with a fence longer than any run of
// backticks inside it.
func mdCode(s string) string {
	s = oneLine(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
