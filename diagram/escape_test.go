package diagram_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
)

// hostile model text: quotes, backslashes and Graphviz's label escapes,
// markup, Mermaid's entity and edge-label syntax, line breaks.
var hostile = []string{
	`Quote " and back\slash`,
	`Graphviz \N \G \l \n escapes`,
	`<b>markup</b> & &amp; entities`,
	`Mermaid #quot; #35; | pipe ` + "`tick`",
	"two\nlines\r\tand tab",
	`end`,
	`]) "]--> n1 %% comment`,
	"invalid \xff utf-8",
}

// oneOf is a model whose zone, component, flow protocol and data are all
// named s.
func oneOf(t testing.TB, s string) *engine.Result {
	t.Helper()
	m := &model.Model{
		Title:  s,
		Assets: []*model.Asset{{ID: "a", Name: s}},
		Zones:  []*model.Zone{{ID: "z", Name: s, Trust: model.TrustHigh}},
		Components: []*model.Component{
			{ID: "c1", Name: s, Kind: "api", Zone: model.Ref{ID: "z"}},
			{ID: "c2", Name: "Other", Kind: "database"},
		},
		Flows: []*model.Flow{{From: model.Ref{ID: "c1"}, To: model.Ref{ID: "c2"}, Protocol: s, Data: []model.Ref{{ID: "a"}}}},
	}
	if ds := m.Validate(); len(ds) > 0 {
		t.Fatal(ds)
	}
	return &engine.Result{Model: m}
}

// shown is s as a label shows it: valid UTF-8, control characters as
// spaces.
func shown(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func FuzzEscape(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || len(s) > 200 {
			t.Skip()
		}
		g, err := diagram.Build(oneOf(t, s), diagram.Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkMermaid(t, g.Mermaid())
		checkSVG(t, g, shown(s))
	})
}

var (
	// labelRe finds Mermaid's quoted labels.
	labelRe = regexp.MustCompile(`"([^"]*)"`)
	// entityRe is one of Mermaid's #code; entities.
	entityRe = regexp.MustCompile(`#(?:[0-9]+|[a-z]+);`)
)

// checkMermaid checks every quoted label is closed on its line and holds
// nothing Mermaid would read as syntax or markup.
func checkMermaid(t *testing.T, src []byte) {
	t.Helper()
	for _, line := range strings.Split(string(src), "\n")[3:] { // after the front matter
		if strings.Count(line, `"`)%2 != 0 {
			t.Fatalf("unbalanced quotes in %q", line)
		}
		for _, m := range labelRe.FindAllStringSubmatch(line, -1) {
			label := strings.ReplaceAll(m[1], "<br/>", "")
			if strings.ContainsAny(label, "<>|`&\r\n") {
				t.Errorf("label %q keeps a character Mermaid reads as syntax", m[1])
			}
			if strings.Contains(entityRe.ReplaceAllString(label, ""), "#") {
				t.Errorf("label %q has a # outside an entity", m[1])
			}
		}
	}
}

// checkSVG lays the diagram out and checks Graphviz read the names as
// written: its SVG holds want as a text.
func checkSVG(t *testing.T, g *diagram.Graph, want string) {
	t.Helper()
	var b bytes.Buffer
	if err := diagram.Render(context.Background(), g, diagram.SVG, &b); err != nil {
		t.Fatalf("Graphviz rejects the DOT: %v\n%s", err, g.DOT())
	}
	dec := xml.NewDecoder(&b)
	var texts []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "text" {
			var s string
			if err := dec.DecodeElement(&s, &el); err != nil {
				t.Fatalf("SVG does not parse: %v", err)
			}
			texts = append(texts, s)
		}
	}
	// The name is the title, the component's name and the flow's
	// protocol, each a text of its own, and heads the zone's label.
	// Graphviz may trim spaces, so words are compared.
	want = strings.Join(strings.Fields(want), " ")
	whole, zone := 0, 0
	for _, s := range texts {
		if !utf8.ValidString(s) {
			t.Fatalf("SVG text %q is not UTF-8", s)
		}
		s = strings.Join(strings.Fields(s), " ")
		switch {
		case s == want:
			whole++
		case s == strings.TrimSpace(want+" · trust: high"):
			zone++
		}
	}
	if whole < 3 || zone != 1 {
		t.Errorf("SVG shows %q as %d whole texts (want 3: title, component, protocol) and %d zone labels (want 1):\n%q", want, whole, zone, texts)
	}
}
