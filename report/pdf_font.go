package report

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The PDF embeds a UTF-8 font because model text is UTF-8 (arrows, ×,
// quotes, names in any script) and the PDF core fonts know only cp1252.
// Liberation Sans covers Latin, Greek, Cyrillic and the common symbols in
// about 825 KB for both styles; see fonts/README.md.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	fontRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	fontBold []byte
)

const fontFamily = "LiberationSans"

func addFonts(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
}

// missingGlyph stands in for a character the font cannot draw.
const missingGlyph = "?"

// glyphFallbacks spell characters the font lacks with ones it has (a
// test checks that it has them).
var glyphFallbacks = map[rune]string{
	'⇒': "→", '⇐': "←", '⇔': "↔", '⟶': "→", '⟵': "←", '➔': "→", '➜': "→",
	'✓': "√", '✔': "√", '✗': "×", '✘': "×", '▶': "►", '◀': "◄", '★': "*",
	'‑': "-", '\u00ad': "", '\t': " ", '\r': "", '\u200b': "", '\ufeff': "",
}

// coverage reports whether the regular font has a glyph for r. Both
// styles cover the same characters.
var coverage = sync.OnceValue(func() func(r rune) bool {
	f, err := sfnt.Parse(fontRegular)
	if err != nil {
		// The font is embedded: a parse failure is a build mistake.
		panic("report: parse embedded font: " + err.Error())
	}
	var (
		mu    sync.Mutex
		buf   sfnt.Buffer
		known = map[rune]bool{}
	)
	return func(r rune) bool {
		if r >= ' ' && r < 0x7f {
			return true
		}
		mu.Lock()
		defer mu.Unlock()
		has, ok := known[r]
		if !ok {
			g, err := f.GlyphIndex(&buf, r)
			has = err == nil && g != 0
			known[r] = has
		}
		return has
	}
})

// pdfText makes s printable in the embedded font: composed characters,
// fallbacks for the few symbols it lacks, and missingGlyph for the rest
// (CJK, emoji). Line breaks are kept.
func pdfText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || (c < ' ' && c != '\n') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	has := coverage()
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		switch fb, ok := glyphFallbacks[r]; {
		case ok:
			b.WriteString(fb)
		case r == '\n' || has(r):
			b.WriteRune(r)
		case r < ' ':
			// Other control characters print nothing useful.
		default:
			b.WriteString(missingGlyph)
		}
	}
	return b.String()
}
