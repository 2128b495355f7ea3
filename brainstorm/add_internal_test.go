package brainstorm

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	for title, want := range map[string]string{
		"Replayed order confirmations":     "replayed-order-confirmations",
		"  SQL-injection via /search?q=  ": "sql-injection-via-search-q",
		"Ünïcode — only":                   "n-code-only",
		"日本語":                              "threat",
		strings.Repeat("word ", 20):        strings.TrimSuffix(strings.Repeat("word-", 9), "-"),
	} {
		if got := slug(title); got != want {
			t.Errorf("slug(%q) = %q, want %q", title, got, want)
		}
		if got := slug(title); len(got) > maxSlug || !idPattern.MatchString(got) {
			t.Errorf("slug(%q) = %q is not a short id", title, got)
		}
	}
}
