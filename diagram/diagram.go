// Package diagram draws a model's data-flow diagram: processes, data stores
// and external entities inside nested trust zones, flows labelled with their
// data and protocol, each element marked with its open threats. It writes
// DOT and Mermaid text, and renders SVG and PNG in-process.
package diagram

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Format is an output format of a diagram.
type Format string

// Formats a diagram can be written in.
const (
	DOT     Format = "dot"
	Mermaid Format = "mermaid"
	SVG     Format = "svg"
	PNG     Format = "png"
)

// Formats lists every format, text ones first.
var Formats = []Format{DOT, Mermaid, SVG, PNG}

// Options choose what part of the model a diagram shows. At most one of
// Feature, Zone and Summary may be set; none draws the whole model.
type Options struct {
	// Feature draws only the elements of this feature (model.Feature id).
	Feature string
	// Zone draws only this zone, its sub-zones and the flows that cross
	// its edge.
	Zone string
	// Summary draws the zones alone, with the flows between them counted.
	Summary bool
}

// Errors Build returns for a selection the model cannot satisfy; the
// message names the known features or zones.
var (
	ErrUnknownFeature = errors.New("unknown feature")
	ErrUnknownZone    = errors.New("unknown zone")
	ErrOptions        = errors.New("choose one of feature, zone and summary")
)

// MaxLayout bounds the pictures Render lays out: boxes and arrows inside
// the view, plus a fifth of the faint boxes outside a zone or feature and
// their arrows, at most. Past it Render returns ErrTooLarge at once.
// Graphviz's time grows far faster than the graph: 100 synthetic
// components with 300 flows take seconds, 200 with 600 minutes, while
// boxes outside the view hang off its edge and cost little
// (docs/performance.md). A summary folds its deepest zones until it fits.
const MaxLayout = 400

// ghostWeight is how many boxes or arrows outside the view cost as much
// layout time as one inside it.
const ghostWeight = 5

// layoutCost weighs the graph against MaxLayout.
func (g *Graph) layoutCost() int {
	inside, outside := 0, 0
	for _, n := range g.nodes {
		if n.ghost {
			outside++
		} else {
			inside++
		}
	}
	for _, e := range g.edges {
		if e.from.ghost || e.to.ghost {
			outside++
		} else {
			inside++
		}
	}
	return inside + (outside+ghostWeight-1)/ghostWeight
}

// ErrTooLarge is returned by Render for a picture past MaxLayout. Draw a summary, one zone or one feature instead, or
// write DOT or Mermaid, which have no limit.
var ErrTooLarge = errors.New("diagram too large to lay out")

// Graph is a diagram ready to be written: the elements Options selected,
// with their zones and threat marks. It is immutable once built and safe to
// write from several goroutines.
type Graph struct {
	// title heads the diagram: the model's title and the view.
	title    string
	summary  bool
	clusters []*cluster // top-level zones, in model order
	nodes    []*node    // every node, in model order
	edges    []*edge    // every edge, in model order
}

// Nodes returns how many boxes the diagram draws: components, ghost
// components and, in a summary, zones.
func (g *Graph) Nodes() int { return len(g.nodes) }

// Edges returns how many arrows the diagram draws.
func (g *Graph) Edges() int { return len(g.edges) }

// shape is how a node is drawn.
type shape int

const (
	process shape = iota
	datastore
	external
	zoneBox // a zone in a summary
)

func shapeOf(c *model.Component) shape {
	switch c.Kind.Category() {
	case model.Datastore:
		return datastore
	case model.ExternalEntity:
		return external
	}
	return process
}

// node is a box of the diagram.
type node struct {
	id     string // n1, n2… in the order nodes were added
	name   string
	detail string // a component's kind title; a summary zone's counts
	shape  shape
	// ghost marks the outside end of a flow that crosses the edge of the
	// selected zone or feature: drawn small and faint, without marks.
	ghost bool
	// where names a ghost's zone.
	where string
	// trust is a summary zone's trust level.
	trust model.Trust
	mark  mark
}

// cluster is a trust zone drawn as a box around its nodes and sub-zones.
type cluster struct {
	id       string // z1, z2… in model order
	name     string
	trust    model.Trust
	nodes    []*node
	children []*cluster
}

// edge is a flow, or in a summary the flows between two zones.
type edge struct {
	from, to *node
	lines    []string // protocol, data…
	// pull marks a flow whose receiver opens the connection.
	pull bool
	// flows counts the flows a summary edge stands for (0 for a flow).
	flows int
	mark  mark
}

// mark is an element's open threats: how many and the worst severity.
type mark struct {
	open  int
	worst risk.Severity
}

func (m *mark) add(s risk.Severity) {
	m.open++
	if m.worst == "" || s.Rank() > m.worst.Rank() {
		m.worst = s
	}
}

func (m *mark) merge(o mark) {
	if o.open == 0 {
		return
	}
	m.open += o.open - 1
	m.add(o.worst)
}

// marksOf counts the unresolved threats of each element id.
func marksOf(threats []*engine.Threat) map[string]mark {
	out := map[string]mark{}
	for _, t := range threats {
		if !t.Status.Unresolved() {
			continue
		}
		m := out[t.Target]
		m.add(t.Severity)
		out[t.Target] = m
	}
	return out
}

// Build selects and lays out the part of res's model that opt asks for.
// An unknown feature or zone is an error naming the known ones.
func Build(res *engine.Result, opt Options) (*Graph, error) {
	if res == nil || res.Model == nil {
		return nil, errors.New("diagram: no model to draw")
	}
	set := 0
	for _, on := range []bool{opt.Feature != "", opt.Zone != "", opt.Summary} {
		if on {
			set++
		}
	}
	if set > 1 {
		return nil, ErrOptions
	}
	m := res.Model
	marks := marksOf(res.Threats)
	switch {
	case opt.Summary:
		return summarize(m, marks), nil
	case opt.Feature != "":
		f := m.Feature(opt.Feature)
		if f == nil {
			return nil, unknown(ErrUnknownFeature, opt.Feature, featureIDs(m))
		}
		return buildFeature(m, marks, f), nil
	case opt.Zone != "":
		z := m.Zone(opt.Zone)
		if z == nil {
			return nil, unknown(ErrUnknownZone, opt.Zone, zoneIDs(m))
		}
		return buildZone(m, marks, z), nil
	}
	return buildAll(m, marks), nil
}

// FormatOf names the format a file's extension asks for (".svg", ".png",
// ".dot"/".gv", ".mmd"/".mermaid").
func FormatOf(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".svg":
		return SVG, true
	case ".png":
		return PNG, true
	case ".dot", ".gv":
		return DOT, true
	case ".mmd", ".mermaid":
		return Mermaid, true
	}
	return "", false
}

// ParseFormat returns the format named s ("dot", "mermaid", "svg", "png").
func ParseFormat(s string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}
