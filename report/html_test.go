package report_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/synth"
)

// parseHTML renders res as HTML and parses it as a browser would.
func parseHTML(t *testing.T, res *engine.Result) (*html.Node, string) {
	t.Helper()
	out := render(t, report.HTML, res, report.Options{})
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return doc, string(out)
}

// findAll lists the elements under n for which match is true, in document
// order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	return out
}

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func TestHTMLStructure(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	doc, _ := parseHTML(t, res)

	for _, id := range []string{"summary", "diagram", "assessment", "assessment-table", "details", "compliance"} {
		if len(findAll(doc, byID(id))) != 1 {
			t.Errorf("want one element with id %q", id)
		}
	}
	if len(findAll(doc, byID("accepted"))) != 0 {
		t.Error("an accepted-risks section although the example accepts none")
	}
	if svgs := findAll(doc, byTag("svg")); len(svgs) != 1 {
		t.Errorf("want the data-flow diagram inline as one <svg>, found %d", len(svgs))
	}
	heat := findAll(doc, func(n *html.Node) bool { return n.Data == "table" && attr(n, "class") == "heatmap" })
	if len(heat) != 1 || len(findAll(heat[0], byTag("td"))) != 9 {
		t.Error("want a 3×3 risk heat map")
	}

	table := findAll(doc, byID("assessment-table"))[0]
	headers := findAll(table, byTag("th"))
	var names []string
	for _, h := range headers {
		names = append(names, textOf(h))
	}
	if got := strings.Join(names, " · "); got != "Component · Actor · Scenario · STRIDE · Severity · Mitigation · Status" {
		t.Errorf("columns: %s", got)
	}
	body := findAll(table, byTag("tbody"))[0]
	rows := findAll(body, byTag("tr"))
	if len(rows) != len(res.Threats) {
		t.Fatalf("%d rows, want one per threat: %d", len(rows), len(res.Threats))
	}
	for i, row := range rows {
		th := res.Threats[i]
		if got := attr(row, "data-severity"); got != string(th.Severity) {
			t.Errorf("row %d: data-severity %q, want %q", i, got, th.Severity)
		}
		link := findAll(row, byTag("a"))[0]
		// A browser percent-decodes the fragment to find its target.
		target, err := url.PathUnescape(strings.TrimPrefix(attr(link, "href"), "#"))
		if err != nil {
			t.Fatal(err)
		}
		if len(findAll(doc, byID(target))) != 1 {
			t.Errorf("row %d links to #%s, which is not one element", i, target)
		}
		if sections := findAll(doc, byID(target)); len(sections) == 1 && !strings.Contains(textOf(sections[0]), th.Scenario) {
			t.Errorf("row %d links to #%s, which lacks the threat's scenario", i, target)
		}
	}
	// Every threat of a rule cites its references once in the rule's section.
	if refs := findAll(doc, func(n *html.Node) bool { return attr(n, "class") == "refs" }); len(refs) == 0 {
		t.Error("no references in the details")
	}
}

// TestHTMLSelfContained checks that the page loads nothing: no external
// script, style sheet, image or font, and a policy that would block one.
func TestHTMLSelfContained(t *testing.T) {
	doc, out := parseHTML(t, testkit.AnalyzeExample(t))
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		if src := attr(n, "src"); src != "" {
			t.Errorf("<%s src=%q> loads a resource", n.Data, src)
		}
		if n.Data == "link" && attr(n, "rel") != "icon" {
			t.Errorf("<link rel=%q href=%q> loads a resource", attr(n, "rel"), attr(n, "href"))
		}
		if n.Data == "link" && !strings.HasPrefix(attr(n, "href"), "data:") {
			t.Errorf("the icon is not inline: %q", attr(n, "href"))
		}
	}
	for _, bad := range []string{"@import", "@font-face", "url(http"} {
		if strings.Contains(out, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	scripts, styles := findAll(doc, byTag("script")), findAll(doc, byTag("style"))
	if len(scripts) != 1 || len(styles) != 1 {
		t.Fatalf("want one inline script and one style sheet, got %d and %d", len(scripts), len(styles))
	}
	csp := ""
	for _, m := range findAll(doc, byTag("meta")) {
		if attr(m, "http-equiv") == "Content-Security-Policy" {
			csp = attr(m, "content")
		}
	}
	if !strings.HasPrefix(csp, "default-src 'none';") {
		t.Errorf("Content-Security-Policy %q does not start by denying everything", csp)
	}
	for _, n := range []*html.Node{scripts[0], styles[0]} {
		sum := sha256.Sum256([]byte(textOf(n)))
		if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, hash) {
			t.Errorf("the policy %q does not allow the inline <%s> (%s)", csp, n.Data, hash)
		}
	}
}

