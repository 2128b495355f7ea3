package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/gate"
	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/rules"
)

type analyzeFlags struct {
	format  string
	output  string
	rules   []string
	failOn  string
	today   string
	feature string
	// sourceRoot is what SARIF locations are relative to.
	sourceRoot string
	from       string
	terraform  terraform.Source // --var-file and --var for --from terraform
	// defaultFormat is used when neither --format nor -o's extension
	// names one.
	defaultFormat string
}

func newAnalyze() *cobra.Command {
	return resultCommand(&cobra.Command{
		Use:   "analyze PATH",
		Short: "Find, rank and print the threats of a model",
		Long: `Analyze reads the model at PATH (a file, or a directory of *.ward.yaml
files), evaluates the threat library on every component and flow, ranks each
threat by likelihood × impact, and prints the threat assessment:
Component · Actor · Scenario · STRIDE · Severity · Mitigation · Status.

The format is --format, or else the extension of -o (.json, .md, .html, .pdf,
.xlsx, .csv, .sarif), or else a table for the terminal.

With --fail-on, it exits 1 when an unresolved threat (open, mitigation
planned, or acceptance expired) is at or above that severity: put it in CI.
With --feature, only the threats of that feature's components and flows
count, so one feature's open threats do not block another.`,
		Example: `  ward analyze examples/ecommerce
  ward analyze model.ward.yaml -o threats.json
  ward analyze . --rules ./our-rules --fail-on high
  ward analyze . --feature checkout --fail-on high -o checkout.sarif`,
	}, report.Table)
}

func newReport() *cobra.Command {
	return resultCommand(&cobra.Command{
		Use:   "report PATH",
		Short: "Write the threat assessment as a document: HTML, Markdown, PDF, XLSX, CSV, SARIF or JSON",
		Long: `Report analyzes the model at PATH, like analyze, and writes the threat
assessment as a document to hand around: the scope, authors and dates, the
data-flow diagram, a risk heat map, the assessment table, every threat in
detail with its requirements, test cases and references, the accepted risks
and a compliance summary.

The format is --format, or else the extension of -o:
  .html        one self-contained page, sortable and filterable, opens offline
  .md          Markdown with the diagram as Mermaid, renders on GitHub and GitLab
  .pdf         a printable report
  .xlsx        sheets of threats, mitigations and accepted risks
  .csv         the assessment table
  .sarif       SARIF 2.1.0 for code scanning: open threats at their line in the model
  .json        every threat with all its fields (docs/json.md)
Without either, Markdown goes to stdout. PDF and XLSX need -o.`,
		Example: `  ward report examples/ecommerce -o report.html
  ward report . --feature checkout -o checkout.pdf
  ward report . --format sarif -o ward.sarif`,
	}, report.Markdown)
}

// resultCommand gives cmd the flags and behaviour shared by the commands
// that analyze a model and write the result.
func resultCommand(cmd *cobra.Command, defaultFormat string) *cobra.Command {
	f := analyzeFlags{defaultFormat: defaultFormat}
	cmd.Args = exactArgs("PATH")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return analyze(cmd, args[0], f)
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "", "output `FORMAT`: "+strings.Join(report.Formats(), ", ")+" (default: from -o's extension, else "+defaultFormat+")")
	fl.StringVarP(&f.output, "output", "o", "", "write the result to `FILE` instead of stdout")
	fl.StringArrayVar(&f.rules, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	fl.StringVar(&f.feature, "feature", "", "only the threats of the components and flows of `FEATURE`")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 if an unresolved threat is at or above `SEVERITY` (low, medium, high, critical)")
	fl.StringVar(&f.from, "from", "", "import PATH with `SOURCE` (e.g. cloudformation) instead of reading a model")
	varFlags(fl, &f.terraform)
	fl.StringVar(&f.today, "today", "", "judge accepted risks' expiry as of `DATE` (YYYY-MM-DD; default today)")
	fl.StringVar(&f.sourceRoot, "source-root", "", "write SARIF file locations relative to `DIR`, the repository root code scanning sees (default: the current directory)")
	return cmd
}

// outputFormat is --format, or the format -o's extension names, or the
// command's default.
func outputFormat(f analyzeFlags) (string, error) {
	return chooseFormat(f.format, f.output, report.Formats(), report.FormatOf, f.defaultFormat)
}

