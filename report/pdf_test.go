package report_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/synth"
)

// pdfPages reads a PDF back and returns each page's text (see pageText).
func pdfPages(t testing.TB, doc []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatalf("read the pdf back: %v", err)
	}
	pages := make([]string, r.NumPage())
	for i := range pages {
		pages[i] = pageText(t, r, i+1)
	}
	return pages
}

// pageText is the text of page n, a line for each baseline and a space
// between the pieces of text on it. The report's font has CIDs equal to
// Unicode code points, so the text operators' strings are UTF-16.
func pageText(t testing.TB, r *pdf.Reader, n int) string {
	t.Helper()
	p := r.Page(n)
	if p.V.IsNull() {
		t.Fatalf("page %d is missing", n)
	}
	var b strings.Builder
	lastY := math.NaN()
	pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch {
		case op == "Td" && len(args) == 2:
			y := args[1].Float64()
			if b.Len() > 0 {
				if y != lastY {
					b.WriteString("\n")
				} else {
					b.WriteString(" ")
				}
			}
			lastY = y
		case op == "Tj" && len(args) == 1:
			b.WriteString(args[0].TextFromUTF16())
		case op == "TJ" && len(args) == 1:
			for j := range args[0].Len() {
				b.WriteString(args[0].Index(j).TextFromUTF16())
			}
		}
	})
	b.WriteString("\n")
	return b.String()
}

// keepPDF saves a rendered PDF to look at when WARD_PDF_DIR is set, e.g.
// WARD_PDF_DIR=/tmp go test ./report -run PDF.
func keepPDF(t *testing.T, name string, doc []byte) {
	t.Helper()
	dir := os.Getenv("WARD_PDF_DIR")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), doc, 0o644); err != nil {
		t.Fatal(err)
	}
}

// examplePDF renders the example's PDF once for the tests that read it:
// drawing its diagram is the slow part.
var examplePDF = struct {
	once sync.Once
	res  *engine.Result
	doc  []byte
}{}

func renderExamplePDF(t *testing.T) (*engine.Result, []byte) {
	t.Helper()
	examplePDF.once.Do(func() {
		examplePDF.res = testkit.AnalyzeExample(t)
		examplePDF.doc = render(t, report.PDF, examplePDF.res, report.Options{})
		keepPDF(t, "ecommerce.pdf", examplePDF.doc)
	})
	if examplePDF.doc == nil {
		t.Fatal("rendering the example failed in an earlier test")
	}
	return examplePDF.res, examplePDF.doc
}

func TestPDFExample(t *testing.T) {
	res, doc := renderExamplePDF(t)
	pages := pdfPages(t, doc)
	if len(pages) < 5 {
		t.Fatalf("%d pages, want a title page, the diagram, the table and the details", len(pages))
	}
	all := strings.Join(pages, "\n")
	want := []string{
		"Acme e-commerce", "THREAT ASSESSMENT", "B.Bunny", "2022-02-26", "2023-02-27",
		"A Threat Model for the e-Commerce application",
		report.Summarize(res).String(),
		"Heat map", "Data-flow diagram", "Assessment", "Threats in detail", "Compliance",
		"Order API", "Order Database", "Fulfillment queue",
		"Component", "Scenario", "STRIDE", "Mitigation",
		"Security requirements", "Test cases", "References", "CWE-",
	}
	for _, th := range res.Threats {
		want = append(want, th.ID, th.Title)
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("the pdf lacks %q", w)
		}
	}
	for i, p := range pages {
		if footer := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(p, footer) {
			t.Errorf("page %d lacks %q", i+1, footer)
		}
		if i > 0 && !strings.Contains(p, "Acme e-commerce") {
			t.Errorf("page %d lacks the model title in its header", i+1)
		}
	}
	// The assessment table repeats its header row on every page it reaches.
	if n := len(assessmentPages(t, pages)); n < 2 {
		t.Errorf("the assessment table spans %d pages, want 2 for this example", n)
	}
}

