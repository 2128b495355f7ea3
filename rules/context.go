package rules

import (
	"slices"
	"strings"

	"github.com/wardsec/ward/model"
)

// Context is the view of one model that rule conditions see: a CEL value
// (maps, lists and scalars) per component and per flow, built once in time
// linear in the model's size. docs/rules.md lists every field.
type Context struct {
	model      map[string]any
	components []map[string]any // indexed like Model.Components
	flows      []map[string]any // indexed like Model.Flows
}

// noZone is what an element outside every zone sees: untrusted, so a
// forgotten zone never hides a threat.
var noZone = map[string]any{"id": "", "name": "", "trust": string(model.Untrusted), "trust_level": 0, "path": []any{}}

// NewContext builds the rule context of a validated model.
func NewContext(m *model.Model) *Context {
	c := &Context{
		components: make([]map[string]any, len(m.Components)),
		flows:      make([]map[string]any, len(m.Flows)),
	}
	assets := make(map[string]map[string]any, len(m.Assets))
	assetList := make([]any, 0, len(m.Assets))
	for _, a := range m.Assets {
		v := map[string]any{
			"id": a.ID, "name": name(a.Name, a.ID), "classification": string(a.Classification),
			"classification_level": a.Classification.Rank(), "tags": strings2any(a.Tags),
			"confidentiality": string(a.Confidentiality), "integrity": string(a.Integrity), "availability": string(a.Availability),
		}
		assets[a.ID] = v
		assetList = append(assetList, v)
	}
	zones := make(map[string]map[string]any, len(m.Zones))
	for _, z := range m.Zones {
		var path []any
		for _, p := range m.ZonePath(z.ID) {
			path = append(path, p.ID)
		}
		zones[z.ID] = map[string]any{"id": z.ID, "name": name(z.Name, z.ID), "trust": string(z.Trust), "trust_level": z.Trust.Rank(), "path": path}
	}
	actors := make([]any, 0, len(m.Actors))
	var kinds []any
	for _, a := range m.Actors {
		actors = append(actors, map[string]any{"id": a.ID, "name": name(a.Name, a.ID), "kind": string(a.Kind), "capability": string(a.Capability)})
		if !slices.Contains(kinds, any(string(a.Kind))) {
			kinds = append(kinds, string(a.Kind))
		}
	}
	c.model = map[string]any{"title": m.Title, "actors": actors, "actor_kinds": kinds, "assets": assetList}

	// Shallow component views are what a flow sees at its ends; full views
	// add the flows in and out.
	shallow := make(map[string]map[string]any, len(m.Components))
	for i, comp := range m.Components {
		info, _ := comp.Kind.Info()
		zone, ok := zones[comp.Zone.ID]
		if !ok {
			zone = noZone
		}
		props, set := properties(comp.Properties)
		data := dataView(assets, comp.Stores, comp.Processes)
		v := map[string]any{
			"id": comp.ID, "name": name(comp.Name, comp.ID), "kind": string(comp.Kind),
			"category": string(info.Category), "provider": info.Provider, "zone": zone,
			"props": props, "set": set, "tags": strings2any(comp.Tags),
			"stores": refs(assets, comp.Stores), "processes": refs(assets, comp.Processes),
			"public": props["public"] == true || zone["trust_level"] == 0,
		}
		data.into(v)
		shallow[comp.ID] = v
		c.components[i] = v
	}
	in := make(map[string][]any, len(m.Components))
	out := make(map[string][]any, len(m.Components))
	for i, f := range m.Flows {
		props, set := properties(f.Properties)
		from, to := shallow[f.From.ID], shallow[f.To.ID]
		v := map[string]any{
			"id": f.ID, "name": name(f.Name, f.ID), "kind": string(model.FlowCategory), "category": string(model.FlowCategory),
			"protocol": f.Protocol, "authentication": authName(f.Authentication),
			"authenticated": f.Authentication != "" && f.Authentication != model.AuthNone,
			"encrypted":     f.Encrypted, "initiator": string(f.Initiator), "props": props, "set": set,
			"from": from, "to": to, "data": refs(assets, f.Data),
			"crosses_boundary": zoneOf(from) != zoneOf(to),
			"trust_delta":      trustOf(to) - trustOf(from),
		}
		dataView(assets, f.Data).into(v)
		c.flows[i] = v
		out[f.From.ID] = append(out[f.From.ID], v)
		in[f.To.ID] = append(in[f.To.ID], v)
	}
	for i, comp := range m.Components {
		full := make(map[string]any, len(c.components[i])+3)
		for k, val := range c.components[i] {
			full[k] = val
		}
		full["inbound"], full["outbound"] = orEmpty(in[comp.ID]), orEmpty(out[comp.ID])
		exposed := full["public"] == true
		for _, f := range in[comp.ID] {
			if from, _ := f.(map[string]any)["from"].(map[string]any); from != nil && from["public"] == true {
				exposed = true
			}
		}
		full["exposed"] = exposed
		c.components[i] = full
	}
	return c
}

