package rules

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"

	"github.com/wardsec/ward/model"
)

// Context is the view of one model that rule conditions see. Zones, assets
// and actors are small CEL maps built once; components and flows are
// views over the model whose fields are computed when a condition reads
// them, so a model of any size costs little memory beyond the model itself.
// docs/rules.md lists every field.
type Context struct {
	m      *model.Model
	model  map[string]any
	assets map[string]map[string]any
	zones  map[string]map[string]any
	index  map[string]int32 // component id → index in m.Components
	in     [][]int32        // flows arriving at each component
	out    [][]int32        // flows leaving each component
	flowAt [][2]int32       // each flow's ends, -1 when dangling
	public []bool           // each component's element.public
}

// noZone is what an element outside every zone sees: untrusted, so a
// forgotten zone never hides a threat.
var noZone = map[string]any{"id": "", "name": "", "trust": string(model.Untrusted), "trust_level": 0, "path": []any{}}

// NewContext builds the rule context of a validated model, in time linear
// in its size.
func NewContext(m *model.Model) *Context {
	c := &Context{m: m, assets: make(map[string]map[string]any, len(m.Assets))}
	assetList := make([]any, 0, len(m.Assets))
	for _, a := range m.Assets {
		v := map[string]any{
			"id": a.ID, "name": name(a.Name, a.ID), "classification": string(a.Classification),
			"classification_level": a.Classification.Rank(), "tags": strings2any(a.Tags),
			"confidentiality": string(a.Confidentiality), "integrity": string(a.Integrity), "availability": string(a.Availability),
		}
		c.assets[a.ID] = v
		assetList = append(assetList, v)
	}
	c.zones = make(map[string]map[string]any, len(m.Zones))
	for _, z := range m.Zones {
		var path []any
		for _, p := range m.ZonePath(z.ID) {
			path = append(path, p.ID)
		}
		c.zones[z.ID] = map[string]any{"id": z.ID, "name": name(z.Name, z.ID), "trust": string(z.Trust), "trust_level": z.Trust.Rank(), "path": path}
	}
	actors := make([]any, 0, len(m.Actors))
	var kinds []any
	for _, a := range m.Actors {
		actors = append(actors, map[string]any{"id": a.ID, "name": name(a.Name, a.ID), "kind": string(a.Kind), "capability": string(a.Capability)})
		if !slices.Contains(kinds, any(string(a.Kind))) {
			kinds = append(kinds, string(a.Kind))
		}
	}
	c.model = map[string]any{"title": m.Title, "actors": actors, "actor_kinds": orEmpty(kinds), "assets": assetList}

	n := len(m.Components)
	c.index = make(map[string]int32, n)
	c.public = make([]bool, n)
	for i, comp := range m.Components {
		c.index[comp.ID] = int32(i)
		c.public[i] = comp.Properties.Bool("public") || c.zone(comp)["trust_level"] == 0
	}
	c.in, c.out = make([][]int32, n), make([][]int32, n)
	c.flowAt = make([][2]int32, len(m.Flows))
	for i, f := range m.Flows {
		from, fromOK := c.index[f.From.ID]
		to, toOK := c.index[f.To.ID]
		c.flowAt[i] = [2]int32{-1, -1}
		if fromOK {
			c.out[from] = append(c.out[from], int32(i))
			c.flowAt[i][0] = from
		}
		if toOK {
			c.in[to] = append(c.in[to], int32(i))
			c.flowAt[i][1] = to
		}
	}
	return c
}

// Component returns the activation for the i-th component of the model.
func (c *Context) Component(i int) map[string]any {
	return map[string]any{"element": &elementView{view: view{component{c, int32(i)}}}, "model": c.model}
}

// Flow returns the activation for the i-th flow of the model.
func (c *Context) Flow(i int) map[string]any {
	return map[string]any{"element": &elementView{view: view{flow{c, int32(i)}}}, "model": c.model}
}

func (c *Context) zone(comp *model.Component) map[string]any {
	if z, ok := c.zones[comp.Zone.ID]; ok {
		return z
	}
	return noZone
}

// object is a context value whose fields are computed on reading. field
// returns plain Go values, CEL values or other objects.
type object interface {
	field(name string) (any, bool)
	fieldNames() []string
}

// component is the view of one component.
type component struct {
	c *Context
	i int32
}

var componentFields = []string{"id", "name", "kind", "category", "provider", "zone", "props", "set", "tags",
	"stores", "processes", "assets", "classification", "classification_level", "data_tags",
	"public", "exposed", "inbound", "outbound"}

