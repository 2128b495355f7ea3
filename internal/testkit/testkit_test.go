package testkit_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/synth"
)

// recorder is a testing.TB that keeps failures instead of failing.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "a.golden")
	testkit.Golden(t, path, []byte("one\n"), true)
	if data, err := os.ReadFile(path); err != nil || string(data) != "one\n" {
		t.Fatalf("update wrote %q, %v; want one", data, err)
	}
	testkit.Golden(t, path, []byte("one\n"), false)

	r := &recorder{TB: t}
	testkit.Golden(r, path, []byte("two\n"), false)
	if len(r.failures) != 1 {
		t.Errorf("a differing output gave %d failures, want 1: %v", len(r.failures), r.failures)
	}
}

func TestAnalyzeDir(t *testing.T) {
	res := testkit.AnalyzeDir(t, filepath.Join("..", "..", "examples", "ecommerce"), testkit.Today)
	if len(res.Threats) == 0 || len(res.Model.Components) == 0 {
		t.Errorf("the example gave %d threats over %d components", len(res.Threats), len(res.Model.Components))
	}
}

func TestSynth(t *testing.T) {
	m := testkit.Synth(t, synth.Options{Components: 10, Seed: 1})
	if len(m.Components) != 10 {
		t.Errorf("got %d components, want 10", len(m.Components))
	}
}
