package diff_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/diff"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// base is a small model each case edits. Its lines are chosen so a case
// can replace one with strings.Replace.
const base = `title: Shop
assets:
  - {id: orders, classification: confidential, tags: [pii, pci]}
actors:
  - {id: crook, kind: external}
zones:
  - {id: net, trust: untrusted}
  - {id: vpc, trust: high}
components:
  - {id: web, kind: browser, zone: net}
  - id: queue
    name: Order queue
    kind: aws.sqs
    zone: vpc
    stores: [orders]
    properties: {encrypted_at_rest: true, message_signing: false}
  - {id: worker, kind: process, zone: vpc}
flows:
  - {from: web, to: queue, data: [orders], encrypted: true}
  - {from: queue, to: worker, data: [orders]}
mitigations:
  - {id: sign, title: Sign messages, kind: fix, status: planned, threats: [queue-message-tampering@queue]}
accepted:
  - {threat: datastore-accidental-deletion@queue, owner: ops, reason: backups, until: 2030-01-01}
features:
  - {id: checkout, components: [web, queue]}
`

func parse(t *testing.T, src string) *model.Model {
	t.Helper()
	m, err := model.ParseBytes("shop.ward.yaml", []byte(src))
	if err != nil {
		t.Fatalf("model does not load: %v\n%s", err, src)
	}
	return m
}

// edit applies old → new replacements to base, failing when one does not
// match, so a case cannot silently test nothing.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	src := base
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(src, pairs[i]) {
			t.Fatalf("base lacks %q", pairs[i])
		}
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	return src
}

// elementLines renders element changes compactly for comparison.
func elementLines(es []diff.Element) []string {
	var out []string
	for _, e := range es {
		line := string(e.Change) + " " + string(e.Category) + " " + e.ID
		for _, f := range e.Fields {
			name := f.Name
			if f.Property {
				name = "prop " + name
			}
			line += "; " + name + ": " + f.Old + " → " + f.New
		}
		out = append(out, line)
	}
	return out
}

func TestCompareElements(t *testing.T) {
	tests := []struct {
		name  string
		after []string // replacements applied to base
		want  []string
	}{
		{"unchanged", nil, nil},
		{"list order carries no meaning", []string{"tags: [pii, pci]", "tags: [pci, pii]"}, nil},
		{
			"component added",
			[]string{"  - {id: worker, kind: process, zone: vpc}\n", "  - {id: worker, kind: process, zone: vpc}\n  - {id: db, name: Orders DB, kind: aws.rds, zone: vpc}\n"},
			[]string{"added component db"},
		},
		{
			"component removed with its flow",
			[]string{"  - {id: worker, kind: process, zone: vpc}\n", "", "  - {from: queue, to: worker, data: [orders]}\n", ""},
			[]string{"removed component worker", "removed flow queue-to-worker"},
		},
		{
			"kind, zone and properties",
			[]string{"kind: aws.sqs\n    zone: vpc", "kind: aws.sns\n    zone: net", "{encrypted_at_rest: true, message_signing: false}", "{message_signing: true, logging: true}"},
			[]string{"changed component queue; kind: aws.sqs → aws.sns; zone: vpc → net; prop encrypted_at_rest: true → ; prop logging:  → true; prop message_signing: false → true"},
		},
		{
			"asset, actor and zone",
			[]string{"classification: confidential", "classification: restricted", "kind: external}", "kind: apt, capability: high}", "{id: vpc, trust: high}", "{id: vpc, trust: medium, parent: net}"},
			[]string{
				"changed asset orders; classification: confidential → restricted",
				"changed actor crook; kind: external → apt; capability:  → high",
				"changed zone vpc; trust: high → medium; parent:  → net",
			},
		},
		{
			"flow changed",
			[]string{"{from: web, to: queue, data: [orders], encrypted: true}", "{from: web, to: queue, data: [orders], encrypted: false, protocol: HTTP}"},
			[]string{"changed flow web-to-queue; protocol:  → HTTP; encrypted: true → false"},
		},
		{
			"mitigation, accepted risk and feature",
			[]string{"status: planned", "status: implemented", "until: 2030-01-01", "until: 2031-06-30", "components: [web, queue]", "components: [web, queue, worker]"},
			[]string{
				"changed mitigation sign; status: planned → implemented",
				"changed accepted-risk datastore-accidental-deletion@queue; until: 2030-01-01 → 2031-06-30",
				"changed feature checkout; components: queue, web → queue, web, worker",
			},
		},
		{
			"header",
			[]string{"title: Shop", "title: Shop v2\nreview_every: 90d"},
			[]string{"changed header ; title: Shop → Shop v2; review_every:  → 90d"},
		},
		{
			"added, removed and changed are grouped, each by id",
			[]string{
				"  - {id: web, kind: browser, zone: net}\n", "  - {id: b, kind: browser, zone: net}\n  - {id: a, kind: process, zone: net}\n",
				"  - {from: web, to: queue, data: [orders], encrypted: true}\n", "  - {from: b, to: queue, data: [orders], encrypted: true}\n",
				"components: [web, queue]", "components: [b, queue]",
				"kind: process, zone: vpc}", "kind: process, zone: net}",
			},
			[]string{
				"added component a", "added component b", "removed component web", "changed component worker; zone: vpc → net",
				"added flow b-to-queue", "removed flow web-to-queue",
				"changed feature checkout; components: queue, web → b, queue",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := &engine.Result{Model: parse(t, base)}
			after := &engine.Result{Model: parse(t, edit(t, tt.after...))}
			d := diff.Compare(before, after)
			if got := elementLines(d.Elements); !cmp.Equal(got, tt.want) {
				t.Errorf("elements (-want +got):\n%s", cmp.Diff(tt.want, got))
			}
			if d.Empty() != (len(tt.want) == 0) {
				t.Errorf("Empty() = %v with %d changes", d.Empty(), len(tt.want))
			}
		})
	}
}

