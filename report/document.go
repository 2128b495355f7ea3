package report

import (
	"fmt"
	"time"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/engine"
)

// The document formats open with the model's data-flow diagram. A model
// with nothing to draw gets no diagram section; one the diagram package
// cannot draw gets the section with a note saying why, and the rest of the
// report still renders.

// hasDiagram reports whether res's model has anything to draw.
func hasDiagram(res *engine.Result) bool {
	return res.Model != nil && len(res.Model.Components) > 0
}

// maxDiagramLayout is the most boxes and arrows, together, the reports
// draw the whole model with; a bigger model gets its zone summary. It is
// well under diagram.MaxLayout because a report should not wait on the
// layout: synthetic models of 60 components and 180 flows take about a
// second, 80 and 240 take 15 s, 100 and 300 half a minute. Mermaid
// renderers also refuse large graphs.
const maxDiagramLayout = 240

// diagramOf builds res's data-flow diagram: the whole model, or for a
// large one the summary of its zones, with a note saying so. Call it only
// when hasDiagram(res).
func diagramOf(res *engine.Result) (g *diagram.Graph, note string, err error) {
	g, err = diagram.Build(res, diagram.Options{})
	if err != nil || g.Nodes()+g.Edges() <= maxDiagramLayout {
		return g, "", err
	}
	summary, err := diagram.Build(res, diagram.Options{Summary: true})
	if err != nil {
		return nil, "", err
	}
	note = fmt.Sprintf("The whole model would take %d boxes and %d arrows, too many for one picture: this is its summary, "+
		"one box per trust zone with the flows between zones counted. Draw a zone or a feature on its own to see its components.",
		g.Nodes(), g.Edges())
	return summary, note, nil
}

// diagramTimeout bounds the layout of the HTML report's diagram, so that
// an unexpectedly slow layout costs the report its picture, not its
// completion.
const diagramTimeout = 30 * time.Second

// ruleCount is one rule, or one hand-written threat, among the threats
// mapped to a compliance requirement.
type ruleCount struct {
	Title string
	// Anchor is the id of the rule's section in the HTML report.
	Anchor  string
	Threats int
}

// rulesOf groups a requirement's threats by rule, in first-seen order, so
// a compliance owner reads which kinds of threat touch it rather than a
// list of every instance.
func rulesOf(r Requirement) []ruleCount {
	var out []ruleCount
	index := map[string]int{}
	for _, t := range r.Threats {
		key, anchor := groupKey(t)
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, ruleCount{Title: t.Title, Anchor: anchor})
		}
		out[i].Threats++
	}
	return out
}

// groupKey is what groups t with the other threats of its rule, and the
// HTML anchor of that group. A hand-written threat is a group of its own.
func groupKey(t *engine.Threat) (key, anchor string) {
	if t.Rule == "" {
		return "threat " + t.ID, threatAnchor(t)
	}
	return "rule " + t.Rule, "rule-" + t.Rule
}

// threatAnchor is the id of t's section in the HTML report.
func threatAnchor(t *engine.Threat) string { return "threat-" + t.ID }
