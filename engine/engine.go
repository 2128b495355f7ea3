// Package engine turns a model and a rule library into ranked threats: it
// evaluates every applicable rule on every element, rates each threat
// through the model's risk matrix, lifts those that lead to a doomsday
// scenario, and joins the model's mitigations and accepted risks.
package engine

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/rules"
)

// Status is where a threat stands.
type Status string

// Threat statuses.
const (
	// Open: nothing answers the threat yet (a proposed mitigation is not an answer).
	Open Status = "open"
	// MitigationPlanned: a mitigation is planned but not in place.
	MitigationPlanned Status = "mitigation-planned"
	// Mitigated: a mitigation is implemented or verified.
	Mitigated Status = "mitigated"
	// Accepted: an owner accepted the risk and the acceptance has not expired.
	Accepted Status = "accepted"
	// AcceptanceExpired: the risk was accepted, but the date has passed.
	AcceptanceExpired Status = "acceptance-expired"
)

// Statuses lists the statuses, unresolved ones first.
var Statuses = []Status{Open, AcceptanceExpired, MitigationPlanned, Accepted, Mitigated}

// Unresolved reports whether the threat still needs work: gates count these.
func (s Status) Unresolved() bool {
	return s == Open || s == AcceptanceExpired || s == MitigationPlanned
}

// Threat is one finding: a rule (or a person) found that an actor can do
// something to an element.
type Threat struct {
	// Info is what the threat shares with every threat of its rule.
	*Info
	// ID is "<rule>@<target>" for library threats, the model's id for
	// hand-written ones; the same model gives the same ids on every run.
	ID         string
	Rule       string // "" for hand-written threats
	Target     string // id of the component or flow
	TargetName string
	TargetKind string
	Location   model.Pos // where the target is written
	Scenario   string
	Likelihood risk.Likelihood
	Impact     risk.Impact
	// BaseSeverity is the matrix's verdict; Severity adds doomsday lifts.
	BaseSeverity risk.Severity
	Severity     risk.Severity
	// Doomsday names the doomsday scenarios the threat leads to.
	Doomsday []string
	// Rationale explains adjusted ratings and doomsday lifts.
	Rationale   []string
	Status      Status
	Evidence    []string
	Mitigations []Mitigation
	Acceptance  *model.Acceptance
}

// Info is what all threats of one rule share, held once per rule so a
// large model's threats do not each copy it.
type Info struct {
	Title       string
	Description string
	Stride      []model.Stride
	Actor       string // the most likely actor's name
	ActorKind   model.ActorKind
	Actors      []string // every model actor able to carry it out
	// Requirements, TestCases, References and Compliance come from the
	// rule; treat them as read-only.
	Requirements []string
	TestCases    []string
	References   []string
	Compliance   map[string][]string
}

// Mitigation is a countermeasure shown with a threat: one from the model
// (with its status) or one the library suggests (status "suggested").
type Mitigation struct {
	ID     string
	Title  string
	Kind   model.MitigationKind
	Status string
	Ticket string
	Owner  string
	Due    string
	// FromModel is false for library suggestions.
	FromModel bool
}

// SuggestedStatus marks library suggestions nobody has adopted yet.
const SuggestedStatus = "suggested"

// Options tune an analysis.
type Options struct {
	// Now decides which acceptances have expired; zero means time.Now().
	Now time.Time
	// Workers evaluating rules; zero means GOMAXPROCS.
	Workers int
	// Progress, when set, is called from the analysing goroutine as work
	// is handed out, with the elements done so far and in all.
	Progress func(done, total int)
}

// Result is an analysis: the threats, ranked, and warnings about model
// entries that answer nothing.
type Result struct {
	Model    *model.Model
	Threats  []*Threat
	Warnings model.Diagnostics
}

// Analyze finds the threats of a validated model. It fails, wrapping
// model.ErrInvalid, when the model's mitigations or acceptances name rules
// the library lacks.
func Analyze(m *model.Model, lib *rules.Library, opt Options) (*Result, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if err := checkRuleRefs(m, lib); err != nil {
		return nil, err
	}
	a := &analysis{m: m, ctx: rules.NewContext(m), matrix: m.Matrix(), doom: doomsdays(m)}
	a.actorsByKind = map[model.ActorKind][]*model.Actor{}
	for _, act := range m.Actors {
		a.actorsByKind[act.Kind] = append(a.actorsByKind[act.Kind], act)
	}
	a.perRule = a.sharedOf(lib)
	found, err := a.run(lib, opt)
	if err != nil {
		return nil, err
	}
	found = append(found, a.handWritten()...)
	res := &Result{Model: m, Threats: found}
	res.Warnings = join(m, found, opt.Now)
	sortThreats(found)
	return res, nil
}

