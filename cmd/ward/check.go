package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/gate"
	"github.com/wardsec/ward/risk"
)

type checkFlags struct {
	format, output, failOn, today, feature string
	rules                                  []string
}

func newCheck() *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check PATH",
		Short: "Gate CI: fail when a feature has unresolved threats at or above a severity",
		Long: `Check analyzes the model at PATH and judges each feature on its own
threats: a feature fails when one of its unresolved threats (open,
mitigation planned, or acceptance expired) is at or above --fail-on. One
feature's threats never block another.

With --feature, only that feature is judged. Without it, every feature the
model declares is judged and reported separately, then the elements no
feature touches; a model without features is judged as a whole.

Exit codes: 0 every judged feature passed, 1 one failed, 2 bad input or
usage, 3 Ward itself failed.`,
		Example: `  ward check . --feature checkout --fail-on high
  ward check examples/ecommerce
  ward check . --format json -o gate.json`,
		Args: exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return check(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "", "output `FORMAT`: table or json (default: from -o's extension, else table)")
	fl.StringVarP(&f.output, "output", "o", "", "write the verdict to `FILE` instead of stdout")
	fl.StringVar(&f.feature, "feature", "", "judge only `FEATURE`")
	fl.StringVar(&f.failOn, "fail-on", string(risk.High), "fail a feature with an unresolved threat at or above `SEVERITY` (low, medium, high, critical)")
	fl.StringArrayVar(&f.rules, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	fl.StringVar(&f.today, "today", "", "judge accepted risks' expiry as of `DATE` (YYYY-MM-DD; default today)")
	return cmd
}

func check(cmd *cobra.Command, path string, f checkFlags) error {
	floor, err := risk.ParseSeverity(f.failOn)
	if err != nil {
		return usagef("--fail-on: %s", err)
	}
	format, err := tableOrJSON(f.format, f.output)
	if err != nil {
		return err
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
	groups, err := gate.Check(res, f.feature, floor)
	if err != nil {
		return usagef("--feature: %s", err)
	}
	printWarnings(cmd.ErrOrStderr(), res.Warnings)
	write := writeCheckTable
	if format == "json" {
		write = writeCheckJSON
	}
	err = writeOutput(f.output, cmd.OutOrStdout(), func(out *output) error {
		if err := write(out.w, groups, floor, len(res.Model.Features) > 0); err != nil {
			return fmt.Errorf("write verdict: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var failed []string
	for _, g := range groups {
		if !g.Passed() {
			failed = append(failed, groupName(g, len(res.Model.Features) > 0))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "ward: gate failed: unresolved threats at or above %s in %s\n", floor, strings.Join(failed, ", "))
	return gateError{count: len(failed)}
}

// groupName labels a group in the verdict.
func groupName(g gate.Group, hasFeatures bool) string {
	switch {
	case g.Feature != nil:
		return g.Feature.ID
	case hasFeatures:
		return "(no feature)"
	}
	return "(whole model)"
}

func writeCheckTable(w io.Writer, groups []gate.Group, floor risk.Severity, hasFeatures bool) error {
	var b strings.Builder
	for _, g := range groups {
		verdict := "pass"
		if !g.Passed() {
			verdict = "FAIL"
		}
		fmt.Fprintf(&b, "%s  %s: %d of %d unresolved threats at or above %s\n",
			verdict, groupName(g, hasFeatures), len(g.Blocking), g.Unresolved, floor)
		for _, t := range g.Blocking {
			fmt.Fprintf(&b, "    %-8s %s  %s (%s)\n", t.Severity, t.Location, t.ID, t.Status)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// checkJSON is the shape of `ward check --format json`.
type checkJSON struct {
	FailOn   risk.Severity    `json:"fail_on"`
	Passed   bool             `json:"passed"`
	Features []checkGroupJSON `json:"features"`
}

type checkGroupJSON struct {
	// Feature is the feature id; "" for elements no feature touches, or
	// for a model without features.
	Feature    string            `json:"feature"`
	Passed     bool              `json:"passed"`
	Unresolved int               `json:"unresolved"`
	Blocking   []checkThreatJSON `json:"blocking"`
}

type checkThreatJSON struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Severity risk.Severity `json:"severity"`
	Status   engine.Status `json:"status"`
	Location string        `json:"location,omitempty"`
}

func writeCheckJSON(w io.Writer, groups []gate.Group, floor risk.Severity, _ bool) error {
	doc := checkJSON{FailOn: floor, Passed: true, Features: []checkGroupJSON{}}
	for _, g := range groups {
		jg := checkGroupJSON{Passed: g.Passed(), Unresolved: g.Unresolved, Blocking: []checkThreatJSON{}}
		if g.Feature != nil {
			jg.Feature = g.Feature.ID
		}
		doc.Passed = doc.Passed && g.Passed()
		for _, t := range g.Blocking {
			loc := ""
			if t.Location.File != "" {
				loc = t.Location.String()
			}
			jg.Blocking = append(jg.Blocking, checkThreatJSON{ID: t.ID, Title: t.Title, Severity: t.Severity, Status: t.Status, Location: loc})
		}
		doc.Features = append(doc.Features, jg)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
