package report_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
)

// sarifDoc is the part of a SARIF log the tests read.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Tags             []string `json:"tags"`
						SecuritySeverity string   `json:"security-severity"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			Notifications []struct {
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          map[string]string `json:"properties"`
		} `json:"results"`
		Properties struct {
			Summary string `json:"summary"`
		} `json:"properties"`
	} `json:"runs"`
}

func readSARIF(t *testing.T, res *engine.Result, opt report.Options) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(render(t, report.SARIF, res, opt), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	return doc
}

// TestSARIFSchema validates logs against the OASIS SARIF 2.1.0 schema in
// testdata/sarif-schema-2.1.0.json, kept verbatim.
func TestSARIFSchema(t *testing.T) {
	sch, err := jsonschema.NewCompiler().Compile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	expired := tiny()
	expired.Threats[1].Status = engine.AcceptanceExpired
	for name, res := range map[string]*engine.Result{
		"example":  testkit.AnalyzeExample(t),
		"tiny":     tiny(),
		"expired":  expired,
		"empty":    {Model: &model.Model{}},
		"no model": {},
	} {
		t.Run(name, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(render(t, report.SARIF, res, report.Options{SourceRoot: ".."})))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("log does not match the SARIF 2.1.0 schema: %v", err)
			}
		})
	}
	t.Run("rejects a bad level", func(t *testing.T) {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(
			`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Error("schema accepted a result level outside none/note/warning/error")
		}
	})
}

func TestSARIFResults(t *testing.T) {
	res := tiny()
	res.Threats[1].Status = engine.AcceptanceExpired
	doc := readSARIF(t, res, report.Options{})
	run := doc.Runs[0]
	if doc.Version != "2.1.0" || run.Tool.Driver.Name != "Ward" {
		t.Errorf("version %q, driver %q", doc.Version, run.Tool.Driver.Name)
	}
	// The mitigated threat is left out; the expired acceptance is open again.
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want the 2 unresolved threats", len(run.Results))
	}
	sqli, hand := run.Results[0], run.Results[1]
	loc := sqli.Locations[0].PhysicalLocation
	checks := []struct{ name, got, want string }{
		{"rule id", sqli.RuleID, "sqli"},
		{"level", sqli.Level, "error"},
		{"uri", loc.ArtifactLocation.URI, "tiny.ward.yaml"},
		{"uri base", loc.ArtifactLocation.URIBaseID, "%SRCROOT%"},
		{"fingerprint", sqli.PartialFingerprints["wardThreatId/v1"], "sqli@api"},
		{"likelihood", sqli.Properties["likelihood"], "easy"},
		{"impact", sqli.Properties["impact"], "severe"},
		{"status", sqli.Properties["status"], "open"},
		{"message", sqli.Message.Text, res.Threats[0].Scenario},
		{"hand-written rule id", hand.RuleID, "hand-1"},
		{"hand-written level", hand.Level, "error"},
		{"expired message", hand.Message.Text, "An insider exports the orders table. CISO accepted the risk until 2026-06-30; the acceptance has expired."},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if loc.Region.StartLine != 3 || loc.Region.StartColumn != 5 {
		t.Errorf("region %+v, want line 3 column 5", loc.Region)
	}
	// A threat whose element has no position falls back to the model file.
	if len(hand.Locations) != 1 || hand.Locations[0].PhysicalLocation.ArtifactLocation.URI != "tiny.ward.yaml" {
		t.Errorf("hand-written threat without a position: locations %+v", hand.Locations)
	}

	notes := run.Invocations[0].Notifications
	if len(notes) != 1 || notes[0].Message.Text != "mitigation x answers nothing" {
		t.Errorf("warnings as notifications: %+v", notes)
	}
}

