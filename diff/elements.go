package diff

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wardsec/ward/model"
)

// entry is one element flattened to text for comparison: its fields in
// file order, every one present ("" when unset), and its properties.
type entry struct {
	id, name string
	pos      model.Pos
	fields   []named
	props    map[string]string
}

type named struct{ name, value string }

func compareElements(before, after *model.Model) []Element {
	var out []Element
	for _, c := range Categories {
		out = append(out, compareCategory(c, entries(c, before), entries(c, after))...)
	}
	return out
}

func compareCategory(c Category, before, after []entry) []Element {
	old := byID(before)
	cur := byID(after)
	var out []Element
	for i := range after {
		e := &after[i]
		if cur[e.id] != e {
			continue // a duplicate id; validation reports it
		}
		o, ok := old[e.id]
		if !ok {
			out = append(out, Element{Category: c, ID: e.id, Name: e.name, Change: Added, Pos: e.pos})
			continue
		}
		if fs := changedFields(o, e); len(fs) > 0 {
			out = append(out, Element{Category: c, ID: e.id, Name: e.name, Change: Changed, Pos: e.pos, Fields: fs})
		}
	}
	for i := range before {
		e := &before[i]
		if _, ok := cur[e.id]; !ok && old[e.id] == e {
			out = append(out, Element{Category: c, ID: e.id, Name: e.name, Change: Removed, Pos: e.pos})
		}
	}
	order := map[Change]int{Added: 0, Removed: 1, Changed: 2}
	slices.SortFunc(out, func(a, b Element) int {
		if c := cmp.Compare(order[a.Change], order[b.Change]); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// byID indexes entries by id; the first of a duplicated id wins.
func byID(es []entry) map[string]*entry {
	m := make(map[string]*entry, len(es))
	for i := range es {
		if _, dup := m[es[i].id]; !dup {
			m[es[i].id] = &es[i]
		}
	}
	return m
}

func changedFields(before, after *entry) []Field {
	var out []Field
	// Both have the same fields in the same order: they come from the
	// same category.
	for i, f := range after.fields {
		if old := before.fields[i].value; old != f.value {
			out = append(out, Field{Name: f.name, Old: old, New: f.value})
		}
	}
	names := make([]string, 0, len(before.props)+len(after.props))
	for n := range before.props {
		names = append(names, n)
	}
	for n := range after.props {
		if _, ok := before.props[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		if o, v := before.props[n], after.props[n]; o != v {
			out = append(out, Field{Name: n, Property: true, Old: o, New: v})
		}
	}
	return out
}

// entries flattens a model's elements of one category.
func entries(c Category, m *model.Model) []entry {
	switch c {
	case Header:
		return []entry{header(m)}
	case Asset:
		return each(m.Assets, func(a *model.Asset) entry {
			return entry{id: a.ID, name: a.Name, pos: a.Pos, fields: []named{
				{"name", a.Name}, {"description", a.Description}, {"classification", string(a.Classification)},
				{"confidentiality", string(a.Confidentiality)}, {"integrity", string(a.Integrity)},
				{"availability", string(a.Availability)}, {"tags", list(a.Tags)},
			}}
		})
	case Actor:
		return each(m.Actors, func(a *model.Actor) entry {
			return entry{id: a.ID, name: a.Name, pos: a.Pos, fields: []named{
				{"name", a.Name}, {"kind", string(a.Kind)}, {"capability", string(a.Capability)}, {"description", a.Description},
			}}
		})
	case Zone:
		return each(m.Zones, func(z *model.Zone) entry {
			return entry{id: z.ID, name: z.Name, pos: z.Pos, fields: []named{
				{"name", z.Name}, {"trust", string(z.Trust)}, {"parent", z.Parent.ID}, {"description", z.Description},
			}}
		})
	case Component:
		return each(m.Components, component)
	case Flow:
		return each(m.Flows, flow)
	case HandThreat:
		return each(m.Threats, handThreat)
	case Mitigation:
		return each(m.Mitigations, mitigation)
	case AcceptedRisk:
		return each(m.Accepted, func(a *model.Acceptance) entry {
			return entry{id: a.Threat.ID, pos: a.Pos, fields: []named{
				{"owner", a.Owner}, {"reason", a.Reason}, {"until", a.Until.String()},
			}}
		})
	case Doomsday:
		return each(m.Doomsday, func(d *model.Doomsday) entry {
			return entry{id: d.ID, name: d.Title, pos: d.Pos, fields: []named{
				{"title", d.Title}, {"description", d.Description}, {"assets", refs(d.Assets)}, {"loss", list(d.Loss)},
			}}
		})
	case Feature:
		return each(m.Features, func(f *model.Feature) entry {
			return entry{id: f.ID, name: f.Name, pos: f.Pos, fields: []named{
				{"name", f.Name}, {"description", f.Description}, {"owner", f.Owner},
				{"components", refs(f.Components)}, {"flows", refs(f.Flows)},
			}}
		})
	}
	return nil
}

func each[T any](xs []T, flatten func(T) entry) []entry {
	out := make([]entry, len(xs))
	for i, x := range xs {
		out[i] = flatten(x)
	}
	return out
}

func header(m *model.Model) entry {
	return entry{name: m.Title, pos: m.Pos, fields: []named{
		{"title", m.Title}, {"scope.statement", m.Scope.Statement}, {"scope.covers", string(m.Scope.Covers)},
		{"authors", list(m.Authors)}, {"created", m.Created.String()}, {"updated", m.Updated.String()},
		{"review_every", m.ReviewEvery.Text}, {"risk", matrix(m.Risk)},
	}}
}

func component(c *model.Component) entry {
	return entry{id: c.ID, name: c.Name, pos: c.Pos, props: props(c.Properties), fields: []named{
		{"name", c.Name}, {"kind", string(c.Kind)}, {"zone", c.Zone.ID}, {"description", c.Description},
		{"stores", refs(c.Stores)}, {"processes", refs(c.Processes)}, {"tags", list(c.Tags)},
	}}
}

func flow(f *model.Flow) entry {
	return entry{id: f.ID, name: f.Name, pos: f.Pos, props: props(f.Properties), fields: []named{
		{"name", f.Name}, {"from", f.From.ID}, {"to", f.To.ID}, {"protocol", f.Protocol},
		{"data", refs(f.Data)}, {"authentication", string(f.Authentication)},
		{"encrypted", strconv.FormatBool(f.Encrypted)}, {"initiator", string(f.Initiator)},
		{"description", f.Description},
	}}
}

func handThreat(t *model.Threat) entry {
	return entry{id: t.ID, name: t.Title, pos: t.Pos, fields: []named{
		{"title", t.Title}, {"target", t.Target.ID}, {"stride", list(t.Stride)}, {"actor", t.Actor.ID},
		{"scenario", t.Scenario}, {"likelihood", string(t.Likelihood)}, {"impact", string(t.Impact)},
		{"requirements", list(t.Requirements)}, {"test_cases", list(t.TestCases)}, {"references", list(t.References)},
	}}
}

func mitigation(m *model.Mitigation) entry {
	return entry{id: m.ID, name: m.Title, pos: m.Pos, fields: []named{
		{"title", m.Title}, {"description", m.Description}, {"kind", string(m.Kind)}, {"status", string(m.Status)},
		{"ticket", m.Ticket}, {"owner", m.Owner}, {"due", m.Due.String()},
		{"threats", refs(m.Threats)}, {"rules", refs(m.Rules)}, {"targets", refs(m.Targets)},
	}}
}

// mitigationStatuses lists the mitigations of both versions whose status
// changed, by id.
func mitigationStatuses(before, after *model.Model) []MitigationStatus {
	old := map[string]*model.Mitigation{}
	for _, m := range before.Mitigations {
		if _, dup := old[m.ID]; !dup {
			old[m.ID] = m
		}
	}
	seen := map[string]bool{}
	var out []MitigationStatus
	for _, m := range after.Mitigations {
		o, ok := old[m.ID]
		if !ok || seen[m.ID] || o.Status == m.Status {
			continue
		}
		seen[m.ID] = true
		out = append(out, MitigationStatus{ID: m.ID, Title: m.Title, Pos: m.Pos, Old: o.Status, New: m.Status})
	}
	slices.SortFunc(out, func(a, b MitigationStatus) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// list is a list's text: sorted, since order carries no meaning, and ""
// when empty so an empty list reads as unset.
func list[T ~string](xs []T) string {
	ss := make([]string, len(xs))
	for i, x := range xs {
		ss[i] = string(x)
	}
	slices.Sort(ss)
	return strings.Join(ss, ", ")
}

func refs(rs []model.Ref) string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return list(ids)
}

func props(ps model.Properties) map[string]string {
	if len(ps) == 0 {
		return nil
	}
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.Name] = propertyText(p.Value)
	}
	return m
}

// propertyText writes a property value as YAML would show a scalar;
// custom properties may hold lists and maps, written as JSON.
func propertyText(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// matrix writes a custom risk matrix one impact row after another, by
// impact name; "" for the default matrix.
func matrix(r *model.RiskSpec) string {
	if r == nil {
		return ""
	}
	rows := make([]string, 0, len(r.Matrix))
	for impact, cells := range r.Matrix {
		// Cells keep their order: difficult, moderate, easy.
		text := make([]string, len(cells))
		for i, c := range cells {
			text[i] = string(c)
		}
		rows = append(rows, impact+": "+strings.Join(text, ", "))
	}
	slices.Sort(rows)
	return strings.Join(rows, "; ")
}
