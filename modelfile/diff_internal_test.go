package modelfile

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestUnifiedDiffApplies checks on random texts that the diff, applied to
// the old text, gives the new one, and that unchanged texts give none.
func TestUnifiedDiffApplies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	text := func(n int) string {
		var b strings.Builder
		for range n {
			fmt.Fprintf(&b, "line %c\n", 'a'+r.IntN(4))
		}
		s := b.String()
		if r.IntN(4) == 0 {
			s = strings.TrimSuffix(s, "\n")
		}
		return s
	}
	for i := range 2000 {
		a, b := text(r.IntN(30)), text(r.IntN(30))
		if r.IntN(2) == 0 {
			// A few edits to a, the usual case.
			lines := splitLines([]byte(a))
			for range r.IntN(4) {
				at := r.IntN(len(lines) + 1)
				lines = append(lines[:at], append([]string{text(1 + r.IntN(3))}, lines[at:]...)...)
			}
			b = strings.Join(lines, "")
		}
		d := unifiedDiff("f", []byte(a), []byte(b))
		if (d == "") != (a == b) {
			t.Fatalf("case %d: diff %q for a %q, b %q", i, d, a, b)
		}
		if got, err := applyDiff(a, d); err != nil || got != b {
			t.Fatalf("case %d: applying\n%s\nto %q gives %q (%v), want %q", i, d, a, got, err, b)
		}
	}
}

// applyDiff applies a unified diff made by unifiedDiff, checking every
// context and removed line against old.
func applyDiff(old, diff string) (string, error) {
	if diff == "" {
		return old, nil
	}
	src := splitLines([]byte(old))
	lines := strings.Split(strings.TrimSuffix(diff, "\n"), "\n")[2:]
	var out []string
	at := 0 // next line of src to copy
	var last *string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "@@ "):
			var aStart, aCount, bStart, bCount int
			f := strings.Fields(l)
			parse := func(s string, start, count *int) {
				p := strings.SplitN(s[1:], ",", 2)
				*start, _ = strconv.Atoi(p[0])
				*count = 1
				if len(p) == 2 {
					*count, _ = strconv.Atoi(p[1])
				}
			}
			parse(f[1], &aStart, &aCount)
			parse(f[2], &bStart, &bCount)
			if aCount > 0 {
				aStart--
			}
			if aStart < at {
				return "", fmt.Errorf("hunk %q goes back", l)
			}
			out = append(out, src[at:aStart]...)
			at = aStart
		case l == `\ No newline at end of file`:
			*last = strings.TrimSuffix(*last, "\n")
		case l[0] == '+':
			out = append(out, l[1:]+"\n")
			last = &out[len(out)-1]
		case l[0] == '-' || l[0] == ' ':
			if at >= len(src) || strings.TrimSuffix(src[at], "\n") != l[1:] {
				return "", fmt.Errorf("line %d is not %q", at+1, l[1:])
			}
			if l[0] == ' ' {
				out = append(out, src[at])
				last = &out[len(out)-1]
			} else {
				dropped := src[at]
				last = &dropped
			}
			at++
		}
	}
	out = append(out, src[at:]...)
	return strings.Join(out, ""), nil
}
