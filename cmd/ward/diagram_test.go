package main

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/synth"
)

const diagramExample = "../../examples/ecommerce"

func TestDiagramFormats(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		args  []string
		file  string // the output file, "" for stdout
		check func(t *testing.T, out []byte)
	}{
		{"svg by extension", []string{"-o", "dfd.svg"}, "dfd.svg", func(t *testing.T, out []byte) {
			if err := xml.Unmarshal(out, new(struct{})); err != nil {
				t.Errorf("not XML: %v", err)
			}
			for _, want := range []string{"Order API", "Warehouse Management System", "Order VPC · trust: high", "receiver pulls"} {
				if !bytes.Contains(out, []byte(want)) {
					t.Errorf("SVG lacks %q", want)
				}
			}
		}},
		{"png by extension", []string{"-o", "dfd.png", "--zone", "vpc"}, "dfd.png", func(t *testing.T, out []byte) {
			img, err := png.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if img.Bounds().Dx() < 200 {
				t.Errorf("PNG only %v", img.Bounds())
			}
		}},
		{"dot by extension", []string{"-o", "dfd.dot", "--feature", "checkout"}, "dfd.dot", func(t *testing.T, out []byte) {
			if !bytes.HasPrefix(out, []byte(`digraph "Acme e-commerce — feature Checkout" {`)) {
				t.Errorf("not the checkout feature's DOT:\n%.200s", out)
			}
		}},
		{"mermaid by extension", []string{"-o", "dfd.mmd", "--summary"}, "dfd.mmd", func(t *testing.T, out []byte) {
			if !bytes.Contains(out, []byte("flowchart LR")) || !bytes.Contains(out, []byte("trust zones")) {
				t.Errorf("not the summary's Mermaid:\n%.300s", out)
			}
		}},
		{"format overrides extension", []string{"-o", "dfd.txt", "--format", "dot"}, "dfd.txt", func(t *testing.T, out []byte) {
			if !bytes.HasPrefix(out, []byte("digraph ")) {
				t.Errorf("not DOT:\n%.200s", out)
			}
		}},
		{"stdout is mermaid", nil, "", func(t *testing.T, out []byte) {
			if !bytes.HasPrefix(out, []byte("---\ntitle: \"Acme e-commerce\"\n---\nflowchart LR\n")) {
				t.Errorf("stdout is not Mermaid:\n%.200s", out)
			}
		}},
		{"png to a pipe", []string{"--format", "png"}, "", func(t *testing.T, out []byte) {
			if _, err := png.Decode(bytes.NewReader(out)); err != nil {
				t.Errorf("not a PNG: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"diagram", diagramExample, "--today", "2026-01-01"}
			for _, a := range tt.args {
				if strings.Contains(a, ".") {
					a = filepath.Join(dir, a)
				}
				args = append(args, a)
			}
			code, stdout, stderr := ward(t, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			out := []byte(stdout)
			if tt.file != "" {
				var err error
				if out, err = os.ReadFile(filepath.Join(dir, tt.file)); err != nil {
					t.Fatal(err)
				}
				if stdout != "" {
					t.Errorf("stdout not empty with -o: %.100q", stdout)
				}
			}
			tt.check(t, out)
		})
	}
}

func TestDiagramErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr []string
	}{
		{"unknown zone", []string{"diagram", diagramExample, "--zone", "vcp"}, []string{`unknown zone "vcp"`, `did you mean "vpc"`, "internet, aws-account, vpc, warehouse-network"}},
		{"unknown feature", []string{"diagram", diagramExample, "--feature", "billing"}, []string{`unknown feature "billing"`, "checkout, fulfillment"}},
		{"two views", []string{"diagram", diagramExample, "--zone", "vpc", "--summary"}, []string{"give one of --feature, --zone and --summary"}},
		{"unknown extension", []string{"diagram", diagramExample, "-o", "dfd.pdf"}, []string{"cannot tell the format", ".svg, .png, .dot or .mmd"}},
		{"unknown format", []string{"diagram", diagramExample, "--format", "jpeg"}, []string{`unknown format "jpeg"`, "dot, mermaid, svg, png"}},
		{"invalid model", []string{"diagram", "testdata/invalid.ward.yaml"}, []string{"testdata/invalid.ward.yaml:4:11: unknown component kind"}},
		{"no path", []string{"diagram"}, []string{"want 1 argument"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := ward(t, tt.args...)
			if code != exitInvalid {
				t.Fatalf("exit %d, want %d: %s", code, exitInvalid, stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}

// TestDiagramKeepsOldFile checks a failed run leaves -o's file as it was,
// with no temporary file beside it.
func TestDiagramKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dfd.svg")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := ward(t, "diagram", diagramExample, "--zone", "moon", "-o", path); code != exitInvalid {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "old" {
		t.Errorf("file now %q (%v), want it untouched", got, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only dfd.svg", len(entries))
	}
}

// TestDiagramTooLarge checks a picture of a large model is refused at
// once with the commands that draw it, while its summary is drawn.
func TestDiagramTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses a 1,000-component model")
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "big.ward.yaml")
	f, err := os.Create(model)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.Model(f, synth.Options{Components: 1000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "dfd.svg")
	code, _, stderr := ward(t, "diagram", model, "-o", out)
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d: %s", code, exitInvalid, stderr)
	}
	for _, want := range []string{"too large to lay out", "1000 boxes", "--summary", "--zone", "--format dot"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("refused run left %s behind", out)
	}
	if code, _, stderr := ward(t, "diagram", model, "--summary", "-o", out); code != exitOK {
		t.Fatalf("summary: exit %d: %s", code, stderr)
	}
	if code, _, stderr := ward(t, "diagram", model, "-o", filepath.Join(dir, "dfd.dot")); code != exitOK {
		t.Fatalf("DOT has no limit; exit %d: %s", code, stderr)
	}
}
