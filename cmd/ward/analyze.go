package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/rules"
)

type analyzeFlags struct {
	format string
	output string
	rules  []string
	failOn string
	today  string
}

func newAnalyze() *cobra.Command {
	var f analyzeFlags
	cmd := &cobra.Command{
		Use:   "analyze PATH",
		Short: "Find, rank and print the threats of a model",
		Long: `Analyze reads the model at PATH (a file, or a directory of *.ward.yaml
files), evaluates the threat library on every component and flow, ranks each
threat by likelihood × impact, and prints the threat assessment:
Component · Actor · Scenario · STRIDE · Severity · Mitigation · Status.

With --fail-on, it exits 1 when an unresolved threat (open, mitigation
planned, or acceptance expired) is at or above that severity: put it in CI.`,
		Example: `  ward analyze examples/ecommerce
  ward analyze model.ward.yaml --format json -o threats.json
  ward analyze . --rules ./our-rules --fail-on high`,
		Args: exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return analyze(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "table", "output format: "+strings.Join(report.Formats(), ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the result to `FILE` instead of stdout")
	fl.StringArrayVar(&f.rules, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 if an unresolved threat is at or above `SEVERITY` (low, medium, high, critical)")
	fl.StringVar(&f.today, "today", "", "judge accepted risks' expiry as of `DATE` (YYYY-MM-DD; default today)")
	return cmd
}

func analyze(cmd *cobra.Command, path string, f analyzeFlags) error {
	var gate risk.Severity
	if f.failOn != "" {
		s, err := risk.ParseSeverity(f.failOn)
		if err != nil {
			return usagef("--fail-on: %s", err)
		}
		gate = s
	}
	if !slices.Contains(report.Formats(), f.format) {
		return usagef("--format: unknown format %q (want one of %s)", f.format, strings.Join(report.Formats(), ", "))
	}
	now, err := parseToday(f.today)
	if err != nil {
		return err
	}
	prog := newProgress(cmd.ErrOrStderr())
	res, err := loadAndAnalyze(path, f.rules, engine.Options{Now: now, Progress: prog.analysing()}, prog)
	prog.done()
	if err != nil {
		return err
	}
	printWarnings(cmd.ErrOrStderr(), res.Warnings)
	out, err := openOutput(f.output, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	if err := report.Write(out.w, f.format, res, report.Options{Color: out.color(), Width: out.width}); err != nil {
		out.abort()
		return err
	}
	if err := out.commit(); err != nil {
		return err
	}
	if gate == "" {
		return nil
	}
	return checkGate(cmd.ErrOrStderr(), res, gate)
}

func loadAndAnalyze(path string, packs []string, opt engine.Options, prog *progress) (*engine.Result, error) {
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
	m, loadErr := model.Load(path)
	stop()
	c := <-libc
	if c.err != nil {
		return nil, c.err
	}
	if loadErr != nil {
		return nil, loadErr
	}
	return engine.Analyze(m, c.lib, opt)
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

func checkGate(stderr io.Writer, res *engine.Result, gate risk.Severity) error {
	var hits []*engine.Threat
	for _, t := range res.Threats {
		if t.Status.Unresolved() && t.Severity.AtLeast(gate) {
			hits = append(hits, t)
		}
	}
	if len(hits) == 0 {
		return nil
	}
	fmt.Fprintf(stderr, "ward: gate failed: %d unresolved threat(s) at or above %s:\n", len(hits), gate)
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