type analysis struct {
	facts        sync.Map // evidence lists already given, shared by equal ones
	perRule      map[*rules.Rule]*ruleShared
	m            *model.Model
	ctx          *rules.Context
	matrix       risk.Matrix
	doom         []doomsday
	actorsByKind map[model.ActorKind][]*model.Actor
}

// run evaluates rules on every element. Elements are split into chunks
// handed to workers; results keep model order so output is deterministic.
func (a *analysis) run(lib *rules.Library, opt Options) ([]*Threat, error) {
	byKind := map[model.Kind][]*rules.Rule{}
	applicable := func(k model.Kind) []*rules.Rule {
		rs, ok := byKind[k]
		if !ok {
			for _, r := range lib.Rules() {
				if r.AppliesToKind(k) {
					rs = append(rs, r)
				}
			}
			byKind[k] = rs
		}
		return rs
	}
	nc, nf := len(a.m.Components), len(a.m.Flows)
	plan := make([][]*rules.Rule, nc+nf)
	// Imported elements the model does not use are left to their own
	// model's analysis.
	imports := a.m.Imported()
	for i, c := range a.m.Components {
		if !imports || a.m.InScope(c.ID) {
			plan[i] = applicable(c.Kind)
		}
	}
	flowRules := applicable(model.Kind(model.FlowCategory))
	for j, f := range a.m.Flows {
		if !imports || a.m.InScope(f.ID) {
			plan[nc+j] = flowRules
		}
	}

	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	progress := opt.Progress
	if progress == nil {
		progress = func(int, int) {}
	}
	const chunk = 256
	out := make([][]*Threat, len(plan))
	errs := make([]error, len(plan))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := range next {
				for i := start; i < min(start+chunk, len(plan)); i++ {
					out[i], errs[i] = a.element(i, plan[i])
				}
			}
		}()
	}
	for start := 0; start < len(plan); start += chunk {
		progress(start, len(plan))
		next <- start
	}
	close(next)
	wg.Wait()
	progress(len(plan), len(plan))
	total := 0
	for i, ts := range out {
		if errs[i] != nil {
			return nil, errs[i]
		}
		total += len(ts)
	}
	found := make([]*Threat, 0, total)
	for _, ts := range out {
		found = append(found, ts...)
	}
	return found, nil
}

// target is what a threat is about, component or flow.
type target struct {
	id, name, kind string
	pos            model.Pos
	assets         []string
	data           rules.ScenarioData
}

func (a *analysis) target(i int) target {
	nc := len(a.m.Components)
	if i < nc {
		c := a.m.Components[i]
		info, _ := c.Kind.Info()
		t := target{id: c.ID, name: orID(c.Name, c.ID), kind: string(c.Kind), pos: c.Pos}
		t.assets = refIDs(c.Stores, c.Processes)
		t.data = rules.ScenarioData{Target: t.name, TargetKind: info.Title, Assets: a.assetNames(t.assets)}
		if z := a.m.Zone(c.Zone.ID); z != nil {
			t.data.Zone = orID(z.Name, z.ID)
		}
		return t
	}
	f := a.m.Flows[i-nc]
	from, to := a.m.Component(f.From.ID), a.m.Component(f.To.ID)
	t := target{id: f.ID, kind: string(model.FlowCategory), pos: f.Pos, assets: refIDs(f.Data)}
	t.data = rules.ScenarioData{TargetKind: "data flow", Assets: a.assetNames(t.assets), Protocol: f.Protocol,
		From: orID(from.Name, from.ID), To: orID(to.Name, to.ID)}
	t.name = orID(f.Name, t.data.From+" → "+t.data.To)
	t.data.Target = t.name
	return t
}

