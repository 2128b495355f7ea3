package report_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/risk"
)

var xlsxSheets = []string{"Summary", "Threats", "Mitigations", "Accepted risks", "Compliance"}

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("output is not a workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() }) // only frees memory
	return f
}

func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// fillOf is the fill colour of a cell, "" when it has none.
func fillOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Fill.Color) == 0 {
		return ""
	}
	return strings.ToUpper(st.Fill.Color[0])
}

// cellOf names the cell of the column headed name in row (1-based).
func cellOf(t *testing.T, header []string, name string, row int) string {
	t.Helper()
	for i, h := range header {
		if h == name {
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				t.Fatal(err)
			}
			return cell
		}
	}
	t.Fatalf("no column %q in %q", name, header)
	return ""
}

// TestXLSXGolden pins the workbook's cell values, sheet by sheet, as text:
// the file's bytes depend on the library that zips it.
func TestXLSXGolden(t *testing.T) {
	f := openXLSX(t, render(t, report.XLSX, testkit.AnalyzeExample(t), report.Options{}))
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "== %s\n", sheet)
		for i, row := range rowsOf(t, f, sheet) {
			fmt.Fprintf(&b, "%d: %q\n", i+1, row)
		}
	}
	testkit.Golden(t, filepath.Join("testdata", "ecommerce.xlsx.txt.golden"), []byte(b.String()), *update)
}

func TestXLSXExample(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	data := render(t, report.XLSX, res, report.Options{})
	f := openXLSX(t, data)
	if diff := cmp.Diff(xlsxSheets, f.GetSheetList()); diff != "" {
		t.Fatalf("sheets (-want +got):\n%s", diff)
	}
	t.Run("threats", func(t *testing.T) { checkThreatsSheet(t, f, res) })
	t.Run("lists", func(t *testing.T) { checkListSheets(t, f, data) })
	t.Run("mitigations", func(t *testing.T) { checkMitigationsSheet(t, f) })
	t.Run("summary", func(t *testing.T) { checkSummarySheet(t, f, res) })

	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Creator != "Ward" || props.Created != "2022-02-26T00:00:00Z" {
		t.Errorf("doc props: creator %q, created %q", props.Creator, props.Created)
	}
	if again := render(t, report.XLSX, testkit.AnalyzeExample(t), report.Options{}); !bytes.Equal(data, again) {
		t.Error("two workbooks of the same model differ")
	}
}

// checkThreatsSheet checks the header, one row per threat in order, and
// the severity colours.
func checkThreatsSheet(t *testing.T, f *excelize.File, res *engine.Result) {
	threats := rowsOf(t, f, "Threats")
	wantHeader := []string{"ID", "Component", "Actor", "Scenario", "STRIDE", "Severity", "Mitigation", "Status",
		"Title", "Rule", "Component kind", "Likelihood", "Impact", "Base severity", "Location", "Doomsday",
		"Rationale", "Requirements", "Test cases", "References", "Compliance", "Evidence"}
	if diff := cmp.Diff(wantHeader, threats[0]); diff != "" {
		t.Errorf("threats header (-want +got):\n%s", diff)
	}
	if len(threats)-1 != len(res.Threats) {
		t.Fatalf("%d threat rows, want %d", len(threats)-1, len(res.Threats))
	}
	for i, th := range res.Threats {
		if threats[i+1][0] != th.ID {
			t.Errorf("row %d: id %q, want %q", i+2, threats[i+1][0], th.ID)
		}
		if got := fillOf(t, f, "Threats", cellOf(t, threats[0], "Severity", i+2)); got != wantFill[th.Severity] {
			t.Errorf("row %d: %s severity filled %q, want %q", i+2, th.Severity, got, wantFill[th.Severity])
		}
	}
}

