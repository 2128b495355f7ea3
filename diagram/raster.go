package diagram

import (
	"bytes"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/fogleman/gg"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// pngDPI draws pictures at twice the 72 points per inch of the layout,
// sharp on high-density screens and in documents.
const pngDPI = 144

// maxPixels caps a picture's size: a large diagram is drawn at a lower
// resolution, down to 72 dpi, rather than as a picture too big to open.
const maxPixels = 16 << 20

// textFit shrinks PNG text a little: Graphviz sized every box for
// Helvetica, and the Go fonts run up to 7% wider.
const textFit = 0.94

// rasterize draws Graphviz's SVG into a PNG. go-graphviz's own PNG
// renderer loses outlines and fills edges as closed shapes, so Ward draws
// the SVG, which Graphviz gets right, itself. Graphviz's SVG uses few
// elements (polygon, polyline, path, ellipse, text) under one transform;
// those are all this draws. Text uses the Go fonts built into the binary,
// so a picture looks the same on every machine.
func rasterize(svg []byte, dpi float64) ([]byte, error) {
	r := &raster{k: dpi / 72, sx: 1, sy: 1}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read svg: %w", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if err := r.element(dec, el); err != nil {
			return nil, err
		}
	}
	if r.dc == nil {
		return nil, errors.New("read svg: no <svg> element")
	}
	var out bytes.Buffer
	if err := r.dc.EncodePNG(&out); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return out.Bytes(), nil
}

// raster is the canvas and the SVG's one transform: a point (x, y) lands
// at k·s·(x+t).
type raster struct {
	dc             *gg.Context
	k              float64
	sx, sy, tx, ty float64
}

func (r *raster) element(dec *xml.Decoder, el xml.StartElement) error {
	a := attrMap(el.Attr)
	if el.Name.Local == "svg" {
		return r.begin(a)
	}
	if r.dc == nil {
		return nil
	}
	switch el.Name.Local {
	case "g":
		if a["class"] == "graph" {
			r.transform(a["transform"])
		}
	case "polygon":
		r.shape(a, func() { r.points(a["points"], true) })
	case "polyline":
		r.shape(a, func() { r.points(a["points"], false) })
	case "path":
		r.shape(a, func() { r.path(a["d"]) })
	case "ellipse":
		r.shape(a, func() {
			x, y := r.at(num(a["cx"]), num(a["cy"]))
			r.dc.DrawEllipse(x, y, r.k*r.sx*num(a["rx"]), r.k*r.sy*num(a["ry"]))
		})
	case "text":
		var t struct {
			Text string `xml:",chardata"`
		}
		if err := dec.DecodeElement(&t, &el); err != nil {
			return fmt.Errorf("read svg: %w", err)
		}
		return r.text(a, t.Text)
	}
	return nil
}

// begin sizes the canvas from the <svg> element's width and height in
// points.
func (r *raster) begin(a map[string]string) error {
	w := num(strings.TrimSuffix(a["width"], "pt"))
	h := num(strings.TrimSuffix(a["height"], "pt"))
	if w <= 0 || h <= 0 {
		return fmt.Errorf("read svg: bad size %qx%q", a["width"], a["height"])
	}
	if w*h*r.k*r.k > maxPixels {
		r.k = max(1, math.Sqrt(maxPixels/(w*h)))
	}
	r.dc = gg.NewContext(int(math.Ceil(w*r.k)), int(math.Ceil(h*r.k)))
	r.dc.SetRGB(1, 1, 1)
	r.dc.Clear()
	r.dc.SetLineJoinRound()
	return nil
}

// transform reads Graphviz's "scale(sx sy) rotate(0) translate(tx ty)".
func (r *raster) transform(s string) {
	for _, part := range strings.Split(s, ")") {
		name, args, ok := strings.Cut(strings.TrimSpace(part), "(")
		if !ok {
			continue
		}
		f := strings.Fields(strings.ReplaceAll(args, ",", " "))
		switch {
		case name == "scale" && len(f) >= 1:
			r.sx = num(f[0])
			r.sy = r.sx
			if len(f) >= 2 {
				r.sy = num(f[1])
			}
		case name == "translate" && len(f) == 2:
			r.tx, r.ty = num(f[0]), num(f[1])
		}
	}
}

func (r *raster) at(x, y float64) (float64, float64) {
	return r.k * r.sx * (x + r.tx), r.k * r.sy * (y + r.ty)
}

// shape traces an element, fills it, then strokes it, as SVG does.
func (r *raster) shape(a map[string]string, trace func()) {
	if fill, ok := paint(a["fill"], a["fill-opacity"], "black"); ok {
		trace()
		r.dc.SetColor(fill)
		r.dc.Fill()
	}
	stroke, ok := paint(a["stroke"], a["stroke-opacity"], "none")
	if !ok {
		return
	}
	r.dc.Push()
	defer r.dc.Pop()
	width := 1.0
	if w, ok := a["stroke-width"]; ok {
		width = num(w)
	}
	r.dc.SetLineWidth(width * r.k * r.sx)
	if d := a["stroke-dasharray"]; d != "" {
		var dash []float64
		for _, f := range strings.Split(d, ",") {
			dash = append(dash, num(strings.TrimSpace(f))*r.k*r.sx)
		}
		r.dc.SetDash(dash...)
	}
	trace()
	r.dc.SetColor(stroke)
	r.dc.Stroke()
}

