package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wardInput runs ward with stdin reading in.
func wardInput(t *testing.T, in string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runWithInput(context.Background(), args, strings.NewReader(in), &out, &errb)
	return code, out.String(), errb.String()
}

// brainstormAnswers add one tampering threat to order-api and skip the
// rest of its six categories.
const brainstormAnswers = "\nForged order totals\nThe customer edits the total in the request.\nexternal-adversary\neasy\nsevere\n\n\n\n\n\ny\n"

func TestBrainstormWritesThreat(t *testing.T) {
	path, before := exampleCopy(t)
	code, stdout, stderr := wardInput(t, brainstormAnswers, "brainstorm", path, "--element", "order-api")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout: %q", stdout)
	}
	added := "\nthreats:\n  - id: forged-order-totals\n    title: Forged order totals\n    target: order-api\n    stride: [tampering]\n" +
		"    actor: external-adversary\n    scenario: The customer edits the total in the request.\n    likelihood: easy\n    impact: severe\n"
	if got := readFile(t, path); got != before+added {
		t.Fatalf("file:\n%s\nwant the example followed by:\n%s", got, added)
	}
	if !strings.Contains(stderr, "added 1 threat(s) in "+path+":203: forged-order-totals") {
		t.Errorf("stderr lacks the summary:\n%s", stderr)
	}
	// The transcript shows the answers read from a pipe.
	if !strings.Contains(stderr, "Add a threat? Its title (empty for the next category): Forged order totals") {
		t.Errorf("stderr lacks the echoed answer:\n%s", stderr)
	}
	status, _ := threatStatus(t, path, "forged-order-totals")
	if status != "open" {
		t.Errorf("status %s, want open", status)
	}
}

func TestBrainstormWritesNothing(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		args   []string
		code   int
		stderr string
	}{
		{"input ends mid-way", brainstormAnswers[:40], []string{"--element", "order-api"}, exitInvalid, "the input ended: the brainstorm stopped before its end; nothing was written"},
		{"declined", strings.TrimSuffix(brainstormAnswers, "y\n") + "n\n", []string{"--element", "order-api"}, exitOK, "nothing was written"},
		{"nothing added", "\n\n\n\n\n\n", []string{"--element", "order-api"}, exitOK, "no threats added; nothing was written"},
		{"plain questions", "\n\n\n\n\n\n", []string{"--element", "order-api", "--plain"}, exitOK, "Add a threat? Its title (empty for the next category): \n"},
		{"nothing picked", "\n", nil, exitOK, "no threats added"},
		{"unknown element", "", []string{"--element", "order-apj"}, exitInvalid, `the model has no component or flow "order-apj" (did you mean "order-api"?)`},
		{"missing answers file", "", []string{"--answers", "nope.yaml"}, exitInvalid, "--answers: open nope.yaml"},
		{"bad answers", "", []string{"--answers", "testdata/brainstorm/bad.yaml", "--element", "order-api"}, exitInvalid, `testdata/brainstorm/bad.yaml:2:5: the model has no actor "martian"`},
		{"answers without target", "", []string{"--answers", "testdata/brainstorm/bad.yaml"}, exitInvalid, "bad.yaml:2:5: a threat needs a target"},
		{"dry run", "", []string{"--answers", "testdata/brainstorm/answers.yaml", "--element", "order-db", "--dry-run"}, exitOK, "dry run, "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, before := exampleCopy(t)
			code, _, stderr := wardInput(t, tt.in, append([]string{"brainstorm", path}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if readFile(t, path) != before {
				t.Error("the model file changed")
			}
			entries, err := os.ReadDir(filepath.Dir(path))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				t.Errorf("files left beside the model: %v", entries)
			}
		})
	}
}

func TestBrainstormAnswersFile(t *testing.T) {
	path, before := exampleCopy(t)
	code, stdout, stderr := ward(t, "brainstorm", path, "--element", "order-db", "--answers", "testdata/brainstorm/answers.yaml", "--dry-run")
	if code != exitOK {
		t.Fatalf("dry run: exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "--- a/"+path+"\n+++ b/"+path+"\n@@ -198,3 +198,20 @@\n") || !strings.Contains(stdout, "\n+threats:\n+  - id: snapshot-shared-with-another-account\n") {
		t.Errorf("dry run prints:\n%s", stdout)
	}
	if !strings.Contains(stderr, "dry run, "+path+" not written: would add 2 threat(s) in "+path+":203: snapshot-shared-with-another-account, queue-poisoned-by-a-test-job") {
		t.Errorf("stderr: %s", stderr)
	}
	if readFile(t, path) != before {
		t.Fatal("a dry run changed the file")
	}
	// The diff adds lines at the end of the file only: they are what is written.
	var added strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")[3:] {
		if text, ok := strings.CutPrefix(l, "+"); ok {
			added.WriteString(text + "\n")
		}
	}
	code, _, stderr = ward(t, "brainstorm", path, "--element", "order-db", "--answers", "testdata/brainstorm/answers.yaml")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := readFile(t, path); got != before+added.String() {
		t.Errorf("written text differs from the dry run:\n%s", got[len(before)-1:])
	}
	ids := map[string]string{}
	for _, th := range analyzeJSON(t, path) {
		ids[th.ID] = th.Target
	}
	if ids["snapshot-shared-with-another-account"] != "order-db" || ids["queue-poisoned-by-a-test-job"] != "fulfillment-queue" {
		t.Errorf("analysis lacks the new threats on their targets: %v", ids)
	}
}

func TestBrainstormKeepsWhatCannotBeWritten(t *testing.T) {
	path, before := exampleCopy(t)
	// A bracketed list over several lines is left to the author to rewrite.
	before += "threats: [\n  {id: old, title: Old, target: order-api, stride: [spoofing]}]\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := wardInput(t, brainstormAnswers, "brainstorm", path, "--element", "order-api")
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d: %s", code, exitInvalid, stderr)
	}
	if !strings.Contains(stderr, path+":201:10: a list or mapping in brackets that spans several lines") || !strings.Contains(stderr, "printed on stdout") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if !strings.HasPrefix(stdout, "threats:\n  - id: forged-order-totals\n    title: Forged order totals\n") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if readFile(t, path) != before {
		t.Error("the model file changed")
	}
}
