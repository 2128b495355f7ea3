package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

// This file lays out each sheet of the XLSX workbook.

// summarySheet is the first sheet: the model, the counts and the heat map.
func (b *xlsxBook) summarySheet(res *engine.Result, summary string) {
	const sheet = xlsxSummarySheet
	b.check(b.f.SetSheetName("Sheet1", sheet))
	row := 0
	put := func(style int, cells ...any) {
		row++
		if len(cells) == 0 {
			return
		}
		b.check(b.f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &cells))
		if style != 0 {
			last := xlsxCol(len(cells) - 1)
			b.check(b.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row), style))
		}
	}
	paint := func(col int, sev risk.Severity) {
		if style, ok := b.severity[sev]; ok {
			cell := fmt.Sprintf("%s%d", xlsxCol(col), row)
			b.check(b.f.SetCellStyle(sheet, cell, cell, style))
		}
	}

	h := headerOf(res.Model)
	title := "Threat assessment"
	if h.title != "" {
		title = h.title + " — threat assessment"
	}
	put(b.title, xlsxText(title))
	for _, f := range [][2]string{{"Scope", h.scope}, {"Authors", h.authors}, {"Dates", h.dates}, {"Summary", summary}} {
		if f[1] != "" {
			put(0, f[0], xlsxText(f[1]))
			b.check(b.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("A%d", row), b.bold))
		}
	}

	s := Summarize(res)
	put(0)
	put(b.header, "Severity", "Threats", "Unresolved")
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		sev := risk.Severities[i]
		put(0, string(sev), s.BySeverity[sev], s.OpenBySeverity[sev])
		paint(0, sev)
	}
	put(0)
	put(b.header, "Status", "Threats")
	for _, st := range engine.Statuses {
		put(0, string(st), s.ByStatus[st])
	}

	hm := HeatMapOf(res)
	put(0)
	put(b.bold, "Unresolved threats by impact and likelihood")
	head := []any{"Impact \\ Likelihood"}
	for _, l := range hm.Likelihoods {
		head = append(head, xlsxLabel(string(l)))
	}
	put(b.header, head...)
	for r, imp := range hm.Impacts {
		cells := []any{xlsxLabel(string(imp))}
		for c := range hm.Likelihoods {
			cells = append(cells, hm.Counts[r][c])
		}
		put(0, cells...)
		for c := range hm.Likelihoods {
			paint(c+1, hm.Severity[r][c])
		}
	}

	if len(res.Warnings) > 0 {
		put(0)
		put(b.header, "Warning", "Where")
		for _, d := range res.Warnings {
			put(0, xlsxText(d.Message), d.Pos.String())
		}
	}
	b.check(b.f.SetColWidth(sheet, "A", "A", 28))
	b.check(b.f.SetColWidth(sheet, "B", "D", 14))
}

var xlsxThreatColumns = []xlsxColumn{
	{"ID", 45, false},
	{"Component", 24, true},
	{"Actor", 24, true},
	{"Scenario", 60, true},
	{"STRIDE", 8, false},
	{"Severity", 10, false},
	{"Mitigation", 45, true},
	{"Status", 20, false},
	{"Title", 45, true},
	{"Rule", 40, false},
	{"Component kind", 20, false},
	{"Likelihood", 12, false},
	{"Impact", 14, false},
	{"Base severity", 10, false},
	{"Location", 40, false},
	{"Doomsday", 30, true},
	{"Rationale", 45, true},
	{"Requirements", 60, true},
	{"Test cases", 60, true},
	{"References", 30, true},
	{"Compliance", 30, true},
	{"Evidence", 30, true},
}

// threatsSheet is the assessment table, then everything else known about
// each threat. It is the one sheet as long as the model is large, so it is
// streamed.
func (b *xlsxBook) threatsSheet(threats []*engine.Threat) {
	b.streamTable(xlsxTable{
		sheet: xlsxThreatsSheet, name: "Threats", cols: xlsxThreatColumns, rows: len(threats),
		row: func(i int) []any {
			t := threats[i]
			return []any{
				t.ID,
				t.TargetName,
				t.Actor,
				t.Scenario,
				strideLetters(t.Stride),
				xlsxSeverity(t.Severity),
				strings.Join(mitigationLines(t.Mitigations), "\n"),
				string(t.Status),
				t.Title,
				t.Rule,
				t.TargetKind,
				string(t.Likelihood),
				string(t.Impact),
				xlsxSeverity(t.BaseSeverity),
				location(t.Location),
				strings.Join(t.Doomsday, "\n"),
				strings.Join(t.Rationale, "\n"),
				strings.Join(t.Requirements, "\n"),
				strings.Join(t.TestCases, "\n"),
				strings.Join(t.References, "\n"),
				strings.Join(complianceItems(t.Compliance), "\n"),
				strings.Join(t.Evidence, "\n"),
			}
		},
	})
}

