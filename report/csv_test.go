package report_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/report"
)

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, data)
	}
	return rows
}

func TestCSVRows(t *testing.T) {
	res := tiny()
	rows := readCSV(t, render(t, report.CSV, res, report.Options{}))
	want := []string{"ID", "Component", "Actor", "Scenario", "STRIDE", "Severity", "Mitigation", "Status"}
	if diff := cmp.Diff(want, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if len(rows) != len(res.Threats)+1 {
		t.Fatalf("%d rows, want a header and %d threats", len(rows), len(res.Threats))
	}
	for i, th := range res.Threats {
		if len(rows[i+1]) != len(want) {
			t.Errorf("row %d has %d cells, want %d: %q", i+1, len(rows[i+1]), len(want), rows[i+1])
			continue
		}
		if rows[i+1][0] != th.ID {
			t.Errorf("row %d: ID %q, want %q", i+1, rows[i+1][0], th.ID)
		}
	}
	first := rows[1]
	checks := []struct{ name, got, want string }{
		{"component keeps pipes", first[1], "API | v2"},
		{"scenario whole", first[3], res.Threats[0].Scenario},
		{"stride letters", first[4], "TI"},
		{"severity", first[5], "critical"},
		{"mitigations one per line", first[6], "Use parameterised | prepared queries (suggested)\n(+1 more)"},
		{"status", first[7], "open"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

// TestCSVFormulaInjection checks that cells a spreadsheet would evaluate
// start with an apostrophe, and that other cells are left alone.
func TestCSVFormulaInjection(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"equals", `=HYPERLINK("https://evil.example","x")`, `'=HYPERLINK("https://evil.example","x")`},
		{"plus", "+1+1", "'+1+1"},
		{"minus", "-2+3", "'-2+3"},
		{"at", "@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1+1", "'\r=1+1"},
		{"equals inside", "a=b", "a=b"},
		{"plain", "Order API", "Order API"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := tiny()
			th := *res.Threats[0]
			info := *th.Info
			th.Info = &info
			th.TargetName, th.Actor, th.Scenario = tc.text, tc.text, tc.text
			res.Threats = []*engine.Threat{&th}
			rows := readCSV(t, render(t, report.CSV, res, report.Options{}))
			if len(rows) != 2 {
				t.Fatalf("got %d rows, want 2", len(rows))
			}
			for col, name := range map[int]string{1: "Component", 2: "Actor", 3: "Scenario"} {
				if got := rows[1][col]; got != tc.want {
					t.Errorf("%s: got %q, want %q", name, got, tc.want)
				}
			}
		})
	}
}

func TestCSVEmpty(t *testing.T) {
	rows := readCSV(t, render(t, report.CSV, &engine.Result{}, report.Options{}))
	if diff := cmp.Diff([][]string{{"No threats found."}}, rows); diff != "" {
		t.Errorf("empty result (-want +got):\n%s", diff)
	}
}
