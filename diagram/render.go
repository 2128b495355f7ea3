package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/goccy/go-graphviz"
)

// renderMu serialises layouts: go-graphviz runs one Graphviz instance per
// process, which is not safe for concurrent use. It also guards faces.
var renderMu sync.Mutex

// Render writes the diagram in format to w; SVG and PNG are laid out by
// Graphviz in-process. DOT and Mermaid are written as DOT() and Mermaid()
// return them. A picture past MaxLayout is refused with ErrTooLarge.
// Layouts run one at a time; when ctx ends first, Render returns ctx.Err()
// and the layout finishes in the background. Nothing is written to w
// unless the whole picture is ready.
func Render(ctx context.Context, g *Graph, format Format, w io.Writer) error {
	switch format {
	case DOT:
		return write(w, g.DOT())
	case Mermaid:
		return write(w, g.Mermaid())
	case SVG, PNG:
	default:
		return fmt.Errorf("diagram: unknown format %q", format)
	}
	if g.layoutCost() > MaxLayout {
		return fmt.Errorf("%w: %d boxes and %d arrows would take minutes to place (a picture holds about %d)",
			ErrTooLarge, g.Nodes(), g.Edges(), MaxLayout)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := layout(g.DOT(), format)
		done <- result{out, err}
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case r := <-done:
		if r.err != nil {
			return r.err
		}
		return write(w, r.out)
	}
}

func write(w io.Writer, b []byte) error {
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write diagram: %w", err)
	}
	return nil
}

// layout runs Graphviz's dot layout on src and renders it as format.
func layout(src []byte, format Format) ([]byte, error) {
	renderMu.Lock()
	defer renderMu.Unlock()

	// The context of go-graphviz only carries values to its callbacks;
	// cancellation is Render's job.
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("start graphviz: %w", err)
	}
	defer gv.Close() //nolint:errcheck // freeing the context cannot lose output
	graph, err := graphviz.ParseBytes(src)
	if err != nil {
		return nil, fmt.Errorf("parse diagram: %w", err)
	}
	if graph == nil {
		return nil, errors.New("parse diagram: no graph")
	}
	defer graph.Close() //nolint:errcheck // as above
	var svg bytes.Buffer
	if err := gv.Render(ctx, graph, graphviz.SVG, &svg); err != nil {
		return nil, fmt.Errorf("render %s: %w", format, err)
	}
	if format == PNG {
		return rasterize(svg.Bytes(), pngDPI)
	}
	return svg.Bytes(), nil
}
