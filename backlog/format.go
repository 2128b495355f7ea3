package backlog

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// The formats items are written in.
const (
	// GitHubFormat is a JSON array of GitHub's create-issue requests.
	GitHubFormat = "github"
	// GitLabFormat is a JSON array of GitLab's create-issue requests.
	GitLabFormat = "gitlab"
	// JiraCSVFormat is a CSV for Jira's importer.
	JiraCSVFormat = "jira-csv"
)

// Formats lists the formats Write knows.
func Formats() []string { return []string{GitHubFormat, GitLabFormat, JiraCSVFormat} }

// githubIssue is the body of GitHub's "create an issue" request.
type githubIssue struct {
	Title  string   `json:"title"`
	Body   string   `json:"body"`
	Labels []string `json:"labels"`
}

// gitlabIssue is the body of GitLab's "new issue" request; it takes labels
// as one comma-separated string.
type gitlabIssue struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Labels      string `json:"labels"`
}

func githubIssueOf(it Item) githubIssue {
	return githubIssue{Title: it.Title, Body: it.Body, Labels: it.Labels}
}

func gitlabIssueOf(it Item) gitlabIssue {
	return gitlabIssue{Title: it.Title, Description: it.Body, Labels: strings.Join(it.Labels, ",")}
}

// Write writes items in format: for github and gitlab the requests that
// would create them, for jira-csv an import file.
func Write(w io.Writer, format string, items []Item) error {
	switch format {
	case GitHubFormat:
		out := make([]githubIssue, len(items))
		for i, it := range items {
			out[i] = githubIssueOf(it)
		}
		return writeJSON(w, out)
	case GitLabFormat:
		out := make([]gitlabIssue, len(items))
		for i, it := range items {
			out[i] = gitlabIssueOf(it)
		}
		return writeJSON(w, out)
	case JiraCSVFormat:
		return writeJiraCSV(w, items)
	}
	return fmt.Errorf("unknown backlog format %q (want %s)", format, strings.Join(Formats(), ", "))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// The bodies are Markdown meant to be read; keep < and > as they are.
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
