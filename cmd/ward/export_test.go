package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wardsec/ward/backlog/backlogtest"
	"github.com/wardsec/ward/internal/testkit"
)

const example = "../../examples/ecommerce"

// TestExportBacklogGolden pins the three formats on the Acme example.
func TestExportBacklogGolden(t *testing.T) {
	for format, ext := range map[string]string{"github": "json", "gitlab": "json", "jira-csv": "csv"} {
		t.Run(format, func(t *testing.T) {
			got := filepath.Join(t.TempDir(), "backlog."+ext)
			code, stdout, stderr := ward(t, "export", "backlog", example, "--today", "2026-01-01", "--format", format, "-o", got)
			if code != exitOK || stdout != "" {
				t.Fatalf("exit %d, stdout %q: %s", code, stdout, stderr)
			}
			golden := filepath.Join("testdata", "backlog", "ecommerce."+format+"."+ext+".golden")
			testkit.Golden(t, golden, []byte(readFile(t, got)), *update)
		})
	}
}

func TestExportBacklogFlags(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GITLAB_TOKEN", "")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"bare group prints help", []string{"export"}, exitOK, "backlog", ""},
		{"unknown subcommand", []string{"export", "trello"}, exitInvalid, "", `unknown command "trello" for "ward export"`},
		{"no path", []string{"export", "backlog"}, exitInvalid, "", "want 1 argument"},
		{"unknown format", []string{"export", "backlog", example, "--format", "trello"}, exitInvalid, "", "--format: unknown format"},
		{"bad severity", []string{"export", "backlog", example, "--min-severity", "urgent"}, exitInvalid, "", "--min-severity"},
		{"unknown feature", []string{"export", "backlog", example, "--feature", "payments"}, exitInvalid, "", `unknown feature "payments"`},
		{"invalid model", []string{"export", "backlog", "testdata/invalid.ward.yaml"}, exitInvalid, "", "unknown component kind"},
		{"dry run needs create", []string{"export", "backlog", example, "--dry-run"}, exitInvalid, "", "--dry-run needs --create"},
		{"repo needs create", []string{"export", "backlog", example, "--repo", "a/b"}, exitInvalid, "", "--repo needs --create"},
		{"create needs repo", []string{"export", "backlog", example, "--create"}, exitInvalid, "", "needs --repo OWNER/NAME"},
		{"create jira", []string{"export", "backlog", example, "--create", "--format", "jira-csv"}, exitInvalid, "", "--format github or gitlab"},
		{"create and -o", []string{"export", "backlog", example, "--create", "--repo", "a/b", "-o", "x.json"}, exitInvalid, "", "-o and --create"},
		{"github token missing", []string{"export", "backlog", example, "--create", "--repo", "a/b"}, exitInvalid, "", "GITHUB_TOKEN"},
		{"gitlab token missing", []string{"export", "backlog", example, "--create", "--project", "g/p"}, exitInvalid, "", "GITLAB_TOKEN"},
		{"project means gitlab", []string{"export", "backlog", example, "--create", "--project", "g/p", "--format", "github"}, exitInvalid, "", "--project is for GitLab"},
		{"default github", []string{"export", "backlog", example}, exitOK, `"labels": [`, ""},
		{"jira to stdout", []string{"export", "backlog", example, "-f", "jira-csv"}, exitOK, "Summary,Description,Priority,Labels,Labels,External ID", ""},
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

// exported runs the export to stdout as GitHub requests and returns
// their titles.
func exported(t *testing.T, args ...string) []string {
	t.Helper()
	code, stdout, stderr := ward(t, append([]string{"export", "backlog", example, "--today", "2026-01-01"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var items []struct{ Title string }
	if err := json.Unmarshal([]byte(stdout), &items); err != nil {
		t.Fatal(err)
	}
	titles := make([]string, len(items))
	for i, it := range items {
		titles[i] = it.Title
	}
	return titles
}

// unresolved counts what analyze calls unresolved, with args.
func unresolved(t *testing.T, args ...string) int {
	t.Helper()
	code, stdout, stderr := ward(t, append([]string{"analyze", example, "--today", "2026-01-01", "-f", "json"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct{ Threats []struct{ Status string } }
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, th := range res.Threats {
		if th.Status == "open" || th.Status == "mitigation-planned" || th.Status == "acceptance-expired" {
			n++
		}
	}
	return n
}

func TestExportBacklogFilters(t *testing.T) {
	all := exported(t)
	if want := unresolved(t); len(all) != want {
		t.Errorf("%d items, want one per unresolved threat (%d)", len(all), want)
	}
	high := exported(t, "--min-severity", "high")
	if len(high) == 0 || len(high) >= len(all) {
		t.Fatalf("%d high of %d items; want some, not all", len(high), len(all))
	}
	for _, title := range high {
		if !strings.HasPrefix(title, "[HIGH]") && !strings.HasPrefix(title, "[CRITICAL]") {
			t.Errorf("--min-severity high kept %q", title)
		}
	}
	feature := exported(t, "--feature", "fulfillment")
	if want := unresolved(t, "--feature", "fulfillment"); len(feature) != want || want >= len(all) {
		t.Errorf("--feature fulfillment: %d items, want %d (of %d)", len(feature), want, len(all))
	}
}

// examplePreexisting is an open threat of the example that the fake
// trackers already hold an issue for.
const examplePreexisting = "process-missing-authorization@order-service"

func TestExportBacklogCreatesGitHubIssues(t *testing.T) {
	srv := backlogtest.NewGitHub(t, "acme/shop", "gh-token")
	srv.Add("Older export", "<!-- ward-threat-id: "+examplePreexisting+" -->", "ward")
	t.Setenv("GITHUB_TOKEN", "gh-token")
	args := []string{"export", "backlog", example, "--today", "2026-01-01", "--create", "--repo", "acme/shop", "--api-url", srv.APIURL()}
	total := len(exported(t))

	code, stdout, stderr := ward(t, append(args, "--dry-run")...)
	if code != exitOK || stdout != "" || len(srv.Issues()) != 1 {
		t.Fatalf("dry run: exit %d, stdout %q, %d issues: %s", code, stdout, len(srv.Issues()), stderr)
	}
	if want := "would create " + strconv.Itoa(total-1) + ", skipped 1 already in the backlog"; !strings.Contains(stderr, want) {
		t.Errorf("dry run stderr lacks %q:\n%s", want, stderr)
	}

	code, _, stderr = ward(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "created " + strconv.Itoa(total-1) + ", skipped 1 already in the backlog"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	issues := srv.Issues()
	if len(issues) != total {
		t.Fatalf("%d issues, want %d", len(issues), total)
	}
	for _, is := range issues[1:] {
		if !strings.Contains(stderr, "created "+is.URL+"  "+is.Title) {
			t.Errorf("stderr lacks the URL of %q:\n%s", is.Title, stderr)
		}
	}

	code, _, stderr = ward(t, args...)
	if want := "created 0, skipped " + strconv.Itoa(total) + " already in the backlog"; code != exitOK || !strings.Contains(stderr, want) {
		t.Errorf("re-run: exit %d, stderr lacks %q:\n%s", code, want, stderr)
	}
	if len(srv.Issues()) != total {
		t.Errorf("re-run made duplicates: %d issues", len(srv.Issues()))
	}
}

func TestExportBacklogCreatesGitLabIssues(t *testing.T) {
	srv := backlogtest.NewGitLab(t, "acme/platform/shop", "gl-token")
	srv.Add("Older export", "<!-- ward-threat-id: "+examplePreexisting+" -->", "ward", "severity:high")
	t.Setenv("GITLAB_TOKEN", "gl-token")
	code, _, stderr := ward(t, "export", "backlog", example, "--today", "2026-01-01", "--min-severity", "high",
		"--create", "--project", "acme/platform/shop", "--api-url", srv.APIURL())
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	high := len(exported(t, "--min-severity", "high"))
	if want := "created " + strconv.Itoa(high-1) + ", skipped 1 already in the backlog"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if len(srv.Issues()) != high {
		t.Errorf("%d issues, want %d", len(srv.Issues()), high)
	}
}

func TestExportBacklogAPIFailures(t *testing.T) {
	tests := []struct {
		name   string
		token  string
		fail   func(r *http.Request) (int, http.Header, string)
		extra  []string
		stderr []string
	}{
		{"wrong token", "nope", nil, nil, []string{"401 Unauthorized: Bad credentials", "check GITHUB_TOKEN"}},
		{"validation", "gh-token", func(r *http.Request) (int, http.Header, string) {
			if r.Method == http.MethodPost {
				return 422, nil, `{"message":"Validation Failed","errors":[{"code":"invalid","field":"labels"}]}`
			}
			return 0, nil, ""
		}, nil, []string{"422 Unprocessable Entity: Validation Failed", "created 0, skipped 0"}},
		{"rate limited", "gh-token", func(*http.Request) (int, http.Header, string) {
			return 429, http.Header{"Retry-After": {"120"}}, `{"message":"slow down"}`
		}, nil, []string{"rate limit reached, stopped sending: try again in 2m0s"}},
		{"not found", "gh-token", func(*http.Request) (int, http.Header, string) {
			return 404, nil, `{"message":"Not Found"}`
		}, nil, []string{"check --repo acme/shop"}},
		{"timeout", "gh-token", func(r *http.Request) (int, http.Header, string) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return 504, nil, "{}"
		}, []string{"--timeout", "100ms"}, []string{"no answer in time", "raise --timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := backlogtest.NewGitHub(t, "acme/shop", "gh-token")
			srv.Fail = tt.fail
			t.Setenv("GITHUB_TOKEN", tt.token)
			args := append([]string{"export", "backlog", example, "--create", "--repo", "acme/shop", "--api-url", srv.APIURL()}, tt.extra...)
			code, _, stderr := ward(t, args...)
			if code != exitInternal {
				t.Fatalf("exit %d, want %d: %s", code, exitInternal, stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stderr, tt.token) {
				t.Errorf("stderr shows the token:\n%s", stderr)
			}
			if n := len(srv.Issues()); n != 0 {
				t.Errorf("%d issues created", n)
			}
		})
	}
}