func (a *analysis) element(i int, rs []*rules.Rule) ([]*Threat, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	nc := len(a.m.Components)
	var act map[string]any
	if i < nc {
		act = a.ctx.Component(i)
	} else {
		act = a.ctx.Flow(i - nc)
	}
	var out []*Threat
	var tgt *target
	for _, r := range rs {
		ok, err := r.Match(act)
		if err != nil {
			return nil, fmt.Errorf("rule %s (%s) on %s: %w", r.ID, r.Pos, a.elementID(i), err)
		}
		if !ok {
			continue
		}
		if tgt == nil {
			t := a.target(i)
			tgt = &t
		}
		th, err := a.threat(r, act, tgt)
		if err != nil {
			return nil, err
		}
		out = append(out, th)
	}
	return dropSuperseded(out, rs), nil
}

// dropSuperseded removes the threats of rules that another rule which
// fired on the same element supersedes.
func dropSuperseded(threats []*Threat, rs []*rules.Rule) []*Threat {
	var gone map[string]bool
	for _, r := range rs {
		if len(r.Supersedes) == 0 || !slices.ContainsFunc(threats, func(t *Threat) bool { return t.Rule == r.ID }) {
			continue
		}
		if gone == nil {
			gone = map[string]bool{}
		}
		for _, id := range r.Supersedes {
			gone[id] = true
		}
	}
	if gone == nil {
		return threats
	}
	return slices.DeleteFunc(threats, func(t *Threat) bool { return gone[t.Rule] })
}

func (a *analysis) elementID(i int) string {
	if i < len(a.m.Components) {
		return a.m.Components[i].ID
	}
	return a.m.Flows[i-len(a.m.Components)].ID
}

func (a *analysis) threat(r *rules.Rule, act map[string]any, tgt *target) (*Threat, error) {
	l, imp, why, err := r.Rate(act)
	if err != nil {
		return nil, fmt.Errorf("rule %s (%s) on %s: %w", r.ID, r.Pos, tgt.id, err)
	}
	sh := a.perRule[r]
	th := &Threat{
		Info: sh.info, ID: r.ID + model.ThreatIDSeparator + tgt.id, Rule: r.ID,
		Target: tgt.id, TargetName: tgt.name, TargetKind: tgt.kind, Location: tgt.pos,
		Likelihood: l, Impact: imp, Rationale: why, Evidence: a.evidence(r.Evidence(act)),
		// Suggestions are shared by every threat of the rule: join replaces
		// the slice, never edits it.
		Mitigations: sh.suggestions,
	}
	data := tgt.data
	data.Actor = th.Actor
	if th.Scenario, err = r.RenderScenario(data); err != nil {
		return nil, err
	}
	a.rank(th, tgt.assets)
	return th, nil
}

// evidence returns one shared copy of each distinct list of facts: many
// elements give the same, and a large model has hundreds of thousands of
// threats.
func (a *analysis) evidence(facts []string) []string {
	if len(facts) == 0 {
		return nil
	}
	shared, _ := a.facts.LoadOrStore(strings.Join(facts, "\x00"), facts)
	return shared.([]string)
}

// ruleShared holds what every threat of one rule carries alike.
type ruleShared struct {
	info        *Info
	suggestions []Mitigation
}

func (a *analysis) sharedOf(lib *rules.Library) map[*rules.Rule]*ruleShared {
	out := make(map[*rules.Rule]*ruleShared, len(lib.Rules()))
	for _, r := range lib.Rules() {
		info := &Info{Title: r.Title, Description: r.Description, Stride: r.Stride,
			Requirements: r.Requirements, TestCases: r.TestCases, References: r.References.All(), Compliance: r.Compliance}
		a.pickActor(info, r.Actors)
		sh := &ruleShared{info: info}
		for _, s := range r.Mitigations {
			sh.suggestions = append(sh.suggestions, Mitigation{Title: s.Title, Kind: s.Kind, Status: SuggestedStatus})
		}
		out[r] = sh
	}
	return out
}

// pickActor names the most likely model actor among the rule's kinds, or
// the kind itself when the model declares none of them.
func (a *analysis) pickActor(th *Info, kinds []model.ActorKind) {
	for _, k := range kinds {
		for _, act := range a.actorsByKind[k] {
			if th.Actor == "" {
				th.Actor, th.ActorKind = orID(act.Name, act.ID), k
			}
			th.Actors = append(th.Actors, orID(act.Name, act.ID))
		}
	}
	if th.Actor == "" && len(kinds) > 0 {
		th.Actor, th.ActorKind = kinds[0].Title(), kinds[0]
	}
}

