package diagram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wardsec/ward/risk"
)

// Mermaid returns the diagram as a Mermaid flowchart.
func (g *Graph) Mermaid() []byte {
	var b bytes.Buffer
	// A JSON string is a valid YAML double-quoted scalar, so any title is
	// safe in the front matter.
	title, _ := json.Marshal(g.title) //nolint:errcheck // a string always marshals
	fmt.Fprintf(&b, "---\ntitle: %s\n---\nflowchart LR\n", title)

	classes := map[string][]string{}
	clustered := map[*node]bool{}
	for _, cl := range g.clusters {
		g.mermaidCluster(&b, cl, "  ", clustered, classes)
	}
	for _, n := range g.nodes {
		if !clustered[n] {
			mermaidNode(&b, n, "  ", classes)
		}
	}
	var linkStyles []string
	for i, e := range g.edges {
		mermaidEdge(&b, "  ", e.from.id, e.to.id, e.pull, e.lines, e.mark)
		if e.mark.open > 0 {
			linkStyles = append(linkStyles, fmt.Sprintf("  linkStyle %d stroke:%s,stroke-width:2px\n", i, severityColors(e.mark.worst).fill))
		}
	}
	g.mermaidLegend(&b, classes)

	b.WriteString("  classDef process fill:" + processFill + ",stroke:" + mutedColor + ",color:" + inkColor + "\n")
	b.WriteString("  classDef datastore fill:" + datastoreFill + ",stroke:" + mutedColor + ",color:" + inkColor + "\n")
	b.WriteString("  classDef external fill:" + externalFill + ",stroke:" + mutedColor + ",color:" + inkColor + "\n")
	b.WriteString("  classDef ghost fill:#ffffff,stroke:" + ghostLine + ",stroke-dasharray:4 3,color:" + ghostColor + "\n")
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		s := risk.Severities[i]
		st := severityColors(s)
		fmt.Fprintf(&b, "  classDef %s stroke:%s,stroke-width:3px\n", sevClass(s), st.fill)
		fmt.Fprintf(&b, "  classDef %s_badge fill:%s,stroke:%s,color:%s\n", sevClass(s), st.fill, st.fill, st.text)
	}
	for _, c := range classOrder(classes) {
		fmt.Fprintf(&b, "  class %s %s\n", strings.Join(classes[c], ","), c)
	}
	g.mermaidZoneStyles(&b)
	for _, l := range linkStyles {
		b.WriteString(l)
	}
	return b.Bytes()
}

func (g *Graph) mermaidCluster(b *bytes.Buffer, cl *cluster, indent string, clustered map[*node]bool, classes map[string][]string) {
	fmt.Fprintf(b, "%ssubgraph %s[\"%s\"]\n", indent, cl.id, mermaidText(zoneTitle(cl.name, cl.trust)))
	for _, n := range cl.nodes {
		clustered[n] = true
		mermaidNode(b, n, indent+"  ", classes)
	}
	for _, c := range cl.children {
		g.mermaidCluster(b, c, indent+"  ", clustered, classes)
	}
	fmt.Fprintf(b, "%send\n", indent)
}

func mermaidNode(b *bytes.Buffer, n *node, indent string, classes map[string][]string) {
	lines := []string{n.name}
	switch {
	case n.ghost:
		if n.where != "" {
			lines = append(lines, "in "+n.where)
		}
	case n.shape == zoneBox:
		if n.trust != "" {
			lines = append(lines, "trust: "+string(n.trust))
		}
		lines = append(lines, n.detail)
	default:
		if n.detail != "" {
			lines = append(lines, n.detail)
		}
	}
	if badge := n.mark.badge(); badge != "" && !n.ghost {
		lines = append(lines, badge)
		classes[sevClass(n.mark.worst)] = append(classes[sevClass(n.mark.worst)], n.id)
	}
	// Mermaid's shapes: (rounded), [(cylinder)], [box].
	left, right := "(", ")"
	switch n.shape {
	case datastore:
		left, right = "[(", ")]"
	case external:
		left, right = "[", "]"
	}
	fmt.Fprintf(b, "%s%s%s\"%s\"%s\n", indent, n.id, left, mermaidLines(lines), right)
	class := map[shape]string{process: "process", datastore: "datastore", external: "external"}[n.shape]
	if n.ghost {
		class = "ghost"
	}
	if class != "" {
		classes[class] = append(classes[class], n.id)
	}
}

