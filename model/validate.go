package model

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/wardsec/ward/risk"
)

// ThreatIDSeparator joins a rule id and a target id into a threat id:
// "aws-sqs-message-tampering@fulfillment-queue".
const ThreatIDSeparator = "@"

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

type index struct {
	assets     map[string]*Asset
	actors     map[string]*Actor
	zones      map[string]*Zone
	components map[string]*Component
	flows      map[string]*Flow
	threats    map[string]*Threat
	features   map[string]*Feature
}

// Asset returns the asset with the given id, or nil.
func (m *Model) Asset(id string) *Asset { return m.idx().assets[id] }

// Feature returns the feature with the given id, or nil.
func (m *Model) Feature(id string) *Feature { return m.idx().features[id] }

// Actor returns the actor with the given id, or nil.
func (m *Model) Actor(id string) *Actor { return m.idx().actors[id] }

// Zone returns the zone with the given id, or nil.
func (m *Model) Zone(id string) *Zone { return m.idx().zones[id] }

// Component returns the component with the given id, or nil.
func (m *Model) Component(id string) *Component { return m.idx().components[id] }

// Flow returns the flow with the given id, or nil.
func (m *Model) Flow(id string) *Flow { return m.idx().flows[id] }

// HandThreat returns the hand-written threat with the given id, or nil.
func (m *Model) HandThreat(id string) *Threat { return m.idx().threats[id] }

func (m *Model) idx() *index {
	if m.index == nil {
		_ = m.Validate() // builds the index; problems are Validate's callers' to report
	}
	return m.index
}

// Touches reports whether the feature touches the element: a component or
// flow it lists, or a flow between two of its components.
func (f *Feature) Touches(m *Model, id string) bool {
	for _, r := range f.Components {
		if r.ID == id {
			return true
		}
	}
	for _, r := range f.Flows {
		if r.ID == id {
			return true
		}
	}
	fl := m.Flow(id)
	return fl != nil && f.lists(fl.From.ID) && f.lists(fl.To.ID)
}

func (f *Feature) lists(component string) bool {
	for _, r := range f.Components {
		if r.ID == component {
			return true
		}
	}
	return false
}

// ZonePath returns the zone's ancestry from the outermost zone down to id.
func (m *Model) ZonePath(id string) []*Zone {
	var path []*Zone
	for z := m.Zone(id); z != nil && len(path) <= len(m.Zones); z = m.Zone(z.Parent.ID) {
		path = append([]*Zone{z}, path...)
	}
	return path
}

// Validate checks what the decoder cannot see alone: unique ids, references
// between elements, zone cycles and the risk matrix. It fills defaults (flow
// ids, initiators) and builds the lookup index, and returns every problem.
func (m *Model) Validate() Diagnostics {
	v := &validator{m: m, ids: map[string]Pos{}, ix: &index{
		assets:     make(map[string]*Asset, len(m.Assets)),
		actors:     make(map[string]*Actor, len(m.Actors)),
		zones:      make(map[string]*Zone, len(m.Zones)),
		components: make(map[string]*Component, len(m.Components)),
		flows:      make(map[string]*Flow, len(m.Flows)),
		threats:    make(map[string]*Threat, len(m.Threats)),
		features:   make(map[string]*Feature, len(m.Features)),
	}}
	m.index = v.ix
	v.header()
	v.claimAll()
	v.structure()
	v.answers()
	return v.ds
}

// validator gathers the problems of one model.
type validator struct {
	m   *Model
	ix  *index
	ds  Diagnostics
	ids map[string]Pos // "kind\x00id" → where first declared
}

func (v *validator) header() {
	m := v.m
	if m.Title == "" {
		v.ds.add(m.Pos, "the model has no title")
	}
	if !m.Created.IsZero() && !m.Updated.IsZero() && m.Updated.Before(m.Created.Time) {
		v.ds.add(m.Pos, "updated (%s) is before created (%s)", m.Updated, m.Created)
	}
	if m.Risk != nil {
		if _, err := m.Risk.matrix(); err != nil {
			v.ds.add(m.Risk.Pos, "%s", err)
		}
	}
	if len(m.Imports) > 0 && m.used == nil {
		v.ds.add(m.Imports[0].Pos, "imports are followed only when the model is loaded from its files")
	}
}

