package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	shopV1 = "../../examples/ecommerce"
	shopV2 = "../../examples/ecommerce-v2"
)

func TestDiffExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring expected on stdout
		stderr string // substring expected on stderr
	}{
		{"two versions", []string{"diff", shopV1, shopV2}, exitOK, "1 new threat (1 medium), 1 resolved", ""},
		{"markdown", []string{"diff", shopV1, shopV2, "--format", "markdown"}, exitOK, "<details open><summary><b>New threats (1)</b>", ""},
		{"json", []string{"diff", shopV1, shopV2, "-f", "json"}, exitOK, `"id": "datastore-missing-audit-logging@fulfillment-queue"`, ""},
		{"same version", []string{"diff", shopV1, shopV1, "--fail-on-new", "low"}, exitOK, "No changes.", ""},
		{"gate: a new medium threat", []string{"diff", shopV1, shopV2, "--fail-on-new", "medium"}, exitGate, "New threats", "aws-lambda-unsupported-runtime@payment-service (open, new)"},
		{"gate: raised to critical", []string{"diff", shopV1, shopV2, "--fail-on-new", "critical"}, exitGate, "", "process-missing-authorization@order-service (open, raised from high)"},
		{"gate: only lowered and a new medium", []string{"diff", shopV2, shopV1, "--fail-on-new", "high"}, exitOK, "7 re-ranked (7 down)", ""},
		{"gate: reverse trips at medium", []string{"diff", shopV2, shopV1, "--fail-on-new", "medium"}, exitGate, "", "datastore-missing-audit-logging@fulfillment-queue (open, new)"},
		{"feature", []string{"diff", shopV1, shopV2, "--feature", "checkout", "-f", "json"}, exitOK, `"feature": "checkout"`, ""},
		{"unknown feature", []string{"diff", shopV1, shopV2, "--feature", "payments"}, exitInvalid, "", `--feature: unknown feature "payments"`},
		{"invalid model", []string{"diff", shopV1, "testdata/invalid.ward.yaml"}, exitInvalid, "", "testdata/invalid.ward.yaml:4:11: unknown component kind"},
		{"missing model", []string{"diff", "testdata/nope.ward.yaml", shopV1}, exitInvalid, "", "no such file"},
		{"bad severity", []string{"diff", shopV1, shopV2, "--fail-on-new", "urgent"}, exitInvalid, "", "--fail-on-new: unknown severity"},
		{"bad format", []string{"diff", shopV1, shopV2, "--format", "html"}, exitInvalid, "", "unknown format"},
		{"bad date", []string{"diff", shopV1, shopV2, "--today", "tomorrow"}, exitInvalid, "", "--today: bad date"},
		{"one path", []string{"diff", shopV1}, exitInvalid, "", "want 2 arguments: OLD NEW, or --git REV [PATH]"},
		{"git takes one path", []string{"diff", "--git", "HEAD", shopV1, shopV2}, exitInvalid, "", "takes at most 1 argument"},
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

// TestDiffFeature checks --feature narrows the threats of both versions
// to the feature's components.
func TestDiffFeature(t *testing.T) {
	got := diffJSON(t, "diff", shopV1, shopV2, "--feature", "checkout")
	for _, list := range [][]jsonDiffThreat{got.Threats.New, got.Threats.Resolved, got.Threats.Reranked, got.Threats.StatusChanged} {
		for _, th := range list {
			switch th.Target {
			case "customer-browser", "order-api", "order-service", "order-db":
			default:
				t.Errorf("%s is not a checkout threat", th.ID)
			}
		}
	}
	if len(got.Threats.Reranked) == 0 {
		t.Error("checkout's re-ranked threats are missing")
	}
}

func TestDiffOutputFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pr-comment.md")
	code, stdout, stderr := ward(t, "diff", shopV1, shopV2, "-o", path, "--today", "2026-01-01")
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// -o's extension picks Markdown; its first line is the summary.
	first, _, _ := strings.Cut(string(data), "\n")
	if !strings.HasPrefix(first, "**Threat model changes**") || !strings.Contains(first, "1 new threat") {
		t.Errorf("first line %q, want the summary", first)
	}
}

