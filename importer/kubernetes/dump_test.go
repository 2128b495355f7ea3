package kubernetes_test

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// dump renders an import result as compact, deterministic text for golden
// comparison. Positions are written relative to base so the golden files
// do not depend on where the repository is checked out.
func dump(res *importer.Result, base string) string {
	var b strings.Builder
	m := res.Model
	pos := func(p model.Pos) string {
		rel, err := filepath.Rel(base, p.File)
		if err != nil {
			rel = p.File
		}
		return fmt.Sprintf("%s:%d:%d", filepath.ToSlash(rel), p.Line, p.Col)
	}
	refs := func(rs []model.Ref) string {
		ids := make([]string, len(rs))
		for i, r := range rs {
			ids[i] = r.ID
		}
		return strings.Join(ids, ",")
	}
	fmt.Fprintf(&b, "title: %s\n", m.Title)
	for _, z := range m.Zones {
		fmt.Fprintf(&b, "zone %s %q trust=%s parent=%s @%s\n", z.ID, z.Name, z.Trust, z.Parent.ID, pos(z.Pos))
	}
	for _, a := range m.Assets {
		fmt.Fprintf(&b, "asset %s %q %s tags=%s @%s\n", a.ID, a.Name, a.Classification, strings.Join(a.Tags, ","), pos(a.Pos))
	}
	for _, c := range m.Components {
		fmt.Fprintf(&b, "component %s kind=%s zone=%s name=%q @%s\n", c.ID, c.Kind, c.Zone.ID, c.Name, pos(c.Pos))
		fmt.Fprintf(&b, "  description: %s\n", c.Description)
		for _, p := range c.Properties {
			fmt.Fprintf(&b, "  %s=%v @%s\n", p.Name, p.Value, pos(p.Pos))
		}
		if len(c.Stores) > 0 {
			fmt.Fprintf(&b, "  stores: %s\n", refs(c.Stores))
		}
		if len(c.Processes) > 0 {
			fmt.Fprintf(&b, "  processes: %s\n", refs(c.Processes))
		}
	}
	for _, f := range m.Flows {
		fmt.Fprintf(&b, "flow %s: %s -> %s protocol=%s encrypted=%t auth=%s initiator=%s data=%s @%s\n",
			f.ID, f.From.ID, f.To.ID, f.Protocol, f.Encrypted, f.Authentication, f.Initiator, refs(f.Data), pos(f.Pos))
		fmt.Fprintf(&b, "  description: %s\n", f.Description)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(&b, "warning %s: %s\n", pos(w.Pos), w.Message)
	}
	return b.String()
}
