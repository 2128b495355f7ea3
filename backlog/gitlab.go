package backlog

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// GitLabAPI is the public GitLab REST API.
const GitLabAPI = "https://gitlab.com/api/v4"

// GitLab is a project's issues on GitLab.
type GitLab struct {
	c       *client
	project string // escaped for a path
}

var _ Tracker = (*GitLab)(nil)

// NewGitLab reaches the issues of project (its numeric id or its path,
// "group/name") with token.
func NewGitLab(project, token string, opt Options) (*GitLab, error) {
	if project == "" || strings.HasPrefix(project, "/") || strings.HasSuffix(project, "/") {
		return nil, fmt.Errorf("project %q: want its numeric id or its path, such as group/name", project)
	}
	h := http.Header{}
	h.Set("PRIVATE-TOKEN", token)
	c, err := newClient("GitLab", GitLabAPI, opt, h)
	if err != nil {
		return nil, err
	}
	// A path is one segment of the URL, its slashes escaped.
	return &GitLab{c: c, project: url.PathEscape(project)}, nil
}

func (g *GitLab) issuesPath() string {
	return "/projects/" + g.project + "/issues"
}

// Existing reads every issue labelled Label, open or closed, following
// X-Next-Page from page to page.
func (g *GitLab) Existing(ctx context.Context) (map[string]bool, error) {
	have := map[string]bool{}
	page := "1"
	for n := 0; page != ""; n++ {
		if n == maxPages {
			return nil, fmt.Errorf("GitLab: more than %d pages of issues labelled %q", maxPages, Label)
		}
		var issues []struct {
			Description string `json:"description"`
		}
		q := url.Values{"labels": {Label}, "per_page": {"100"}, "page": {page}}
		h, err := g.c.do(ctx, http.MethodGet, g.c.url(g.issuesPath(), q), nil, &issues)
		if err != nil {
			return nil, err
		}
		for _, is := range issues {
			markedIn(have, is.Description)
		}
		next := strings.TrimSpace(h.Get("X-Next-Page"))
		if next != "" {
			if v, err := strconv.Atoi(next); err != nil || strconv.Itoa(v) == page {
				return nil, fmt.Errorf("GitLab: bad X-Next-Page %q after page %s", next, page)
			}
		}
		page = next
	}
	return have, nil
}

// Create opens an issue and returns its web_url.
func (g *GitLab) Create(ctx context.Context, it Item) (string, error) {
	var created struct {
		WebURL string `json:"web_url"`
	}
	if _, err := g.c.do(ctx, http.MethodPost, g.c.url(g.issuesPath(), nil), gitlabIssueOf(it), &created); err != nil {
		return "", err
	}
	return created.WebURL, nil
}
