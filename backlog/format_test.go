package backlog_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/backlog"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

func write(t *testing.T, format string, items []backlog.Item) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := backlog.Write(&b, format, items); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.Bytes()
}

func TestWriteGitHubRequests(t *testing.T) {
	it := backlog.ItemOf(threat("a@b", risk.High, engine.Open))
	var got []map[string]any
	if err := json.Unmarshal(write(t, backlog.GitHubFormat, []backlog.Item{it}), &got); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"title": it.Title, "body": it.Body, "labels": []any{"ward", "severity:high"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestWriteGitLabRequests(t *testing.T) {
	it := backlog.ItemOf(threat("a@b", risk.Critical, engine.Open))
	var got []map[string]any
	if err := json.Unmarshal(write(t, backlog.GitLabFormat, []backlog.Item{it}), &got); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"title": it.Title, "description": it.Body, "labels": "ward,severity:critical"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestWriteNothingIsAnEmptyArray(t *testing.T) {
	for _, format := range []string{backlog.GitHubFormat, backlog.GitLabFormat} {
		if got := strings.TrimSpace(string(write(t, format, nil))); got != "[]" {
			t.Errorf("%s: %q, want []", format, got)
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := backlog.Write(&bytes.Buffer{}, "trello", nil)
	if err == nil || !strings.Contains(err.Error(), "jira-csv") {
		t.Fatalf("err %v, want one listing the formats", err)
	}
}

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("not a CSV: %v\n%s", err, data)
	}
	return rows
}

func TestWriteJiraCSV(t *testing.T) {
	items := []backlog.Item{
		backlog.ItemOf(threat("a@b", risk.Critical, engine.Open)),
		backlog.ItemOf(threat("c@d", risk.Low, engine.MitigationPlanned)),
	}
	rows := readCSV(t, write(t, backlog.JiraCSVFormat, items))
	if diff := cmp.Diff([]string{"Summary", "Description", "Priority", "Labels", "Labels", "External ID"}, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want a header and 2 items", len(rows))
	}
	tests := []struct {
		row                         []string
		priority, severityLabel, id string
	}{
		{rows[1], "Highest", "severity:critical", "a@b"},
		{rows[2], "Low", "severity:low", "c@d"},
	}
	for _, tt := range tests {
		if tt.row[2] != tt.priority || tt.row[3] != "ward" || tt.row[4] != tt.severityLabel || tt.row[5] != tt.id {
			t.Errorf("row %q: want priority %s, labels ward and %s, id %s", tt.row, tt.priority, tt.severityLabel, tt.id)
		}
	}
	desc := rows[1][1]
	for _, want := range []string{
		"* *Component:* Order API (aws.api\\-gateway) — {{shop.ward.yaml:12}}",
		"h3. Test cases\n* Try 11 wrong passwords; expect a lockout.",
		"* [CAPEC\\-49|https://capec.mitre.org/data/definitions/49.html]",
	} {
		if !strings.Contains(desc, want) {
			t.Errorf("description lacks %q:\n%s", want, desc)
		}
	}
	if strings.Contains(desc, "<!--") {
		t.Errorf("Jira description carries the HTML marker; the id has its own column:\n%s", desc)
	}
}

// TestJiraCSVGuardsFormulas keeps a spreadsheet opening the CSV from
// running model text as a formula.
func TestJiraCSVGuardsFormulas(t *testing.T) {
	for _, start := range []string{"=", "+", "-", "@", "\t"} {
		t.Run(strings.TrimSpace(start), func(t *testing.T) {
			th := threat("a@b", risk.Low, engine.Open)
			th.Scenario = start + `HYPERLINK("https://evil.example","x")`
			it := backlog.ItemOf(th)
			it.Title = start + "cmd|' /C calc'!A0"
			rows := readCSV(t, write(t, backlog.JiraCSVFormat, []backlog.Item{it}))
			for i, cell := range rows[1] {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("column %s starts with %q: %q", rows[0][i], cell[0], cell)
				}
			}
			if !strings.HasPrefix(rows[1][0], "'"+start) {
				t.Errorf("summary %q, want it kept behind an apostrophe", rows[1][0])
			}
		})
	}
}
