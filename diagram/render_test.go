package diagram_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/internal/testkit"
)

// svgDoc is what the tests read of an SVG: every group with its class and
// title, and every text.
type svgDoc struct {
	Groups []svgGroup `xml:"g"`
}

type svgGroup struct {
	ID     string     `xml:"id,attr"`
	Class  string     `xml:"class,attr"`
	Title  string     `xml:"title"`
	Texts  []string   `xml:"text"`
	Groups []svgGroup `xml:"g"`
	Links  []svgGroup `xml:"a"`
}

// walk visits g and every group inside it.
func (g svgGroup) walk(visit func(svgGroup)) {
	visit(g)
	for _, c := range append(g.Groups, g.Links...) {
		c.walk(visit)
	}
}

func renderSVG(t *testing.T, g *diagram.Graph) svgGroup {
	t.Helper()
	var b bytes.Buffer
	if err := diagram.Render(context.Background(), g, diagram.SVG, &b); err != nil {
		t.Fatal(err)
	}
	var doc svgDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("SVG does not parse: %v", err)
	}
	return svgGroup{Groups: doc.Groups}
}

func TestRenderSVG(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	g, err := diagram.Build(res, diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	root := renderSVG(t, g)
	var texts []string
	clusters := map[string][]string{}
	root.walk(func(g svgGroup) {
		texts = append(texts, g.Texts...)
		if g.Class == "cluster" {
			clusters[g.Title] = g.Texts
		}
	})
	all := strings.Join(texts, "\n")
	for _, c := range res.Model.Components {
		if !strings.Contains(all, c.Name) {
			t.Errorf("SVG lacks component %q", c.Name)
		}
	}
	// Each zone is a cluster labelled with its name and trust level.
	labels := map[string]bool{}
	for _, ts := range clusters {
		for _, s := range ts {
			labels[s] = true
		}
	}
	for _, z := range res.Model.Zones {
		want := z.Name + " · trust: " + string(z.Trust)
		if !labels[want] {
			t.Errorf("no cluster labelled %q; clusters: %v", want, clusters)
		}
	}
	if len(clusters) != len(res.Model.Zones)+1 { // the zones and the legend
		t.Errorf("%d clusters, want %d zones and the legend", len(clusters), len(res.Model.Zones))
	}
	for _, want := range []string{"4 open · high", "● receiver pulls", "HTTPS (SQS ReceiveMessage)"} {
		if !strings.Contains(all, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestRenderPNG(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	g, err := diagram.Build(res, diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := diagram.Render(context.Background(), g, diagram.PNG, &b); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	size := img.Bounds().Size()
	if size.X < 1000 || size.Y < 300 {
		t.Errorf("PNG is %v, too small to read", size)
	}
	// The badges are drawn in their severity's colour: the example has
	// open high and medium threats.
	for name, want := range map[string][3]uint8{"high": {0xe0, 0x31, 0x31}, "medium": {0xf5, 0x9f, 0x00}, "untrusted zone": {0xff, 0xf5, 0xf5}} {
		if !hasColor(img, want) {
			t.Errorf("PNG has no pixel of the %s colour #%02x%02x%02x", name, want[0], want[1], want[2])
		}
	}
}

func hasColor(img image.Image, want [3]uint8) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == want[0] && uint8(g>>8) == want[1] && uint8(bl>>8) == want[2] {
				return true
			}
		}
	}
	return false
}

func TestRenderTextFormats(t *testing.T) {
	g, err := diagram.Build(testkit.AnalyzeExample(t), diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for f, want := range map[diagram.Format][]byte{diagram.DOT: g.DOT(), diagram.Mermaid: g.Mermaid()} {
		var b bytes.Buffer
		if err := diagram.Render(context.Background(), g, f, &b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("Render(%s) differs from the method's output", f)
		}
	}
	if err := diagram.Render(context.Background(), g, "pdf", &bytes.Buffer{}); err == nil {
		t.Error("Render(pdf) succeeded; want an unknown-format error")
	}
}

func TestRenderCancelled(t *testing.T) {
	g, err := diagram.Build(testkit.AnalyzeExample(t), diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := diagram.Render(ctx, g, diagram.SVG, &bytes.Buffer{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Render with a cancelled context: %v, want context.Canceled", err)
	}
}
