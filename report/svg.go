package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/wardsec/ward/internal/mdtext"
)

// svgElements are the SVG elements a data-flow diagram may hold when it
// is inlined in the HTML report. Anything else — scripts, foreign
// content, images that would load from the network, styles — is refused.
var svgElements = map[string]bool{
	"svg": true, "g": true, "title": true, "desc": true, "defs": true,
	"path": true, "polygon": true, "polyline": true, "line": true,
	"ellipse": true, "circle": true, "rect": true, "text": true, "tspan": true,
	"a": true, "linearGradient": true, "radialGradient": true, "stop": true,
	"clipPath": true, "marker": true,
}

const (
	svgNamespace   = "http://www.w3.org/2000/svg"
	xlinkNamespace = "http://www.w3.org/1999/xlink"
)

// inlineDiagram is an SVG document ready to embed in HTML, with the
// width it asks for in points (0 when it gives none).
type inlineDiagram struct {
	SVG   template.HTML
	Width float64
}

// inlineSVG prepares a rendered SVG document for embedding in HTML: the
// XML prolog and DOCTYPE are cut, and the rest must be well-formed SVG
// made only of svgElements, with no event handlers and no links other than
// to web pages or the document itself. The diagram's labels come from the
// model, so a renderer that failed to escape one is caught here instead of
// reaching the page.
func inlineSVG(doc []byte) (inlineDiagram, error) {
	start := bytes.Index(doc, []byte("<svg"))
	if start < 0 {
		return inlineDiagram{}, errors.New("no <svg> element")
	}
	body := bytes.TrimSpace(doc[start:])
	// In HTML a CDATA section inside an SVG <title> is not text but a
	// comment that ends at the first ">", so it could hide markup.
	if bytes.Contains(body, []byte("<![CDATA[")) {
		return inlineDiagram{}, errors.New("CDATA section in SVG")
	}
	root, err := checkSVG(body)
	if err != nil {
		return inlineDiagram{}, err
	}
	d := inlineDiagram{SVG: template.HTML(body)} //nolint:gosec // checked by checkSVG above
	for _, a := range root.Attr {
		if a.Name.Local == "width" {
			// Graphviz writes points ("1381pt"); a bare number is pixels.
			if pt, ok := strings.CutSuffix(a.Value, "pt"); ok {
				d.Width, _ = strconv.ParseFloat(pt, 64) // 0 when unreadable
			} else if px, err := strconv.ParseFloat(a.Value, 64); err == nil {
				d.Width = px * 0.75
			}
		}
	}
	return d, nil
}

// checkSVG walks body's XML tokens, refusing what inlineSVG forbids, and
// returns the root element.
func checkSVG(body []byte) (root xml.StartElement, err error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return root, fmt.Errorf("malformed SVG: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				root = tok.Copy()
			}
			depth++
			if err := checkSVGElement(tok); err != nil {
				return root, err
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				return root, errors.New("text outside the <svg> element")
			}
		case xml.ProcInst, xml.Directive:
			return root, fmt.Errorf("unexpected %T inside SVG", tok)
		}
	}
	if roots != 1 {
		return root, fmt.Errorf("want one <svg> element, found %d", roots)
	}
	return root, nil
}

func checkSVGElement(el xml.StartElement) error {
	if el.Name.Space != svgNamespace || !svgElements[el.Name.Local] {
		return fmt.Errorf("element <%s> is not allowed in an inline diagram", el.Name.Local)
	}
	for _, a := range el.Attr {
		name := strings.ToLower(a.Name.Local)
		switch {
		case strings.HasPrefix(name, "on"):
			return fmt.Errorf("event handler attribute %s on <%s>", a.Name.Local, el.Name.Local)
		case name == "href" && (a.Name.Space == "" || a.Name.Space == xlinkNamespace):
			if !strings.HasPrefix(a.Value, "#") && !mdtext.IsWebURL(a.Value) {
				return fmt.Errorf("link %q on <%s> is neither a web page nor an anchor", a.Value, el.Name.Local)
			}
		case a.Name.Space != "" && a.Name.Space != xlinkNamespace && a.Name.Space != "xmlns" && a.Name.Space != "http://www.w3.org/XML/1998/namespace":
			return fmt.Errorf("attribute %s:%s on <%s> is not allowed", a.Name.Space, a.Name.Local, el.Name.Local)
		case strings.Contains(strings.ToLower(a.Value), "javascript:"):
			return fmt.Errorf("script URL in attribute %s on <%s>", a.Name.Local, el.Name.Local)
		case externalReference(a.Value):
			return fmt.Errorf("attribute %s on <%s> refers outside the document", a.Name.Local, el.Name.Local)
		}
	}
	return nil
}

// externalReference reports whether a presentation value such as
// fill="url(…)" points anywhere but into the document: the report must
// open without a network.
func externalReference(value string) bool {
	v := strings.ToLower(strings.Join(strings.Fields(value), ""))
	for {
		i := strings.Index(v, "url(")
		if i < 0 {
			return false
		}
		v = strings.TrimLeft(v[i+len("url("):], `"'`)
		if !strings.HasPrefix(v, "#") {
			return true
		}
	}
}
