package engine_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/rules"
	"github.com/wardsec/ward/synth"
)

// pack is a tiny library: one component rule with rating adjustments and
// one flow rule.
const pack = `rules:
  - id: t-open-store
    title: Open store
    stride: [information-disclosure]
    applies_to: [datastore]
    when: "!element.props.encrypted_at_rest"
    actors: [external, malicious-insider]
    likelihood:
      level: moderate
      adjust:
        - {when: element.props.public, level: easy, because: anyone can reach it}
    impact:
      level: problematic
    scenario: "{{.Actor}} reads {{.Assets}} from {{.Target}}."
    mitigations: [{kind: fix, title: Encrypt it}]
  - id: t-cleartext
    title: Cleartext flow
    stride: [tampering]
    applies_to: [flow]
    when: "!element.encrypted"
    actors: [external]
    likelihood: {level: easy}
    impact: {level: inconvenient}
    scenario: "{{.Actor}} alters {{.Assets}} between {{.From}} and {{.To}} over {{.Protocol}}."
    mitigations: [{kind: fix, title: Use TLS}]
`

func library(t *testing.T) *rules.Library {
	t.Helper()
	lib, err := rules.Parse("pack.yaml", []byte(pack))
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func analyze(t *testing.T, src string, opt engine.Options) *engine.Result {
	t.Helper()
	m, err := model.ParseBytes("m.ward.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if opt.Now.IsZero() {
		opt.Now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	}
	res, err := engine.Analyze(m, library(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byID(res *engine.Result) map[string]*engine.Threat {
	out := map[string]*engine.Threat{}
	for _, th := range res.Threats {
		out[th.ID] = th
	}
	return out
}

const base = `title: t
assets: [{id: cards, name: Card data, classification: restricted}]
actors: [{id: mallory, name: Mallory, kind: malicious-insider}]
components:
  - {id: app, kind: process}
  - {id: s1, kind: database, stores: [cards]}
  - {id: s2, kind: database, stores: [cards], properties: {public: true}}
  - {id: s3, kind: database, properties: {encrypted_at_rest: true}}
  - {id: s4, kind: database}
  - {id: s5, kind: database}
flows:
  - {from: app, to: s1, protocol: HTTP, data: [cards]}
  - {from: app, to: s3, protocol: HTTPS, encrypted: true}
`

func TestFindsAndRates(t *testing.T) {
	res := analyze(t, base, engine.Options{})
	got := byID(res)
	if _, ok := got["t-open-store@s3"]; ok {
		t.Error("rule fired on an encrypted store")
	}
	s1 := got["t-open-store@s1"]
	if s1 == nil {
		t.Fatalf("no threat on s1; got %v", keys(got))
	}
	want := &engine.Threat{
		Info: &engine.Info{Title: "Open store", Actor: "Mallory", ActorKind: model.MaliciousInsider, Actors: []string{"Mallory"},
			Stride: []model.Stride{model.InformationDisclosure}, References: []string{}},
		ID: "t-open-store@s1", Rule: "t-open-store", Target: "s1", TargetName: "s1",
		TargetKind: "database", Location: model.Pos{File: "m.ward.yaml", Line: 6, Col: 6},
		Scenario:   "Mallory reads Card data from s1.",
		Likelihood: risk.Moderate, Impact: risk.Problematic, BaseSeverity: risk.Medium, Severity: risk.Medium,
		Status: engine.Open, Evidence: []string{"encrypted_at_rest=false (not set)"},
		Mitigations: []engine.Mitigation{{Title: "Encrypt it", Kind: model.Fix, Status: engine.SuggestedStatus}},
	}
	if diff := cmp.Diff(want, s1, cmp.Comparer(func(a, b []string) bool { return strings.Join(a, "|") == strings.Join(b, "|") })); diff != "" {
		t.Errorf("threat on s1 (-want +got):\n%s", diff)
	}
	if s2 := got["t-open-store@s2"]; s2 == nil || s2.Likelihood != risk.Easy || s2.Severity != risk.High || len(s2.Rationale) != 1 {
		t.Errorf("public store not adjusted to easy/high: %+v", s2)
	}
	flow := got["t-cleartext@app-to-s1"]
	if flow == nil || flow.Scenario != "Mallory alters Card data between app and s1 over HTTP." && flow.Actor != "External adversary" {
		t.Errorf("flow threat: %+v", flow)
	}
	if flow != nil && flow.Actor != "External adversary" {
		t.Errorf("flow actor %q: the model has no external actor, so the kind's name is shown", flow.Actor)
	}
}

func keys(m map[string]*engine.Threat) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestStatus(t *testing.T) {
	src := base + `
mitigations:
  - {id: m1, title: Encrypt s1, kind: fix, status: implemented, threats: [t-open-store@s1]}
  - {id: m2, title: Encrypt s2, kind: fix, status: planned, threats: [t-open-store@s2]}
  - {id: m3, title: Maybe encrypt s4, kind: fix, status: proposed, threats: [t-open-store@s4]}
  - {id: m4, title: TLS everywhere, kind: fix, status: verified, rules: [t-cleartext], targets: [app-to-s1]}
accepted:
  - {threat: t-open-store@s4, owner: cto, reason: test data only, until: 2026-12-31}
  - {threat: t-open-store@s5, owner: cto, reason: decommissioned soon, until: 2026-01-31}
`
	got := byID(analyze(t, src, engine.Options{}))
	want := map[string]engine.Status{
		"t-open-store@s1":       engine.Mitigated,
		"t-open-store@s2":       engine.MitigationPlanned,
		"t-open-store@s4":       engine.Accepted,
		"t-open-store@s5":       engine.AcceptanceExpired,
		"t-cleartext@app-to-s1": engine.Mitigated,
	}
	for id, st := range want {
		if got[id] == nil || got[id].Status != st {
			t.Errorf("%s: status %v, want %s", id, got[id], st)
		}
	}
	if ms := got["t-open-store@s1"].Mitigations; len(ms) != 1 || ms[0].ID != "m1" || !ms[0].FromModel {
		t.Errorf("model mitigation should replace suggestions: %+v", ms)
	}
	if !got["t-open-store@s2"].Status.Unresolved() || got["t-open-store@s4"].Status.Unresolved() {
		t.Error("planned must stay unresolved; accepted must not")
	}
}

func TestDoomsdayLifts(t *testing.T) {
	src := base + `
doomsday:
  - {id: card-dump, title: Card data published, assets: [cards], loss: [confidentiality]}
`
	got := byID(analyze(t, src, engine.Options{}))
	s1 := got["t-open-store@s1"]
	if s1.BaseSeverity != risk.Medium || s1.Severity != risk.High || s1.Doomsday[0] != "card-dump" {
		t.Errorf("not lifted: %+v", s1)
	}
	if !strings.Contains(strings.Join(s1.Rationale, ";"), "raised from medium") {
		t.Errorf("lift not explained: %v", s1.Rationale)
	}
	// Tampering cannot cause a confidentiality loss.
	if f := got["t-cleartext@app-to-s1"]; f.Severity != f.BaseSeverity {
		t.Errorf("tampering lifted by a confidentiality doomsday: %+v", f)
	}
	// No card data on s4: no lift.
	if s4 := got["t-open-store@s4"]; s4.Severity != risk.Medium {
		t.Errorf("s4 lifted without holding the asset: %+v", s4)
	}
}

func TestCustomMatrix(t *testing.T) {
	src := base + `
risk:
  matrix:
    problematic: [critical, critical, critical]
`
	got := byID(analyze(t, src, engine.Options{}))
	if s := got["t-open-store@s1"].Severity; s != risk.Critical {
		t.Errorf("severity %s, want critical from the model's matrix", s)
	}
}

func TestHandWrittenThreat(t *testing.T) {
	src := base + `
threats:
  - id: insider-export
    title: Insider exports cards
    target: s3
    stride: [information-disclosure]
    actor: mallory
    likelihood: easy
    impact: severe
mitigations:
  - {id: dlp, title: DLP alerts, kind: monitoring, status: implemented, threats: [insider-export]}
`
	got := byID(analyze(t, src, engine.Options{}))
	th := got["insider-export"]
	if th == nil || th.Rule != "" || th.Severity != risk.Critical || th.Actor != "Mallory" || th.Status != engine.Mitigated {
		t.Fatalf("hand-written threat: %+v", th)
	}
}

func TestDanglingReferences(t *testing.T) {
	m, err := model.ParseBytes("m.ward.yaml", []byte(base+`
mitigations:
  - {id: m1, title: x, kind: fix, status: planned, rules: [t-open-stor]}
  - {id: m2, title: x, kind: fix, status: planned, threats: [t-cleartext@s1]}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = engine.Analyze(m, library(t), engine.Options{})
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), `m.ward.yaml:16:60: unknown rule "t-open-stor"`) {
		t.Fatalf("want a positioned unknown-rule error, got %v", err)
	}

	res := analyze(t, base+`
mitigations:
  - {id: m2, title: x, kind: fix, status: planned, threats: [t-cleartext@s1]}
`, engine.Options{})
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].String(), `answers threat "t-cleartext@s1", which the analysis did not find`) {
		t.Fatalf("want one warning, got %v", res.Warnings)
	}
}

// TestDeterministic checks ids and order do not depend on scheduling.
func TestDeterministic(t *testing.T) {
	var src strings.Builder
	src.WriteString(base)
	src.WriteString("  - {from: s4, to: s5, protocol: HTTP}\n")
	one := analyze(t, src.String(), engine.Options{Workers: 1})
	for range 5 {
		many := analyze(t, src.String(), engine.Options{Workers: 8})
		if len(one.Threats) != len(many.Threats) {
			t.Fatalf("%d threats with 1 worker, %d with 8", len(one.Threats), len(many.Threats))
		}
		for i := range one.Threats {
			if one.Threats[i].ID != many.Threats[i].ID {
				t.Fatalf("order differs at %d: %s vs %s", i, one.Threats[i].ID, many.Threats[i].ID)
			}
		}
	}
}

// TestLargeModelParallel runs the parallel paths (context building and
// rule evaluation split in chunks) on a model big enough to use them, so
// `go test -race` checks them, and compares with a single worker.
func TestLargeModelParallel(t *testing.T) {
	var b strings.Builder
	if err := synth.Model(&b, synth.Options{Components: 3000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	m, err := model.ParseBytes("big.ward.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	one, err := engine.Analyze(m, lib, engine.Options{Now: now, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	many, err := engine.Analyze(m, lib, engine.Options{Now: now, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Threats) < 3000 || len(one.Threats) != len(many.Threats) {
		t.Fatalf("%d threats with 1 worker, %d with 4", len(one.Threats), len(many.Threats))
	}
	for i := range one.Threats {
		if one.Threats[i].ID != many.Threats[i].ID || one.Threats[i].Scenario != many.Threats[i].Scenario {
			t.Fatalf("threat %d differs: %s vs %s", i, one.Threats[i].ID, many.Threats[i].ID)
		}
	}
}

func TestSupersedes(t *testing.T) {
	lib := library(t)
	refined, err := rules.Parse("refined.yaml", []byte(`rules:
  - id: t-open-database
    title: Open database
    stride: [information-disclosure]
    applies_to: [database]
    when: "!element.props.encrypted_at_rest && element.classification_level >= 3"
    actors: [external]
    likelihood: {level: easy}
    impact: {level: severe}
    scenario: "{{.Actor}} dumps {{.Target}}."
    mitigations: [{kind: fix, title: Encrypt the database}]
    supersedes: [t-open-store]
`))
	if err != nil {
		t.Fatal(err)
	}
	lib = lib.Clone()
	if err := lib.Merge(refined); err != nil {
		t.Fatal(err)
	}
	m, err := model.ParseBytes("m.ward.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Analyze(m, lib, engine.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	got := byID(res)
	if got["t-open-database@s1"] == nil || got["t-open-store@s1"] != nil {
		t.Errorf("on s1 (restricted data) the refined rule must replace the generic one: %v", keys(got))
	}
	if got["t-open-store@s4"] == nil {
		t.Errorf("on s4 (no data) the refined rule does not fire, so the generic one stays: %v", keys(got))
	}

	bad, err := rules.Parse("bad.yaml", []byte(`rules:
  - id: t-x
    title: X
    stride: [tampering]
    applies_to: [flow]
    actors: [external]
    likelihood: {level: easy}
    impact: {level: severe}
    scenario: x
    mitigations: [{kind: fix, title: y}]
    supersedes: [t-nope]
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := library(t).Clone().Merge(bad); err == nil || !strings.Contains(err.Error(), `rule t-x supersedes unknown rule "t-nope"`) {
		t.Errorf("want an unknown-rule error, got %v", err)
	}
}
