// Package diagram draws a model's data-flow diagram: processes, data stores
// and external entities inside nested trust zones, flows labelled with their
// data and protocol, each element marked with its open threats. It writes
// DOT and Mermaid text, and renders SVG and PNG in-process.
package diagram

import (
	"context"
	"errors"
	"io"

	"github.com/wardsec/ward/engine"
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

// Options choose what part of the model a diagram shows.
type Options struct {
	// Feature draws only the elements of this feature (model.Feature id).
	Feature string
	// Zone draws only this zone, its sub-zones and the flows that cross
	// its edge.
	Zone string
	// Summary draws the zones alone, with the flows between them counted.
	Summary bool
}

// Graph is a diagram ready to be written: the elements Options selected,
// with their zones and threat marks.
type Graph struct {
	// TODO(diagram): nodes, clusters, edges.
}

// Build selects and lays out the part of res's model that opt asks for.
// An unknown feature or zone is an error naming the known ones.
func Build(res *engine.Result, opt Options) (*Graph, error) {
	return nil, errors.New("diagram: not available yet")
}

// DOT returns the diagram in Graphviz's DOT language.
func (g *Graph) DOT() []byte { return nil }

// Mermaid returns the diagram as a Mermaid flowchart.
func (g *Graph) Mermaid() []byte { return nil }

// Render writes the diagram in format to w; SVG and PNG are laid out by
// Graphviz in-process.
func Render(ctx context.Context, g *Graph, format Format, w io.Writer) error {
	return errors.New("diagram: not available yet")
}

// FormatOf names the format a file's extension asks for (".svg", ".png",
// ".dot"/".gv", ".mmd"/".mermaid").
func FormatOf(path string) (Format, bool) { return "", false }
