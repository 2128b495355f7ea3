package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	exampleModel = "../../examples/ecommerce/acme.ward.yaml"
	tampering    = "queue-message-tampering@fulfillment-queue"
	bruteForce   = "password-brute-force@order-api"
)

// exampleCopy copies the example model into a temporary directory and
// returns the copy's path and its text.
func exampleCopy(t *testing.T) (path, text string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "acme.ward.yaml")
	copyFile(t, exampleModel, path)
	return path, readFile(t, path)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

type analyzedThreat struct {
	ID, Status, Target string
	Mitigations        []struct{ ID string }
}

// analyzeJSON analyzes the model at path and returns its threats.
func analyzeJSON(t *testing.T, path string) []analyzedThreat {
	t.Helper()
	code, stdout, stderr := ward(t, "analyze", path, "--format", "json")
	if code != exitOK {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
	var got struct{ Threats []analyzedThreat }
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	return got.Threats
}

// threatStatus returns the status and mitigation ids of a threat of the
// model at path.
func threatStatus(t *testing.T, path, id string) (status string, mitigations []string) {
	t.Helper()
	for _, th := range analyzeJSON(t, path) {
		if th.ID == id {
			for _, m := range th.Mitigations {
				mitigations = append(mitigations, m.ID)
			}
			return th.Status, mitigations
		}
	}
	t.Fatalf("no threat %s", id)
	return "", nil
}

func TestMitigateAddsMitigation(t *testing.T) {
	path, before := exampleCopy(t)
	code, stdout, stderr := ward(t, "mitigate", path, tampering, "Check each order's signature twice",
		"--kind", "monitoring", "--status", "planned", "--ticket", "https://tracker.acme.example/SEC-150", "--due", "2026-03-31")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout: %q", stdout)
	}
	wantMsg := "added mitigation queue-message-tampering-fulfillment-queue to " + path + ":183\n"
	if !strings.HasSuffix(stderr, wantMsg) || !strings.Contains(stderr, "already answered by mitigation sign-orders (verified)") {
		t.Errorf("stderr %q, want a note about sign-orders and %q", stderr, wantMsg)
	}
	after := readFile(t, path)
	last := "    threats: [queue-message-tampering@fulfillment-queue]\n"
	at := strings.Index(before, last) + len(last)
	want := before[:at] + `  - id: queue-message-tampering-fulfillment-queue
    title: Check each order's signature twice
    kind: monitoring
    status: planned
    ticket: https://tracker.acme.example/SEC-150
    due: 2026-03-31
    threats: [queue-message-tampering@fulfillment-queue]
` + before[at:]
	if diff := cmp.Diff(want, after); diff != "" {
		t.Fatalf("file (-want +got):\n%s", diff)
	}
	if _, ms := threatStatus(t, path, tampering); !cmp.Equal(ms, []string{"sign-orders", "queue-message-tampering-fulfillment-queue"}) {
		t.Errorf("mitigations of %s: %v", tampering, ms)
	}

	// The same again gets a numbered id.
	if code, _, stderr := ward(t, "mitigate", path, tampering, "Once more", "--kind", "fix", "--status", "proposed"); code != exitOK || !strings.Contains(stderr, "added mitigation queue-message-tampering-fulfillment-queue-2 to") {
		t.Errorf("second add: exit %d: %s", code, stderr)
	}
}

func TestMitigateUpdatesStatusInPlace(t *testing.T) {
	path, before := exampleCopy(t)
	code, _, stderr := ward(t, "mitigate", path, "--id", "shield-waf", "--status", "planned")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "updated mitigation shield-waf in " + path + ":164: status planned\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	old := "  - id: shield-waf\n    title: AWS Shield, AWS WAF is in place\n    kind: fix\n    status: implemented\n"
	want := strings.Replace(before, old, strings.Replace(old, "implemented", "planned", 1), 1)
	if diff := cmp.Diff(want, readFile(t, path)); diff != "" {
		t.Fatalf("file (-want +got):\n%s", diff)
	}
	if status, _ := threatStatus(t, path, bruteForce); status != "mitigation-planned" {
		t.Errorf("status of %s: %s, want mitigation-planned", bruteForce, status)
	}
}

func TestMitigateAddsThreatToExisting(t *testing.T) {
	path, before := exampleCopy(t)
	code, _, stderr := ward(t, "mitigate", path, tampering, "--id", "shield-waf")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := strings.Replace(before, "    threats: [password-brute-force@order-api]\n", "    threats: [password-brute-force@order-api, "+tampering+"]\n", 1)
	if diff := cmp.Diff(want, readFile(t, path)); diff != "" {
		t.Fatalf("file (-want +got):\n%s", diff)
	}
}