// rank scores the threat through the matrix and lifts it one level if it
// can lead to a doomsday scenario.
func (a *analysis) rank(th *Threat, assets []string) {
	th.BaseSeverity = a.matrix.Score(th.Likelihood, th.Impact)
	th.Severity = th.BaseSeverity
	for _, d := range a.doom {
		if d.reachedBy(th.Stride, assets) {
			th.Doomsday = append(th.Doomsday, d.id)
		}
	}
	if len(th.Doomsday) > 0 {
		th.Severity = th.BaseSeverity.Raise()
		th.Rationale = append(th.Rationale, fmt.Sprintf("raised from %s: can lead to doomsday scenario %s", th.BaseSeverity, strings.Join(th.Doomsday, ", ")))
	}
}

func (a *analysis) handWritten() []*Threat {
	out := make([]*Threat, 0, len(a.m.Threats))
	for _, ht := range a.m.Threats {
		if !a.m.InScope(ht.Target.ID) {
			continue
		}
		th := &Threat{
			Info: &Info{Title: ht.Title, Stride: ht.Stride, Requirements: ht.Requirements,
				TestCases: ht.TestCases, References: ht.References},
			ID: ht.ID, Target: ht.Target.ID, Scenario: ht.Scenario,
			Likelihood: ht.Likelihood, Impact: ht.Impact,
		}
		if th.Likelihood == "" {
			th.Likelihood = risk.Moderate
		}
		if th.Impact == "" {
			th.Impact = risk.Problematic
		}
		var assets []string
		if c := a.m.Component(ht.Target.ID); c != nil {
			th.TargetName, th.TargetKind, th.Location = orID(c.Name, c.ID), string(c.Kind), c.Pos
			assets = refIDs(c.Stores, c.Processes)
		} else if f := a.m.Flow(ht.Target.ID); f != nil {
			th.TargetName, th.TargetKind, th.Location = orID(f.Name, f.ID), string(model.FlowCategory), f.Pos
			assets = refIDs(f.Data)
		}
		if act := a.m.Actor(ht.Actor.ID); act != nil {
			th.Actor, th.ActorKind, th.Actors = orID(act.Name, act.ID), act.Kind, []string{orID(act.Name, act.ID)}
		}
		if th.Scenario == "" {
			th.Scenario = th.Title
		}
		a.rank(th, assets)
		out = append(out, th)
	}
	return out
}

func (a *analysis) assetNames(ids []string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		if as := a.m.Asset(id); as != nil {
			names = append(names, orID(as.Name, as.ID))
		}
	}
	if len(names) == 0 {
		return "its data"
	}
	return strings.Join(names, ", ")
}

type doomsday struct {
	id     string
	assets map[string]bool
	loss   map[model.Loss]bool
}

func doomsdays(m *model.Model) []doomsday {
	out := make([]doomsday, 0, len(m.Doomsday))
	for _, d := range m.Doomsday {
		dd := doomsday{id: d.ID, assets: map[string]bool{}, loss: map[model.Loss]bool{}}
		for _, r := range d.Assets {
			dd.assets[r.ID] = true
		}
		for _, l := range d.Loss {
			dd.loss[l] = true
		}
		out = append(out, dd)
	}
	return out
}

// reachedBy reports whether a threat of these categories on an element
// holding these assets can cause the doomsday's loss. Spoofing and
// elevation of privilege lead to every loss.
func (d doomsday) reachedBy(stride []model.Stride, assets []string) bool {
	touches := slices.ContainsFunc(assets, func(a string) bool { return d.assets[a] })
	if !touches {
		return false
	}
	for _, s := range stride {
		if p := s.Property(); p == model.LossAuthorization || d.loss[p] {
			return true
		}
	}
	return false
}

func sortThreats(ts []*Threat) {
	// Threat ids are unique, so the order is total and an unstable
	// O(n log n) sort is as deterministic as a stable one, and much
	// faster on the hundreds of thousands of threats of a large model.
	slices.SortFunc(ts, func(a, b *Threat) int {
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return cmp.Compare(rb, ra)
		}
		if c := strings.Compare(a.TargetName, b.TargetName); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

func refIDs(lists ...[]model.Ref) []string {
	var out []string
	for _, l := range lists {
		for _, r := range l {
			if !slices.Contains(out, r.ID) {
				out = append(out, r.ID)
			}
		}
	}
	return out
}

func orID(name, id string) string {
	if name == "" {
		return id
	}
	return name
}
