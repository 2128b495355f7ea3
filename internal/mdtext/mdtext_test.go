package mdtext_test

import (
	"testing"

	"github.com/wardsec/ward/internal/mdtext"
)

func TestText(t *testing.T) {
	in := "a *b*\n  [c](d) <e> | #f @g ~h_ `i` \\"
	if got, want := mdtext.Text(in), "a \\*b\\* \\[c\\](d) \\<e\\> \\| \\#f @g \\~h\\_ \\`i\\` \\\\"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got, want := mdtext.IssueText(in), "a \\*b\\* \\[c\\](d) \\<e\\> \\| \\#f \\@g \\~h\\_ \\`i\\` \\\\"; got != want {
		t.Errorf("IssueText = %q, want %q", got, want)
	}
}

func TestCode(t *testing.T) {
	tests := map[string]string{
		"a  b\nc": "`a b c`",
		"x`y":     "``x`y``",
		"`z":      "`` `z ``",
	}
	for in, want := range tests {
		if got := mdtext.Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLink(t *testing.T) {
	tests := map[string]string{
		"https://example.org/a": "<https://example.org/a>",
		"https://x.org/a b":     "`https://x.org/a b`",
		"ticket-1":              "`ticket-1`",
	}
	for in, want := range tests {
		if got := mdtext.Link(in); got != want {
			t.Errorf("Link(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReferenceURL(t *testing.T) {
	tests := map[string]string{
		"CAPEC-66":             "https://capec.mitre.org/data/definitions/66.html",
		"CWE-79":               "https://cwe.mitre.org/data/definitions/79.html",
		"T1078.004":            "https://attack.mitre.org/techniques/T1078/004/",
		"http://example.org/x": "http://example.org/x",
		"CWE-":                 "",
		"CWE-.1":               "",
		"T10a":                 "",
		"OWASP A01":            "",
	}
	for in, want := range tests {
		if got := mdtext.ReferenceURL(in); got != want {
			t.Errorf("ReferenceURL(%q) = %q, want %q", in, got, want)
		}
	}
}
