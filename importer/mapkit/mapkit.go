// Package mapkit holds what every provider mapping (importer/aws,
// importer/azure, importer/gcp) shares: making components from resources
// with safe unique ids, setting properties without guessing unknown
// values, the internet entity and its flows, the warning that names
// unknown resource types, and reading nested resource values.
package mapkit

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// The internet zone, and the component that stands for callers on it.
const (
	InternetZone = "internet"
	InternetID   = "internet"
)

// Builder builds one mapping's model.
type Builder struct {
	Source   string
	Model    *model.Model
	Warnings model.Diagnostics

	comps        map[string]*model.Component // by resource id
	ids          map[string]bool             // component ids taken
	flows        map[string]bool             // flow ids made
	internet     bool
	unknownTypes []string
	firstUnknown model.Pos
}

// New starts a model whose first zone is the internet.
func New(source string) *Builder {
	return &Builder{
		Source: source,
		Model:  &model.Model{Zones: []*model.Zone{{ID: InternetZone, Name: "Internet", Trust: model.Untrusted}}},
		comps:  map[string]*model.Component{},
		ids:    map[string]bool{},
		flows:  map[string]bool{},
	}
}

var unsafeID = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// ID makes a resource address safe as a model id.
func ID(resourceID string) string {
	id := strings.Trim(unsafeID.ReplaceAllString(resourceID, "-"), "-._")
	if id == "" {
		return "resource"
	}
	return id
}

// Component adds the component for r, of kind, in zone, with an id unique
// in the model.
func (b *Builder) Component(r *importer.Resource, kind model.Kind, zone string) *model.Component {
	id := ID(r.ID)
	for n := 2; id == InternetID || b.ids[id]; n++ {
		id = fmt.Sprintf("%s-%d", ID(r.ID), n)
	}
	b.ids[id] = true
	c := &model.Component{ID: id, Name: r.Name, Kind: kind, Zone: model.Ref{ID: zone}, Pos: r.Pos}
	if c.Name == "" {
		c.Name = r.ID
	}
	b.comps[r.ID] = c
	b.Model.Components = append(b.Model.Components, c)
	return c
}

// Unknown adds a generic component for a resource of a type the mapping
// does not know, and remembers the type for Finish's warning.
func (b *Builder) Unknown(r *importer.Resource, kind model.Kind, zone string) {
	b.Component(r, kind, zone)
	if len(b.unknownTypes) == 0 {
		b.firstUnknown = r.Pos
	}
	if !slices.Contains(b.unknownTypes, r.Type) {
		b.unknownTypes = append(b.unknownTypes, r.Type)
	}
}

// ComponentOf is the component made for a resource id, or nil.
func (b *Builder) ComponentOf(resourceID string) *model.Component { return b.comps[resourceID] }

// Warnf records a warning about r at its position.
func (b *Builder) Warnf(r *importer.Resource, format string, args ...any) {
	b.Warnings = append(b.Warnings, model.Diagnostic{Pos: r.Pos, Message: r.ID + ": " + fmt.Sprintf(format, args...)})
}

// Set records a property; an unknown value leaves it unset and warns.
func (b *Builder) Set(r *importer.Resource, c *model.Component, name string, value any) {
	if c == nil {
		return
	}
	if u, ok := value.(importer.Unknown); ok {
		b.Warnf(r, "%s left unset: %s", name, u.Why)
		return
	}
	for i, p := range c.Properties {
		if p.Name == name {
			c.Properties[i].Value = value
			return
		}
	}
	c.Properties = append(c.Properties, model.Property{Name: name, Value: value, Pos: r.Pos})
}

// SetBool sets name from a boolean; absent uses def when def is non-nil,
// otherwise leaves it unset. negate flips a "disable…" setting.
func (b *Builder) SetBool(r *importer.Resource, c *model.Component, name string, v any, def *bool, negate bool) {
	switch v := v.(type) {
	case importer.Unknown:
		b.Set(r, c, name, v)
	case bool:
		b.Set(r, c, name, v != negate)
	case nil:
		if def != nil {
			b.Set(r, c, name, *def)
		}
	default:
		b.Warnf(r, "%s left unset: value %v is not a boolean", name, v)
	}
}

// Ptr is a pointer to b, for SetBool's default.
func Ptr(b bool) *bool { return &b }

// FromInternet adds a flow from the internet entity into c, once.
func (b *Builder) FromInternet(c *model.Component, protocol string, pos model.Pos) {
	if c == nil {
		return
	}
	b.internet = true
	b.addFlow(InternetID, c.ID, protocol, pos)
}

// Finish warns once about the unknown types, adds the internet entity if a
// flow comes from it, drops zones nothing is in, and returns the result.
// provider names the mapping in the warning, e.g. "Azure".
func (b *Builder) Finish(provider string) *importer.Result {
	if len(b.unknownTypes) > 0 {
		slices.Sort(b.unknownTypes)
		b.Warnings = append(b.Warnings, model.Diagnostic{Pos: b.firstUnknown,
			Message: fmt.Sprintf("%d resource type(s) not known to the %s mapping, imported as generic components: %s",
				len(b.unknownTypes), provider, strings.Join(b.unknownTypes, ", "))})
	}
	if b.internet {
		b.Model.Components = slices.Insert(b.Model.Components, 0, &model.Component{
			ID: InternetID, Name: "Internet", Kind: "external-entity",
			Zone: model.Ref{ID: InternetZone}, Pos: model.Pos{Source: b.Source},
		})
	}
	DropEmptyZones(b.Model)
	return &importer.Result{Model: b.Model, Warnings: b.Warnings}
}

// DropEmptyZones removes the zones of m nothing is in, keeping the parents
// of used ones.
func DropEmptyZones(m *model.Model) {
	used := map[string]bool{}
	for _, c := range m.Components {
		used[c.Zone.ID] = true
	}
	parent := map[string]string{}
	for _, z := range m.Zones {
		parent[z.ID] = z.Parent.ID
	}
	for id := range used {
		for p := parent[id]; p != "" && !used[p]; p = parent[p] {
			used[p] = true
		}
	}
	zones := m.Zones[:0]
	for _, z := range m.Zones {
		if used[z.ID] {
			zones = append(zones, z)
		}
	}
	m.Zones = zones
}

// Get walks nested maps by key; nil when a step is missing.
func Get(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// List is v as a list: itself, a one-element list, or nil.
func List(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// Refs lists every resource reference inside v, in order.
func Refs(v any) []importer.ResourceRef {
	var out []importer.ResourceRef
	var walk func(any, int)
	walk = func(v any, depth int) {
		if depth > 64 {
			return
		}
		switch v := v.(type) {
		case importer.ResourceRef:
			out = append(out, v)
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k], depth+1)
			}
		case []any:
			for _, e := range v {
				walk(e, depth+1)
			}
		}
	}
	walk(v, 0)
	return out
}