func TestSARIFRules(t *testing.T) {
	res := tiny()
	res.Threats[1].Status = engine.AcceptanceExpired
	run := readSARIF(t, res, report.Options{}).Runs[0]
	rules := run.Tool.Driver.Rules
	if len(run.Results) != 2 || len(rules) != 2 {
		t.Fatalf("%d results and %d rules, want 2 of each", len(run.Results), len(rules))
	}
	sqli, hand := run.Results[0], run.Results[1]
	if rules[sqli.RuleIndex].ID != "sqli" || rules[hand.RuleIndex].ID != "hand-1" {
		t.Fatalf("rules %+v do not match the results' ruleIndex", rules)
	}
	r := rules[sqli.RuleIndex]
	if r.Name != "Sqli" || r.ShortDescription.Text != "SQL injection | union" || r.HelpURI != "https://example.com/sqli" {
		t.Errorf("rule name %q, short description %q, helpUri %q", r.Name, r.ShortDescription.Text, r.HelpURI)
	}
	if r.DefaultConfiguration.Level != "error" || r.Properties.SecuritySeverity != "9.5" {
		t.Errorf("rule level %q, security-severity %q", r.DefaultConfiguration.Level, r.Properties.SecuritySeverity)
	}
	wantTags := []string{"security", "tampering", "information-disclosure", "external/cwe/cwe-89"}
	if diff := cmp.Diff(wantTags, r.Properties.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	for _, want := range []string{"**Mitigations:**", "- Use parameterised \\| prepared queries (fix)", "[CWE-89](https://cwe.mitre.org/data/definitions/89.html)"} {
		if !strings.Contains(r.Help.Markdown, want) {
			t.Errorf("help markdown lacks %q:\n%s", want, r.Help.Markdown)
		}
	}
	if !strings.Contains(r.Help.Text, "- Validate input (fix)") {
		t.Errorf("help text lacks the suggestions:\n%s", r.Help.Text)
	}
	if got := rules[hand.RuleIndex].FullDescription.Text; got != "An insider exports the orders table." {
		t.Errorf("a hand-written threat's description is its scenario; got %q", got)
	}
	if got := rules[hand.RuleIndex].Properties.SecuritySeverity; got != "8.0" {
		t.Errorf("high threat: security-severity %q, want 8.0", got)
	}
}

func TestSARIFSourceRoot(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	abs, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ root, want string }{
		{"", "../examples/ecommerce/acme.ward.yaml"},
		{"..", "examples/ecommerce/acme.ward.yaml"},
		{abs, "examples/ecommerce/acme.ward.yaml"},
		{filepath.Join("..", "examples"), "ecommerce/acme.ward.yaml"},
	} {
		doc := readSARIF(t, res, report.Options{SourceRoot: tc.root})
		for _, r := range doc.Runs[0].Results {
			if got := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != tc.want {
				t.Errorf("source root %q: uri %q, want %q", tc.root, got, tc.want)
				break
			}
		}
	}
}

// TestSARIFStable checks what code-scanning services track results by:
// the same model gives the same bytes, and each result's fingerprint is
// its threat id.
func TestSARIFStable(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	first := render(t, report.SARIF, res, report.Options{})
	if again := render(t, report.SARIF, testkit.AnalyzeExample(t), report.Options{}); !bytes.Equal(first, again) {
		t.Error("two runs on the same model differ")
	}
	var open []string
	for _, th := range res.Threats {
		if th.Status.Unresolved() {
			open = append(open, th.ID)
		}
	}
	var got []string
	for _, r := range readSARIF(t, res, report.Options{}).Runs[0].Results {
		got = append(got, r.PartialFingerprints["wardThreatId/v1"])
	}
	if diff := cmp.Diff(open, got); diff != "" {
		t.Errorf("fingerprints are not the unresolved threats' ids (-want +got):\n%s", diff)
	}
}

func TestSARIFEmpty(t *testing.T) {
	doc := readSARIF(t, &engine.Result{}, report.Options{})
	run := doc.Runs[0]
	if run.Results == nil || len(run.Results) != 0 || len(run.Tool.Driver.Rules) != 0 {
		t.Errorf("want an empty results list and no rules, got %+v", run)
	}
	if run.Properties.Summary != "No threats found." {
		t.Errorf("summary %q", run.Properties.Summary)
	}
}

// TestSARIFLayout checks that the streamed log has the layout of the
// whole log encoded at once with a two-space indent.
func TestSARIFLayout(t *testing.T) {
	for name, res := range map[string]*engine.Result{"example": testkit.AnalyzeExample(t), "tiny": tiny(), "empty": {}} {
		out := render(t, report.SARIF, res, report.Options{})
		var compact, indented bytes.Buffer
		if err := json.Compact(&compact, out); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		indented.WriteByte('\n')
		if diff := cmp.Diff(strings.Split(indented.String(), "\n"), strings.Split(string(out), "\n")); diff != "" {
			t.Errorf("%s: layout differs from a two-space indent (-want +got):\n%s", name, diff)
		}
	}
}

// TestSARIFURIEscaping checks that file names become URI references.
func TestSARIFURIEscaping(t *testing.T) {
	res := tiny()
	res.Threats[0].Location.File = filepath.Join("my models", "shop #1.ward.yaml")
	loc := readSARIF(t, res, report.Options{}).Runs[0].Results[0].Locations[0]
	if got, want := loc.PhysicalLocation.ArtifactLocation.URI, "my%20models/shop%20%231.ward.yaml"; got != want {
		t.Errorf("uri %q, want %q", got, want)
	}
}
