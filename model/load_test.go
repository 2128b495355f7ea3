package model_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/model"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// relProblems returns err's lines with dir's path made relative.
func relProblems(t *testing.T, err error, dir string) []string {
	t.Helper()
	if !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("want an error wrapping ErrInvalid, got %v", err)
	}
	return strings.Split(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), "\n")
}

func TestLoadDirMerges(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.ward.yaml": `title: Shop
created: 2024-01-01
assets:
  - {id: order, classification: confidential}
zones:
  - {id: internet, trust: untrusted}
`,
		// References cross files: the flow's destination is in another file.
		"web/web.ward.yaml": `components:
  - {id: browser, kind: browser, zone: internet}
flows:
  - {from: browser, to: api, data: [order]}
`,
		"api.ward.yaml": `zones:
  - {id: vpc, trust: high}
components:
  - {id: api, kind: aws.lambda, zone: vpc, processes: [order]}
`,
		"notes.yaml":                   "not: [a model file",
		".hidden/skipped.ward.yaml":    "title: ignored",
		"web/README.md":                "# not a model",
		"web/.editor/backup.ward.yaml": ": broken",
	})
	m, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range m.Files {
		rel, _ := filepath.Rel(dir, f)
		files = append(files, filepath.ToSlash(rel))
	}
	if diff := cmp.Diff([]string{"api.ward.yaml", "main.ward.yaml", "web/web.ward.yaml"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if m.Title != "Shop" || m.Created.String() != "2024-01-01" {
		t.Errorf("header: title %q, created %s", m.Title, m.Created)
	}
	if len(m.Components) != 2 || len(m.Zones) != 2 || len(m.Flows) != 1 || m.Flow("browser-to-api") == nil {
		t.Errorf("merged %d components, %d zones, %d flows", len(m.Components), len(m.Zones), len(m.Flows))
	}
	if c := m.Component("browser"); c == nil || !strings.HasSuffix(c.Pos.File, "web.ward.yaml") || c.Pos.Line != 2 {
		t.Errorf("browser position: %+v", c)
	}
}

func TestLoadDirHeaderTwice(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.ward.yaml": "title: Shop\nreview_every: 90d\ncomponents:\n  - {id: api, kind: process}\n",
		"b.ward.yaml": "title: Shop again\nreview_every: 30d\ncomponents:\n  - {id: api, kind: process}\n",
	})
	_, err := model.Load(dir)
	// Header fields are reported at the start of the second file, not at
	// their keys.
	want := []string{
		"b.ward.yaml:1:1: title is already set in a.ward.yaml:1:1",
		"b.ward.yaml:1:1: review_every is already set in a.ward.yaml:1:1",
		`b.ward.yaml:4:6: duplicate element id "api" (first at a.ward.yaml:4:6)`,
	}
	got := relProblems(t, err, dir)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestLoadMissing(t *testing.T) {
	dir := t.TempDir()
	if _, err := model.Load(filepath.Join(dir, "nope.ward.yaml")); !errors.Is(err, model.ErrInvalid) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := model.Load(dir); !errors.Is(err, model.ErrNoModel) || !errors.Is(err, model.ErrInvalid) {
		t.Errorf("empty directory: %v", err)
	}
}

// TestHostileInputs feeds inputs built to exhaust a YAML reader. Each must
// fail fast with a clear, positioned message.
func TestHostileInputs(t *testing.T) {
	// Anchors go where the decoder reads any value: a custom property.
	laughs := func(levels int) string {
		var b strings.Builder
		b.WriteString("title: t\ncomponents:\n  - id: c\n    kind: process\n    properties:\n")
		b.WriteString("      x-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
		for i := 1; i < levels; i++ {
			fmt.Fprintf(&b, "      x-%d: &a%d [", i, i)
			for j := range 9 {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "*a%d", i-1)
			}
			b.WriteString("]\n")
		}
		return b.String()
	}
	indented := func(depth int) string {
		var b strings.Builder
		b.WriteString("title: t\ncomponents:\n  - id: c\n    kind: process\n    properties:\n      x-deep:\n")
		for i := 1; i <= depth; i++ {
			b.WriteString(strings.Repeat(" ", 6+i) + "k:\n")
		}
		return b.String()
	}
	// Deep values go where the decoder reads any value: a custom property.
	prop := "title: t\ncomponents:\n  - id: c\n    kind: process\n    properties:\n      x-deep: "
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*131 + i/7)
	}
	tests := []struct {
		name  string
		src   string
		limit int64 // MaxBytes; 0 keeps the default
		want  string
	}{
		{"billion laughs", laughs(10), 0, "aliases expand to more than twice the file's size"},
		{"deep flow sequences", prop + strings.Repeat("[", 9_000) + strings.Repeat("]", 9_000) + "\n", 0, "nesting deeper than the limit of 64"},
		{"deep flow mappings", prop + strings.Repeat("{a: ", 9_000) + "1" + strings.Repeat("}", 9_000) + "\n", 0, "nesting deeper than the limit of 64"},
		{"flow nesting past the parser's own limit", prop + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + "\n", 0, "invalid YAML: exceeded max depth of 10000"},
		{"deep block mappings", indented(5000), 0, "indented past column 1024, the limit"},
		{"deep block mappings, fewer", indented(500), 0, "nesting deeper than the limit of 64"},
		{"deep block sequences", prop + "\n        " + strings.Repeat("- ", 5000) + "a\n", 0, "nesting deeper than the limit of 64"},
		{"over the size limit", "title: t\n" + strings.Repeat("# padding\n", 200), 1000, "file is larger than the limit of 1000 bytes"},
		{"several documents", "title: t\n---\ntitle: u\n", 0, "a model file holds one YAML document"},
		{"empty file", "", 0, "file is empty"},
		{"only comments", "# nothing here\n", 0, "file is empty"},
		{"binary garbage", string(garbage), 0, "invalid YAML: control characters are not allowed"},
		{"unterminated quote", "title: \"t\n", 0, "invalid YAML"},
		{"tabs for indentation", "title: t\nzones:\n\t- id: z\n", 0, "invalid YAML"},
		{"scalar document", "just text\n", 0, "model must be a mapping of keys to values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "h.ward.yaml")
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			lim := model.DefaultLimits
			if tt.limit > 0 {
				lim.MaxBytes = tt.limit
			}
			start := time.Now()
			_, err := model.LoadWith(path, lim)
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v, want under a second", took)
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Fatalf("want an error wrapping ErrInvalid, got %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), path+":") && err.Error() != path+": "+tt.want {
				t.Errorf("error %q does not start with the file's position", err)
			}
		})
	}
}

func TestMergeKeys(t *testing.T) {
	m, err := model.ParseBytes("m.ward.yaml", []byte(`title: merge
x-lambda: &lambda
  kind: aws.lambda
  zone: vpc
  properties: {logging: true}
zones: [{id: vpc, trust: high}, {id: edge, trust: low}]
components:
  - <<: *lambda
    id: a
  - <<: [*lambda, {name: Bee}]
    id: b
    zone: edge
`))
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.Component("a"), m.Component("b")
	if a.Kind != "aws.lambda" || a.Zone.ID != "vpc" || !a.Properties.Bool("logging") {
		t.Errorf("a did not take the merged keys: %+v", a)
	}
	if b.Zone.ID != "edge" || b.Name != "Bee" || b.Kind != "aws.lambda" {
		t.Errorf("b: its own keys must win over merged ones: %+v", b)
	}

	_, err = model.ParseBytes("m.ward.yaml", []byte("title: t\ncomponents:\n  - <<: 3\n    id: a\n    kind: process\n"))
	if err == nil || !strings.Contains(err.Error(), "m.ward.yaml:3:9: a merge key takes a mapping or a list of mappings") {
		t.Errorf("want a positioned merge error, got %v", err)
	}
}