func TestCompareElementPositions(t *testing.T) {
	before := parse(t, base)
	after := parse(t, edit(t, "  - {id: worker, kind: process, zone: vpc}\n", "  - {id: db, kind: aws.rds, zone: vpc}\n",
		"  - {from: queue, to: worker, data: [orders]}\n", ""))
	d := diff.Compare(&engine.Result{Model: before}, &engine.Result{Model: after})
	got := map[string]string{}
	for _, e := range d.Elements {
		got[string(e.Change)+" "+e.ID] = e.Pos.String()
	}
	// Added elements point into the new version, removed ones into the old.
	want := map[string]string{"added db": after.Component("db").Pos.String(), "removed worker": before.Component("worker").Pos.String(),
		"removed queue-to-worker": before.Flow("queue-to-worker").Pos.String()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
}

func TestMitigationStatuses(t *testing.T) {
	before := parse(t, base)
	after := parse(t, edit(t, "status: planned", "status: verified"))
	d := diff.Compare(&engine.Result{Model: before}, &engine.Result{Model: after})
	want := []diff.MitigationStatus{{ID: "sign", Title: "Sign messages", Pos: after.Mitigations[0].Pos, Old: model.Planned, New: model.Verified}}
	if diff := cmp.Diff(want, d.MitigationStatuses); diff != "" {
		t.Errorf("mitigation statuses (-want +got):\n%s", diff)
	}
}

// threat fabricates an engine threat: the threat diff reads only ids,
// severities, statuses and where the target is.
func threat(id string, sev risk.Severity, status engine.Status) *engine.Threat {
	rule, target, _ := strings.Cut(id, "@")
	return &engine.Threat{Info: &engine.Info{Title: "title of " + rule}, ID: id, Rule: rule, Target: target,
		TargetName: target, Severity: sev, Status: status}
}

func TestCompareThreats(t *testing.T) {
	before := &engine.Result{Threats: []*engine.Threat{
		threat("gone@a", risk.Low, engine.Open),
		threat("gone@b", risk.High, engine.Mitigated),
		threat("up@a", risk.Low, engine.Open),
		threat("down@a", risk.Critical, engine.Open),
		threat("fixed@a", risk.Medium, engine.Open),
		threat("same@a", risk.Medium, engine.Open),
		threat("both@a", risk.Low, engine.Mitigated),
	}}
	after := &engine.Result{Threats: []*engine.Threat{
		threat("new@z", risk.Medium, engine.Open),
		threat("new@a", risk.Critical, engine.Accepted),
		threat("up@a", risk.High, engine.Open),
		threat("down@a", risk.Medium, engine.Open),
		threat("fixed@a", risk.Medium, engine.Mitigated),
		threat("same@a", risk.Medium, engine.Open),
		threat("both@a", risk.High, engine.AcceptanceExpired),
	}}
	d := diff.Compare(before, after)
	show := func(ts []diff.Threat) []string {
		var out []string
		for _, t := range ts {
			s := t.ID
			if t.Old != nil {
				s += " " + string(t.Old.Severity) + "/" + string(t.Old.Status)
			}
			s += " →"
			if t.New != nil {
				s += " " + string(t.New.Severity) + "/" + string(t.New.Status)
			}
			out = append(out, s)
		}
		return out
	}
	checks := []struct {
		name string
		got  []diff.Threat
		want []string
	}{
		{"new, most severe first", d.NewThreats, []string{"new@a → critical/accepted", "new@z → medium/open"}},
		{"resolved, by old severity", d.Resolved, []string{"gone@b high/mitigated →", "gone@a low/open →"}},
		{"re-ranked, raised first", d.Reranked, []string{"both@a low/mitigated → high/acceptance-expired", "up@a low/open → high/open", "down@a critical/open → medium/open"}},
		{"status changed", d.StatusChanged, []string{"both@a low/mitigated → high/acceptance-expired", "fixed@a medium/open → medium/mitigated"}},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, show(c.got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
	if d.NewThreats[0].Title != "title of new" || d.NewThreats[0].Target != "a" {
		t.Errorf("new threat lost its details: %+v", d.NewThreats[0])
	}
	s := d.Summary()
	if s.Raised != 2 || s.Lowered != 1 || s.NewBySeverity[risk.Critical] != 1 {
		t.Errorf("summary %+v", s)
	}
}

func TestIntroduced(t *testing.T) {
	before := &engine.Result{Threats: []*engine.Threat{
		threat("raised@a", risk.Medium, engine.Open),
		threat("raised-within@a", risk.High, engine.Open),
		threat("raised-mitigated@a", risk.Low, engine.Mitigated),
		threat("raised-below@a", risk.Low, engine.Open),
		threat("lowered@a", risk.Critical, engine.Open),
		threat("reopened@a", risk.High, engine.Mitigated),
		threat("kept@a", risk.Critical, engine.Open),
	}}
	after := &engine.Result{Threats: []*engine.Threat{
		threat("new-high@a", risk.High, engine.Open),
		threat("new-planned@a", risk.Critical, engine.MitigationPlanned),
		threat("new-expired@a", risk.High, engine.AcceptanceExpired),
		threat("new-low@a", risk.Low, engine.Open),
		threat("new-mitigated@a", risk.Critical, engine.Mitigated),
		threat("new-accepted@a", risk.Critical, engine.Accepted),
		threat("raised@a", risk.High, engine.Open),
		threat("raised-within@a", risk.Critical, engine.Open),
		threat("raised-mitigated@a", risk.High, engine.Mitigated),
		threat("raised-below@a", risk.Medium, engine.Open),
		threat("lowered@a", risk.High, engine.Open),
		threat("reopened@a", risk.High, engine.Open),
		threat("kept@a", risk.Critical, engine.Open),
	}}
	d := diff.Compare(before, after)
	tests := []struct {
		floor risk.Severity
		want  []string
	}{
		{risk.Critical, []string{"new-planned@a", "raised-within@a"}},
		{risk.High, []string{"new-planned@a", "raised-within@a", "new-expired@a", "new-high@a", "raised@a"}},
		{risk.Low, []string{"new-planned@a", "raised-within@a", "new-expired@a", "new-high@a", "raised@a", "raised-below@a", "new-low@a"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.floor), func(t *testing.T) {
			var got []string
			for _, th := range d.Introduced(tt.floor) {
				got = append(got, th.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Introduced(%s) (-want +got):\n%s", tt.floor, diff)
			}
		})
	}
}

// TestPropertyResolvesThreat analyses two versions: signing the queue's
// messages resolves the tampering threat, and the mitigation that answered
// it now answers nothing.
func TestPropertyResolvesThreat(t *testing.T) {
	before := testkit.Analyze(t, parse(t, base), testkit.Today)
	after := testkit.Analyze(t, parse(t, edit(t, "message_signing: false", "message_signing: true")), testkit.Today)
	d := diff.Compare(before, after)
	var resolved []string
	for _, th := range d.Resolved {
		resolved = append(resolved, th.ID)
	}
	if !cmp.Equal(resolved, []string{"queue-message-tampering@queue"}) {
		t.Errorf("resolved %v, want [queue-message-tampering@queue]", resolved)
	}
	if len(d.NewThreats) != 0 {
		t.Errorf("new threats %v, want none", d.NewThreats)
	}
	if got := elementLines(d.Elements); !cmp.Equal(got, []string{"changed component queue; prop message_signing: false → true"}) {
		t.Errorf("elements %v", got)
	}
}

func TestSummaryString(t *testing.T) {
	tests := []struct {
		name string
		s    diff.Summary
		want string
	}{
		{"nothing", diff.Summary{}, "No changes."},
		{"one new", diff.Summary{NewThreats: 1, NewBySeverity: map[risk.Severity]int{risk.High: 1}}, "1 new threat (1 high)."},
		{
			"everything",
			diff.Summary{NewThreats: 3, NewBySeverity: map[risk.Severity]int{risk.Low: 1, risk.Critical: 2}, Resolved: 2, Raised: 1, Lowered: 2,
				StatusChanged: 1, MitigationStatuses: 2, Added: 1, Removed: 2, Changed: 3},
			"3 new threats (2 critical, 1 low), 2 resolved, 3 re-ranked (1 up, 2 down), 1 threat status change; 2 mitigation status changes; model: 1 element added, 2 removed, 3 changed.",
		},
		{"model only", diff.Summary{Changed: 1}, "No threat changes; model: 1 element changed."},
		{"mitigations only", diff.Summary{MitigationStatuses: 1}, "1 mitigation status change."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.String(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var b strings.Builder
	err := diff.Write(&b, "yaml", diff.Compare(nil, nil), diff.Options{})
	if err == nil || !strings.Contains(err.Error(), "table, json, markdown") {
		t.Fatalf("error %v, want one naming the formats", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %q for an unknown format", b.String())
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{"changes.json": diff.JSON, "PR.MD": diff.Markdown, "diff.txt": diff.Table, "x.html": ""} {
		if got, ok := diff.FormatOf(path); got != want || ok != (want != "") {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
}