// Component returns the activation for the i-th component of the model.
func (c *Context) Component(i int) map[string]any {
	return map[string]any{"element": c.components[i], "model": c.model}
}

// Flow returns the activation for the i-th flow of the model.
func (c *Context) Flow(i int) map[string]any {
	return map[string]any{"element": c.flows[i], "model": c.model}
}

// properties fills catalog defaults under the values set, so conditions
// can read any catalog property; set lists what the model states.
func properties(p model.Properties) (map[string]any, []any) {
	if len(p) == 0 {
		// Most flows state no property: they share the read-only defaults
		// instead of each copying the whole catalog.
		return defaults, []any{}
	}
	props := make(map[string]any, len(defaults)+len(p))
	for k, v := range defaults {
		props[k] = v
	}
	set := make([]any, 0, len(p))
	for k, v := range p {
		props[k] = v.Value
		set = append(set, k)
	}
	slices.SortFunc(set, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	return props, set
}

var defaults = func() map[string]any {
	m := map[string]any{}
	for _, p := range model.PropertyCatalog() {
		m[p.Name] = p.Default
	}
	return m
}()

type dataSummary struct {
	classification string
	level          int
	tags           []any
	assets         []any
}

func (d dataSummary) into(v map[string]any) {
	v["classification"], v["classification_level"], v["data_tags"], v["assets"] = d.classification, d.level, d.tags, d.assets
}

// dataView summarises the assets an element holds: the highest
// classification ("none", level -1, when there are none) and their tags.
func dataView(assets map[string]map[string]any, lists ...[]model.Ref) dataSummary {
	d := dataSummary{classification: "none", level: -1, tags: []any{}, assets: []any{}}
	seen := map[string]bool{}
	for _, list := range lists {
		for _, r := range list {
			a, ok := assets[r.ID]
			if !ok || seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			d.assets = append(d.assets, a)
			if lvl := a["classification_level"].(int); a["classification"] != "" && lvl > d.level {
				d.level, d.classification = lvl, a["classification"].(string)
			}
			for _, t := range a["tags"].([]any) {
				if !slices.Contains(d.tags, t) {
					d.tags = append(d.tags, t)
				}
			}
		}
	}
	return d
}

func refs(assets map[string]map[string]any, list []model.Ref) []any {
	out := make([]any, 0, len(list))
	for _, r := range list {
		if a, ok := assets[r.ID]; ok {
			out = append(out, a)
		}
	}
	return out
}

func zoneOf(c map[string]any) string {
	if c == nil {
		return ""
	}
	return c["zone"].(map[string]any)["id"].(string)
}

func trustOf(c map[string]any) int {
	if c == nil {
		return 0
	}
	return c["zone"].(map[string]any)["trust_level"].(int)
}

func authName(a model.Authentication) string {
	if a == "" {
		return string(model.AuthNone)
	}
	return string(a)
}

func name(n, id string) string {
	if n == "" {
		return id
	}
	return n
}

func strings2any(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}
