package backlog_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/backlog"
	"github.com/wardsec/ward/backlog/backlogtest"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

const token = "t0ken"

// fakeTracker is one of the trackers, backed by its fake API.
type fakeTracker struct {
	name string
	// connect starts the fake and a client talking to it.
	connect func(t *testing.T) (*backlogtest.Server, backlog.Tracker)
}

var fakeTrackers = []fakeTracker{
	{"github", func(t *testing.T) (*backlogtest.Server, backlog.Tracker) {
		srv := backlogtest.NewGitHub(t, "acme/shop", token)
		tr, err := backlog.NewGitHub("acme/shop", token, backlog.Options{BaseURL: srv.APIURL()})
		if err != nil {
			t.Fatal(err)
		}
		return srv, tr
	}},
	{"gitlab", func(t *testing.T) (*backlogtest.Server, backlog.Tracker) {
		srv := backlogtest.NewGitLab(t, "acme/shop", token)
		tr, err := backlog.NewGitLab("acme/shop", token, backlog.Options{BaseURL: srv.APIURL()})
		if err != nil {
			t.Fatal(err)
		}
		return srv, tr
	}},
}

func threeItems() []backlog.Item {
	return []backlog.Item{
		backlog.ItemOf(threat("one@api", risk.High, engine.Open)),
		backlog.ItemOf(threat("two@api", risk.Medium, engine.Open)),
		backlog.ItemOf(threat("three@api", risk.Low, engine.Open)),
	}
}

// seed puts three issues labelled ward in the fake, so the listing spans
// two pages: one unrelated, one without a body, and on the second page
// one already tracking "two@api".
func seed(srv *backlogtest.Server) {
	srv.Add("Upgrade the SDK", "Nothing to do with threats.", "ward", "chore")
	srv.Add("Empty", "", "ward")
	srv.Add("[MEDIUM] earlier export", "Old text.\n\n<!-- ward-threat-id: two@api -->\n", "ward", "severity:medium")
	srv.Add("Not ours", "<!-- ward-threat-id: three@api -->", "bug") // not labelled ward: not listed
}