// points traces "x,y x,y …".
func (r *raster) points(s string, closed bool) {
	for i, pt := range strings.Fields(s) {
		xs, ys, _ := strings.Cut(pt, ",")
		x, y := r.at(num(xs), num(ys))
		if i == 0 {
			r.dc.MoveTo(x, y)
		} else {
			r.dc.LineTo(x, y)
		}
	}
	if closed {
		r.dc.ClosePath()
	}
}

// path traces path data of absolute M, L, C and Z commands, all Graphviz
// writes.
func (r *raster) path(d string) {
	var cmd byte
	var args []float64
	flush := func() {
		pts := make([]float64, len(args))
		for i := 0; i+1 < len(args); i += 2 {
			pts[i], pts[i+1] = r.at(args[i], args[i+1])
		}
		switch cmd {
		case 'M':
			for i := 0; i+1 < len(pts); i += 2 {
				if i == 0 {
					r.dc.MoveTo(pts[0], pts[1])
				} else {
					r.dc.LineTo(pts[i], pts[i+1])
				}
			}
		case 'L':
			for i := 0; i+1 < len(pts); i += 2 {
				r.dc.LineTo(pts[i], pts[i+1])
			}
		case 'C':
			for i := 0; i+5 < len(pts); i += 6 {
				r.dc.CubicTo(pts[i], pts[i+1], pts[i+2], pts[i+3], pts[i+4], pts[i+5])
			}
		case 'Z':
			r.dc.ClosePath()
		}
		args = args[:0]
	}
	for _, tok := range pathTokens(d) {
		switch tok {
		case "M", "L", "C", "Z":
			flush()
			cmd = tok[0]
		default:
			args = append(args, num(tok))
		}
	}
	flush()
}

// pathTokens splits path data into command letters and numbers.
func pathTokens(d string) []string {
	var toks []string
	start := -1
	for i := 0; i <= len(d); i++ {
		var c byte
		if i < len(d) {
			c = d[i]
		}
		numeric := c >= '0' && c <= '9' || c == '.' || c == 'e' ||
			(c == '-' || c == '+') && (start < 0 || d[i-1] == 'e')
		if numeric {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			toks = append(toks, d[start:i])
			start = -1
		}
		if c == '-' || c == '+' {
			start = i
			continue
		}
		if c >= 'A' && c <= 'Z' {
			toks = append(toks, string(c))
		}
	}
	return toks
}

// text draws one line of a label.
func (r *raster) text(a map[string]string, s string) error {
	if s == "" {
		return nil
	}
	fill, ok := paint(a["fill"], a["fill-opacity"], "black")
	if !ok {
		return nil
	}
	size := 14.0
	if v, ok := a["font-size"]; ok {
		size = num(v)
	}
	face, err := goFace(a["font-weight"] == "bold", a["font-style"] == "italic", size*r.k*r.sy*textFit)
	if err != nil {
		return err
	}
	r.dc.SetFontFace(face)
	r.dc.SetColor(fill)
	x, y := r.at(num(a["x"]), num(a["y"]))
	anchor := 0.0
	switch a["text-anchor"] {
	case "middle":
		anchor = 0.5
	case "end":
		anchor = 1
	}
	r.dc.DrawStringAnchored(s, x, y, anchor, 0)
	return nil
}

// color is an RGBA colour from SVG paint.
type color struct{ r, g, b, a uint8 }

func (c color) RGBA() (r, g, b, a uint32) {
	// Premultiplied, as image/color wants.
	a = uint32(c.a) * 0x101
	return uint32(c.r) * 0x101 * a / 0xffff, uint32(c.g) * 0x101 * a / 0xffff, uint32(c.b) * 0x101 * a / 0xffff, a
}

// paint reads an SVG fill or stroke: "none", a few names, or #rrggbb with
// an optional opacity. ok is false when nothing is to be drawn.
func paint(v, opacity, def string) (c color, ok bool) {
	if v == "" {
		v = def
	}
	switch v {
	case "none", "transparent":
		return color{}, false
	case "black":
		c = color{0, 0, 0, 255}
	case "white":
		c = color{255, 255, 255, 255}
	default:
		h := strings.TrimPrefix(v, "#")
		rgb, err := hex.DecodeString(h)
		if err != nil || len(rgb) != 3 {
			c = color{0, 0, 0, 255} // a colour Ward never writes: draw it plainly
			break
		}
		c = color{rgb[0], rgb[1], rgb[2], 255}
	}
	if opacity != "" {
		o := num(opacity)
		if o <= 0 {
			return color{}, false
		}
		c.a = uint8(math.Round(math.Min(o, 1) * 255))
	}
	return c, true
}

func attrMap(attrs []xml.Attr) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		m[a.Name.Local] = a.Value
	}
	return m
}

// num reads a number Graphviz wrote, 0 if it is not one.
func num(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// faces caches font faces by style and size; renderMu guards it, as
// faces are not safe for concurrent use.
var faces = map[faceKey]font.Face{}

type faceKey struct {
	bold, italic bool
	size         float64
}

// goFace returns a Go font face of the given size in pixels.
func goFace(bold, italic bool, size float64) (font.Face, error) {
	key := faceKey{bold, italic, size}
	if face, ok := faces[key]; ok {
		return face, nil
	}
	ttf := goregular.TTF
	switch {
	case bold && italic:
		ttf = gobolditalic.TTF
	case bold:
		ttf = gobold.TTF
	case italic:
		ttf = goitalic.TTF
	}
	ft, err := truetype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("load font: %w", err)
	}
	face := truetype.NewFace(ft, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingFull})
	faces[key] = face
	return face, nil
}
