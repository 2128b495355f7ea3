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
	"github.com/wardsec/ward/modelfile"
	"github.com/wardsec/ward/rules"
)

// What `ward mitigate` and `ward accept` share: load and analyze the
// model, pick the file to change, check the model as it will be after the
// change, then write the file or print the diff.

// editFlags are the flags of the commands that edit a model file.
type editFlags struct {
	rules  []string
	dryRun bool
}

func (f *editFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "print the change as a unified diff on stdout instead of writing it")
	cmd.Flags().StringArrayVar(&f.rules, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
}

// modelEdit is a model analyzed for an edit of one of its files.
type modelEdit struct {
	path  string // the model's file or directory, as given
	flags editFlags
	now   time.Time
	res   *engine.Result
	lib   *rules.Library // the library res was analyzed with
}

func loadForEdit(cmd *cobra.Command, path string, f editFlags) (*modelEdit, error) {
	now := time.Now()
	prog := newProgress(cmd.ErrOrStderr())
	res, lib, err := loadAndAnalyzeWith(model.Load, path, f.rules, engine.Options{Now: now, Progress: prog.analysing()}, prog)
	prog.done()
	if err != nil {
		return nil, err
	}
	return &modelEdit{path: path, flags: f, now: now, res: res, lib: lib}, nil
}

// threat returns the threat with the given id, or a user error naming the
// nearest one.
func (e *modelEdit) threat(id string) (*engine.Threat, error) {
	ids := make([]string, len(e.res.Threats))
	for i, t := range e.res.Threats {
		if t.ID == id {
			return t, nil
		}
		ids[i] = t.ID
	}
	return nil, fmt.Errorf("%w: %s has no threat %q%s (see `ward analyze %s` for the ids)", model.ErrInvalid, e.path, id, model.DidYouMean(id, ids), e.path)
}

// fileFor picks the file of the model that gets a new entry for t in a
// list whose entries were read from the files in holding: t's element's
// file when it holds such a list, else the first file that does, else t's
// element's file.
func (e *modelEdit) fileFor(t *engine.Threat, holding []string) string {
	files := e.res.Model.Files
	switch {
	case len(files) == 1:
		return files[0]
	case slices.Contains(holding, t.Location.File):
		return t.Location.File
	}
	for _, f := range files {
		if slices.Contains(holding, f) {
			return f
		}
	}
	if slices.Contains(files, t.Location.File) {
		return t.Location.File
	}
	return files[0]
}

// check analyzes the model as it will be once mf is written: the loaded
// model with mf's mitigations and accepted risks in place of the ones read
// from its file (an edit changes nothing else, which modelfile checked).
func (e *modelEdit) check(mf *modelfile.File) (*engine.Result, error) {
	part, diags := model.Parse(mf.Path, mf.Bytes(), model.DefaultLimits)
	if part == nil || len(diags) > 0 {
		return nil, fmt.Errorf("the change would break %s; nothing was written:\n%w", mf.Path, diags.Err())
	}
	old := e.res.Model
	m := *old
	mitigations := map[string][]*model.Mitigation{mf.Path: part.Mitigations}
	for _, mi := range old.Mitigations {
		if mi.Pos.File != mf.Path {
			mitigations[mi.Pos.File] = append(mitigations[mi.Pos.File], mi)
		}
	}
	accepted := map[string][]*model.Acceptance{mf.Path: part.Accepted}
	for _, a := range old.Accepted {
		if a.Pos.File != mf.Path {
			accepted[a.Pos.File] = append(accepted[a.Pos.File], a)
		}
	}
	// In file order, as Load joins them: the last acceptance of a threat wins.
	m.Mitigations, m.Accepted = nil, nil
	for _, f := range old.Files {
		m.Mitigations = append(m.Mitigations, mitigations[f]...)
		m.Accepted = append(m.Accepted, accepted[f]...)
	}
	if ds := m.Validate(); len(ds) > 0 {
		return nil, fmt.Errorf("the change would make the model invalid; nothing was written:\n%w", ds.Err())
	}
	res, err := engine.Analyze(&m, e.lib, engine.Options{Now: e.now})
	if err != nil {
		return nil, fmt.Errorf("the change would make the model invalid; nothing was written:\n%w", err)
	}
	return res, nil
}

// finish writes mf and says what was done, or with --dry-run prints the
// diff and writes nothing.
func (e *modelEdit) finish(cmd *cobra.Command, mf *modelfile.File, done string) error {
	if e.flags.dryRun {
		if _, err := io.WriteString(cmd.OutOrStdout(), mf.Diff()); err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "dry run, %s not written: %s\n", mf.Path, done)
		return nil
	}
	if err := mf.Commit(); err != nil {
		return err
	}
	fmt.Fprintln(cmd.ErrOrStderr(), done)
	return nil
}

// parseDate reads a YYYY-MM-DD flag value; "" gives the zero date.
func parseDate(flag, s string) (model.Date, error) {
	if s == "" {
		return model.Date{}, nil
	}
	t, err := time.Parse(model.DateLayout, s)
	if err != nil {
		return model.Date{}, usagef("--%s: bad date %q: write it as YYYY-MM-DD", flag, s)
	}
	return model.Date{Time: t}, nil
}

// parseEnum checks a flag value against an enum's values.
func parseEnum[T ~string](flag, s string, values []T) (T, error) {
	if s == "" || slices.Contains(values, T(s)) {
		return T(s), nil
	}
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return "", usagef("--%s: unknown value %q (want one of %s)%s", flag, s, strings.Join(names, ", "), model.DidYouMean(s, names))
}

// rangeArgs accepts from min to max positional arguments, named in the
// usage error.
func rangeArgs(lo, hi int, names string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < lo || len(args) > hi {
			return usagef("want %s; got %d argument(s)", names, len(args))
		}
		return nil
	}
}
