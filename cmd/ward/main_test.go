package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func ward(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring expected on stdout
		stderr string // substring expected on stderr
	}{
		{"example", []string{"analyze", "../../examples/ecommerce"}, exitOK, "password-brute-force@order-api", ""},
		{"example json", []string{"analyze", "../../examples/ecommerce", "--format", "json"}, exitOK, `"queue-message-tampering@fulfillment-queue"`, ""},
		{"gate trips", []string{"analyze", "testdata/gate.ward.yaml", "--fail-on", "medium"}, exitGate, "Login API", "gate failed"},
		{"gate above findings", []string{"analyze", "testdata/gate.ward.yaml", "--fail-on", "critical"}, exitOK, "Login API", ""},
		{"invalid model", []string{"analyze", "testdata/invalid.ward.yaml"}, exitInvalid, "", "testdata/invalid.ward.yaml:4:11: unknown component kind"},
		{"all problems at once", []string{"validate", "testdata/invalid.ward.yaml"}, exitInvalid, "", `testdata/invalid.ward.yaml:8:9: unknown component "missing"`},
		{"missing file", []string{"analyze", "testdata/nope.ward.yaml"}, exitInvalid, "", "no such file"},
		{"bad severity", []string{"analyze", "testdata/gate.ward.yaml", "--fail-on", "urgent"}, exitInvalid, "", "unknown severity"},
		{"bad format", []string{"analyze", "testdata/gate.ward.yaml", "--format", "yaml"}, exitInvalid, "", "unknown format"},
		{"unknown flag", []string{"analyze", "--bogus", "x"}, exitInvalid, "", "unknown flag"},
		{"no path", []string{"analyze"}, exitInvalid, "", "want 1 argument"},
		{"unknown command", []string{"analyse"}, exitInvalid, "", "unknown command"},
		{"unknown subcommand", []string{"rules", "lst"}, exitInvalid, "", `unknown command "lst" for "ward rules"`},
		{"too many arguments", []string{"init", "a", "b"}, exitInvalid, "", "takes at most 1 argument"},
		{"no arguments wanted", []string{"kinds", "aws"}, exitInvalid, "", "takes no arguments"},
		{"valid", []string{"validate", "../../examples/ecommerce"}, exitOK, "", "valid"},
		{"rules list", []string{"rules", "list"}, exitOK, "datastore-incorrect-restore", ""},
		{"rules show", []string{"rules", "show", "password-brute-force"}, exitOK, "CAPEC-49", ""},
		{"rules show unknown", []string{"rules", "show", "password-brute-forse"}, exitInvalid, "", `did you mean "password-brute-force"`},
		{"pack", []string{"analyze", "testdata/gate.ward.yaml", "--rules", "testdata/pack"}, exitOK, "", ""},
		{"report markdown by default", []string{"report", "../../examples/ecommerce"}, exitOK, "# Threat assessment: Acme e-commerce", ""},
		{"report format flag", []string{"report", "../../examples/ecommerce", "--format", "json"}, exitOK, `"queue-message-tampering@fulfillment-queue"`, ""},
		{"feature narrows", []string{"analyze", "../../examples/ecommerce", "--feature", "fulfillment"}, exitOK, "queue-message-tampering@fulfillment-queue", ""},
		{"unknown feature", []string{"analyze", "../../examples/ecommerce", "--feature", "payments"}, exitInvalid, "", `--feature: unknown feature "payments" (known: checkout, fulfillment)`},
		{"check per feature", []string{"check", "../../examples/ecommerce"}, exitGate, "FAIL  checkout: 2 of 7 unresolved threats at or above high", "gate failed: unresolved threats at or above high in checkout, fulfillment"},
		{"check passes", []string{"check", "../../examples/ecommerce", "--fail-on", "critical", "--feature", "checkout"}, exitOK, "pass  checkout", ""},
		{"check json", []string{"check", "../../examples/ecommerce", "--format", "json"}, exitGate, `"feature": "fulfillment"`, ""},
		{"check whole model", []string{"check", "testdata/gate.ward.yaml", "--fail-on", "medium"}, exitGate, "FAIL  (whole model)", ""},
		{"check unknown feature", []string{"check", "../../examples/ecommerce", "--feature", "x"}, exitInvalid, "", `unknown feature "x"`},
		{"check bad format", []string{"check", "../../examples/ecommerce", "--format", "xml"}, exitInvalid, "", "want table or json"},
		{"status", []string{"status", "../../examples/ecommerce", "--today", "2026-01-01"}, exitOK, "review-overdue", ""},
		{"status overdue fails", []string{"status", "../../examples/ecommerce", "--fail-on-overdue"}, exitGate, "unanswered-threat", "ward: overdue: ../../examples/ecommerce"},
		{"status json", []string{"status", "../../examples/ecommerce", "testdata/gate.ward.yaml", "-f", "json"}, exitOK, `"path": "testdata/gate.ward.yaml"`, ""},
		{"status needs a path", []string{"status"}, exitInvalid, "", "want at least 1 argument"},
		{"feature gate", []string{"analyze", "../../examples/ecommerce", "--feature", "checkout", "--fail-on", "low"}, exitGate, "", "gate failed"},
		{"rules test passes", []string{"rules", "test", "testdata/pack"}, exitOK, "1 rules, 2 fixtures, 0 failed", ""},
		{"rules test fails", []string{"rules", "test", "testdata/badpack"}, exitGate, "FAIL", ""},
		{"kinds", []string{"kinds"}, exitOK, "aws.sqs", ""},
		{"coverage", []string{"rules", "coverage"}, exitOK, "business-continuity", ""},
		{"coverage json", []string{"rules", "coverage", "-f", "json"}, exitOK, `"datastore-incorrect-restore"`, ""},
		{"properties", []string{"kinds", "--properties"}, exitOK, "encrypted_at_rest", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := ward(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

// TestExampleAssessment checks the Acme example's three hand-assessed
// threats come from the library, on the right components, with the right
// actors, and mitigated.
func TestExampleAssessment(t *testing.T) {
	code, stdout, stderr := ward(t, "analyze", "../../examples/ecommerce", "--format", "json", "--today", "2026-01-01")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Threats []struct {
			ID, Rule, Target, Actor, Status string
			ActorKind                       string `json:"actor_kind"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"password-brute-force@order-api":            "external",
		"datastore-incorrect-restore@order-db":      "accidental-insider",
		"queue-message-tampering@fulfillment-queue": "external",
	}
	for _, th := range got.Threats {
		kind, ok := want[th.ID]
		if !ok {
			continue
		}
		delete(want, th.ID)
		if th.Rule == "" || th.ActorKind != kind || th.Status != "mitigated" {
			t.Errorf("%s: rule %q actor kind %q status %q; want a library rule, %s, mitigated", th.ID, th.Rule, th.ActorKind, th.Status, kind)
		}
	}
	for id := range want {
		t.Errorf("assessment lacks %s", id)
	}
}

func TestInitWritesValidStarter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.ward.yaml")
	if code, _, stderr := ward(t, "init", path); code != exitOK {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if code, _, stderr := ward(t, "validate", path); code != exitOK {
		t.Fatalf("starter does not validate: %s", stderr)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := ward(t, "init", path); code != exitInvalid || !strings.Contains(stderr, "--force") {
		t.Fatalf("second init: exit %d, stderr %q; want refusal", code, stderr)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("refused init changed the file")
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "threats.json")
	// No --format: the extension asks for JSON.
	code, stdout, stderr := ward(t, "analyze", "../../examples/ecommerce", "-o", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout should be empty with -o, got %q", stdout)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Fatal("output is not JSON")
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("output file mode %v, want -rw-r--r--", st.Mode())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("temp files left behind: %v", entries)
	}
}

func TestFailedRunKeepsOldOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.md")
	if err := os.WriteFile(path, []byte("previous report"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := ward(t, "analyze", "testdata/invalid.ward.yaml", "-o", path); code != exitInvalid {
		t.Fatalf("exit %d, want %d", code, exitInvalid)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "previous report" {
		t.Fatalf("failed run changed the output file: %q", data)
	}
}

var update = flag.Bool("update", false, "rewrite generated docs and golden files")

// TestCatalogDoc keeps docs/catalog.md equal to the catalog in code.
func TestCatalogDoc(t *testing.T) {
	generated(t, "../../docs/catalog.md", "TestCatalogDoc", "kinds", "--format", "markdown")
}

// generated checks that the file at path is what the command prints, and
// rewrites it under -update.
func generated(t *testing.T, path, test string, args ...string) {
	t.Helper()
	code, stdout, stderr := ward(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if *update {
		if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != stdout {
		t.Fatalf("%s is out of date: run go test ./cmd/ward -run %s -update", path, test)
	}
}

// TestCoverageDoc keeps docs/coverage.md equal to the library.
func TestCoverageDoc(t *testing.T) {
	generated(t, "../../docs/coverage.md", "TestCoverageDoc", "rules", "coverage", "--format", "markdown")
}

// TestOutputDevice writes to a named pipe: the pipe must still be a pipe
// afterwards, not a file renamed over it (as -o /dev/null once did).
func TestOutputDevice(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "out.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() {
		data, _ := os.ReadFile(fifo) // blocks until ward opens and closes it
		got <- data
	}()
	code, _, stderr := ward(t, "analyze", "../../examples/ecommerce", "-f", "json", "-o", fifo)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data := <-got; !json.Valid(data) {
		t.Errorf("the pipe received %d bytes of invalid JSON", len(data))
	}
	st, err := os.Lstat(fifo)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("%s is now %v, want the named pipe left in place", fifo, st.Mode())
	}
}

// TestSampleReports keeps the example's reports under docs/sample, which
// the README links to, in step with Ward. Run from the repository root so
// the reports show the paths a user sees.
func TestSampleReports(t *testing.T) {
	t.Chdir("../..")
	for _, format := range []string{"markdown", "html"} {
		ext := map[string]string{"markdown": "md", "html": "html"}[format]
		generated(t, "docs/sample/ecommerce-report."+ext, "TestSampleReports",
			"report", "examples/ecommerce", "--today", "2026-01-01", "--format", format)
	}
}

// TestSARIFSourceRoot: with --source-root, SARIF locations are relative to
// that directory, as code scanning resolves them from the repository root.
func TestSARIFSourceRoot(t *testing.T) {
	code, stdout, stderr := ward(t, "report", "../../examples/ecommerce", "--format", "sarif", "--source-root", "../..")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `"uri": "examples/ecommerce/acme.ward.yaml"`) || strings.Contains(stdout, `"uri": "../`) {
		t.Errorf("locations are not relative to the source root:\n%.1500s", stdout)
	}
}
