package report_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/report"
)

// section returns the Markdown between "## name" and the next level-2
// heading, or "" when there is none.
func section(md, name string) string {
	_, rest, ok := strings.Cut(md, "\n## "+name+"\n")
	if !ok {
		return ""
	}
	body, _, _ := strings.Cut(rest, "\n## ")
	return body
}

func TestMarkdownSections(t *testing.T) {
	res := tiny()
	res.Threats[1].Status = engine.AcceptanceExpired
	md := string(render(t, report.Markdown, res, report.Options{}))

	checks := []struct{ section, want string }{
		// One unresolved threat in each of two cells: critical (easy ×
		// severe) and the expired acceptance, medium (moderate × problematic).
		{"Risk heat map", "| **Severe** | 0 · medium | 0 · high | **1** · critical |"},
		{"Risk heat map", "| **Problematic** | 0 · low | **1** · medium | 0 · high |"},
		{"Accepted risks", "| Insider exports orders (hand-1) | DB | high | CISO | 2026-06-30 | **expired** | Audited quarterly |"},
		{"Compliance summary", "### pci-dss\n\n1 requirement touched; 1 unresolved threat."},
		{"Compliance summary", "| 6.2.4 | 1 | 1 | SQL injection \\| union (1) |"},
	}
	for _, c := range checks {
		if got := section(md, c.section); !strings.Contains(got, c.want) {
			t.Errorf("section %q lacks %q:\n%s", c.section, c.want, got)
		}
	}
	// A model with no components has nothing to draw.
	if section(md, "Data-flow diagram") != "" {
		t.Errorf("a diagram section for a model without components:\n%s", md)
	}
}

func TestMarkdownDiagram(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	// Backticks in a name must not close the Mermaid block early.
	res.Model.Components[0].Name = "Order ``` API"
	got := section(string(render(t, report.Markdown, res, report.Options{})), "Data-flow diagram")
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) < 3 || !strings.HasSuffix(lines[0], "mermaid") {
		t.Fatalf("no Mermaid block:\n%s", got)
	}
	fence := strings.TrimSuffix(lines[0], "mermaid")
	if strings.Trim(fence, "`") != "" || lines[len(lines)-1] != fence {
		t.Fatalf("the block does not open and close with one fence:\n%s", got)
	}
	for _, l := range lines[1 : len(lines)-1] {
		if strings.HasPrefix(strings.TrimSpace(l), fence) {
			t.Errorf("line %q inside the block would close it", l)
		}
	}
	if !strings.Contains(got, "flowchart") {
		t.Errorf("the block is not a flowchart:\n%s", got)
	}
}