// assessmentPages are the pages whose running header names the assessment
// table; each must start with the table's header row.
func assessmentPages(t *testing.T, pages []string) []string {
	t.Helper()
	var out []string
	for i, p := range pages {
		header, _, _ := strings.Cut(p, "\n")
		if !strings.HasSuffix(header, "Assessment") {
			continue
		}
		if !strings.Contains(p, "# Component Actor Scenario STRIDE Severity Mitigation Status") {
			t.Errorf("page %d of the assessment has no header row:\n%s", i+1, p)
		}
		out = append(out, p)
	}
	return out
}

// TestPDFDiagram checks that the example's diagram is on a page of its
// own, inside the margins, with its aspect ratio kept.
func TestPDFDiagram(t *testing.T) {
	_, doc := renderExamplePDF(t)
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatal(err)
	}
	const margin = 16 * 72 / 25.4 // points
	found := false
	for n := 1; n <= r.NumPage(); n++ {
		p := r.Page(n)
		box := p.V.Key("MediaBox")
		pageW, pageH := box.Index(2).Float64(), box.Index(3).Float64()
		var cm []float64
		pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
			args := make([]pdf.Value, stk.Len())
			for i := len(args) - 1; i >= 0; i-- {
				args[i] = stk.Pop()
			}
			switch {
			case op == "cm" && len(args) == 6:
				cm = []float64{args[0].Float64(), args[3].Float64(), args[4].Float64(), args[5].Float64()}
			case op == "Do" && len(args) == 1 && cm != nil:
				found = true
				img := p.Resources().Key("XObject").Key(args[0].Name())
				w, h, x, y := cm[0], cm[1], cm[2], cm[3]
				pxW, pxH := img.Key("Width").Float64(), img.Key("Height").Float64()
				if got, want := w/h, pxW/pxH; math.Abs(got-want) > 0.01*want {
					t.Errorf("page %d: the diagram is drawn %.0f×%.0f pt for %.0f×%.0f px: aspect %.3f, want %.3f", n, w, h, pxW, pxH, got, want)
				}
				if x < margin-0.5 || x+w > pageW-margin+0.5 || y < 0 || y+h > pageH {
					t.Errorf("page %d: the diagram at (%.0f, %.0f) size %.0f×%.0f pt leaves the %.0f×%.0f pt page's margins", n, x, y, w, h, pageW, pageH)
				}
			}
		})
	}
	if !found {
		t.Error("the pdf has no diagram image")
	}
}

// TestPDFText compares the text of the example's PDF with the golden file;
// go test ./report -update rewrites it.
func TestPDFText(t *testing.T) {
	_, doc := renderExamplePDF(t)
	pages := pdfPages(t, doc)
	var b strings.Builder
	for i, p := range pages {
		fmt.Fprintf(&b, "=== page %d ===\n%s", i+1, p)
	}
	got := b.String()
	testkit.Golden(t, filepath.Join("testdata", "ecommerce.pdf.txt.golden"), []byte(got), *update)
}

func TestPDFDeterministic(t *testing.T) {
	res, first := renderExamplePDF(t)
	second := render(t, report.PDF, res, report.Options{})
	if !bytes.Equal(first, second) {
		t.Error("two renderings of the same result differ")
	}
	// The dates come from the model, or are fixed, never the clock.
	if !bytes.Contains(first, []byte("/CreationDate (D:20230227000000)")) {
		t.Error("the creation date is not the model's updated date")
	}
	undated := render(t, report.PDF, &engine.Result{Model: &model.Model{Title: "Undated"}}, report.Options{})
	if !bytes.Contains(undated, []byte("/CreationDate (D:20000101000000)")) {
		t.Error("an undated model's creation date is not the fixed one")
	}
}

func TestPDFEmpty(t *testing.T) {
	results := map[string]*engine.Result{
		"no model": {},
		"titled":   {Model: &model.Model{Title: "Nothing here", Authors: []string{"X"}}},
	}
	for name, res := range results {
		t.Run(name, func(t *testing.T) {
			pages := pdfPages(t, render(t, report.PDF, res, report.Options{}))
			if len(pages) != 1 {
				t.Errorf("%d pages, want 1", len(pages))
			}
			text := strings.Join(pages, "\n")
			if !strings.Contains(text, "No threats found.") {
				t.Errorf("lacks the empty summary:\n%s", text)
			}
			for _, absent := range []string{"Heat map", "Data-flow diagram", "Assessment", "CONTENTS"} {
				if strings.Contains(text, absent) {
					t.Errorf("has %q with nothing to show:\n%s", absent, text)
				}
			}
		})
	}
}

