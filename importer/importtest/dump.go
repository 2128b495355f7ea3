package importtest

import (
	"fmt"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// Dump renders an import result as compact, deterministic text for golden
// files: every element with its fields and its line:col.
func Dump(res *importer.Result) string {
	var b strings.Builder
	m := res.Model
	at := func(p model.Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }
	refs := func(rs []model.Ref) string {
		ids := make([]string, len(rs))
		for i, r := range rs {
			ids[i] = r.ID
		}
		return "[" + strings.Join(ids, " ") + "]"
	}
	props := func(ps model.Properties) string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = fmt.Sprintf("%s=%v", p.Name, p.Value)
		}
		return "{" + strings.Join(out, " ") + "}"
	}
	fmt.Fprintf(&b, "title: %s\nauthors: %v\ncreated: %s\nscope: %s (%s)\n", m.Title, m.Authors, m.Created, m.Scope.Statement, m.Scope.Covers)
	for _, a := range m.Assets {
		fmt.Fprintf(&b, "asset %s %q %s C=%s I=%s A=%s tags=%v @%s\n", a.ID, a.Name, a.Classification, a.Confidentiality, a.Integrity, a.Availability, a.Tags, at(a.Pos))
	}
	for _, a := range m.Actors {
		fmt.Fprintf(&b, "actor %s %q %s @%s\n", a.ID, a.Name, a.Kind, at(a.Pos))
	}
	for _, z := range m.Zones {
		fmt.Fprintf(&b, "zone %s %q trust=%s parent=%s @%s\n", z.ID, z.Name, z.Trust, z.Parent.ID, at(z.Pos))
	}
	for _, c := range m.Components {
		fmt.Fprintf(&b, "component %s %q kind=%s zone=%s props=%s stores=%s processes=%s tags=%v @%s\n",
			c.ID, c.Name, c.Kind, c.Zone.ID, props(c.Properties), refs(c.Stores), refs(c.Processes), c.Tags, at(c.Pos))
	}
	for _, f := range m.Flows {
		fmt.Fprintf(&b, "flow %s %q %s->%s protocol=%q auth=%s encrypted=%t initiator=%s data=%s props=%s @%s\n",
			f.ID, f.Name, f.From.ID, f.To.ID, f.Protocol, f.Authentication, f.Encrypted, f.Initiator, refs(f.Data), props(f.Properties), at(f.Pos))
	}
	for _, t := range m.Threats {
		fmt.Fprintf(&b, "threat %s %q target=%s stride=%v likelihood=%s impact=%s refs=%v @%s\n",
			t.ID, t.Title, t.Target.ID, t.Stride, t.Likelihood, t.Impact, t.References, at(t.Pos))
		if t.Scenario != "" {
			fmt.Fprintf(&b, "  scenario: %s\n", t.Scenario)
		}
	}
	for _, mi := range m.Mitigations {
		fmt.Fprintf(&b, "mitigation %s %q kind=%s status=%s ticket=%q owner=%q threats=%s @%s\n",
			mi.ID, mi.Title, mi.Kind, mi.Status, mi.Ticket, mi.Owner, refs(mi.Threats), at(mi.Pos))
	}
	for _, a := range m.Accepted {
		fmt.Fprintf(&b, "accepted %s owner=%q reason=%q until=%s @%s\n", a.Threat.ID, a.Owner, a.Reason, a.Until, at(a.Pos))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(&b, "warning %s: %s\n", at(w.Pos), w.Message)
	}
	return b.String()
}