// claim records an id, reporting a malformed or duplicate one.
func (v *validator) claim(what, id string, p Pos) bool {
	if !idPattern.MatchString(id) {
		v.ds.add(p, "%s id %q must start with a letter or digit and hold only letters, digits, '.', '_' and '-'", what, id)
		return false
	}
	key := what + "\x00" + id
	if first, dup := v.ids[key]; dup {
		v.ds.add(p, "duplicate %s id %q (first at %s)", what, id, first)
		return false
	}
	v.ids[key] = p
	return true
}

// claimAll indexes every element by id, filling flow defaults first.
func (v *validator) claimAll() {
	m, ix := v.m, v.ix
	for _, a := range m.Assets {
		if v.claim("asset", a.ID, a.Pos) {
			ix.assets[a.ID] = a
		}
	}
	for _, a := range m.Actors {
		if v.claim("actor", a.ID, a.Pos) {
			ix.actors[a.ID] = a
		}
	}
	for _, z := range m.Zones {
		if v.claim("zone", z.ID, z.Pos) {
			ix.zones[z.ID] = z
		}
	}
	// Components and flows share one namespace: both are threat targets.
	for _, c := range m.Components {
		if v.claim("element", c.ID, c.Pos) {
			ix.components[c.ID] = c
		}
	}
	for _, f := range m.Flows {
		if f.ID == "" {
			f.ID = f.From.ID + "-to-" + f.To.ID
		}
		if f.Initiator == "" {
			f.Initiator = InitiatorSource
		}
		if v.claim("element", f.ID, f.Pos) {
			ix.flows[f.ID] = f
		}
	}
	for _, t := range m.Threats {
		if strings.Contains(t.ID, ThreatIDSeparator) {
			v.ds.add(t.Pos, "threat id %q must not contain %q, which joins rule and target in library threat ids", t.ID, ThreatIDSeparator)
		} else if v.claim("threat", t.ID, t.Pos) {
			ix.threats[t.ID] = t
		}
	}
	for _, mi := range m.Mitigations {
		v.claim("mitigation", mi.ID, mi.Pos)
	}
	for _, d := range m.Doomsday {
		v.claim("doomsday scenario", d.ID, d.Pos)
	}
	for _, f := range m.Features {
		if v.claim("feature", f.ID, f.Pos) {
			ix.features[f.ID] = f
		}
	}
}

// ref reports a reference that names nothing; an unset one is fine.
func (v *validator) ref(r Ref, what string, ok bool) {
	if !r.IsZero() && !ok {
		v.ds.add(r.Pos, "unknown %s %q", what, r.ID)
	}
}

func (v *validator) assetRefs(refs []Ref) {
	for _, r := range refs {
		v.ref(r, "asset", v.ix.assets[r.ID] != nil)
	}
}

func (v *validator) element(r Ref) bool {
	return v.ix.components[r.ID] != nil || v.ix.flows[r.ID] != nil
}

