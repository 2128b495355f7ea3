// Package backlogtest fakes the GitHub and GitLab issue APIs on a local
// test server, with their request and response shapes, so the backlog
// export can be tested without the network.
package backlogtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Issue is an issue the fake holds.
type Issue struct {
	Number int
	Title  string
	Body   string
	Labels []string
	URL    string
}

// Server is a fake tracker. Its listings are paginated PageSize issues at
// a time, whatever per_page asks, so a few issues span several pages.
type Server struct {
	srv     *httptest.Server
	t       testing.TB
	gitlab  bool
	token   string
	project string // "owner/name" or a GitLab project id or path
	// PageSize is how many issues a listing page holds; 2 by default.
	PageSize int
	// Fail, when it returns a status, answers the request with that
	// status, headers and body instead of the fake's answer.
	Fail func(r *http.Request) (status int, header http.Header, body string)

	mu       sync.Mutex
	issues   []Issue
	requests []string
}

// NewGitHub starts a fake GitHub API serving repo ("owner/name") to
// token. It stops when the test ends.
func NewGitHub(t testing.TB, repo, token string) *Server {
	return start(t, false, repo, token)
}

// NewGitLab starts a fake GitLab API serving project (an id or a path)
// to token. It stops when the test ends.
func NewGitLab(t testing.TB, project, token string) *Server {
	return start(t, true, project, token)
}

func start(t testing.TB, gitlab bool, project, token string) *Server {
	s := &Server{t: t, gitlab: gitlab, token: token, project: project, PageSize: 2}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// APIURL is the root to give the client: the server itself for GitHub,
// its /api/v4 for GitLab.
func (s *Server) APIURL() string {
	if s.gitlab {
		return s.srv.URL + "/api/v4"
	}
	return s.srv.URL
}

// Add puts an issue in the fake, as if someone had created it before.
func (s *Server) Add(title, body string, labels ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(title, body, labels)
}

func (s *Server) addLocked(title, body string, labels []string) Issue {
	n := len(s.issues) + 1
	is := Issue{Number: n, Title: title, Body: body, Labels: labels}
	if s.gitlab {
		is.URL = fmt.Sprintf("%s/%s/-/issues/%d", s.srv.URL, s.project, n)
	} else {
		is.URL = fmt.Sprintf("%s/%s/issues/%d", s.srv.URL, s.project, n)
	}
	s.issues = append(s.issues, is)
	return is
}

// Issues returns the issues the fake holds, oldest first.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issues)
}

// Requests returns the requests served so far as "METHOD escaped-path?query".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	s.mu.Unlock()
	if s.Fail != nil {
		if status, h, body := s.Fail(r); status != 0 {
			for k, vs := range h {
				w.Header()[k] = vs
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprint(w, body)
			return
		}
	}
	if !s.authorized(w, r) {
		return
	}
	switch {
	case r.URL.EscapedPath() != s.issuesPath():
		s.answer(w, http.StatusNotFound, s.message("404 Project Not Found", "Not Found"))
	case r.Method == http.MethodGet:
		s.list(w, r)
	case r.Method == http.MethodPost:
		s.create(w, r)
	default:
		s.answer(w, http.StatusMethodNotAllowed, s.message("405 Method Not Allowed", "Method Not Allowed"))
	}
}

// issuesPath is the escaped path of the issues: GitLab takes a project
// path as one segment with its slash escaped.
func (s *Server) issuesPath() string {
	if s.gitlab {
		return "/api/v4/projects/" + url.PathEscape(s.project) + "/issues"
	}
	return "/repos/" + s.project + "/issues"
}

// authorized checks the headers each API requires, answering as it would
// when they are wrong.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.gitlab {
		if r.Header.Get("PRIVATE-TOKEN") != s.token {
			s.answer(w, http.StatusUnauthorized, map[string]string{"message": "401 Unauthorized"})
			return false
		}
		return true
	}
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		s.answer(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
		return false
	}
	for k, want := range map[string]string{"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"} {
		if got := r.Header.Get(k); got != want {
			s.t.Errorf("GitHub request %s %s: header %s = %q, want %q", r.Method, r.URL, k, got, want)
			s.answer(w, http.StatusBadRequest, map[string]string{"message": "bad " + k})
			return false
		}
	}
	return true
}

func (s *Server) message(gitlab, github string) map[string]string {
	if s.gitlab {
		return map[string]string{"message": gitlab}
	}
	return map[string]string{"message": github, "documentation_url": "https://docs.github.com/rest"}
}

