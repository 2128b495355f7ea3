package threatdragon

import (
	"strings"
	"time"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// builder turns a decoded document into a Ward model.
type builder struct {
	src  *source
	now  time.Time
	m    *model.Model
	warn model.Diagnostics

	owner   string
	used    importer.IDs
	assets  map[string]*model.Asset // assets derived from element flags
	names   map[string]string       // element name → id of the first one drawn
	pending []pendingThreats
	// notApplicable counts threats accepted as not applicable, which the
	// input does not date.
	notApplicable []model.Pos
}

// pendingThreats are the threats of one element, made once every element
// has its id.
type pendingThreats struct {
	Target  string
	Threats []threat
}

// placed is a component or zone drawn on a diagram, with its rectangle.
type placed struct {
	Component *model.Component
	Zone      *model.Zone
	X, Y      float64
	W, H      float64
}

func newBuilder(src *source, now time.Time) *builder {
	return &builder{
		src: src, now: now,
		m:      &model.Model{Pos: src.pos(0), Files: []string{src.file}},
		used:   importer.IDs{},
		assets: map[string]*model.Asset{},
		names:  map[string]string{},
	}
}

func (b *builder) warnf(off int64, format string, args ...any) {
	b.warn = append(b.warn, model.Diagnostic{Pos: b.src.pos(off), Message: sprintf(format, args...)})
}

func (b *builder) build(doc *document) {
	m := b.m
	m.Title = oneLine(doc.Summary.Title)
	if m.Title == "" {
		m.Title = "Imported Threat Dragon model"
		b.warnf(0, "the model has no title; using %q", m.Title)
	}
	if s := oneLine(doc.Summary.Description); s != "" {
		m.Scope = model.Scope{Statement: s, Pos: m.Pos}
	}
	b.owner = oneLine(doc.Summary.Owner)
	b.author(b.owner)
	for _, c := range doc.Detail.Contributors {
		b.author(oneLine(c.Name))
	}
	if b.owner == "" {
		b.owner = oneLine(doc.Detail.Reviewer)
	}
	if len(doc.Detail.Diagrams) == 0 {
		b.warnf(0, "the model has no diagrams; nothing to import but its summary")
	}
	for i := range doc.Detail.Diagrams {
		b.diagram(&doc.Detail.Diagrams[i])
	}
	for _, p := range b.pending {
		for _, t := range p.Threats {
			b.threat(p.Target, t)
		}
	}
	if n := len(b.notApplicable); n > 0 {
		b.warn = append(b.warn, model.Diagnostic{Pos: b.notApplicable[0], Message: sprintf(
			"%s marked not applicable: accepted until %s, a year from this import, as the input does not date them; review them by then",
			count(n, "threat"), b.until().Format(model.DateLayout))})
	}
}

func (b *builder) author(name string) {
	if name == "" {
		return
	}
	for _, a := range b.m.Authors {
		if a == name {
			return
		}
	}
	b.m.Authors = append(b.m.Authors, name)
}

// diagram adds one diagram's elements: components first, then boxes as
// zones around them, then flows between them.
func (b *builder) diagram(d *diagram) {
	byCell := map[string]*model.Component{}
	var shapes, boxes []placed
	var flows []*cell
	for i := range d.Cells {
		c := &d.Cells[i]
		switch kindOf(c) {
		case "actor", "process", "store":
			if comp := b.component(c); comp != nil {
				byCell[c.ID] = comp
				if r, ok := rect(c); ok {
					shapes = append(shapes, placed{Component: comp, X: r.X, Y: r.Y, W: r.W, H: r.H})
				}
			}
		case "box":
			if r, ok := rect(c); ok {
				z := &model.Zone{ID: b.claim("zone", nameOr(c.Data.Name, "boundary")), Name: oneLine(c.Data.Name),
					Description: oneLine(c.Data.Description), Pos: b.src.pos(c.at)}
				r.Zone = z
				boxes = append(boxes, r)
				b.m.Zones = append(b.m.Zones, z)
			} else {
				b.warnf(c.at, "trust boundary %q has no position or size; left out", c.Data.Name)
			}
		case "curve":
			b.warnf(c.at, "trust boundary %q is a line, not a box, so it holds no elements; left out (draw it as a box to make it a zone)", nameOr(c.Data.Name, c.ID))
		case "flow":
			flows = append(flows, c)
		case "text":
			b.warnf(c.at, "text block %q is not imported", oneLine(c.Data.Name))
		default:
			b.warnf(c.at, "cell %q of unknown type %q (shape %q) in diagram %q; left out", c.ID, c.Data.Type, c.Shape, d.Title)
		}
	}
	b.zone(boxes, shapes)
	for _, c := range flows {
		b.flow(c, byCell)
	}
}

// kindOf classifies a cell by its data type, or by its shape when the
// data names none.
func kindOf(c *cell) string {
	switch c.Data.Type {
	case "tm.Actor":
		return "actor"
	case "tm.Process":
		return "process"
	case "tm.Store":
		return "store"
	case "tm.Flow":
		return "flow"
	case "tm.Text":
		return "text"
	case "tm.Boundary":
		if c.Shape == "trust-boundary-box" {
			return "box"
		}
		return "curve"
	case "":
	default:
		return ""
	}
	switch c.Shape {
	case "actor", "process", "store", "flow":
		return c.Shape
	case "trust-boundary-box":
		return "box"
	case "trust-boundary-curve", "trust-broundary-curve":
		return "curve"
	case "td-text-block":
		return "text"
	}
	return ""
}

func rect(c *cell) (placed, bool) {
	if c.Position == nil || c.Size == nil || c.Size.Width <= 0 || c.Size.Height <= 0 {
		return placed{}, false
	}
	return placed{X: c.Position.X, Y: c.Position.Y, W: c.Size.Width, H: c.Size.Height}, true
}

func (b *builder) component(c *cell) *model.Component {
	d := c.Data
	if d.OutOfScope {
		why := ""
		if r := oneLine(d.ReasonOutOfScope); r != "" {
			why = " (" + r + ")"
		}
		also := ""
		if n := len(d.Threats); n > 0 {
			also = " and " + count(n, "threat")
		}
		b.warnf(c.at, "%q is out of scope%s; left out with its flows%s", nameOr(d.Name, c.ID), why, also)
		return nil
	}
	comp := &model.Component{
		ID: b.claim("element", nameOr(d.Name, kindOf(c))), Name: oneLine(d.Name),
		Description: oneLine(d.Description), Pos: b.src.pos(c.at),
	}
	if name := oneLine(d.Name); name != "" {
		if first, dup := b.names[name]; dup {
			b.warnf(c.at, "%q is drawn again (first as %s); imported as %s, a separate component: merge them by hand if they are one", name, first, comp.ID)
		} else {
			b.names[name] = comp.ID
		}
	}
	switch kindOf(c) {
	case "actor":
		comp.Kind = "external-entity"
	case "process":
		comp.Kind = "process"
		if d.IsWebApplication {
			comp.Kind = "web-app"
		}
		if d.HandlesPayment {
			comp.Processes = append(comp.Processes, b.asset("card-payments", "Card payments", model.Restricted, "pci", comp.Pos))
		}
	case "store":
		comp.Kind = "datastore"
		if d.IsALog {
			comp.Kind = "log-store"
		}
		comp.Properties = model.Properties{{Name: "encrypted_at_rest", Value: d.IsEncrypted, Pos: comp.Pos}}
		if d.StoresCredentials {
			comp.Stores = append(comp.Stores, b.asset("credentials", "Credentials", model.Restricted, "credentials", comp.Pos))
		}
	}
	b.m.Components = append(b.m.Components, comp)
	if len(d.Threats) > 0 {
		b.pending = append(b.pending, pendingThreats{Target: comp.ID, Threats: d.Threats})
	}
	return comp
}

// asset returns a reference to an asset the element flags imply, adding
// it the first time.
func (b *builder) asset(id, name string, class model.Classification, tag string, at model.Pos) model.Ref {
	a := b.assets[id]
	if a == nil {
		a = &model.Asset{ID: b.claim("asset", id), Name: name, Classification: class, Confidentiality: model.LevelHigh, Tags: []string{tag}, Pos: at}
		b.assets[id] = a
		b.m.Assets = append(b.m.Assets, a)
	}
	return model.Ref{ID: a.ID, Pos: at}
}

// zone nests each box in the smallest box around it and puts each
// component in the smallest box holding its centre. Trust grows inward.
func (b *builder) zone(boxes, shapes []placed) {
	smallest := func(inside func(placed) bool, self *model.Zone) *placed {
		var best *placed
		for i := range boxes {
			bx := &boxes[i]
			if bx.Zone != self && inside(*bx) && (best == nil || bx.W*bx.H < best.W*best.H) {
				best = bx
			}
		}
		return best
	}
	for _, bx := range boxes {
		p := smallest(func(o placed) bool {
			return o.W*o.H > bx.W*bx.H && o.X <= bx.X && o.Y <= bx.Y && o.X+o.W >= bx.X+bx.W && o.Y+o.H >= bx.Y+bx.H
		}, bx.Zone)
		if p != nil {
			bx.Zone.Parent = model.Ref{ID: p.Zone.ID, Pos: bx.Zone.Pos}
		}
	}
	for _, bx := range boxes {
		depth := 0
		for z := bx.Zone; !z.Parent.IsZero() && depth < len(boxes); depth++ {
			for _, o := range boxes {
				if o.Zone.ID == z.Parent.ID {
					z = o.Zone
					break
				}
			}
		}
		bx.Zone.Trust = []model.Trust{model.TrustMedium, model.TrustHigh, model.Trusted}[min(depth, 2)]
	}
	for _, s := range shapes {
		cx, cy := s.X+s.W/2, s.Y+s.H/2
		if p := smallest(func(o placed) bool { return o.X <= cx && cx <= o.X+o.W && o.Y <= cy && cy <= o.Y+o.H }, nil); p != nil {
			s.Component.Zone = model.Ref{ID: p.Zone.ID, Pos: s.Component.Pos}
		}
	}
}

// flow adds a flow between two imported elements, and the way back for a
// two-way flow.
func (b *builder) flow(c *cell, byCell map[string]*model.Component) {
	d := c.Data
	name := nameOr(d.Name, c.ID)
	if d.OutOfScope {
		b.warnf(c.at, "flow %q is out of scope; left out%s", name, withThreats(len(d.Threats)))
		return
	}
	var from, to *model.Component
	if c.Source != nil {
		from = byCell[c.Source.Cell]
	}
	if c.Target != nil {
		to = byCell[c.Target.Cell]
	}
	if from == nil || to == nil {
		b.warnf(c.at, "flow %q does not join two imported elements (an end is loose, on a boundary or on an element left out); left out%s", name, withThreats(len(d.Threats)))
		return
	}
	p := b.src.pos(c.at)
	f := &model.Flow{
		ID: b.flowID(from.ID, to.ID, d.Name), Name: oneLine(d.Name), Description: oneLine(d.Description),
		From: model.Ref{ID: from.ID, Pos: p}, To: model.Ref{ID: to.ID, Pos: p},
		Protocol: oneLine(d.Protocol), Encrypted: d.IsEncrypted, Pos: p,
	}
	b.m.Flows = append(b.m.Flows, f)
	if d.IsPublicNetwork {
		// Data crossing a public network reaches its destination from there.
		if _, set := to.Properties.Get("public"); !set {
			to.Properties = append(to.Properties, model.Property{Name: "public", Value: true, Pos: p})
		}
	}
	if d.IsBidirectional {
		b.m.Flows = append(b.m.Flows, &model.Flow{
			ID: b.flowID(to.ID, from.ID, d.Name+" back"), Name: oneLine(d.Name), Description: f.Description,
			From: f.To, To: f.From, Protocol: f.Protocol, Encrypted: f.Encrypted,
			Initiator: model.InitiatorDestination, Pos: p,
		})
	}
	if len(d.Threats) > 0 {
		b.pending = append(b.pending, pendingThreats{Target: f.ID, Threats: d.Threats})
	}
}

// flowID is FROM-to-TO, or FROM-name when two flows join the same pair.
func (b *builder) flowID(from, to, name string) string {
	id := from + "-to-" + to
	if b.used.Taken("element", id) && strings.TrimSpace(name) != "" {
		id = from + "-" + strings.ToLower(name)
	}
	return b.claim("element", id)
}

// claim makes text a valid, unused id in one of Ward's namespaces.
func (b *builder) claim(namespace, text string) string {
	return b.used.Claim(namespace, safeID(text))
}

// safeID turns text into an id of Ward's pattern, in lower case.
func safeID(s string) string { return importer.SafeID(strings.ToLower(s), 80) }

func nameOr(name, fallback string) string {
	if s := oneLine(name); s != "" {
		return s
	}
	return fallback
}

// oneLine joins multi-line text into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