func TestMitigateDryRun(t *testing.T) {
	path, before := exampleCopy(t)
	code, stdout, stderr := ward(t, "mitigate", path, "--id", "sign-orders", "--status", "implemented", "--dry-run")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "-    status: verified\n+    status: implemented\n") || !strings.HasPrefix(stdout, "--- a/"+path+"\n+++ b/"+path+"\n@@ -177,7 +177,7 @@\n") {
		t.Errorf("diff:\n%s", stdout)
	}
	if !strings.Contains(stderr, "dry run, "+path+" not written") {
		t.Errorf("stderr: %s", stderr)
	}
	if readFile(t, path) != before {
		t.Error("a dry run changed the file")
	}
}

func TestMitigateRefuses(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown threat", []string{tampering + "x", "Sign", "--kind", "fix", "--status", "planned"}, `did you mean "queue-message-tampering@fulfillment-queue"?`},
		{"bad kind", []string{tampering, "Sign", "--kind", "fixed", "--status", "planned"}, `--kind: unknown value "fixed" (want one of fix, workaround, monitoring) (did you mean "fix"?)`},
		{"bad status", []string{tampering, "Sign", "--kind", "fix", "--status", "done"}, `--status: unknown value "done"`},
		{"bad date", []string{tampering, "Sign", "--kind", "fix", "--status", "planned", "--due", "31/03/2026"}, "--due: bad date \"31/03/2026\": write it as YYYY-MM-DD"},
		{"no kind", []string{tampering, "Sign", "--status", "planned"}, "--kind is required for a new mitigation"},
		{"no title", []string{tampering, "--kind", "fix", "--status", "planned"}, "a new mitigation needs PATH THREAT-ID TITLE"},
		{"title for existing", []string{tampering, "New title", "--id", "sign-orders"}, "mitigation sign-orders exists: leave out TITLE"},
		{"nothing to change", []string{"--id", "sign-orders", "--status", "verified"}, "nothing to change in mitigation sign-orders"},
		{"bad new id", []string{tampering, "Sign", "--id", "no spaces please", "--kind", "fix", "--status", "planned"}, "the change would make the model invalid; nothing was written"},
		{"unknown id to update", []string{"--id", "sign-order", "--status", "verified"}, "a new mitigation needs PATH THREAT-ID TITLE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, before := exampleCopy(t)
			code, _, stderr := ward(t, append([]string{"mitigate", path}, tt.args...)...)
			if code != exitInvalid {
				t.Errorf("exit %d, want %d", code, exitInvalid)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if readFile(t, path) != before {
				t.Error("the file changed")
			}
		})
	}
}

// TestMitigateDirectoryModel checks a new mitigation goes to the file that
// holds the threat's element when it has mitigations, else to the file
// that has them.
func TestMitigateDirectoryModel(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a-system.ward.yaml":  "title: Split\ncomponents:\n  - id: api\n    kind: aws.api-gateway\n    properties: {public: true}\n",
		"b-queue.ward.yaml":   "components:\n  - id: queue\n    kind: aws.sqs\nflows:\n  - {from: api, to: queue}\n",
		"c-answers.ward.yaml": "# Mitigations live here.\nmitigations:\n  - id: first\n    title: First\n    kind: fix\n    status: planned\n    rules: [password-brute-force]\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var onQueue string
	for _, th := range analyzeJSON(t, dir) {
		if th.Target == "queue" {
			onQueue = th.ID
			break
		}
	}
	if onQueue == "" {
		t.Fatal("no threat on the queue")
	}
	code, _, stderr := ward(t, "mitigate", dir, onQueue, "Encrypt the queue", "--kind", "fix", "--status", "implemented", "--id", "encrypt-queue")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	answers := filepath.Join(dir, "c-answers.ward.yaml")
	if !strings.Contains(stderr, "added mitigation encrypt-queue to "+answers+":8") {
		t.Errorf("stderr: %s", stderr)
	}
	if got := readFile(t, filepath.Join(dir, "b-queue.ward.yaml")); got != files["b-queue.ward.yaml"] {
		t.Errorf("b-queue changed:\n%s", got)
	}
	if status, _ := threatStatus(t, dir, onQueue); status != "mitigated" {
		t.Errorf("status %s, want mitigated", status)
	}
}
