// Package mdtext holds Markdown text helpers shared by the report, the diff
// and the backlog export: escaping, inline code, links, and the web pages of
// CAPEC, CWE and ATT&CK references.
package mdtext

import "strings"

// escapes are the punctuation that could start Markdown or HTML in model
// text: emphasis, code, links, tags, tables, strikethrough, headings.
var escapes = []string{
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`, `#`, `\#`,
}

var (
	escaper = strings.NewReplacer(escapes...)
	// issueEscaper also escapes '@', so that text in an issue body
	// mentions nobody.
	issueEscaper = strings.NewReplacer(append(escapes[:len(escapes):len(escapes)], `@`, `\@`)...)
)

// Text escapes s for a paragraph, list item or heading. Line breaks become
// spaces so a line of model text cannot start a block.
func Text(s string) string {
	return escaper.Replace(oneLine(s))
}

// IssueText is Text for an issue tracker's body, where '@' would ping
// people and so is escaped too.
func IssueText(s string) string {
	return issueEscaper.Replace(oneLine(s))
}

// Code wraps s in a code span, with a fence longer than any run of
// backticks inside it. It is not for table cells, where a pipe would end
// the cell.
func Code(s string) string {
	s = oneLine(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// Link makes an autolink of a URL, or a code span of anything else.
func Link(s string) string {
	if IsWebURL(s) && !strings.ContainsAny(s, " <>\n") {
		return "<" + s + ">"
	}
	return Code(s)
}

// oneLine folds runs of white space, line breaks included, to one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