// checkListSheets checks that every list sheet is a table filtering every
// column, keeps its header in view and has columns of a readable width.
func checkListSheets(t *testing.T, f *excelize.File, data []byte) {
	filters := tableFilters(t, data)
	for _, sheet := range xlsxSheets[1:] {
		rows := rowsOf(t, f, sheet)
		header := rows[0]
		last, err := excelize.ColumnNumberToName(len(header))
		if err != nil {
			t.Fatal(err)
		}
		// A table spans a row below its header even when it has none.
		want := fmt.Sprintf("A1:%s%d", last, max(len(rows), 2))
		tables, err := f.GetTables(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != 1 || tables[0].Range != want || filters[tables[0].Name] != want {
			t.Errorf("%s: tables %+v (filters %v), want one filtering %s", sheet, tables, filters, want)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 {
			t.Errorf("%s: panes %+v, want the header row frozen", sheet, panes)
		}
		for i := range header {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if w, err := f.GetColWidth(sheet, col); err != nil || w < float64(len(header[i])) || w > 61 {
				t.Errorf("%s: column %s (%s) is %v wide (%v)", sheet, col, header[i], w, err)
			}
		}
	}
}

// checkMitigationsSheet checks that the team's three mitigations come
// first, each with the threat it answers.
func checkMitigationsSheet(t *testing.T, f *excelize.File) {
	rows := rowsOf(t, f, "Mitigations")
	var model []string
	for _, r := range rows[1:] {
		if r[4] == "model" {
			model = append(model, r[0]+" → "+r[len(r)-1])
		}
	}
	want := []string{
		"sign-orders → queue-message-tampering@fulfillment-queue",
		"shield-waf → password-brute-force@order-api",
		"drp-tests → datastore-incorrect-restore@order-db",
	}
	if diff := cmp.Diff(want, model); diff != "" {
		t.Errorf("model mitigations (-want +got):\n%s", diff)
	}
	if rows[1][4] != "model" {
		t.Errorf("first mitigation row %q is not the team's", rows[1])
	}
}

func checkSummarySheet(t *testing.T, f *excelize.File, res *engine.Result) {
	rows := rowsOf(t, f, "Summary")
	if rows[0][0] != "Acme e-commerce — threat assessment" {
		t.Errorf("summary title %q", rows[0][0])
	}
	if !containsRow(rows, []string{"Summary", report.Summarize(res).String()}) {
		t.Errorf("summary sheet lacks the summary line:\n%q", rows)
	}
	heat := -1
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Impact \\ Likelihood" {
			heat = i + 1
		}
	}
	if heat < 0 {
		t.Fatalf("no heat map on the summary sheet:\n%q", rows)
	}
	// The severe × easy cell is critical on the default matrix.
	if got := fillOf(t, f, "Summary", fmt.Sprintf("D%d", heat+1)); got != wantFill[risk.Critical] {
		t.Errorf("severe × easy cell filled %q, want the critical fill", got)
	}
}

// tableFilters reads the workbook's table parts: each table's name and
// the range its autofilter covers.
func tableFilters(t *testing.T, data []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, file := range z.File {
		if !strings.HasPrefix(file.Name, "xl/tables/") {
			continue
		}
		r, err := file.Open()
		if err != nil {
			t.Fatal(err)
		}
		var table struct {
			Name       string `xml:"name,attr"`
			AutoFilter *struct {
				Ref string `xml:"ref,attr"`
			} `xml:"autoFilter"`
		}
		err = xml.NewDecoder(r).Decode(&table)
		_ = r.Close() // a reader over memory
		if err != nil {
			t.Fatalf("%s: %v", file.Name, err)
		}
		if table.AutoFilter != nil {
			out[table.Name] = table.AutoFilter.Ref
		}
	}
	return out
}

var wantFill = map[risk.Severity]string{risk.Critical: "C00000", risk.High: "F8696B", risk.Medium: "FFEB84", risk.Low: "9BC2E6"}

func containsRow(rows [][]string, want []string) bool {
	for _, r := range rows {
		if cmp.Equal(r, want) {
			return true
		}
	}
	return false
}

func TestXLSXAcceptedRisks(t *testing.T) {
	res := tiny()
	f := openXLSX(t, render(t, report.XLSX, res, report.Options{}))
	rows := rowsOf(t, f, "Accepted risks")
	want := [][]string{
		{"Threat ID", "Component", "Title", "Severity", "Owner", "Reason", "Until", "Expired"},
		{"hand-1", "DB", "Insider exports orders", "high", "CISO", "Audited quarterly", "2026-06-30", "no"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("accepted risks (-want +got):\n%s", diff)
	}
	if got := fillOf(t, f, "Accepted risks", "D2"); got != wantFill[risk.High] {
		t.Errorf("severity fill %q", got)
	}
	compliance := rowsOf(t, f, "Compliance")
	if diff := cmp.Diff([]string{"pci-dss", "6.2.4", "1", "1", "sqli@api"}, compliance[1]); diff != "" {
		t.Errorf("compliance row (-want +got):\n%s", diff)
	}
}

func TestXLSXEmpty(t *testing.T) {
	data := render(t, report.XLSX, &engine.Result{}, report.Options{})
	f := openXLSX(t, data)
	if diff := cmp.Diff(xlsxSheets, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if rows := rowsOf(t, f, "Threats"); len(rows) != 1 {
		t.Errorf("threats sheet: %d rows, want the header alone", len(rows))
	}
	if !containsRow(rowsOf(t, f, "Summary"), []string{"Summary", "No threats found."}) {
		t.Error("summary sheet does not say there are no threats")
	}
}

func TestXLSXTooManyThreats(t *testing.T) {
	res := &engine.Result{Threats: make([]*engine.Threat, excelize.TotalRows)}
	var b bytes.Buffer
	err := report.Write(&b, report.XLSX, res, report.Options{})
	if err == nil || !strings.Contains(err.Error(), "use the csv or json format") {
		t.Errorf("got %v, want an error pointing to csv or json", err)
	}
}
