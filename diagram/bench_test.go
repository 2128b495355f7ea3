package diagram

import (
	"context"
	"flag"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/synth"
)

var layoutAll = flag.Bool("layout-all", false, "BenchmarkRender: lay out whole models past MaxLayout too (1k components: hours)")

// BenchmarkRender measures diagrams of synthetic models of 100, 1k and 10k
// components with three flows each: building the whole model's graph and
// writing its DOT; Graphviz's layout into SVG of the whole model (past
// MaxLayout only with -layout-all), of its zone summary, and of one subnet
// zone with the components its flows reach outside; and the PNG of the
// summary. docs/performance.md records the figures.
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{100, 1_000, 10_000} {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			res := synthResult(b, n)
			views := map[string]Options{"whole": {}, "summary": {Summary: true}, "zone": {Zone: "vpc-1-subnet-1"}}
			graphs := map[string]*Graph{}
			for name, opt := range views {
				g, err := Build(res, opt)
				if err != nil {
					b.Fatal(err)
				}
				graphs[name] = g
				b.Logf("%s: %d boxes, %d arrows, layout cost %d", name, g.Nodes(), g.Edges(), g.layoutCost())
			}
			b.Run("Build", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Build(res, Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("DOT", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					graphs["whole"].DOT()
				}
			})
			b.Run("SVG", func(b *testing.B) {
				if graphs["whole"].layoutCost() > MaxLayout && !*layoutAll {
					b.Skip("past MaxLayout: Render refuses it; -layout-all lays it out anyway")
				}
				src := graphs["whole"].DOT()
				b.ReportAllocs()
				for b.Loop() {
					if _, err := layout(src, SVG); err != nil {
						b.Fatal(err)
					}
				}
			})
			for _, v := range []struct {
				name, view string
				format     Format
			}{{"SummarySVG", "summary", SVG}, {"SummaryPNG", "summary", PNG}, {"ZoneSVG", "zone", SVG}} {
				b.Run(v.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := Render(context.Background(), graphs[v.view], v.format, io.Discard); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// synthResult analyses a synthetic model of n components.
func synthResult(tb testing.TB, n int) *engine.Result {
	tb.Helper()
	m := testkit.Synth(tb, synth.Options{Components: n, FlowsPerComponent: 3, Seed: 1})
	return testkit.Analyze(tb, m, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
}
