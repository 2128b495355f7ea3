package diagram

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/wardsec/ward/model"
)

// builder turns a selection of components and flows into a Graph.
type builder struct {
	m     *model.Model
	marks map[string]mark
	g     *Graph
	nodes map[string]*node // by component id
	// top is the outermost zone drawn (the selected zone), or "" for all.
	top string
}

func newBuilder(m *model.Model, marks map[string]mark, view string) *builder {
	title := clean(m.Title)
	if title == "" {
		title = "Data-flow diagram"
	}
	if view != "" {
		title += " — " + view
	}
	return &builder{m: m, marks: marks, g: &Graph{title: title}, nodes: map[string]*node{}}
}

func (b *builder) newNode(n *node) *node {
	n.id = "n" + strconv.Itoa(len(b.g.nodes)+1)
	b.g.nodes = append(b.g.nodes, n)
	return n
}

func buildAll(m *model.Model, marks map[string]mark) *Graph {
	b := newBuilder(m, marks, "")
	return b.draw(m.Components, m.Flows)
}

func buildFeature(m *model.Model, marks map[string]mark, f *model.Feature) *Graph {
	b := newBuilder(m, marks, "feature "+nameOr(f.Name, f.ID))
	var comps []*model.Component
	for _, c := range m.Components {
		if f.Touches(m, c.ID) {
			comps = append(comps, c)
		}
	}
	var flows []*model.Flow
	for _, fl := range m.Flows {
		if f.Touches(m, fl.ID) {
			flows = append(flows, fl)
		}
	}
	return b.draw(comps, flows)
}

func buildZone(m *model.Model, marks map[string]mark, z *model.Zone) *Graph {
	b := newBuilder(m, marks, "zone "+nameOr(z.Name, z.ID))
	b.top = z.ID
	var comps []*model.Component
	for _, c := range m.Components {
		if b.inside(c) {
			comps = append(comps, c)
		}
	}
	var flows []*model.Flow
	for _, fl := range m.Flows {
		from, to := m.Component(fl.From.ID), m.Component(fl.To.ID)
		if b.inside(from) || b.inside(to) {
			flows = append(flows, fl)
		}
	}
	return b.draw(comps, flows)
}

// inside reports whether c sits in the selected zone or one of its
// sub-zones.
func (b *builder) inside(c *model.Component) bool {
	if c == nil {
		return false
	}
	for _, z := range b.m.ZonePath(c.Zone.ID) {
		if z.ID == b.top {
			return true
		}
	}
	return false
}

// draw adds comps inside their zones, then flows; a flow's end that is
// not among comps becomes a ghost node.
func (b *builder) draw(comps []*model.Component, flows []*model.Flow) *Graph {
	for _, c := range comps {
		b.nodes[c.ID] = b.newNode(&node{
			name:   nameOr(c.Name, c.ID),
			detail: kindTitle(c.Kind),
			shape:  shapeOf(c),
			mark:   b.marks[c.ID],
		})
	}
	b.zones(comps)
	for _, fl := range flows {
		e := &edge{
			from:  b.endpoint(fl.From.ID),
			to:    b.endpoint(fl.To.ID),
			lines: b.flowLines(fl),
			pull:  fl.Initiator == model.InitiatorDestination,
			mark:  b.marks[fl.ID],
		}
		b.g.edges = append(b.g.edges, e)
	}
	return b.g
}

// endpoint is the node of a flow's end, adding a ghost for a component
// outside the selection.
func (b *builder) endpoint(id string) *node {
	if n, ok := b.nodes[id]; ok {
		return n
	}
	n := &node{name: clean(id), ghost: true, shape: process}
	if c := b.m.Component(id); c != nil {
		n.name = nameOr(c.Name, c.ID)
		n.shape = shapeOf(c)
		if z := b.m.Zone(c.Zone.ID); z != nil {
			n.where = nameOr(z.Name, z.ID)
		}
	}
	b.nodes[id] = b.newNode(n)
	return n
}

// zones builds the clusters holding comps: each component's zone and its
// ancestors up to the selected zone, nested, in model order.
func (b *builder) zones(comps []*model.Component) {
	drawn := map[string]*cluster{}
	for _, c := range comps {
		for _, z := range b.path(c.Zone.ID) {
			if drawn[z.ID] == nil {
				drawn[z.ID] = &cluster{name: nameOr(z.Name, z.ID), trust: z.Trust}
			}
		}
	}
	n := 0
	for _, z := range b.m.Zones {
		cl := drawn[z.ID]
		if cl == nil {
			continue
		}
		n++
		cl.id = "z" + strconv.Itoa(n)
		if parent := drawn[z.Parent.ID]; parent != nil && z.ID != b.top {
			parent.children = append(parent.children, cl)
		} else {
			b.g.clusters = append(b.g.clusters, cl)
		}
	}
	for _, c := range comps {
		if cl := drawn[c.Zone.ID]; cl != nil {
			cl.nodes = append(cl.nodes, b.nodes[c.ID])
		}
	}
}

// path is the zone's ancestry, cut at the selected zone.
func (b *builder) path(zone string) []*model.Zone {
	p := b.m.ZonePath(zone)
	for i, z := range p {
		if z.ID == b.top {
			return p[i:]
		}
	}
	return p
}

// flowLines label a flow: its name, protocol and data.
func (b *builder) flowLines(fl *model.Flow) []string {
	var lines []string
	if fl.Name != "" {
		lines = append(lines, clean(fl.Name))
	}
	if fl.Protocol != "" {
		lines = append(lines, clean(fl.Protocol))
	}
	data := make([]string, 0, len(fl.Data))
	for _, r := range fl.Data {
		name := r.ID
		if a := b.m.Asset(r.ID); a != nil && a.Name != "" {
			name = a.Name
		}
		data = append(data, clean(name))
	}
	return append(lines, wrap(data, maxLine)...)
}

// maxLine is the width past which a label's list of names wraps.
const maxLine = 32

// wrap joins items with ", " into lines of about width characters.
func wrap(items []string, width int) []string {
	var lines []string
	var cur strings.Builder
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		if cur.Len() > 0 && cur.Len()+1+len(it) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(it)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

func kindTitle(k model.Kind) string {
	if info, ok := k.Info(); ok {
		return info.Title
	}
	return clean(string(k))
}

// nameOr is the name to show, cleaned, or the id when there is none.
func nameOr(name, id string) string {
	if name != "" {
		return clean(name)
	}
	return clean(id)
}

// clean makes model text fit one label line: valid UTF-8, no control
// characters, no line breaks (labels wrap where Ward decides).
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func featureIDs(m *model.Model) []string {
	ids := make([]string, 0, len(m.Features))
	for _, f := range m.Features {
		ids = append(ids, f.ID)
	}
	return ids
}

func zoneIDs(m *model.Model) []string {
	ids := make([]string, 0, len(m.Zones))
	for _, z := range m.Zones {
		ids = append(ids, z.ID)
	}
	return ids
}

// maxKnown caps the ids an unknown-selection error lists.
const maxKnown = 20

// unknown is err for id, with a suggestion and the ids the model has.
func unknown(err error, id string, known []string) error {
	if len(known) == 0 {
		return fmt.Errorf("%w %q: the model defines none", err, id)
	}
	list := strings.Join(known[:min(len(known), maxKnown)], ", ")
	if len(known) > maxKnown {
		list += fmt.Sprintf(" and %d more", len(known)-maxKnown)
	}
	return fmt.Errorf("%w %q%s; the model has: %s", err, id, model.DidYouMean(id, known), list)
}