func analyze(cmd *cobra.Command, path string, f analyzeFlags) error {
	var floor risk.Severity
	if f.failOn != "" {
		s, err := risk.ParseSeverity(f.failOn)
		if err != nil {
			return usagef("--fail-on: %s", err)
		}
		floor = s
	}
	format, err := outputFormat(f)
	if err != nil {
		return err
	}
	now, err := parseToday(f.today)
	if err != nil {
		return err
	}
	prog := newProgress(cmd.ErrOrStderr())
	load := model.Load
	if f.from == "" && (len(f.terraform.VarFiles) > 0 || len(f.terraform.Vars) > 0) {
		return usagef("--var-file and --var need --from terraform")
	}
	if f.from != "" {
		if _, err := findSource(f.from, importSources()); err != nil {
			return err
		}
		if err := checkVars(f.from, f.terraform); err != nil {
			return err
		}
		load = importLoader(f.from, f.terraform, cmd.ErrOrStderr())
	}
	res, _, err := loadAndAnalyzeWith(load, path, f.rules, engine.Options{Now: now, Progress: prog.analysing()}, prog)
	prog.done()
	if err != nil {
		return err
	}
	if f.feature != "" {
		if res, err = res.ForFeature(f.feature); err != nil {
			return usagef("--feature: %s", err)
		}
	}
	printWarnings(cmd.ErrOrStderr(), res.Warnings)
	err = writeOutput(f.output, cmd.OutOrStdout(), func(out *output) error {
		if out.tty && report.Binary(format) {
			return usagef("%s is a binary format: write it to a file with -o FILE.%s", format, format)
		}
		return report.Write(out.w, format, res, report.Options{Color: out.color(), Width: out.width, SourceRoot: f.sourceRoot})
	})
	if err != nil {
		return err
	}
	if floor == "" {
		return nil
	}
	return checkGate(cmd.ErrOrStderr(), res, floor)
}

func loadAndAnalyze(path string, packs []string, opt engine.Options, prog *progress) (*engine.Result, error) {
	res, _, err := loadAndAnalyzeWith(model.Load, path, packs, opt, prog)
	return res, err
}

// loadAndAnalyzeWith is loadAndAnalyze reading the model with load. It
// also returns the library, for a caller that analyzes again.
func loadAndAnalyzeWith(load func(string) (*model.Model, error), path string, packs []string, opt engine.Options, prog *progress) (*engine.Result, *rules.Library, error) {
	// The library compiles while the model loads: neither needs the other.
	type compiled struct {
		lib *rules.Library
		err error
	}
	libc := make(chan compiled, 1)
	go func() {
		lib, err := library(packs)
		libc <- compiled{lib, err}
	}()
	stop := prog.while("loading %s", path)
	m, loadErr := load(path)
	stop()
	c := <-libc
	if c.err != nil {
		return nil, nil, c.err
	}
	if loadErr != nil {
		return nil, nil, loadErr
	}
	res, err := engine.Analyze(m, c.lib, opt)
	return res, c.lib, err
}

// library is the built-in library plus the user's packs.
func library(packs []string) (*rules.Library, error) {
	lib, err := rules.Builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in rule library: %w", err)
	}
	if len(packs) == 0 {
		return lib, nil
	}
	lib = lib.Clone()
	for _, dir := range packs {
		pack, err := rules.LoadDir(dir)
		if err != nil {
			return nil, err
		}
		if err := lib.Merge(pack); err != nil {
			return nil, err
		}
	}
	return lib, nil
}

func checkGate(stderr io.Writer, res *engine.Result, floor risk.Severity) error {
	hits := gate.Blocking(res.Threats, floor)
	if len(hits) == 0 {
		return nil
	}
	fmt.Fprintf(stderr, "ward: gate failed: %d unresolved threat(s) at or above %s:\n", len(hits), floor)
	for i, t := range hits {
		if i == 20 {
			fmt.Fprintf(stderr, "  ... and %d more\n", len(hits)-20)
			break
		}
		fmt.Fprintf(stderr, "  %s  %-8s %s (%s)\n", t.Location, t.Severity, t.ID, t.Status)
	}
	return gateError{count: len(hits)}
}

func printWarnings(w io.Writer, ds model.Diagnostics) {
	for _, d := range ds {
		fmt.Fprintf(w, "warning: %s\n", d)
	}
}

func parseToday(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(model.DateLayout, s)
	if err != nil {
		return time.Time{}, usagef("--today: bad date %q: write it as YYYY-MM-DD", s)
	}
	return t, nil
}
