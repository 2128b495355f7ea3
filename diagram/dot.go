package diagram

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/wardsec/ward/risk"
)

// fontName is a face every Graphviz knows the metrics of, so layouts
// measure text the same everywhere.
const fontName = "Helvetica"

// DOT returns the diagram in Graphviz's DOT language.
func (g *Graph) DOT() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(g.title))
	fmt.Fprintf(&b, "  graph [rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.7, pad=0.2, fontname=%s, fontsize=14, labelloc=t, labeljust=l, label=%s];\n",
		dotQuote(fontName), dotQuote(g.title))
	fmt.Fprintf(&b, "  node [fontname=%s, fontsize=11, color=%s, fontcolor=%s, penwidth=1.2, margin=\"0.15,0.07\"];\n",
		dotQuote(fontName), dotQuote(mutedColor), dotQuote(inkColor))
	fmt.Fprintf(&b, "  edge [fontname=%s, fontsize=9, color=%s, fontcolor=%s, arrowsize=0.8];\n",
		dotQuote(fontName), dotQuote(edgeColor), dotQuote(mutedColor))

	clustered := map[*node]bool{}
	for _, cl := range g.clusters {
		g.dotCluster(&b, cl, "  ", clustered)
	}
	for _, n := range g.nodes {
		if !clustered[n] {
			dotNode(&b, n, "  ")
		}
	}
	for _, e := range g.edges {
		dotEdge(&b, e)
	}
	g.dotLegend(&b)
	b.WriteString("}\n")
	return b.Bytes()
}

func (g *Graph) dotCluster(b *bytes.Buffer, cl *cluster, indent string, clustered map[*node]bool) {
	st := trustColors(cl.trust)
	fmt.Fprintf(b, "%ssubgraph cluster_%s {\n", indent, cl.id)
	in := indent + "  "
	fmt.Fprintf(b, "%sgraph [label=%s, style=\"rounded,filled\", fillcolor=%s, color=%s, penwidth=1.5, fontsize=12, fontcolor=%s, margin=12];\n",
		in, dotQuote(zoneTitle(cl.name, cl.trust)), dotQuote(st.fill), dotQuote(st.line), dotQuote(inkColor))
	for _, n := range cl.nodes {
		clustered[n] = true
		dotNode(b, n, in)
	}
	for _, c := range cl.children {
		g.dotCluster(b, c, in, clustered)
	}
	fmt.Fprintf(b, "%s}\n", indent)
}

func dotNode(b *bytes.Buffer, n *node, indent string) {
	var attrs []string
	switch {
	case n.ghost:
		attrs = append(attrs, "style=\"dashed,rounded,filled\"", "fillcolor=\"#ffffff\"",
			"color="+dotQuote(ghostLine), "fontcolor="+dotQuote(ghostColor), "fontsize=9", "margin=\"0.08,0.04\"")
		if n.shape == datastore {
			attrs = append(attrs, "shape=cylinder")
		} else {
			attrs = append(attrs, "shape=box")
		}
	case n.shape == datastore:
		attrs = append(attrs, "shape=cylinder", "style=filled", "fillcolor="+dotQuote(datastoreFill))
	case n.shape == external:
		attrs = append(attrs, "shape=box", "style=filled", "fillcolor="+dotQuote(externalFill))
	case n.shape == zoneBox:
		attrs = append(attrs, "shape=box", "style=\"rounded,filled\"", "fillcolor="+dotQuote(trustColors(n.trust).fill))
	default:
		attrs = append(attrs, "shape=box", "style=\"rounded,filled\"", "fillcolor="+dotQuote(processFill))
	}
	if n.mark.open > 0 {
		attrs = append(attrs, "color="+dotQuote(severityColors(n.mark.worst).fill), "penwidth=2.5")
	}
	attrs = append(attrs, "label="+nodeHTML(n))
	fmt.Fprintf(b, "%s%s [%s];\n", indent, n.id, strings.Join(attrs, ", "))
}

// nodeHTML is a node's label: its name, kind and threat badge, as a
// Graphviz HTML-like label.
func nodeHTML(n *node) string {
	var rows []string
	if n.ghost {
		rows = append(rows, esc(n.name))
		if n.where != "" {
			rows = append(rows, `<FONT POINT-SIZE="8">in `+esc(n.where)+`</FONT>`)
		}
		return htmlTable(rows)
	}
	rows = append(rows, "<B>"+esc(n.name)+"</B>")
	if n.shape == zoneBox && n.trust != "" {
		rows = append(rows, `<FONT POINT-SIZE="9" COLOR="`+mutedColor+`">trust: `+esc(string(n.trust))+`</FONT>`)
	}
	if n.detail != "" {
		rows = append(rows, `<FONT POINT-SIZE="9" COLOR="`+mutedColor+`">`+esc(n.detail)+`</FONT>`)
	}
	if badge := n.mark.badge(); badge != "" {
		st := severityColors(n.mark.worst)
		rows = append(rows, fmt.Sprintf(`<TD BGCOLOR="%s"><FONT POINT-SIZE="9" COLOR="%s"><B>&#160;%s&#160;</B></FONT></TD>`, st.fill, st.text, esc(badge)))
	}
	return htmlTable(rows)
}