func (v component) fieldNames() []string { return componentFields }

func (v component) field(f string) (any, bool) { //nolint:gocyclo // one flat case per field
	comp := v.c.m.Components[v.i]
	switch f {
	case "id":
		return comp.ID, true
	case "name":
		return name(comp.Name, comp.ID), true
	case "kind":
		return string(comp.Kind), true
	case "category":
		return string(comp.Kind.Category()), true
	case "provider":
		info, _ := comp.Kind.Info()
		return info.Provider, true
	case "zone":
		return v.c.zone(comp), true
	case "props":
		return props{comp.Properties}, true
	case "set":
		return setNames(comp.Properties), true
	case "tags":
		return strings2any(comp.Tags), true
	case "stores":
		return refs(v.c.assets, comp.Stores), true
	case "processes":
		return refs(v.c.assets, comp.Processes), true
	case "assets", "classification", "classification_level", "data_tags":
		return v.c.dataField(f, comp.Stores, comp.Processes), true
	case "public":
		return v.c.public[v.i], true
	case "exposed":
		if v.c.public[v.i] {
			return true, true
		}
		for _, fi := range v.c.in[v.i] {
			if from := v.c.flowAt[fi][0]; from >= 0 && v.c.public[from] {
				return true, true
			}
		}
		return false, true
	case "inbound":
		return v.c.flowList(v.c.in[v.i]), true
	case "outbound":
		return v.c.flowList(v.c.out[v.i]), true
	}
	return nil, false
}

func (c *Context) flowList(idx []int32) ref.Val {
	vals := make([]ref.Val, len(idx))
	for k, fi := range idx {
		vals[k] = view{flow{c, fi}}
	}
	return types.NewRefValList(types.DefaultTypeAdapter, vals)
}

// flow is the view of one flow.
type flow struct {
	c *Context
	i int32
}

var flowFields = []string{"id", "name", "kind", "category", "protocol", "authentication", "authenticated",
	"encrypted", "initiator", "props", "set", "from", "to", "data", "assets", "classification",
	"classification_level", "data_tags", "crosses_boundary", "trust_delta"}

func (v flow) fieldNames() []string { return flowFields }

func (v flow) field(f string) (any, bool) {
	fl := v.c.m.Flows[v.i]
	switch f {
	case "id":
		return fl.ID, true
	case "name":
		return name(fl.Name, fl.ID), true
	case "kind", "category":
		return string(model.FlowCategory), true
	case "protocol":
		return fl.Protocol, true
	case "authentication":
		return authName(fl.Authentication), true
	case "authenticated":
		return fl.Authentication != "" && fl.Authentication != model.AuthNone, true
	case "encrypted":
		return fl.Encrypted, true
	case "initiator":
		return string(fl.Initiator), true
	case "props":
		return props{fl.Properties}, true
	case "set":
		return setNames(fl.Properties), true
	case "from", "to":
		end := v.c.flowAt[v.i][0]
		if f == "to" {
			end = v.c.flowAt[v.i][1]
		}
		if end < 0 {
			return nil, true
		}
		return component{v.c, end}, true
	case "data":
		return refs(v.c.assets, fl.Data), true
	case "assets", "classification", "classification_level", "data_tags":
		return v.c.dataField(f, fl.Data), true
	case "crosses_boundary":
		return v.endZone(0)["id"] != v.endZone(1)["id"], true
	case "trust_delta":
		return v.endZone(1)["trust_level"].(int) - v.endZone(0)["trust_level"].(int), true
	}
	return nil, false
}

func (v flow) endZone(end int) map[string]any {
	i := v.c.flowAt[v.i][end]
	if i < 0 {
		return noZone
	}
	return v.c.zone(v.c.m.Components[i])
}

// props is the view of an element's properties: what the model sets, over
// the catalog's defaults.
type props struct{ own model.Properties }

func (p props) fieldNames() []string {
	names := make([]string, 0, len(defaults)+len(p.own))
	for k := range defaults {
		names = append(names, k)
	}
	for _, prop := range p.own {
		if _, cat := defaults[prop.Name]; !cat {
			names = append(names, prop.Name)
		}
	}
	slices.Sort(names)
	return names
}

func (p props) field(f string) (any, bool) {
	if v, ok := p.own.Get(f); ok {
		return v.Value, true
	}
	v, ok := defaults[f]
	return v, ok
}

// elementView is the element the rules of one activation are evaluated
// on. It remembers the fields already read: the rules of an element read
// the same few fields again and again. An activation serves one goroutine.
type elementView struct {
	view
	memo map[string]ref.Val
}

