package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/diff"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/rules"
)

type diffFlags struct {
	format    string
	output    string
	rules     []string
	today     string
	feature   string
	failOnNew string
	git       string
}

func newDiff() *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff OLD NEW | --git REV [PATH]",
		Short: "Show what changed between two versions of a model: elements, threats, statuses",
		Long: `Diff compares two versions of a model and prints what changed: the
assets, actors, zones, components, flows, mitigations, accepted risks and
features added, removed or changed (a property change reads
"name: old → new"); the threats that are new, resolved (gone), or
re-ranked to a higher or lower severity; and the threats and mitigations
whose status moved (open → mitigated, planned → implemented).

OLD and NEW are each a model file or a directory of *.ward.yaml files.
With --git REV, the old version is PATH (default ".") as it was at the git
revision REV, read from git without touching the working tree, and the
new one is PATH as it is now; positions in the old version read
"REV:path/file.ward.yaml:12:3". Both versions are analyzed with the same
rules and the same --today, so only the models' changes show.

The format is --format, or else the extension of -o (.json, .md, .txt),
or else a table for the terminal. Markdown starts with a one-line
summary and folds each kind of change into a <details> section, ready
to paste as a pull-request comment; JSON is described in docs/diff.md.

With --fail-on-new, it exits 1 when the change brings in an unresolved
threat at or above that severity: a new one, or one whose severity rose
and is now at or above it. With --feature, only that feature's threats
are compared.`,
		Example: `  ward diff examples/ecommerce examples/ecommerce-v2
  ward diff --git HEAD                      # uncommitted changes to the model in .
  ward diff --git origin/main threat-model/ --format markdown -o diff.md
  ward diff --git origin/main threat-model/ --fail-on-new high
  ward diff old.ward.yaml new.ward.yaml --feature checkout -o diff.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.git != "" {
				return maxArgs(1)(cmd, args)
			}
			if len(args) != 2 {
				return usagef("want 2 arguments: OLD NEW, or --git REV [PATH]; got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.git, "git", "", "compare PATH at the git revision `REV` (a commit, branch or tag) with PATH now")
	fl.StringVarP(&f.format, "format", "f", "", "output `FORMAT`: "+strings.Join(diff.Formats(), ", ")+" (default: from -o's extension, else table)")
	fl.StringVarP(&f.output, "output", "o", "", "write the diff to `FILE` instead of stdout")
	fl.StringArrayVar(&f.rules, "rules", nil, "also load the rule pack in `DIR` for both versions (repeatable)")
	fl.StringVar(&f.feature, "feature", "", "compare only the threats of the components and flows of `FEATURE`")
	fl.StringVar(&f.failOnNew, "fail-on-new", "", "exit 1 if the change brings in an unresolved threat at or above `SEVERITY` (low, medium, high, critical)")
	fl.StringVar(&f.today, "today", "", "judge accepted risks' expiry as of `DATE` in both versions (YYYY-MM-DD; default today)")
	return cmd
}

// diffSide is one version to compare: a path to load and how to name it.
type diffSide struct {
	label string
	load  func() (*model.Model, error)
}

func runDiff(cmd *cobra.Command, args []string, f diffFlags) error {
	var gate risk.Severity
	if f.failOnNew != "" {
		s, err := risk.ParseSeverity(f.failOnNew)
		if err != nil {
			return usagef("--fail-on-new: %s", err)
		}
		gate = s
	}
	format, err := diffFormat(f)
	if err != nil {
		return err
	}
	now, err := parseToday(f.today)
	if err != nil {
		return err
	}
	var before, after diffSide
	if f.git != "" {
		path := "."
		if len(args) == 1 {
			path = args[0]
		}
		rev, err := checkoutRevision(cmd.Context(), f.git, path)
		if err != nil {
			return err
		}
		defer os.RemoveAll(rev.dir) //nolint:errcheck // a leftover temp dir is harmless
		before, after = diffSide{label: rev.label, load: rev.load}, pathSide(path)
	} else {
		before, after = pathSide(args[0]), pathSide(args[1])
	}

	prog := newProgress(cmd.ErrOrStderr())
	stop := prog.while("analysing %s and %s", before.label, after.label)
	old, cur, err := analyzeBoth(before, after, f.rules, engine.Options{Now: now})
	stop()
	prog.done()
	if err != nil {
		return err
	}
	if f.feature != "" {
		if old, cur, err = featureOnly(old, cur, f.feature); err != nil {
			return err
		}
	}
	d := diff.Compare(old, cur)
	d.Old.Label, d.New.Label, d.Feature = before.label, after.label, f.feature

	err = writeOutput(f.output, cmd.OutOrStdout(), func(out *output) error {
		return diff.Write(out.w, format, d, diff.Options{Width: out.width})
	})
	if err != nil {
		return err
	}
	if gate == "" {
		return nil
	}
	return checkNewGate(cmd.ErrOrStderr(), d, gate)
}

func pathSide(path string) diffSide {
	return diffSide{label: path, load: func() (*model.Model, error) { return model.Load(path) }}
}

// diffFormat is --format, or the format -o's extension names, or a table.
func diffFormat(f diffFlags) (string, error) {
	return chooseFormat(f.format, f.output, diff.Formats(), diff.FormatOf, diff.Table)
}

// analyzeBoth loads the two versions and the library at once, then
// analyzes both with the same library and options.
func analyzeBoth(before, after diffSide, packs []string, opt engine.Options) (*engine.Result, *engine.Result, error) {
	type loaded struct {
		m   *model.Model
		err error
	}
	oldc, newc := make(chan loaded, 1), make(chan loaded, 1)
	for _, s := range []struct {
		side diffSide
		c    chan loaded
	}{{before, oldc}, {after, newc}} {
		go func() {
			m, err := s.side.load()
			s.c <- loaded{m, err}
		}()
	}
	lib, libErr := library(packs)
	o, n := <-oldc, <-newc
	// A model's mistakes come first: they are what the user can fix.
	if err := errors.Join(o.err, n.err); err != nil {
		return nil, nil, err
	}
	if libErr != nil {
		return nil, nil, libErr
	}
	return analyzePair(o.m, n.m, lib, opt)
}

func analyzePair(before, after *model.Model, lib *rules.Library, opt engine.Options) (*engine.Result, *engine.Result, error) {
	old, err := engine.Analyze(before, lib, opt)
	if err != nil {
		return nil, nil, err
	}
	cur, err := engine.Analyze(after, lib, opt)
	if err != nil {
		return nil, nil, err
	}
	return old, cur, nil
}

// featureOnly narrows both results to one feature's threats. A feature
// that one version lacks has no threats there: all of its threats are new
// (or resolved).
func featureOnly(before, after *engine.Result, id string) (*engine.Result, *engine.Result, error) {
	old, oldErr := before.ForFeature(id)
	cur, curErr := after.ForFeature(id)
	// ForFeature fails only for a feature the model does not declare.
	switch {
	case oldErr != nil && curErr != nil:
		return nil, nil, usagef("--feature: %s", curErr)
	case oldErr != nil:
		old = &engine.Result{Model: before.Model}
	case curErr != nil:
		cur = &engine.Result{Model: after.Model}
	}
	return old, cur, nil
}

// checkNewGate fails when the change brings in an unresolved threat at or
// above gate.
func checkNewGate(stderr io.Writer, d *diff.Diff, gate risk.Severity) error {
	hits := d.Introduced(gate)
	if len(hits) == 0 {
		return nil
	}
	fmt.Fprintf(stderr, "ward: gate failed: the change brings in %d unresolved threat(s) at or above %s:\n", len(hits), gate)
	for i, t := range hits {
		if i == 20 {
			fmt.Fprintf(stderr, "  ... and %d more\n", len(hits)-20)
			break
		}
		how := "new"
		if t.Old != nil {
			how = "raised from " + string(t.Old.Severity)
		}
		fmt.Fprintf(stderr, "  %s  %-8s %s (%s, %s)\n", t.Pos, t.New.Severity, t.ID, t.New.Status, how)
	}
	return gateError{count: len(hits)}
}
