package threagile

import (
	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

// placement is a trust boundary a technical asset is listed in.
type placement struct {
	Zone *model.Zone
	At   *yaml.Node
}

func (b *builder) trustBoundaries(n *yaml.Node) {
	r := b.r
	type nesting struct {
		Parent *model.Zone
		Child  *yaml.Node
	}
	var nested []nesting
	inside := map[*model.Component][]placement{}
	var order []*model.Component
	for _, e := range r.entries(n, "trust_boundaries") {
		f := r.fields(e.Value, "trust boundary "+e.Key)
		src := r.str(f["id"], "trust boundary id")
		if src == "" {
			src = e.Key
			r.warnf(e.KeyAt, "trust boundary %q has no id; using its title", e.Key)
		}
		z := &model.Zone{ID: b.claim("zone", src), Name: e.Key, Description: oneLine(r.str(f["description"], "description")), Pos: r.pos(e.KeyAt)}
		typ := r.str(f["type"], "type")
		trust, ok := boundaryTrust[typ]
		if !ok {
			trust = model.TrustMedium
			r.warnf(f["type"], "unknown trust boundary type %q of %s; trusting it %s", typ, src, trust)
		}
		z.Trust = trust
		if _, dup := b.zones[src]; dup {
			r.warnf(e.KeyAt, "trust boundary id %q is used twice; references name the first", src)
		} else {
			b.zones[src] = z
		}
		b.m.Zones = append(b.m.Zones, z)
		for _, s := range r.strs(f["technical_assets_inside"], "technical_assets_inside") {
			c, ok := b.components[s.Value]
			if !ok {
				r.warnf(s, "trust boundary %s holds unknown technical asset %q", src, s.Value)
				continue
			}
			if inside[c] == nil {
				order = append(order, c)
			}
			inside[c] = append(inside[c], placement{Zone: z, At: s})
		}
		for _, s := range r.strs(f["trust_boundaries_nested"], "trust_boundaries_nested") {
			nested = append(nested, nesting{Parent: z, Child: s})
		}
	}
	for _, nst := range nested {
		b.nest(nst.Parent, nst.Child)
	}
	for _, c := range order {
		b.place(c, inside[c])
	}
}

// nest makes the boundary named by child a zone inside parent, refusing
// a second parent or a cycle.
func (b *builder) nest(parent *model.Zone, child *yaml.Node) {
	r := b.r
	z, ok := b.zones[child.Value]
	switch {
	case !ok:
		r.warnf(child, "trust boundary %s nests unknown trust boundary %q", parent.ID, child.Value)
		return
	case !z.Parent.IsZero():
		r.warnf(child, "trust boundary %q is nested in both %s and %s; keeping %s", child.Value, z.Parent.ID, parent.ID, z.Parent.ID)
		return
	}
	for p := parent; p != nil; p = b.zone(p.Parent.ID) {
		if p == z {
			r.warnf(child, "nesting trust boundary %q in %s would put it inside itself; left out", child.Value, parent.ID)
			return
		}
	}
	z.Parent = model.Ref{ID: parent.ID, Pos: r.pos(child)}
}

// zone returns the zone with the given Ward id, or nil.
func (b *builder) zone(id string) *model.Zone {
	if b.zoneByID == nil {
		b.zoneByID = make(map[string]*model.Zone, len(b.m.Zones))
		for _, z := range b.m.Zones {
			b.zoneByID[z.ID] = z
		}
	}
	return b.zoneByID[id]
}

func (b *builder) depth(z *model.Zone) int {
	d := 0
	for p := b.zone(z.Parent.ID); p != nil && d <= len(b.m.Zones); p = b.zone(p.Parent.ID) {
		d++
	}
	return d
}

// place puts a component in the innermost boundary listing it. Listing it
// in two unrelated boundaries is warned about.
func (b *builder) place(c *model.Component, ps []placement) {
	best := ps[0]
	for _, p := range ps[1:] {
		if b.depth(p.Zone) > b.depth(best.Zone) {
			best = p
		}
	}
	for _, p := range ps {
		if p.Zone != best.Zone && !b.within(best.Zone, p.Zone) {
			b.r.warnf(p.At, "technical asset %s is in trust boundaries %s and %s, which do not nest; keeping %s", c.ID, best.Zone.ID, p.Zone.ID, best.Zone.ID)
		}
	}
	c.Zone = model.Ref{ID: best.Zone.ID, Pos: b.r.pos(best.At)}
}

// within reports whether inner lies inside outer.
func (b *builder) within(inner, outer *model.Zone) bool {
	for p, n := b.zone(inner.Parent.ID), 0; p != nil && n <= len(b.m.Zones); p, n = b.zone(p.Parent.ID), n+1 {
		if p == outer {
			return true
		}
	}
	return false
}

// internetZone gathers internet-facing assets that no boundary holds.
func (b *builder) internetZone() {
	var z *model.Zone
	for _, c := range b.m.Components {
		if !c.Zone.IsZero() || !c.Properties.Bool("public") {
			continue
		}
		if z == nil {
			z = &model.Zone{ID: b.claim("zone", "internet"), Name: "Internet", Trust: model.Untrusted, Pos: b.m.Pos,
				Description: "Internet-facing technical assets outside every trust boundary"}
			b.m.Zones = append(b.m.Zones, z)
		}
		c.Zone = model.Ref{ID: z.ID, Pos: c.Pos}
	}
}