// TestHTMLEscapes feeds markup through every kind of model text and checks
// it comes out as text, never as elements.
func TestHTMLEscapes(t *testing.T) {
	const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	res := tiny()
	res.Model.Title = "Shop " + evil
	res.Model.Scope.Statement = evil
	res.Model.Authors = []string{evil}
	th := res.Threats[0]
	th.TargetName, th.Scenario, th.ID = evil, evil, "sqli@"+evil
	th.Evidence = []string{evil}
	th.Mitigations[0].Title = evil
	res.Threats[1].Acceptance.Reason = evil
	res.Threats[2].Mitigations[0].Ticket = "javascript:alert(3)"
	res.Warnings[0].Message = evil

	doc, _ := parseHTML(t, res)
	if n := len(findAll(doc, byTag("script"))); n != 1 {
		t.Errorf("%d <script> elements, want only the page's own", n)
	}
	if n := len(findAll(doc, byTag("img"))); n != 0 {
		t.Errorf("%d <img> elements made from model text", n)
	}
	for _, a := range findAll(doc, byTag("a")) {
		if href := attr(a, "href"); !strings.HasPrefix(href, "#") && !strings.HasPrefix(href, "https://") {
			t.Errorf("link to %q made from model text", href)
		}
	}
	h1 := findAll(doc, byTag("h1"))[0]
	if got := textOf(h1); got != "Threat assessment: Shop "+evil {
		t.Errorf("title reads %q", got)
	}
	if n := strings.Count(textOf(doc), evil); n < 8 {
		t.Errorf("the markup shows as text %d times, want it everywhere it was put", n)
	}
}

func TestHTMLAcceptedAndCompliance(t *testing.T) {
	res := tiny()
	res.Threats[1].Status = engine.AcceptanceExpired
	doc, _ := parseHTML(t, res)
	accepted := findAll(doc, byID("accepted"))
	if len(accepted) != 1 {
		t.Fatal("no accepted-risks section")
	}
	got := textOf(accepted[0])
	for _, want := range []string{"Insider exports orders", "CISO", "2026-06-30", "Audited quarterly", "expired"} {
		if !strings.Contains(got, want) {
			t.Errorf("accepted risks lack %q:\n%s", want, got)
		}
	}
	compliance := findAll(doc, byID("compliance"))
	if len(compliance) != 1 || !strings.Contains(textOf(compliance[0]), "6.2.4") {
		t.Error("compliance summary lacks pci-dss 6.2.4")
	}
	// The hand-written threat has no rule; it is a group of its own.
	if len(findAll(doc, byID("threat-hand-1"))) != 1 {
		t.Error("the hand-written threat has no section")
	}
}

func TestHTMLWithoutDiagram(t *testing.T) {
	res := tiny()
	res.Model.Components = nil
	doc, _ := parseHTML(t, res)
	if len(findAll(doc, byID("diagram"))) != 0 {
		t.Error("a diagram section for a model with nothing to draw")
	}
	res.Model = nil
	doc, _ = parseHTML(t, res)
	if len(findAll(doc, byID("assessment-table"))) != 1 {
		t.Error("a result without a model lost its table")
	}
}

// TestHTMLDiagramEscapes checks that model text reaching the diagram's
// labels stays text inside the inline SVG.
func TestHTMLDiagramEscapes(t *testing.T) {
	const evil = `</text><script>alert(1)</script>]]><![CDATA[ & "quoted" 'single'`
	res := testkit.AnalyzeExample(t)
	res.Model.Components[0].Name = evil
	res.Model.Zones[0].Name = evil
	doc, _ := parseHTML(t, res)
	svgs := findAll(doc, byTag("svg"))
	if len(svgs) != 1 {
		t.Fatalf("want the diagram drawn with the hostile names, found %d <svg>; note: %s",
			len(svgs), textOf(findAll(doc, byID("diagram"))[0]))
	}
	if n := len(findAll(doc, byTag("script"))); n != 1 {
		t.Errorf("%d <script> elements, want only the page's own", n)
	}
	if !strings.Contains(textOf(svgs[0]), "<script>alert(1)</script>") {
		t.Error("the hostile name is not in the diagram as text")
	}
}

// TestHTMLNoModelEntries is the diagram's own verdict on a model with
// nothing to draw: no section at all.
func TestHTMLNoModelEntries(t *testing.T) {
	res := &engine.Result{Model: &model.Model{Title: "Empty"}}
	doc, _ := parseHTML(t, res)
	if len(findAll(doc, byID("diagram"))) != 0 || len(findAll(doc, byID("assessment"))) != 0 {
		t.Error("sections for an empty model")
	}
}

// TestLargeModelDiagram checks that a model too big to lay out in one
// picture gets its zone summary, saying so, in both document formats.
func TestLargeModelDiagram(t *testing.T) {
	res := testkit.Analyze(t, testkit.Synth(t, synth.Options{Components: 120, Seed: 1}), testkit.Today)
	const note = "too many for one picture: this is its summary"

	doc, _ := parseHTML(t, res)
	dfd := findAll(doc, byID("diagram"))
	if len(dfd) != 1 {
		t.Fatal("no diagram section")
	}
	if got := textOf(dfd[0]); !strings.Contains(got, note) || len(findAll(dfd[0], byTag("svg"))) != 1 {
		t.Errorf("want the zone summary drawn with a note; the section reads:\n%.300s", got)
	}
	md := string(render(t, report.Markdown, res, report.Options{}))
	if got := section(md, "Data-flow diagram"); !strings.Contains(got, note) || !strings.Contains(got, "```mermaid") {
		t.Errorf("want the zone summary in Mermaid with a note; the section reads:\n%.300s", got)
	}
}
