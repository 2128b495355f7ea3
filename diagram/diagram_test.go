package diagram_test

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// views are the diagrams drawn of the example, each with golden files.
var views = []struct {
	name string
	opt  diagram.Options
}{
	{"ecommerce", diagram.Options{}},
	{"ecommerce-summary", diagram.Options{Summary: true}},
	{"ecommerce-zone-aws-account", diagram.Options{Zone: "aws-account"}},
	{"ecommerce-feature-fulfillment", diagram.Options{Feature: "fulfillment"}},
}

func TestGolden(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	for _, v := range views {
		g, err := diagram.Build(res, v.opt)
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		for ext, text := range map[string][]byte{"dot": g.DOT(), "mmd": g.Mermaid()} {
			t.Run(v.name+"."+ext, func(t *testing.T) {
				testkit.Golden(t, filepath.Join("testdata", v.name+"."+ext+".golden"), text, *update)
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	first, second := testkit.AnalyzeExample(t), testkit.AnalyzeExample(t)
	for _, v := range views {
		a, err := diagram.Build(first, v.opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := diagram.Build(second, v.opt)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.DOT(), b.DOT()) || !bytes.Equal(a.Mermaid(), b.Mermaid()) {
			t.Errorf("%s: two builds of the same model differ", v.name)
		}
	}
}

func TestUnknownSelection(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	tests := []struct {
		name string
		opt  diagram.Options
		is   error
		says []string
	}{
		{"feature", diagram.Options{Feature: "chekout"}, diagram.ErrUnknownFeature, []string{`"chekout"`, `did you mean "checkout"`, "checkout, fulfillment"}},
		{"zone", diagram.Options{Zone: "moon"}, diagram.ErrUnknownZone, []string{`"moon"`, "internet, aws-account, vpc, warehouse-network"}},
		{"two views", diagram.Options{Zone: "vpc", Summary: true}, diagram.ErrOptions, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := diagram.Build(res, tt.opt)
			if !errors.Is(err, tt.is) {
				t.Fatalf("Build: %v, want %v", err, tt.is)
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestFormatOf(t *testing.T) {
	tests := map[string]diagram.Format{
		"dfd.svg": diagram.SVG, "DFD.PNG": diagram.PNG, "a/b.dot": diagram.DOT, "x.gv": diagram.DOT,
		"x.mmd": diagram.Mermaid, "x.mermaid": diagram.Mermaid, "x.pdf": "", "x": "",
	}
	for path, want := range tests {
		got, ok := diagram.FormatOf(path)
		if got != want || ok != (want != "") {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
}