type jsonDiffThreat struct {
	ID, Target, Location string
	Old, New             *struct{ Severity, Status string }
}

type jsonDiffDoc struct {
	Old, New struct{ Label string }
	Threats  struct {
		New, Resolved, Reranked []jsonDiffThreat
		StatusChanged           []jsonDiffThreat `json:"status_changed"`
	}
	Elements []struct{ Category, ID, Change, Location string }
}

func diffJSON(t *testing.T, args ...string) jsonDiffDoc {
	t.Helper()
	code, stdout, stderr := ward(t, append(args, "--format", "json", "--today", "2026-01-01")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc jsonDiffDoc
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// gitRepo makes a git repository in a temporary directory holding the
// first version of the example at models/acme.ward.yaml, committed.
func gitRepo(t *testing.T) (repo, model string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("the --git tests need git installed")
	}
	repo = t.TempDir()
	model = filepath.Join(repo, "models", "acme.ward.yaml")
	copyFile(t, filepath.Join(shopV1, "acme.ward.yaml"), model)
	// Other YAML in the repository is copied out too but is not the model.
	copyFile(t, "testdata/invalid.ward.yaml", filepath.Join(repo, "other", "broken.ward.yaml"))
	runGit(t, repo, "init", "--quiet")
	runGit(t, repo, "add", ".")
	runGit(t, repo, "commit", "--quiet", "-m", "first version")
	return repo, model
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func runGit(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=Ward Test", "GIT_AUTHOR_EMAIL=test@ward.invalid",
		"GIT_COMMITTER_NAME=Ward Test", "GIT_COMMITTER_EMAIL=test@ward.invalid",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestDiffGit(t *testing.T) {
	repo, model := gitRepo(t)
	dir := filepath.Dir(model)

	// The copy of the old version is removed afterwards.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	defer func() {
		if left, err := os.ReadDir(tmp); err != nil || len(left) > 0 {
			t.Errorf("temporary files left behind: %v %v", left, err)
		}
	}()

	// Unchanged working tree: nothing to report, and the gate holds.
	code, stdout, stderr := ward(t, "diff", "--git", "HEAD", dir, "--fail-on-new", "low")
	if code != exitOK || !strings.Contains(stdout, "No changes.") {
		t.Fatalf("unchanged: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	copyFile(t, filepath.Join(shopV2, "acme.ward.yaml"), model)
	checkGitLocations(t, diffJSON(t, "diff", "--git", "HEAD", dir), model)

	// A single file works as well as its directory.
	code, stdout, stderr = ward(t, "diff", "--git", "HEAD", model, "--fail-on-new", "medium")
	if code != exitGate || !strings.Contains(stdout, "HEAD:models/acme.ward.yaml → "+model) || !strings.Contains(stderr, "gate failed") {
		t.Errorf("file: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	// The old version is read from git alone: the working tree, index and
	// HEAD are as they were.
	status, err := exec.Command("git", "-C", repo, "status", "--porcelain").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(status)) != "M models/acme.ward.yaml" {
		t.Errorf("git status after diff:\n%s", status)
	}
}

// checkGitLocations checks the old version's positions read
// "HEAD:models/…" and the new one's name the working tree's file.
func checkGitLocations(t *testing.T, got jsonDiffDoc, model string) {
	t.Helper()
	if dir := filepath.Dir(model); got.Old.Label != "HEAD:models" || got.New.Label != dir {
		t.Errorf("labels %q → %q, want HEAD:models → %s", got.Old.Label, got.New.Label, dir)
	}
	if len(got.Threats.Resolved) != 1 || !strings.HasPrefix(got.Threats.Resolved[0].Location, "HEAD:models/acme.ward.yaml:") {
		t.Errorf("resolved threats %+v, want one located in HEAD:models/acme.ward.yaml", got.Threats.Resolved)
	}
	if len(got.Threats.New) != 1 || !strings.HasPrefix(got.Threats.New[0].Location, model+":") {
		t.Errorf("new threats %+v, want one located in %s", got.Threats.New, model)
	}
	removed := false
	for _, e := range got.Elements {
		if e.Change == "removed" && e.ID == "order-service-to-fulfillment-queue" {
			removed = strings.HasPrefix(e.Location, "HEAD:models/acme.ward.yaml:")
		}
	}
	if !removed {
		t.Errorf("the removed flow is missing or not located at HEAD: %+v", got.Elements)
	}
}

func TestDiffGitErrors(t *testing.T) {
	repo, model := gitRepo(t)
	// The committed version is broken; its errors name it as git does.
	copyFile(t, "testdata/invalid.ward.yaml", model)
	runGit(t, repo, "commit", "--quiet", "-am", "break it")
	copyFile(t, filepath.Join(shopV1, "acme.ward.yaml"), model)
	notRepo := t.TempDir()
	copyFile(t, filepath.Join(shopV1, "acme.ward.yaml"), filepath.Join(notRepo, "acme.ward.yaml"))

	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"invalid at the revision", []string{"diff", "--git", "HEAD", model}, "HEAD:models/acme.ward.yaml:4:11: unknown component kind"},
		{"unknown revision", []string{"diff", "--git", "no-such-branch", model}, `--git: "no-such-branch" is not a commit`},
		{"option as revision", []string{"diff", "--git=--all", model}, `--git: "--all" is not a revision`},
		{"not in the revision", []string{"diff", "--git", "HEAD", filepath.Join(repo, "elsewhere")}, "elsewhere does not exist at HEAD"},
		{"not a repository", []string{"diff", "--git", "HEAD", notRepo}, "is not inside a git repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := ward(t, tt.args...)
			if code != exitInvalid {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitInvalid, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if strings.Contains(stderr, os.TempDir()+"/ward-diff-") {
				t.Errorf("stderr names the temporary copy:\n%s", stderr)
			}
		})
	}
}

// TestDiffGitImports checks a model's imports outside PATH are read at
// the revision too: a change to the imported model shows in the diff.
func TestDiffGitImports(t *testing.T) {
	repo := t.TempDir()
	write := func(rel, src string) {
		t.Helper()
		path := filepath.Join(repo, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const platform = `title: Platform
zones:
  - {id: vpc, trust: high}
components:
  - {id: queue, kind: aws.sqs, zone: vpc, properties: {message_signing: false}}
`
	write("platform/platform.ward.yaml", platform)
	write("app/app.ward.yaml", `title: App
imports:
  - {as: platform, path: ../platform}
components:
  - {id: worker, kind: process, zone: platform.vpc}
flows:
  - {from: platform.queue, to: worker}
`)
	runGit(t, repo, "init", "--quiet")
	runGit(t, repo, "add", ".")
	runGit(t, repo, "commit", "--quiet", "-m", "first version")
	write("platform/platform.ward.yaml", strings.Replace(platform, "message_signing: false", "message_signing: true", 1))

	got := diffJSON(t, "diff", "--git", "HEAD", filepath.Join(repo, "app"))
	var changed []string
	for _, e := range got.Elements {
		changed = append(changed, e.Change+" "+e.Category+" "+e.ID)
	}
	if !slices.Equal(changed, []string{"changed component platform.queue"}) {
		t.Errorf("elements %v, want the imported queue changed", changed)
	}
	if len(got.Threats.Resolved) != 1 || got.Threats.Resolved[0].ID != "queue-message-tampering@platform.queue" {
		t.Errorf("resolved %+v, want queue-message-tampering@platform.queue", got.Threats.Resolved)
	}
}
