package engine_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
	"github.com/wardsec/ward/synth"
)

// BenchmarkLoadAnalyze measures Ward on synthetic models of 1k, 10k and
// 100k components with three flows each: loading one file, loading the
// same model split into a directory, analyzing a loaded model, and both.
// docs/performance.md records the figures.
func BenchmarkLoadAnalyze(b *testing.B) {
	lib, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			if n >= 100_000 && testing.Short() {
				b.Skip("100k components take minutes; skipped under -short")
			}
			opt := synth.Options{Components: n, FlowsPerComponent: 3, Seed: 1}
			file := filepath.Join(b.TempDir(), "synth.ward.yaml")
			dir := b.TempDir()
			writeModel(b, file, opt)
			if err := synth.Dir(dir, opt); err != nil {
				b.Fatal(err)
			}
			if st, err := os.Stat(file); err == nil {
				b.Logf("%d components: %.1f MB", n, float64(st.Size())/1e6)
			}
			load := func(b *testing.B, path string) *model.Model {
				m, err := model.Load(path)
				if err != nil {
					b.Fatal(err)
				}
				return m
			}
			analyze := func(b *testing.B, m *model.Model) {
				if _, err := engine.Analyze(m, lib, engine.Options{Now: now}); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("Load", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					load(b, file)
				}
			})
			b.Run("LoadDir", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					load(b, dir)
				}
			})
			b.Run("Analyze", func(b *testing.B) {
				m := load(b, dir)
				b.ReportAllocs()
				for b.Loop() {
					analyze(b, m)
				}
			})
			b.Run("LoadAnalyze", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					analyze(b, load(b, dir))
				}
			})
		})
	}
}

func writeModel(b *testing.B, path string, opt synth.Options) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.Model(f, opt); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
