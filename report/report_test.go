package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/risk"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenExt names each format's golden file.
var goldenExt = map[string]string{
	report.Table:    "table",
	report.JSON:     "json",
	report.Markdown: "md",
	report.HTML:     "html",
	report.CSV:      "csv",
	report.SARIF:    "sarif",
}

func render(t *testing.T, format string, res *engine.Result, opt report.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(&b, format, res, opt); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	for _, format := range report.Formats() {
		if report.Binary(format) {
			continue // PDF and XLSX have text goldens of what they hold: TestPDFText, TestXLSXGolden
		}
		t.Run(format, func(t *testing.T) {
			testkit.Golden(t, filepath.Join("testdata", "ecommerce."+goldenExt[format]+".golden"), render(t, format, res, report.Options{}), *update)
		})
	}
}

// TestJSONSchema checks the example's JSON report against the published
// schema, and that the schema forbids fields the output lacks.
func TestJSONSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join("..", "docs", "threats.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	validate := func(t *testing.T, res *engine.Result) {
		t.Helper()
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(render(t, report.JSON, res, report.Options{})))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("report does not match docs/threats.schema.json: %v", err)
		}
	}
	t.Run("example", func(t *testing.T) { validate(t, testkit.AnalyzeExample(t)) })
	t.Run("tiny", func(t *testing.T) { validate(t, tiny()) })
	t.Run("empty", func(t *testing.T) { validate(t, &engine.Result{Model: &model.Model{}}) })
	t.Run("no model", func(t *testing.T) { validate(t, &engine.Result{}) })

	t.Run("rejects unknown field", func(t *testing.T) {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(`{"schema_version": "1", "extra": true}`))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Error("schema accepted a document with an unknown field")
		}
	})
}

// tiny is a hand-built result: one threat per status, with a pipe in user
// text and a long scenario.
func tiny() *engine.Result {
	m := &model.Model{
		Title:   "Tiny | shop",
		Scope:   model.Scope{Statement: "The shop's checkout.", Covers: model.CoversApplication},
		Authors: []string{"A. Author"},
		Files:   []string{"tiny.ward.yaml"},
	}
	long := strings.Repeat("An attacker with a very long-winded plan keeps going ", 6) + "supercalifragilisticexpialidociousandthensomemoreletters."
	return &engine.Result{
		Model: m,
		Threats: []*engine.Threat{
			{
				Info: &engine.Info{Title: "SQL injection | union",
					Actor: "External adversary", ActorKind: model.External, Actors: []string{"External adversary", "APT"},
					Stride:     []model.Stride{model.Tampering, model.InformationDisclosure},
					References: []string{"CWE-89", "CAPEC-66", "T1190", "https://example.com/sqli"},
					Compliance: map[string][]string{"pci-dss": {"6.2.4"}}},
				ID: "sqli@api", Rule: "sqli", Target: "api", TargetName: "API | v2",
				TargetKind: "process", Location: model.Pos{File: "tiny.ward.yaml", Line: 3, Col: 5},
				Scenario:   long,
				Likelihood: risk.Easy, Impact: risk.Severe, BaseSeverity: risk.Critical, Severity: risk.Critical,
				Status: engine.Open, Evidence: []string{"input_validation=false"},
				Mitigations: []engine.Mitigation{
					{Title: "Use parameterised | prepared queries", Kind: model.Fix, Status: engine.SuggestedStatus},
					{Title: "Validate input", Kind: model.Fix, Status: engine.SuggestedStatus},
				},
			},
			{
				Info: &engine.Info{Title: "Insider exports orders", Actor: "Malicious insider", ActorKind: model.MaliciousInsider,
					Stride: []model.Stride{model.InformationDisclosure}},
				ID: "hand-1", Target: "db", TargetName: "DB", TargetKind: "datastore",
				Scenario:   "An insider exports the orders table.",
				Likelihood: risk.Moderate, Impact: risk.Problematic, BaseSeverity: risk.Medium, Severity: risk.High,
				Doomsday: []string{"leak"}, Rationale: []string{"raised from medium: can lead to doomsday scenario leak"},
				Status: engine.Accepted,
				Acceptance: &model.Acceptance{Owner: "CISO", Reason: "Audited quarterly",
					Until: model.Date{Time: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}},
			},
			{
				Info: &engine.Info{Title: "Traffic read in transit", Actor: "External adversary", ActorKind: model.External,
					Stride: []model.Stride{model.InformationDisclosure}},
				ID: "tls@flow", Rule: "tls", Target: "flow", TargetName: "Browser → API",
				TargetKind: "flow", Scenario: "Someone reads the traffic.",
				Likelihood: risk.Difficult, Impact: risk.Problematic, BaseSeverity: risk.Low, Severity: risk.Low,
				Status: engine.Mitigated,
				Mitigations: []engine.Mitigation{{ID: "tls", Title: "TLS 1.3 everywhere", Kind: model.Fix,
					Status: string(model.Verified), Ticket: "https://tracker.example/SEC-1", FromModel: true}},
			},
		},
		Warnings: model.Diagnostics{{Pos: model.Pos{File: "tiny.ward.yaml", Line: 9, Col: 3}, Message: "mitigation x answers nothing"}},
	}
}