// TestPDFUnicode checks that UTF-8 model text prints as written, and that
// characters the font lacks are replaced rather than lost or fatal.
func TestPDFUnicode(t *testing.T) {
	res := tiny()
	res.Model.Title = "Boutique “Éclair” → Жук"
	res.Threats[0].Scenario = "Ωmega × 2 · naïve ⇒ 订单 😀 end."
	doc := render(t, report.PDF, res, report.Options{})
	keepPDF(t, "tiny.pdf", doc)
	pages := pdfPages(t, doc)
	text := strings.Join(pages, "\n")
	for _, want := range []string{
		"Boutique “Éclair” → Жук", "Browser → API", // the title, a flow's name
		"Ωmega × 2 · naïve → ?? ? end.",
		"raised from medium: can lead to doomsday scenario leak",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the pdf lacks %q", want)
		}
	}
}

// TestPDFLongCell checks a cell taller than a page: the row continues on
// the next pages, with the header row repeated, and no text is lost.
func TestPDFLongCell(t *testing.T) {
	res := tiny()
	var words []string
	for i := range 1500 {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	res.Threats[0].Scenario = strings.Join(words, " ")
	pages := pdfPages(t, render(t, report.PDF, res, report.Options{}))
	text := strings.Join(pages, " ")
	for _, w := range []string{"w0", "w750", "w1499"} {
		if !strings.Contains(text, w+" ") && !strings.Contains(text, w+"\n") {
			t.Errorf("the pdf lacks the word %s", w)
		}
	}
	if n := len(assessmentPages(t, pages)); n < 2 {
		t.Errorf("the long row spans %d pages of the assessment, want at least 2", n)
	}
}

// TestPDFConcurrent renders reports at the same time: they share only the
// embedded fonts, which must stay untouched (run with -race).
func TestPDFConcurrent(t *testing.T) {
	want := render(t, report.PDF, tiny(), report.Options{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var b bytes.Buffer
			err := report.Write(&b, report.PDF, tiny(), report.Options{})
			if err == nil && !bytes.Equal(b.Bytes(), want) {
				err = errors.New("a concurrent rendering differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// analyzeSynth analyses a synthetic model of n components.
func analyzeSynth(tb testing.TB, n int) *engine.Result {
	tb.Helper()
	return testkit.Analyze(tb, testkit.Synth(tb, synth.Options{Components: n, Seed: 1}), testkit.Today)
}

// TestPDFLargeModel renders a synthetic model of 250 components, about
// 1,100 threats; BenchmarkPDF times 1,000.
func TestPDFLargeModel(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a thousand threats")
	}
	const components = 250
	res := analyzeSynth(t, components)
	start := time.Now()
	doc := render(t, report.PDF, res, report.Options{})
	elapsed := time.Since(start)
	keepPDF(t, "synth.pdf", doc)
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d components, %d threats: %d pages, %d KB in %v", components, len(res.Threats), r.NumPage(), len(doc)/1024, elapsed)
	// A page holds at most a handful of threats' details.
	if atLeast := len(res.Threats) / 5; r.NumPage() < atLeast {
		t.Errorf("%d pages for %d threats, want at least %d", r.NumPage(), len(res.Threats), atLeast)
	}
	first := pageText(t, r, 1)
	for _, want := range []string{res.Model.Title, fmt.Sprintf("%d threats: ", len(res.Threats))} {
		if !strings.Contains(first, want) {
			t.Errorf("the first page lacks %q:\n%s", want, first)
		}
	}
	last := pageText(t, r, r.NumPage())
	if want := fmt.Sprintf("Page %d of %d", r.NumPage(), r.NumPage()); !strings.Contains(last, want) {
		t.Errorf("the last page lacks %q", want)
	}
}

// BenchmarkPDF renders the PDF report of a 1,000-component synthetic model.
func BenchmarkPDF(b *testing.B) {
	res := analyzeSynth(b, 1000)
	for b.Loop() {
		if err := report.Write(&bytes.Buffer{}, report.PDF, res, report.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
