package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/engine"
)

type diagramFlags struct {
	output  string
	format  string
	feature string
	zone    string
	summary bool
	rules   []string
	today   string
}

func newDiagram() *cobra.Command {
	var f diagramFlags
	cmd := &cobra.Command{
		Use:   "diagram PATH [-o FILE]",
		Short: "Draw the data-flow diagram of a model",
		Long: `Diagram draws the model at PATH (a file, or a directory of *.ward.yaml files)
as a data-flow diagram: processes as rounded boxes, data stores as cylinders,
external entities as plain boxes, inside their trust zones labelled with
their trust level. Flows are labelled with their protocol and data; a flow
whose receiver opens the connection (initiator: destination, e.g. a worker
pulling from a queue) is dashed, with a dot at the receiver and
"● receiver pulls" on its label. Each element shows a badge with its open
threats, coloured by the worst severity among them; the legend explains it.

-o FILE picks the format by extension: .svg and .png are laid out by the
Graphviz built into Ward, .dot is Graphviz's language, .mmd is a Mermaid
flowchart (GitHub and GitLab render it in Markdown). --format overrides
the extension. Without -o the diagram goes to stdout, as Mermaid unless
--format says otherwise.

Large models stay readable drawn in parts: --zone Z draws one zone with its
sub-zones, and the components at the other end of flows crossing its edge
as faint boxes; --feature F draws what one feature touches; --summary draws
the zones alone with the flows between them counted, folding the deepest
zones into their parents when there are too many to draw. A picture (.svg,
.png) of more than about ` + fmt.Sprint(diagram.MaxLayout) + ` boxes and arrows is refused, as its layout would
take minutes: draw a part, or write .dot or .mmd, which have no limit.`,
		Example: `  ward diagram examples/ecommerce -o dfd.svg
  ward diagram examples/ecommerce -o dfd.png --zone aws-account
  ward diagram examples/ecommerce --feature checkout > checkout.mmd
  ward diagram big-model/ --summary -o zones.svg
  ward diagram model.ward.yaml --format dot -o -`,
		Args: exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return drawDiagram(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "write the diagram to `FILE` (.svg, .png, .dot, .mmd) instead of stdout")
	fl.StringVarP(&f.format, "format", "f", "", "output format: dot, mermaid, svg, png (default: from -o's extension, else mermaid)")
	fl.StringVar(&f.feature, "feature", "", "draw only what the feature `ID` touches")
	fl.StringVar(&f.zone, "zone", "", "draw only the zone `ID`, its sub-zones and the flows crossing its edge")
	fl.BoolVar(&f.summary, "summary", false, "draw the zones alone, with the flows between them counted")
	fl.StringArrayVar(&f.rules, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	fl.StringVar(&f.today, "today", "", "judge accepted risks' expiry as of `DATE` (YYYY-MM-DD; default today)")
	return cmd
}

func drawDiagram(cmd *cobra.Command, path string, f diagramFlags) error {
	opt := diagram.Options{Feature: f.feature, Zone: f.zone, Summary: f.summary}
	if views := countTrue(f.feature != "", f.zone != "", f.summary); views > 1 {
		return usagef("give one of --feature, --zone and --summary")
	}
	format, err := diagramFormat(f)
	if err != nil {
		return err
	}
	out, err := openOutput(f.output, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	// Refuse before the work: a terminal shows a PNG as noise.
	if format == diagram.PNG && out.tty {
		return usagef("refusing to write a PNG to a terminal: give -o FILE.png or redirect stdout")
	}
	now, err := parseToday(f.today)
	if err != nil {
		out.abort()
		return err
	}
	prog := newProgress(cmd.ErrOrStderr())
	res, err := loadAndAnalyze(path, f.rules, engine.Options{Now: now, Progress: prog.analysing()}, prog)
	if err != nil {
		prog.done()
		out.abort()
		return err
	}
	printWarnings(cmd.ErrOrStderr(), res.Warnings)
	g, err := diagram.Build(res, opt)
	if err != nil {
		prog.done()
		out.abort()
		if errors.Is(err, diagram.ErrUnknownFeature) || errors.Is(err, diagram.ErrUnknownZone) {
			return usagef("%s", err)
		}
		return err
	}
	stop := prog.while("laying out %d boxes and %d flows", g.Nodes(), g.Edges())
	err = diagram.Render(cmd.Context(), g, format, out.w)
	stop()
	prog.done()
	if err != nil {
		out.abort()
		if errors.Is(err, diagram.ErrTooLarge) {
			return usagef("%s\n%s", err, tooLargeHint(path))
		}
		return err
	}
	return out.commit()
}

// diagramFormat is --format, or the format -o's extension names, or
// Mermaid for stdout.
func diagramFormat(f diagramFlags) (diagram.Format, error) {
	if f.format != "" {
		format, ok := diagram.ParseFormat(f.format)
		if !ok {
			return "", usagef("--format: unknown format %q (want one of %s)", f.format, formatNames())
		}
		return format, nil
	}
	if f.output == "" || f.output == "-" {
		return diagram.Mermaid, nil
	}
	format, ok := diagram.FormatOf(f.output)
	if !ok {
		return "", usagef("-o %s: cannot tell the format from the extension; name the file .svg, .png, .dot or .mmd, or give --format (%s)", f.output, formatNames())
	}
	return format, nil
}

func formatNames() string {
	names := make([]string, len(diagram.Formats))
	for i, f := range diagram.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// tooLargeHint suggests the commands that draw a large model.
func tooLargeHint(path string) string {
	return fmt.Sprintf(`Draw it in parts, or as text:
  ward diagram %[1]s --summary -o zones.svg          the zones and the flows between them
  ward diagram %[1]s --zone ZONE_ID -o zone.svg      one zone, with its sub-zones
  ward diagram %[1]s --feature FEATURE_ID -o f.svg   what one feature touches
  ward diagram %[1]s --format dot -o dfd.dot         the whole model as DOT, laid out elsewhere`, path)
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
