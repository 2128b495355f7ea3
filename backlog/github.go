package backlog

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// GitHubAPI is the public GitHub REST API.
const GitHubAPI = "https://api.github.com"

// GitHub is a repository's issues on GitHub.
type GitHub struct {
	c           *client
	owner, name string
}

var _ Tracker = (*GitHub)(nil)

// NewGitHub reaches the issues of repo ("owner/name") with token.
func NewGitHub(repo, token string, opt Options) (*GitHub, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("repository %q: want owner/name", repo)
	}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	h.Set("Accept", "application/vnd.github+json")
	h.Set("X-GitHub-Api-Version", "2022-11-28")
	c, err := newClient("GitHub", GitHubAPI, opt, h)
	if err != nil {
		return nil, err
	}
	return &GitHub{c: c, owner: owner, name: name}, nil
}

func (g *GitHub) issuesPath() string {
	return "/repos/" + url.PathEscape(g.owner) + "/" + url.PathEscape(g.name) + "/issues"
}

// Existing reads every issue labelled Label, open or closed, following the
// Link header from page to page.
func (g *GitHub) Existing(ctx context.Context) (map[string]bool, error) {
	have := map[string]bool{}
	next := g.c.url(g.issuesPath(), url.Values{"state": {"all"}, "labels": {Label}, "per_page": {"100"}})
	for page := 0; next != ""; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("GitHub: more than %d pages of issues labelled %q", maxPages, Label)
		}
		var issues []struct {
			Body string `json:"body"`
		}
		h, err := g.c.do(ctx, http.MethodGet, next, nil, &issues)
		if err != nil {
			return nil, err
		}
		for _, is := range issues {
			markedIn(have, is.Body)
		}
		if next, err = g.nextPage(h.Values("Link")); err != nil {
			return nil, err
		}
	}
	return have, nil
}

// nextPage is the rel="next" address of a Link header, "" on the last
// page. It must stay on the API's host: the token goes with it.
func (g *GitHub) nextPage(links []string) (string, error) {
	for _, header := range links {
		for _, link := range strings.Split(header, ",") {
			target, params, ok := strings.Cut(link, ";")
			if !ok || !isNextRel(params) {
				continue
			}
			target = strings.TrimSpace(target)
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				return "", fmt.Errorf("GitHub: malformed Link header %q", header)
			}
			u, err := url.Parse(target[1 : len(target)-1])
			if err != nil {
				return "", fmt.Errorf("GitHub: Link header: %w", err)
			}
			if !g.c.owns(u) {
				return "", fmt.Errorf("GitHub: refusing to follow a page link to %s, outside %s", u.Host, g.c.base.Host)
			}
			return u.String(), nil
		}
	}
	return "", nil
}

// isNextRel reports whether a Link entry's parameters hold rel="next"
// (rel may list several relation types).
func isNextRel(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
			continue
		}
		for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
			if strings.EqualFold(rel, "next") {
				return true
			}
		}
	}
	return false
}

// Create opens an issue and returns its html_url.
func (g *GitHub) Create(ctx context.Context, it Item) (string, error) {
	var created struct {
		HTMLURL string `json:"html_url"`
	}
	if _, err := g.c.do(ctx, http.MethodPost, g.c.url(g.issuesPath(), nil), githubIssueOf(it), &created); err != nil {
		return "", err
	}
	return created.HTMLURL, nil
}