// list serves one page of the issues carrying every label asked for.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	want := map[string]string{"labels": "ward", "per_page": "100"}
	if !s.gitlab {
		want["state"] = "all"
	}
	for k, v := range want {
		if q.Get(k) != v {
			s.t.Errorf("list %s: %s = %q, want %q", r.URL, k, q.Get(k), v)
		}
	}
	page := 1
	if p := q.Get("page"); p != "" {
		var err error
		if page, err = strconv.Atoi(p); err != nil || page < 1 {
			s.answer(w, http.StatusBadRequest, s.message("page is invalid", "Invalid page"))
			return
		}
	}
	labels := strings.Split(q.Get("labels"), ",")
	s.mu.Lock()
	var match []Issue
	for _, is := range s.issues {
		if hasAll(is.Labels, labels) {
			match = append(match, is)
		}
	}
	s.mu.Unlock()
	from := min((page-1)*s.PageSize, len(match))
	to := min(from+s.PageSize, len(match))
	more := to < len(match)
	if s.gitlab {
		w.Header().Set("X-Page", strconv.Itoa(page))
		w.Header().Set("X-Per-Page", strconv.Itoa(s.PageSize))
		w.Header().Set("X-Total", strconv.Itoa(len(match)))
		next := ""
		if more {
			next = strconv.Itoa(page + 1)
		}
		w.Header().Set("X-Next-Page", next)
	} else if more {
		nq := r.URL.Query()
		nq.Set("page", strconv.Itoa(page+1))
		lq := r.URL.Query()
		lq.Set("page", strconv.Itoa((len(match)+s.PageSize-1)/s.PageSize))
		base := s.srv.URL + r.URL.Path
		w.Header().Set("Link", fmt.Sprintf(`<%s?%s>; rel="next", <%s?%s>; rel="last"`, base, nq.Encode(), base, lq.Encode()))
	}
	out := make([]map[string]any, 0, to-from)
	for _, is := range match[from:to] {
		out = append(out, s.issueJSON(is))
	}
	s.answer(w, http.StatusOK, out)
}

// create checks a create-issue request's fields and types and stores it.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Errorf("create: Content-Type %q, want application/json", ct)
	}
	var req map[string]any
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		s.answer(w, http.StatusBadRequest, s.message("400 Bad request - "+err.Error(), "Problems parsing JSON"))
		return
	}
	bodyField, title := "body", req["title"]
	if s.gitlab {
		bodyField = "description"
	}
	t, ok := title.(string)
	if !ok || t == "" {
		s.answer(w, http.StatusUnprocessableEntity, s.message("title is missing", "Validation Failed"))
		return
	}
	body, ok := req[bodyField].(string)
	if !ok {
		s.t.Errorf("create: %s is %T, want a string", bodyField, req[bodyField])
	}
	var labels []string
	if s.gitlab {
		l, ok := req["labels"].(string)
		if !ok {
			s.t.Errorf("create: GitLab labels is %T, want a comma-separated string", req["labels"])
		}
		labels = strings.Split(l, ",")
	} else {
		l, ok := req["labels"].([]any)
		if !ok {
			s.t.Errorf("create: GitHub labels is %T, want an array", req["labels"])
		}
		for _, x := range l {
			name, _ := x.(string) // a non-string label shows up as "" in the test's checks
			labels = append(labels, name)
		}
	}
	for k := range req {
		if k != "title" && k != bodyField && k != "labels" {
			s.t.Errorf("create: unexpected field %q", k)
		}
	}
	s.mu.Lock()
	is := s.addLocked(t, body, labels)
	s.mu.Unlock()
	s.answer(w, http.StatusCreated, s.issueJSON(is))
}

// issueJSON is an issue as the API returns it (the fields the client
// reads, and a few it does not).
func (s *Server) issueJSON(is Issue) map[string]any {
	if s.gitlab {
		return map[string]any{"id": 1000 + is.Number, "iid": is.Number, "project_id": 7, "title": is.Title,
			"description": is.Body, "labels": is.Labels, "state": "opened", "web_url": is.URL}
	}
	labels := make([]map[string]string, len(is.Labels))
	for i, l := range is.Labels {
		labels[i] = map[string]string{"name": l}
	}
	var body any = is.Body
	if is.Body == "" {
		body = nil // GitHub sends null for an issue without a body
	}
	return map[string]any{"id": 1000 + is.Number, "number": is.Number, "title": is.Title, "body": body,
		"labels": labels, "state": "open", "html_url": is.URL,
		"url": fmt.Sprintf("%s/repos/%s/issues/%d", s.srv.URL, s.project, is.Number)}
}

func (s *Server) answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		s.t.Errorf("fake API: write answer: %v", err)
	}
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
