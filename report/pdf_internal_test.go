package report

import "testing"

func TestPDFTextFallbacksAreInTheFont(t *testing.T) {
	has := coverage()
	for from, to := range glyphFallbacks {
		for _, r := range to {
			if !has(r) {
				t.Errorf("fallback %q for %q is not in the font either", to, from)
			}
		}
	}
	if !has([]rune(missingGlyph)[0]) {
		t.Errorf("missingGlyph %q is not in the font", missingGlyph)
	}
}

func TestPDFTextSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"ascii", "Order API", "Order API"},
		{"symbols the font has", "Browser → API × 2 · “quoted” — ok…", "Browser → API × 2 · “quoted” — ok…"},
		{"greek and cyrillic", "Ωμέγα Жук", "Ωμέγα Жук"},
		{"decomposed accents are composed", "Cafe\u0301", "Café"},
		{"fallbacks", "a ⇒ b ✓", "a → b √"},
		{"scripts the font lacks", "订单 😀", "?? ?"},
		{"control characters", "a\tb\rc\x00d\ne", "a bcd\ne"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pdfText(tt.in); got != tt.want {
				t.Errorf("pdfText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
