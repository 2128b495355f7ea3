package diagram

import (
	"fmt"
	"strconv"

	"github.com/wardsec/ward/model"
)

// noZone stands for the components outside every zone in a summary.
const noZone = ""

// zoneTally is what a summary says of one zone.
type zoneTally struct {
	components, internal, folded int
}

// summarize draws the zones as deep as the layout limit allows: every
// level at first, then folding the deepest level into its parents until
// the picture fits MaxLayout or only the outermost zones are left.
func summarize(m *model.Model, marks map[string]mark) *Graph {
	deepest := 1
	for _, z := range m.Zones {
		deepest = max(deepest, len(m.ZonePath(z.ID)))
	}
	for depth := deepest; ; depth-- {
		g := buildSummary(m, marks, depth, deepest)
		if depth <= 1 || g.layoutCost() <= MaxLayout {
			return g
		}
	}
}

// buildSummary draws one node per zone holding components (and per empty
// leaf zone) down to depth, zones with drawn sub-zones as clusters around
// them, and one edge per pair of zones that flows join, counting the
// flows. Zones below depth count towards their ancestor at depth.
func buildSummary(m *model.Model, marks map[string]mark, depth, deepest int) *Graph {
	view := "trust zones"
	if depth < deepest {
		view = fmt.Sprintf("trust zones, %d of %d levels", depth, deepest)
	}
	b := newBuilder(m, marks, view)
	b.g.summary = true

	// shown maps every zone to the zone drawn for it.
	shown := map[string]string{}
	tally := map[string]*zoneTally{}
	hasChildren := map[string]bool{}
	for _, z := range m.Zones {
		p := m.ZonePath(z.ID)
		at := z.ID
		if len(p) > depth {
			at = p[depth-1].ID
			tally[at] = tallyOf(tally, at)
			tally[at].folded++
		} else if len(p) > 1 {
			hasChildren[z.Parent.ID] = true
		}
		shown[z.ID] = at
		tally[at] = tallyOf(tally, at)
	}
	zoneOf := func(id string) string {
		if c := m.Component(id); c != nil {
			if at, ok := shown[c.Zone.ID]; ok {
				return at
			}
		}
		return noZone
	}
	zoneMarks := map[string]mark{}
	for _, c := range m.Components {
		z := zoneOf(c.ID)
		tally[z] = tallyOf(tally, z)
		tally[z].components++
		zm := zoneMarks[z]
		zm.merge(marks[c.ID])
		zoneMarks[z] = zm
	}

	clusters := b.summaryClusters(hasChildren)
	for _, z := range m.Zones {
		if shown[z.ID] != z.ID || hasChildren[z.ID] && tally[z.ID].components == 0 {
			continue
		}
		nd := b.newNode(&node{name: nameOr(z.Name, z.ID), shape: zoneBox, trust: z.Trust})
		b.nodes[z.ID] = nd
		switch {
		case clusters[z.ID] != nil:
			clusters[z.ID].nodes = append(clusters[z.ID].nodes, nd)
		case clusters[z.Parent.ID] != nil:
			clusters[z.Parent.ID].nodes = append(clusters[z.Parent.ID].nodes, nd)
		}
	}
	if t := tally[noZone]; t != nil && t.components > 0 {
		b.nodes[noZone] = b.newNode(&node{name: "(no zone)", shape: zoneBox})
	}

	b.summaryEdges(zoneOf, tally, zoneMarks)
	for id, nd := range b.nodes {
		t := tally[id]
		nd.detail = plural(t.components, "component")
		if t.internal > 0 {
			nd.detail += ", " + plural(t.internal, "flow") + " inside"
		}
		if t.folded > 0 {
			nd.detail += ", " + plural(t.folded, "sub-zone")
		}
		nd.mark = zoneMarks[id]
	}
	return b.g
}

func tallyOf(tally map[string]*zoneTally, id string) *zoneTally {
	if t := tally[id]; t != nil {
		return t
	}
	return &zoneTally{}
}

// summaryClusters makes a cluster of each zone with drawn sub-zones,
// nested, in model order.
func (b *builder) summaryClusters(hasChildren map[string]bool) map[string]*cluster {
	clusters := map[string]*cluster{}
	for _, z := range b.m.Zones {
		if hasChildren[z.ID] {
			clusters[z.ID] = &cluster{name: nameOr(z.Name, z.ID), trust: z.Trust}
		}
	}
	n := 0
	for _, z := range b.m.Zones {
		cl := clusters[z.ID]
		if cl == nil {
			continue
		}
		n++
		cl.id = "z" + strconv.Itoa(n)
		if parent := clusters[z.Parent.ID]; parent != nil {
			parent.children = append(parent.children, cl)
		} else {
			b.g.clusters = append(b.g.clusters, cl)
		}
	}
	return clusters
}

// summaryEdges adds one edge per ordered pair of zones that flows join;
// flows inside one zone count towards it.
func (b *builder) summaryEdges(zoneOf func(string) string, tally map[string]*zoneTally, zoneMarks map[string]mark) {
	edges := map[[2]string]*edge{}
	pulls := map[*edge]int{}
	for _, fl := range b.m.Flows {
		from, to := zoneOf(fl.From.ID), zoneOf(fl.To.ID)
		if from == to {
			tally[from].internal++
			zm := zoneMarks[from]
			zm.merge(b.marks[fl.ID])
			zoneMarks[from] = zm
			continue
		}
		key := [2]string{from, to}
		e := edges[key]
		if e == nil {
			e = &edge{from: b.nodes[from], to: b.nodes[to]}
			edges[key] = e
			b.g.edges = append(b.g.edges, e)
		}
		e.flows++
		e.mark.merge(b.marks[fl.ID])
		if fl.Initiator == model.InitiatorDestination {
			pulls[e]++
		}
	}
	for _, e := range b.g.edges {
		e.lines = []string{plural(e.flows, "flow")}
		switch p := pulls[e]; {
		case p == e.flows:
			e.pull = true
		case p > 0:
			e.lines[0] += fmt.Sprintf(" (%d pulled)", p)
		}
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