func mermaidEdge(b *bytes.Buffer, indent, from, to string, pull bool, lines []string, m mark) {
	var label []string
	if pull {
		label = append(label, pullNote)
	}
	label = append(label, lines...)
	if badge := m.badge(); badge != "" {
		label = append(label, badge)
	}
	arrow := "-->"
	if pull {
		arrow = "-.->"
	}
	if len(label) == 0 {
		fmt.Fprintf(b, "%s%s %s %s\n", indent, from, arrow, to)
		return
	}
	fmt.Fprintf(b, "%s%s %s|\"%s\"| %s\n", indent, from, arrow, mermaidLines(label), to)
}

// mermaidLegend draws the same samples as the DOT legend.
func (g *Graph) mermaidLegend(b *bytes.Buffer, classes map[string][]string) {
	b.WriteString("  subgraph legend[\"Legend\"]\n")
	if !g.summary {
		b.WriteString("    legend_external[\"external entity\"]\n")
		b.WriteString("    legend_process(\"process\")\n")
		b.WriteString("    legend_store[(\"data store\")]\n")
		b.WriteString("    legend_ghost(\"outside the view\")\n")
		mermaidEdge(b, "    ", "legend_external", "legend_process", false, []string{legendPush}, mark{})
		mermaidEdge(b, "    ", "legend_store", "legend_ghost", true, []string{legendPull}, mark{})
		classes["external"] = append(classes["external"], "legend_external")
		classes["process"] = append(classes["process"], "legend_process")
		classes["datastore"] = append(classes["datastore"], "legend_store")
		classes["ghost"] = append(classes["ghost"], "legend_ghost")
	}
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		s := risk.Severities[i]
		id := "legend_" + string(s)
		fmt.Fprintf(b, "    %s[\"%s\"]\n", id, mermaidText("N open · "+string(s)))
		classes[sevClass(s)+"_badge"] = append(classes[sevClass(s)+"_badge"], id)
	}
	b.WriteString("  end\n")
}

// mermaidZoneStyles colours each zone by its trust level.
func (g *Graph) mermaidZoneStyles(b *bytes.Buffer) {
	var walk func(cls []*cluster)
	walk = func(cls []*cluster) {
		for _, cl := range cls {
			st := trustColors(cl.trust)
			fmt.Fprintf(b, "  style %s fill:%s,stroke:%s,color:%s\n", cl.id, st.fill, st.line, inkColor)
			walk(cl.children)
		}
	}
	walk(g.clusters)
	for _, n := range g.nodes {
		if n.shape == zoneBox {
			st := trustColors(n.trust)
			if n.mark.open == 0 {
				fmt.Fprintf(b, "  style %s fill:%s,stroke:%s,color:%s\n", n.id, st.fill, st.line, inkColor)
			} else {
				fmt.Fprintf(b, "  style %s fill:%s,color:%s\n", n.id, st.fill, inkColor)
			}
		}
	}
	b.WriteString("  style legend fill:#ffffff,stroke:#ced4da\n")
}

// classOrder lists the classes in a fixed order, so output is stable.
func classOrder(classes map[string][]string) []string {
	order := []string{"process", "datastore", "external", "ghost"}
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		order = append(order, sevClass(risk.Severities[i]), sevClass(risk.Severities[i])+"_badge")
	}
	var out []string
	for _, c := range order {
		if len(classes[c]) > 0 {
			out = append(out, c)
		}
	}
	return out
}

func sevClass(s risk.Severity) string { return "sev_" + string(s) }

// mermaidLines joins escaped lines with Mermaid's line break.
func mermaidLines(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = mermaidText(l)
	}
	return strings.Join(out, "<br/>")
}

// mermaidText makes s safe inside a Mermaid "quoted" label: characters
// that end the label, start markup or an entity become Mermaid's #code;
// entities, and line breaks become spaces.
var mermaidText = strings.NewReplacer(
	"#", "#35;",
	`"`, "#quot;",
	"&", "#amp;",
	"<", "#lt;",
	">", "#gt;",
	"|", "#124;",
	"`", "#96;",
	"\r\n", " ",
	"\n", " ",
	"\r", " ",
	"\t", " ",
).Replace