// structure checks zones, components and flows, and what they refer to.
func (v *validator) structure() {
	m, ix := v.m, v.ix
	for _, z := range m.Zones {
		v.ref(z.Parent, "zone", ix.zones[z.Parent.ID] != nil)
		// Walk up; a path longer than the zone count has a cycle.
		seen := 0
		for p := ix.zones[z.Parent.ID]; p != nil; p = ix.zones[p.Parent.ID] {
			if p == z || seen > len(m.Zones) {
				v.ds.add(z.Parent.Pos, "zone %q is inside itself through its parents", z.ID)
				break
			}
			seen++
		}
	}
	for _, c := range m.Components {
		v.ref(c.Zone, "zone", ix.zones[c.Zone.ID] != nil)
		v.assetRefs(c.Stores)
		v.assetRefs(c.Processes)
	}
	for _, f := range m.Flows {
		v.ref(f.From, "component", ix.components[f.From.ID] != nil)
		v.ref(f.To, "component", ix.components[f.To.ID] != nil)
		v.assetRefs(f.Data)
		for _, p := range f.Properties {
			if info, ok := LookupProperty(p.Name); ok && !info.OnFlows {
				v.ds.add(p.Pos, "property %q applies to components, not flows", p.Name)
			}
		}
	}
	for _, d := range m.Doomsday {
		v.assetRefs(d.Assets)
	}
	for _, f := range m.Features {
		if len(f.Components) == 0 && len(f.Flows) == 0 {
			v.ds.add(f.Pos, "feature %q touches nothing: list its `components` or `flows`", f.ID)
		}
		for _, r := range f.Components {
			v.ref(r, "component", ix.components[r.ID] != nil)
		}
		for _, r := range f.Flows {
			v.ref(r, "flow", ix.flows[r.ID] != nil)
		}
	}
}

// threatRef checks the form of a threat id: a hand-written threat's, or
// rule@target with a known target. Whether the rule exists is the
// engine's to check, as only it knows the library.
func (v *validator) threatRef(r Ref) {
	if r.IsZero() || v.ix.threats[r.ID] != nil {
		return // a missing required reference is already reported
	}
	rule, target, ok := strings.Cut(r.ID, ThreatIDSeparator)
	switch {
	case !ok:
		v.ds.add(r.Pos, "unknown threat %q: write a hand-written threat's id or rule%starget", r.ID, ThreatIDSeparator)
	case rule == "":
		v.ds.add(r.Pos, "threat %q names no rule before %q", r.ID, ThreatIDSeparator)
	case !v.element(Ref{ID: target}):
		v.ds.add(r.Pos, "threat %q names unknown component or flow %q", r.ID, target)
	}
}

// answers checks hand-written threats, mitigations and accepted risks.
func (v *validator) answers() {
	m := v.m
	for _, t := range m.Threats {
		v.ref(t.Target, "component or flow", v.element(t.Target))
		v.ref(t.Actor, "actor", v.ix.actors[t.Actor.ID] != nil)
	}
	for _, mi := range m.Mitigations {
		if len(mi.Threats) == 0 && len(mi.Rules) == 0 {
			v.ds.add(mi.Pos, "mitigation %q answers no threats: list `threats` or `rules`", mi.ID)
		}
		for _, r := range mi.Threats {
			v.threatRef(r)
		}
		for _, r := range mi.Targets {
			v.ref(r, "component or flow", v.element(r))
		}
		if len(mi.Targets) > 0 && len(mi.Rules) == 0 {
			v.ds.add(mi.Targets[0].Pos, "`targets` narrows `rules`; this mitigation lists no rules")
		}
	}
	for _, a := range m.Accepted {
		v.threatRef(a.Threat)
	}
}

// Matrix returns the model's risk matrix, or the default one.
func (m *Model) Matrix() risk.Matrix {
	if m.Risk == nil {
		return risk.Default()
	}
	mx, err := m.Risk.matrix()
	if err != nil {
		return risk.Default()
	}
	return mx
}

func (r *RiskSpec) matrix() (risk.Matrix, error) {
	mx := risk.Default()
	for row, cells := range r.Matrix {
		i := risk.Impact(row).Rank()
		if i < 0 {
			return mx, enumSpecs[reflect.TypeFor[risk.Impact]()].check(row)
		}
		if len(cells) != len(risk.Likelihoods) {
			return mx, errorf("risk matrix row %q needs %d severities (for difficult, moderate, easy), has %d", row, len(risk.Likelihoods), len(cells))
		}
		for l, c := range cells {
			if c != "" { // "" is a value the decoder already reported
				mx[i][l] = c
			}
		}
	}
	return mx, mx.Validate()
}
