package backlog

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/mdtext"
	"github.com/wardsec/ward/risk"
)

// jiraColumns head the CSV. Jira's importer maps each column to a field;
// a repeated "Labels" column gives an issue several labels, and "External
// ID" is mapped to a custom field holding the threat id.
var jiraColumns = []string{"Summary", "Description", "Priority", "Labels", "Labels", "External ID"}

// jiraPriority maps a severity onto Jira's default priority scheme.
var jiraPriority = map[risk.Severity]string{
	risk.Critical: "Highest",
	risk.High:     "High",
	risk.Medium:   "Medium",
	risk.Low:      "Low",
}

// writeJiraCSV writes items as a CSV for Jira's importer, descriptions in
// Jira's wiki markup.
func writeJiraCSV(w io.Writer, items []Item) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(jiraColumns); err != nil {
		return err
	}
	for _, it := range items {
		row := []string{it.Title, jiraDescription(it.Threat), jiraPriority[it.Threat.Severity], it.Labels[0], it.Labels[1], it.ThreatID}
		for i, cell := range row {
			row[i] = cellSafe(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cellSafe keeps a spreadsheet opening the CSV from running a cell as a
// formula: one starting with = + - @ (or a tab or carriage return, which
// some spreadsheets skip) gets a leading apostrophe.
func cellSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// jiraDescription is the Markdown body's content in Jira's wiki markup.
// The threat id has its own column, so no marker is needed.
func jiraDescription(t *engine.Threat) string {
	info := infoOf(t)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	list := func(heading string, items []string, item func(string) string) {
		if len(items) == 0 {
			return
		}
		p("\nh3. %s\n", heading)
		for _, it := range items {
			p("* %s\n", item(it))
		}
	}

	p("%s\n", jiraText(t.Scenario))
	if info.Description != "" {
		p("\n%s\n", jiraText(info.Description))
	}
	p("\n")
	component := jiraText(t.TargetName)
	if t.TargetKind != "" {
		component += " (" + jiraText(t.TargetKind) + ")"
	}
	if loc := lineOf(t.Location); loc != "" {
		component += " — {{" + jiraText(loc) + "}}"
	}
	p("* *Component:* %s\n", component)
	if info.Actor != "" {
		p("* *Actor:* %s\n", jiraText(info.Actor))
	}
	p("* *STRIDE:* %s\n", jiraText(strideNames(info.Stride)))
	p("* *Severity:* %s\n", jiraText(severityLine(t)))
	p("* *Status:* %s\n", jiraText(string(t.Status)))
	if t.Rule != "" {
		p("* *Rule:* {{%s}}\n", jiraText(t.Rule))
	}
	list("Why this severity", t.Rationale, jiraText)
	list("Evidence", t.Evidence, func(s string) string { return "{{" + jiraText(s) + "}}" })
	list("Mitigations", mitigationLines(t.Mitigations), jiraText)
	list("Security requirements", info.Requirements, jiraText)
	list("Test cases", info.TestCases, jiraText)
	list("References", info.References, jiraReference)
	p("\n_Exported by Ward from threat {{%s}}._", jiraText(t.ID))
	return b.String()
}

func jiraReference(ref string) string {
	u := mdtext.ReferenceURL(ref)
	if u == "" || strings.ContainsAny(u, " |[]{}\n") {
		return jiraText(ref)
	}
	if u == ref {
		return "[" + u + "]"
	}
	return "[" + jiraText(ref) + "|" + u + "]"
}

// jiraEscaper backslash-escapes the characters that start Jira text
// effects, links, macros, tables and mentions.
var jiraEscaper = strings.NewReplacer(
	`\`, `\\`, `*`, `\*`, `_`, `\_`, `?`, `\?`, `-`, `\-`, `+`, `\+`, `^`, `\^`, `~`, `\~`,
	`{`, `\{`, `}`, `\}`, `[`, `\[`, `]`, `\]`, `|`, `\|`, `!`, `\!`, `#`, `\#`,
)

// jiraText escapes s for Jira's wiki markup on one line.
func jiraText(s string) string {
	return jiraEscaper.Replace(oneLine(s))
}
