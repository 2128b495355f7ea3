package rules

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

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

	// Flows see their ends through the same maps the components are
	// evaluated on.
	parallel(len(m.Components), func(i int) {
		comp := m.Components[i]
		info, _ := comp.Kind.Info()
		zone, ok := zones[comp.Zone.ID]
		if !ok {
			zone = noZone
		}
		props, set := properties(comp.Properties)
		v := map[string]any{
			"id": comp.ID, "name": name(comp.Name, comp.ID), "kind": string(comp.Kind),
			"category": string(info.Category), "provider": info.Provider, "zone": zone,
			"props": props, "set": set, "tags": strings2any(comp.Tags),
			"stores": refs(assets, comp.Stores), "processes": refs(assets, comp.Processes),
			"public": props["public"] == true || zone["trust_level"] == 0,
		}
		dataView(assets, comp.Stores, comp.Processes).into(v)
		c.components[i] = v
	})
	index := make(map[string]int, len(m.Components))
	for i, comp := range m.Components {
		index[comp.ID] = i
	}
	end := func(id string) map[string]any {
		if i, ok := index[id]; ok {
			return c.components[i]
		}
		return nil
	}
	parallel(len(m.Flows), func(i int) {
		f := m.Flows[i]
		props, set := properties(f.Properties)
		from, to := end(f.From.ID), end(f.To.ID)
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
	})
	in := make([][]any, len(m.Components))
	out := make([][]any, len(m.Components))
	exposed := make([]bool, len(m.Components))
	for i := range m.Components {
		exposed[i] = c.components[i]["public"] == true
	}
	for i, f := range m.Flows {
		from, fromOK := index[f.From.ID]
		to, toOK := index[f.To.ID]
		if fromOK {
			out[from] = append(out[from], c.flows[i])
		}
		if toOK {
			in[to] = append(in[to], c.flows[i])
			if fromOK && c.components[from]["public"] == true {
				exposed[to] = true
			}
		}
	}
	// A component's flows go into its own map: flows point back at it, a
	// cycle CEL follows lazily, and no component map is copied. Each
	// worker writes only its own component's map.
	parallel(len(m.Components), func(i int) {
		v := c.components[i]
		v["inbound"], v["outbound"], v["exposed"] = orEmpty(in[i]), orEmpty(out[i]), exposed[i]
	})
	return c
}

// parallel calls fn(i) for every i in [0, n), spread over the CPUs in
// contiguous chunks. fn must only write to its own i.
func parallel(n int, fn func(i int)) {
	const chunk = 1024
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
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
