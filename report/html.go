package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // the page's template, style sheet and script
	"encoding/base64"
	"html/template"
	"io"

	"github.com/wardsec/ward/engine"
)

// The HTML report is one self-contained file: its style sheet and script
// are inlined and it loads nothing, so it opens from a mail attachment or
// a CI artefact with no network. Everything from the model goes through
// html/template's escaping; the page's Content-Security-Policy admits only
// its own style sheet and script, by hash, as a second line of defence.
// Without JavaScript everything shows; only sorting and filtering need it.

var (
	//go:embed templates/report.html.tmpl
	pageTemplateText string
	// SharedCSS is the look the report shares with the server's web
	// pages: palette, cards, heat map, badges and status pills.
	//
	//go:embed templates/shared.css
	SharedCSS string
	//go:embed templates/report.css
	reportCSS string
	// pageCSS is the report's whole style sheet.
	pageCSS = SharedCSS + reportCSS
	// TableScript sorts table rows; the server's pages load it too.
	//
	//go:embed templates/table.js
	TableScript string
	//go:embed templates/report.js
	reportJS string
	// pageJS is the report's whole script.
	pageJS = TableScript + reportJS
)

var pageTemplate = template.Must(template.New("report").Parse(pageTemplateText))

// pageCSP allows the inline style sheet and script by their hashes, and
// data: images (the empty favicon), and nothing else.
var pageCSP = "default-src 'none'; style-src '" + sha256Source(pageCSS) + "'; script-src '" +
	sha256Source(pageJS) + "'; img-src data:; base-uri 'none'; form-action 'none'"

func sha256Source(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

func writeHTML(w io.Writer, res *engine.Result, _ Options) error {
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, pageOf(res)); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