// Find returns the field named by key, computing it once.
func (e *elementView) Find(key ref.Val) (ref.Val, bool) {
	k, isString := key.(types.String)
	if isString {
		if v, hit := e.memo[string(k)]; hit {
			return v, true
		}
	}
	v, found := e.view.Find(key)
	if found && isString {
		if e.memo == nil {
			e.memo = make(map[string]ref.Val, 8)
		}
		e.memo[string(k)] = v
	}
	return v, found
}

// Get returns the field named by key, or an error value.
func (e *elementView) Get(key ref.Val) ref.Val {
	if v, ok := e.Find(key); ok {
		return v
	}
	return types.NewErr("no such key: %v", key)
}

// Contains reports whether the field exists.
func (e *elementView) Contains(key ref.Val) ref.Val {
	_, ok := e.Find(key)
	return types.Bool(ok)
}

// view makes an object a CEL map value.
type view struct{ o object }

var (
	_ ref.Val       = view{}
	_ traits.Mapper = view{}
)

func toVal(v any) ref.Val {
	if o, ok := v.(object); ok {
		return view{o}
	}
	return types.DefaultTypeAdapter.NativeToValue(v)
}

// Find returns the field named by key.
func (v view) Find(key ref.Val) (ref.Val, bool) {
	k, ok := key.(types.String)
	if !ok {
		return nil, false
	}
	f, found := v.o.field(string(k))
	if !found {
		return nil, false
	}
	return toVal(f), true
}

// Get returns the field named by key, or an error value.
func (v view) Get(key ref.Val) ref.Val {
	if val, ok := v.Find(key); ok {
		return val
	}
	return types.NewErr("no such key: %v", key)
}

// Contains reports whether the field exists.
func (v view) Contains(key ref.Val) ref.Val {
	_, ok := v.Find(key)
	return types.Bool(ok)
}

// Iterator walks the field names, for comprehensions over a map.
func (v view) Iterator() traits.Iterator {
	return types.NewStringList(types.DefaultTypeAdapter, v.o.fieldNames()).(traits.Iterable).Iterator()
}

// Size is the number of fields.
func (v view) Size() ref.Val { return types.Int(len(v.o.fieldNames())) }

// ConvertToNative is not supported: views are read by conditions only.
func (v view) ConvertToNative(t reflect.Type) (any, error) {
	return nil, fmt.Errorf("a rule context value cannot be converted to %v", t)
}

// ConvertToType answers type() and map conversions.
func (v view) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.MapType:
		return v
	case types.TypeType:
		return types.MapType
	}
	return types.NewErr("type conversion error from map to %s", t.TypeName())
}

// Equal is identity: two views are equal when they show the same element.
func (v view) Equal(other ref.Val) ref.Val {
	o, ok := other.(view)
	return types.Bool(ok && o.o == v.o)
}

// Type is map.
func (v view) Type() ref.Type { return types.MapType }

// Value returns the object behind the view.
func (v view) Value() any { return v.o }

func setNames(p model.Properties) []any {
	set := make([]any, 0, len(p))
	for _, prop := range p {
		set = append(set, prop.Name)
	}
	slices.SortFunc(set, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	return set
}

var defaults = func() map[string]any {
	m := map[string]any{}
	for _, p := range model.PropertyCatalog() {
		m[p.Name] = p.Default
	}
	return m
}()

// dataField computes one summary of the assets an element holds: the
// highest classification ("none", level -1, when there are none), their
// tags, or the assets themselves. Only what a condition reads is computed.
func (c *Context) dataField(field string, lists ...[]model.Ref) any {
	switch field {
	case "classification", "classification_level":
		level, name := -1, "none"
		for _, list := range lists {
			for _, r := range list {
				if a := c.m.Asset(r.ID); a != nil && a.Classification != "" && a.Classification.Rank() > level {
					level, name = a.Classification.Rank(), string(a.Classification)
				}
			}
		}
		if field == "classification" {
			return name
		}
		return level
	case "data_tags":
		tags := []any{}
		for _, list := range lists {
			for _, r := range list {
				if a := c.m.Asset(r.ID); a != nil {
					for _, t := range a.Tags {
						if !slices.Contains(tags, any(t)) {
							tags = append(tags, t)
						}
					}
				}
			}
		}
		return tags
	}
	out := []any{}
	var ids []string
	for _, list := range lists {
		for _, r := range list {
			if a, ok := c.assets[r.ID]; ok && !slices.Contains(ids, r.ID) {
				ids = append(ids, r.ID)
				out = append(out, a)
			}
		}
	}
	return out
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
