package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestCIExamples runs every ward command line of the CI examples in docs/ci
// on the e-commerce example, so the examples never drift from the CLI.
func TestCIExamples(t *testing.T) {
	for _, name := range []string{"github-actions.yml", "gitlab-ci.yml"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../../docs/ci", name))
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("not YAML: %v", err)
			}
			var lines []string
			collectWardLines(doc, &lines)
			if len(lines) < 2 {
				t.Fatalf("found %d ward command lines, want a report and a check", len(lines))
			}
			dir := t.TempDir()
			for _, line := range lines {
				for _, feature := range []string{"checkout", "fulfillment"} {
					args := ciArgs(line, feature, dir)
					code, _, stderr := ward(t, args...)
					if code != exitOK && code != exitGate {
						t.Errorf("%q exited %d: %s", strings.Join(args, " "), code, stderr)
					}
				}
			}
		})
	}
}

// collectWardLines finds the strings that start with "ward " anywhere in a
// parsed YAML document.
func collectWardLines(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		for _, line := range strings.Split(v, "\n") {
			if line = strings.TrimSpace(line); strings.HasPrefix(line, "ward ") {
				*out = append(*out, line)
			}
		}
	case []any:
		for _, e := range v {
			collectWardLines(e, out)
		}
	case map[string]any:
		for _, e := range v {
			collectWardLines(e, out)
		}
	}
}

// ciArgs turns a CI command line into arguments: the model variable becomes
// the example, the feature variable a feature, and outputs land in dir.
func ciArgs(line, feature, dir string) []string {
	r := strings.NewReplacer(`"`, "", "$MODEL", "../../examples/ecommerce",
		"${{ matrix.feature }}", feature, "$FEATURE", feature)
	args := strings.Fields(r.Replace(line))[1:]
	for i := range args {
		if i > 0 && (args[i-1] == "-o" || args[i-1] == "--output") {
			args[i] = filepath.Join(dir, args[i])
		}
	}
	return args
}