var xlsxMitigationColumns = []xlsxColumn{
	{"ID", 24, false},
	{"Title", 60, true},
	{"Kind", 12, false},
	{"Status", 12, false},
	{"Source", 10, false},
	{"Owner", 20, false},
	{"Ticket", 40, false},
	{"Due", 12, false},
	{"Threats", 10, false},
	{"Worst severity", 10, false},
	{"Threat IDs", 50, true},
}

// xlsxMitigation is one countermeasure and the threats it answers.
type xlsxMitigation struct {
	engine.Mitigation
	threats []string
	worst   risk.Severity
}

// mitigationsSheet lists the team's mitigations, then the library's
// suggestions for threats nobody has answered yet, each once with the
// threats it answers, in the order the ranked threats first name them.
func (b *xlsxBook) mitigationsSheet(threats []*engine.Threat) {
	var list []*xlsxMitigation
	byKey := map[string]*xlsxMitigation{}
	for _, t := range threats {
		for _, m := range t.Mitigations {
			key := "model " + m.ID
			if !m.FromModel {
				key = "library " + string(m.Kind) + " " + m.Title
			}
			x := byKey[key]
			if x == nil {
				x = &xlsxMitigation{Mitigation: m, worst: t.Severity}
				byKey[key] = x
				list = append(list, x)
			}
			x.threats = append(x.threats, t.ID)
			if t.Severity.Rank() > x.worst.Rank() {
				x.worst = t.Severity
			}
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].FromModel && !list[j].FromModel })
	rows := make([][]any, len(list))
	for i, m := range list {
		source := "library"
		if m.FromModel {
			source = "model"
		}
		rows[i] = []any{
			m.ID, m.Title, string(m.Kind), m.Status, source, m.Owner, m.Ticket, m.Due,
			len(m.threats), xlsxSeverity(m.worst), strings.Join(m.threats, "\n"),
		}
	}
	b.table(xlsxTable{sheet: xlsxMitigationsSheet, name: "Mitigations", cols: xlsxMitigationColumns,
		rows: len(rows), row: func(i int) []any { return rows[i] }})
}

var xlsxAcceptedColumns = []xlsxColumn{
	{"Threat ID", 45, false},
	{"Component", 24, true},
	{"Title", 45, true},
	{"Severity", 10, false},
	{"Owner", 20, false},
	{"Reason", 60, true},
	{"Until", 12, false},
	{"Expired", 9, false},
}

// acceptedSheet lists the accepted risks, current and expired.
func (b *xlsxBook) acceptedSheet(accepted []AcceptedRisk) {
	rows := make([][]any, len(accepted))
	for i, a := range accepted {
		expired := "no"
		if a.Expired {
			expired = "yes"
		}
		rows[i] = []any{
			a.Threat.ID, a.Threat.TargetName, a.Threat.Title, xlsxSeverity(a.Threat.Severity),
			a.Acceptance.Owner, a.Acceptance.Reason, a.Acceptance.Until.String(), expired,
		}
	}
	b.table(xlsxTable{sheet: xlsxAcceptedSheet, name: "AcceptedRisks", cols: xlsxAcceptedColumns,
		rows: len(rows), row: func(i int) []any { return rows[i] }})
}

var xlsxComplianceColumns = []xlsxColumn{
	{"Framework", 20, false},
	{"Requirement", 16, false},
	{"Threats", 10, false},
	{"Unresolved", 12, false},
	{"Threat IDs", 50, true},
}

// complianceSheet lists each framework requirement the threats touch.
func (b *xlsxBook) complianceSheet(frameworks []Framework) {
	var rows [][]any
	for _, fw := range frameworks {
		for _, r := range fw.Requirements {
			ids := make([]string, len(r.Threats))
			for i, t := range r.Threats {
				ids[i] = t.ID
			}
			rows = append(rows, []any{fw.Name, r.ID, len(r.Threats), r.Open, strings.Join(ids, "\n")})
		}
	}
	b.table(xlsxTable{sheet: xlsxComplianceSheet, name: "Compliance", cols: xlsxComplianceColumns,
		rows: len(rows), row: func(i int) []any { return rows[i] }})
}