// htmlTable stacks rows; a row already a <TD> keeps its own cell.
func htmlTable(rows []string) string {
	var b strings.Builder
	b.WriteString(`<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">`)
	for _, r := range rows {
		if !strings.HasPrefix(r, "<TD") {
			r = "<TD>" + r + "</TD>"
		}
		b.WriteString("<TR>" + r + "</TR>")
	}
	b.WriteString("</TABLE>>")
	return b.String()
}

func dotEdge(b *bytes.Buffer, e *edge) {
	attrs := []string{"label=" + edgeHTML(e.lines, e.pull, e.mark)}
	if e.pull {
		attrs = append(attrs, pullAttrs)
	}
	if e.mark.open > 0 {
		attrs = append(attrs, "color="+dotQuote(severityColors(e.mark.worst).fill))
	}
	fmt.Fprintf(b, "  %s -> %s [%s];\n", e.from.id, e.to.id, strings.Join(attrs, ", "))
}

// pullAttrs draw a flow whose receiver connects: dashed, with a dot at the
// receiver's end.
const pullAttrs = `style=dashed, arrowhead=dotnormal, penwidth=1.4`

// edgeHTML is a flow's label: the pull note, its lines and threat badge.
func edgeHTML(lines []string, pull bool, m mark) string {
	var parts []string
	if pull {
		parts = append(parts, "<B>"+esc(pullNote)+"</B>")
	}
	for _, l := range lines {
		parts = append(parts, esc(l))
	}
	if badge := m.badge(); badge != "" {
		parts = append(parts, fmt.Sprintf(`<FONT COLOR="%s"><B>%s</B></FONT>`, severityColors(m.worst).fill, esc(badge)))
	}
	if len(parts) == 0 {
		return `""`
	}
	// The cell's padding keeps the text off the line Graphviz draws
	// beside it.
	return `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3"><TR><TD>` + strings.Join(parts, "<BR/>") + `</TD></TR></TABLE>>`
}

// dotLegend explains shapes, pulls and badges in one row of samples.
func (g *Graph) dotLegend(b *bytes.Buffer) {
	b.WriteString("  subgraph cluster_legend {\n")
	fmt.Fprintf(b, "    graph [label=\"Legend\", style=rounded, color=\"#ced4da\", fontsize=11, fontcolor=%s, margin=8];\n", dotQuote(mutedColor))
	b.WriteString("    node [fontsize=9, margin=\"0.08,0.04\"];\n")
	b.WriteString("    edge [fontsize=9];\n")
	if !g.summary {
		fmt.Fprintf(b, "    legend_external [shape=box, style=filled, fillcolor=%s, label=\"external entity\"];\n", dotQuote(externalFill))
		fmt.Fprintf(b, "    legend_process [shape=box, style=\"rounded,filled\", fillcolor=%s, label=\"process\"];\n", dotQuote(processFill))
		fmt.Fprintf(b, "    legend_store [shape=cylinder, style=filled, fillcolor=%s, label=\"data store\"];\n", dotQuote(datastoreFill))
		fmt.Fprintf(b, "    legend_ghost [shape=box, style=\"dashed,rounded\", color=%s, fontcolor=%s, label=\"outside the view\"];\n", dotQuote(ghostLine), dotQuote(ghostColor))
		fmt.Fprintf(b, "    legend_external -> legend_process [label=%s];\n", dotQuote(legendPush))
		b.WriteString("    legend_process -> legend_store [style=invis];\n")
		fmt.Fprintf(b, "    legend_store -> legend_ghost [label=%s, %s];\n", edgeHTML([]string{legendPull}, true, mark{}), pullAttrs)
		b.WriteString("    legend_ghost -> legend_threats [style=invis];\n")
	}
	fmt.Fprintf(b, "    legend_threats [shape=plaintext, label=%s];\n", legendHTML())
	b.WriteString("  }\n")
}

// legendHTML lists the badge colours.
func legendHTML() string {
	rows := []string{`<FONT POINT-SIZE="9">open threats, by the worst severity:</FONT>`}
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		s := risk.Severities[i]
		st := severityColors(s)
		rows = append(rows, fmt.Sprintf(`<TD BGCOLOR="%s"><FONT POINT-SIZE="9" COLOR="%s"><B>&#160;N open · %s&#160;</B></FONT></TD>`, st.fill, st.text, s))
	}
	rows = append(rows, `<FONT POINT-SIZE="9">no badge: nothing open</FONT>`)
	return htmlTable(rows)
}

// esc makes text safe inside an HTML-like label. Graphviz expands its
// escapes (\N, \G…) in HTML labels too, after entities, so a backslash is
// doubled rather than written as an entity.
func esc(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), `\`, `\\`)
}

// dotQuote makes s a DOT double-quoted string. Backslashes are doubled so
// Graphviz's label escapes (\n, \l, \N…) never fire on model text, and
// ampersands written as &amp; as Graphviz reads entities in labels.
func dotQuote(s string) string {
	return `"` + dotQuoter.Replace(s) + `"`
}

var dotQuoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "&", "&amp;", "\r", "", "\n", `\n`)