func TestTableWrapsWithinWidth(t *testing.T) {
	// Below about 90 columns the fixed columns and minimum widths no longer
	// fit, and the table overflows rather than becoming unreadable.
	for _, width := range []int{90, 100, 120, 200} {
		for _, color := range []bool{false, true} {
			out := string(render(t, report.Table, tiny(), report.Options{Width: width, Color: color}))
			for i, line := range strings.Split(out, "\n") {
				if w := text.StringWidthWithoutEscSequences(line); w > width {
					t.Errorf("width %d, color %v: line %d is %d wide:\n%s", width, color, i+1, w, line)
				}
			}
			if !strings.Contains(out, "superc") {
				t.Errorf("width %d: a long word was lost:\n%s", width, out)
			}
		}
	}
}

func TestTableContent(t *testing.T) {
	plain := string(render(t, report.Table, tiny(), report.Options{}))
	for _, want := range []string{
		"Tiny | shop — threat assessment",
		"Scope: The shop's checkout. (covers application)",
		"Authors: A. Author",
		"CRITICAL", "TI", "(suggested)", "(+1 more)", "(verified)",
		"3 threats: 1 critical, 1 high, 1 low; 1 open: 1 critical.",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("table lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "\x1b[") {
		t.Errorf("table has colours without Options.Color:\n%s", plain)
	}
	colored := string(render(t, report.Table, tiny(), report.Options{Color: true}))
	if !strings.Contains(colored, "\x1b[1;31mCRITICAL\x1b[0m") {
		t.Errorf("Options.Color did not colour the severity:\n%s", colored)
	}
}

func TestMarkdownEscapesPipes(t *testing.T) {
	out := string(render(t, report.Markdown, tiny(), report.Options{}))
	_, assessment, _ := strings.Cut(out, "## Assessment\n")
	assessment, _, _ = strings.Cut(assessment, "\n## ")
	var rows []string
	for _, line := range strings.Split(assessment, "\n") {
		if strings.HasPrefix(line, "| ") {
			rows = append(rows, line)
		}
	}
	if len(rows) != 5 {
		t.Fatalf("want a header, a separator and 3 rows in the assessment table, got %d:\n%s", len(rows), out)
	}
	for _, row := range rows {
		// Unescaped pipes delimit cells: 7 columns need 8.
		if n := strings.Count(row, "|") - strings.Count(row, `\|`); n != 8 {
			t.Errorf("row has %d cell delimiters, want 8: %s", n, row)
		}
	}
	for _, want := range []string{`API \| v2`, `parameterised \| prepared`, "# Threat assessment: Tiny \\| shop"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "[CWE-89](https://cwe.mitre.org/data/definitions/89.html)") {
		t.Errorf("markdown does not link CWE references:\n%s", out)
	}
}

func TestJSONFields(t *testing.T) {
	var doc struct {
		SchemaVersion string `json:"schema_version"`
		Threats       []struct {
			ID          string   `json:"id"`
			Location    string   `json:"location"`
			Stride      []string `json:"stride"`
			Severity    string   `json:"severity"`
			Evidence    []string `json:"evidence"`
			Mitigations []struct {
				Source string `json:"source"`
			} `json:"mitigations"`
			Acceptance *struct {
				Until string `json:"until"`
			} `json:"acceptance"`
		} `json:"threats"`
		Summary struct {
			Total          int            `json:"total"`
			ByStatus       map[string]int `json:"by_status"`
			OpenBySeverity map[string]int `json:"open_by_severity"`
		} `json:"summary"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal(render(t, report.JSON, tiny(), report.Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	th := doc.Threats
	if doc.SchemaVersion != "1" || len(th) != 3 {
		t.Fatalf("schema_version %q, %d threats", doc.SchemaVersion, len(th))
	}
	checks := []struct{ name, got, want string }{
		{"location", th[0].Location, "tiny.ward.yaml:3:5"},
		{"stride", strings.Join(th[0].Stride, ","), "Tampering,Information disclosure"},
		{"severity", th[0].Severity, "critical"},
		{"source library", th[0].Mitigations[0].Source, "library"},
		{"source model", th[2].Mitigations[0].Source, "model"},
		{"no location", th[1].Location, ""},
		{"warning", strings.Join(doc.Warnings, ";"), "tiny.ward.yaml:9:3: mitigation x answers nothing"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if th[1].Acceptance == nil || th[1].Acceptance.Until != "2026-06-30" {
		t.Errorf("acceptance: got %+v", th[1].Acceptance)
	}
	if th[0].Acceptance != nil {
		t.Errorf("acceptance should be omitted, got %+v", th[0].Acceptance)
	}
	if th[1].Evidence == nil {
		t.Error("empty evidence should encode as [], not null")
	}
	wantStatus := map[string]int{"open": 1, "acceptance-expired": 0, "mitigation-planned": 0, "accepted": 1, "mitigated": 1}
	if diff := cmp.Diff(wantStatus, doc.Summary.ByStatus); diff != "" {
		t.Errorf("by_status (-want +got):\n%s", diff)
	}
	wantOpen := map[string]int{"critical": 1, "high": 0, "medium": 0, "low": 0}
	if diff := cmp.Diff(wantOpen, doc.Summary.OpenBySeverity); diff != "" {
		t.Errorf("open_by_severity (-want +got):\n%s", diff)
	}
}

func TestEmptyResult(t *testing.T) {
	results := map[string]*engine.Result{
		"empty model": {Model: &model.Model{}},
		"titled":      {Model: &model.Model{Title: "Nothing here", Authors: []string{"X"}}},
		"no model":    {},
	}
	for name, res := range results {
		for _, format := range report.Formats() {
			t.Run(name+"/"+format, func(t *testing.T) {
				out := readerText(t, format, render(t, format, res, report.Options{}))
				if strings.Contains(out, "<nil>") || strings.Contains(out, "%!") {
					t.Errorf("bad formatting:\n%s", out)
				}
				switch format {
				case report.JSON:
					for _, want := range []string{`"threats": []`, `"warnings": []`, `"authors": [`, `"total": 0`} {
						if !strings.Contains(out, want) {
							t.Errorf("lacks %s:\n%s", want, out)
						}
					}
					if strings.Contains(out, "null") {
						t.Errorf("null in empty report:\n%s", out)
					}
				default:
					if !strings.Contains(out, "No threats found.") {
						t.Errorf("lacks the empty summary:\n%s", out)
					}
					// A workbook keeps its sheets' headers for filling in.
					if format != report.XLSX && strings.Contains(out, "Component") {
						t.Errorf("prints an empty table:\n%s", out)
					}
				}
			})
		}
	}
}

// readerText is what a reader sees of a report: the text of a PDF's pages or
// of a workbook's cells, or the output itself.
func readerText(t *testing.T, format string, data []byte) string {
	t.Helper()
	switch format {
	case report.PDF:
		return strings.Join(pdfPages(t, data), "\n")
	case report.XLSX:
		f := openXLSX(t, data)
		var b strings.Builder
		for _, sheet := range f.GetSheetList() {
			for _, row := range rowsOf(t, f, sheet) {
				b.WriteString(strings.Join(row, "\t") + "\n")
			}
		}
		return b.String()
	}
	return string(data)
}

func TestUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	err := report.Write(&b, "yaml", tiny(), report.Options{})
	if !errors.Is(err, report.ErrUnknownFormat) {
		t.Fatalf("got %v, want ErrUnknownFormat", err)
	}
	for _, f := range report.Formats() {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not name format %s", err, f)
		}
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes for an unknown format", b.Len())
	}
}

func TestSummarize(t *testing.T) {
	s := report.Summarize(tiny())
	got := []int{s.Total, s.Open, s.BySeverity[risk.Critical], s.BySeverity[risk.High], s.ByStatus[engine.Accepted], s.OpenBySeverity[risk.Critical], s.OpenBySeverity[risk.High]}
	if diff := cmp.Diff([]int{3, 1, 1, 1, 1, 1, 0}, got); diff != "" {
		t.Errorf("total, open, critical, high, accepted, open critical, open high (-want +got):\n%s", diff)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	for _, format := range report.Formats() {
		if err := report.Write(failWriter{}, format, tiny(), report.Options{}); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: got %v, want the writer's error", format, err)
		}
	}
}