func count(reqs []string, prefix string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func TestSyncSkipsExistingAndCreatesTheRest(t *testing.T) {
	for _, ft := range fakeTrackers {
		t.Run(ft.name, func(t *testing.T) {
			srv, tr := ft.connect(t)
			seed(srv)
			items := threeItems()

			got, err := backlog.Sync(context.Background(), tr, items, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Created) != 2 || len(got.Skipped) != 1 || got.Skipped[0].ThreatID != "two@api" {
				t.Fatalf("created %d, skipped %v; want 2 created and two@api skipped", len(got.Created), got.Skipped)
			}
			issues := srv.Issues()
			if len(issues) != 6 {
				t.Fatalf("the tracker holds %d issues, want 4 + 2", len(issues))
			}
			for i, c := range got.Created {
				is := issues[4+i]
				if c.URL != is.URL || c.URL == "" {
					t.Errorf("created URL %q, the tracker says %q", c.URL, is.URL)
				}
				if is.Title != c.Item.Title || is.Body != c.Item.Body {
					t.Errorf("issue %d: title %q body %q; want the item's", is.Number, is.Title, is.Body)
				}
				if diff := cmp.Diff(c.Item.Labels, is.Labels); diff != "" {
					t.Errorf("labels (-want +got):\n%s", diff)
				}
			}
			if reqs := srv.Requests(); count(reqs, "GET ") != 2 {
				t.Errorf("listing took %d requests, want 2 pages: %q", count(reqs, "GET "), reqs)
			}

			again, err := backlog.Sync(context.Background(), tr, items, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Created) != 0 || len(again.Skipped) != 3 {
				t.Errorf("re-run created %d, skipped %d; want 0 and 3", len(again.Created), len(again.Skipped))
			}
			if n := len(srv.Issues()); n != 6 {
				t.Errorf("re-run left %d issues, want 6", n)
			}
		})
	}
}

func TestSyncDryRunCreatesNothing(t *testing.T) {
	for _, ft := range fakeTrackers {
		t.Run(ft.name, func(t *testing.T) {
			srv, tr := ft.connect(t)
			seed(srv)
			got, err := backlog.Sync(context.Background(), tr, threeItems(), true)
			if err != nil {
				t.Fatal(err)
			}
			var pending []string
			for _, it := range got.Pending {
				pending = append(pending, it.ThreatID)
			}
			if diff := cmp.Diff([]string{"one@api", "three@api"}, pending); diff != "" || len(got.Created) != 0 || len(got.Skipped) != 1 {
				t.Errorf("pending (-want +got):\n%s\ncreated %d skipped %d", diff, len(got.Created), len(got.Skipped))
			}
			if n := count(srv.Requests(), "POST "); n != 0 {
				t.Errorf("dry run sent %d POSTs", n)
			}
		})
	}
}

func TestSyncReportsAPIErrors(t *testing.T) {
	tests := []struct {
		tracker string
		status  int
		body    string
		want    []string
	}{
		{"github", 422, `{"message":"Validation Failed","errors":[{"resource":"Issue","code":"missing_field","field":"title"}],"documentation_url":"https://docs.github.com/rest"}`,
			[]string{"GitHub POST /repos/acme/shop/issues: 422 Unprocessable Entity: Validation Failed", `"code":"missing_field"`}},
		{"gitlab", 400, `{"message":{"title":["is too long (maximum is 255 characters)"]}}`,
			[]string{"GitLab POST /api/v4/projects/acme%2Fshop/issues: 400 Bad Request", `{"title":["is too long (maximum is 255 characters)"]}`}},
		{"gitlab", 500, `<html>upstream broke</html>`, []string{"500 Internal Server Error: <html>upstream broke</html>"}},
	}
	for _, tt := range tests {
		t.Run(tt.tracker+" "+strconv.Itoa(tt.status), func(t *testing.T) {
			srv, tr := trackerNamed(t, tt.tracker)
			srv.Fail = func(r *http.Request) (int, http.Header, string) {
				if r.Method == http.MethodPost {
					return tt.status, nil, tt.body
				}
				return 0, nil, ""
			}
			got, err := backlog.Sync(context.Background(), tr, threeItems(), false)
			var api *backlog.APIError
			if !errors.As(err, &api) || api.Status != tt.status {
				t.Fatalf("err %v, want an APIError with status %d", err, tt.status)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if !strings.Contains(err.Error(), "one@api") {
				t.Errorf("error %q does not name the threat", err)
			}
			if errors.Is(err, backlog.ErrRateLimited) || len(got.Created) != 0 {
				t.Errorf("rate limited %v, created %d; want neither", errors.Is(err, backlog.ErrRateLimited), len(got.Created))
			}
			if n := count(srv.Requests(), "POST "); n != 1 {
				t.Errorf("%d POSTs after a failure, want 1", n)
			}
		})
	}
}

func trackerNamed(t *testing.T, name string) (*backlogtest.Server, backlog.Tracker) {
	t.Helper()
	i := slices.IndexFunc(fakeTrackers, func(ft fakeTracker) bool { return ft.name == name })
	return fakeTrackers[i].connect(t)
}

func TestBadTokenIsRefused(t *testing.T) {
	for _, ft := range fakeTrackers {
		t.Run(ft.name, func(t *testing.T) {
			srv, _ := ft.connect(t)
			var tr backlog.Tracker
			var err error
			if ft.name == "github" {
				tr, err = backlog.NewGitHub("acme/shop", "wrong", backlog.Options{BaseURL: srv.APIURL()})
			} else {
				tr, err = backlog.NewGitLab("acme/shop", "wrong", backlog.Options{BaseURL: srv.APIURL()})
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = backlog.Sync(context.Background(), tr, threeItems(), false)
			var api *backlog.APIError
			if !errors.As(err, &api) || api.Status != http.StatusUnauthorized || api.Message == "" {
				t.Fatalf("err %v, want a 401 with the API's message", err)
			}
		})
	}
}

func TestRateLimitStopsSending(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(90*time.Second).Unix(), 10)
	tests := []struct {
		name, tracker, method string
		status                int
		header                http.Header
		body                  string
		limited               bool
		wait                  time.Duration // at least
	}{
		{"github primary", "github", http.MethodGet, 403,
			http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}},
			`{"message":"API rate limit exceeded for user ID 1."}`, true, 80 * time.Second},
		{"github secondary", "github", http.MethodPost, 403, http.Header{"Retry-After": {"60"}},
			`{"message":"You have exceeded a secondary rate limit."}`, true, 60 * time.Second},
		{"github 429", "github", http.MethodPost, 429, nil, `{"message":"Too many requests"}`, true, 0},
		{"github forbidden", "github", http.MethodPost, 403, nil,
			`{"message":"Resource not accessible by personal access token"}`, false, 0},
		{"gitlab", "gitlab", http.MethodPost, 429, http.Header{"Retry-After": {"30"}, "Ratelimit-Remaining": {"0"}},
			`Retry later`, true, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, tr := trackerNamed(t, tt.tracker)
			srv.Fail = func(r *http.Request) (int, http.Header, string) {
				if r.Method == tt.method {
					return tt.status, tt.header, tt.body
				}
				return 0, nil, ""
			}
			_, err := backlog.Sync(context.Background(), tr, threeItems(), false)
			if got := errors.Is(err, backlog.ErrRateLimited); got != tt.limited {
				t.Fatalf("err %v: rate limited %v, want %v", err, got, tt.limited)
			}
			var api *backlog.APIError
			if !errors.As(err, &api) || api.RetryAfter < tt.wait {
				t.Errorf("err %v: wait %v, want at least %v", err, api.RetryAfter, tt.wait)
			}
			// One listing page, then (for a POST refusal) the first POST; nothing after.
			want := 1
			if tt.method == http.MethodPost {
				want = 2
			}
			if n := len(srv.Requests()); n != want {
				t.Errorf("%d requests, want %d: %q", n, want, srv.Requests())
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	for _, ft := range fakeTrackers {
		t.Run(ft.name, func(t *testing.T) {
			srv, tr := ft.connect(t)
			srv.Fail = func(r *http.Request) (int, http.Header, string) {
				select {
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
					t.Error("the client did not give up")
				}
				return http.StatusGatewayTimeout, nil, "{}"
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			_, err := backlog.Sync(ctx, tr, threeItems(), false)
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer in time") {
				t.Fatalf("err %v, want a deadline error", err)
			}
		})
	}
}

// TestPageLinkStaysOnTheAPIHost keeps the token from following a Link
// header to another host.
func TestPageLinkStaysOnTheAPIHost(t *testing.T) {
	srv, tr := trackerNamed(t, "github")
	srv.Fail = func(*http.Request) (int, http.Header, string) {
		return 200, http.Header{"Link": {`<https://elsewhere.example/repos/acme/shop/issues?page=2>; rel="next"`}}, "[]"
	}
	_, err := tr.Existing(context.Background())
	if err == nil || !strings.Contains(err.Error(), "refusing to follow") {
		t.Fatalf("err %v, want a refusal", err)
	}
}

func TestGitLabProjectByID(t *testing.T) {
	srv := backlogtest.NewGitLab(t, "4242", token)
	tr, err := backlog.NewGitLab("4242", token, backlog.Options{BaseURL: srv.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := backlog.Sync(context.Background(), tr, threeItems()[:1], false)
	if err != nil || len(got.Created) != 1 {
		t.Fatalf("created %d, err %v", len(got.Created), err)
	}
	if want := "POST /api/v4/projects/4242/issues"; !slices.Contains(srv.Requests(), want) {
		t.Errorf("requests %q lack %q", srv.Requests(), want)
	}
}

func TestNewTrackerRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		make func() error
		want string
	}{
		{"repo without owner", func() error { _, err := backlog.NewGitHub("shop", token, backlog.Options{}); return err }, "want owner/name"},
		{"repo too deep", func() error { _, err := backlog.NewGitHub("a/b/c", token, backlog.Options{}); return err }, "want owner/name"},
		{"empty project", func() error { _, err := backlog.NewGitLab("", token, backlog.Options{}); return err }, "numeric id or its path"},
		{"bad API URL", func() error {
			_, err := backlog.NewGitHub("a/b", token, backlog.Options{BaseURL: "ftp://example.com"})
			return err
		}, "want an http or https address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.make(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}
