// Package testkit holds helpers shared by the tests of several packages:
// analysing a model, above all the e-commerce example, on a fixed day.
// Only tests import it.
package testkit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
	"github.com/wardsec/ward/synth"
)

// Today is the day accepted risks are judged by, so goldens do not age.
var Today = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Analyze runs the built-in rule library over m as of now.
func Analyze(t testing.TB, m *model.Model, now time.Time) *engine.Result {
	t.Helper()
	lib, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Analyze(m, lib, engine.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// AnalyzeDir loads the model at path and analyses it as of now. Keep path
// relative so locations in the output carry no machine-specific prefix.
func AnalyzeDir(t testing.TB, path string, now time.Time) *engine.Result {
	t.Helper()
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return Analyze(t, m, now)
}

// AnalyzeExample analyses the e-commerce example as of Today, for a test
// run in a package directory one level below the module root.
func AnalyzeExample(t testing.TB) *engine.Result {
	t.Helper()
	return AnalyzeDir(t, filepath.Join("..", "examples", "ecommerce"), Today)
}

// Synth parses the synthetic model opt describes.
func Synth(t testing.TB, opt synth.Options) *model.Model {
	t.Helper()
	var src bytes.Buffer
	if err := synth.Model(&src, opt); err != nil {
		t.Fatal(err)
	}
	m, err := model.ParseBytes("synth.ward.yaml", src.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Golden compares got with the golden file at path, writing the file
// first when update is set (tests pass their -update flag).
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { //nolint:gosec // golden files are committed, readable by all
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil { //nolint:gosec // golden files are committed, readable by all
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}
