// Package ruletest proves rules with fixtures: small models on which a
// rule must fire, and near-identical ones on which it must stay quiet.
// `go test` runs the library's fixtures and `ward rules test DIR` a user
// pack's.
package ruletest

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
)

// File is the shape of a fixture file (*.tests.yaml).
type File struct {
	Tests []*Case `yaml:"tests,required"`
}

// Case is one fixture: analyze Model and check whether Rule fires on
// Target.
type Case struct {
	Rule string `yaml:"rule,required"`
	// Name says what the fixture shows, e.g. "public bucket without encryption".
	Name   string `yaml:"name,required"`
	Target string `yaml:"target,required"`
	// Fires is true for a positive fixture, false for a negative one.
	Fires bool         `yaml:"fires"`
	Model *model.Model `yaml:"model,required"`
	Pos   model.Pos
}

// FileSuffix marks fixture files.
const FileSuffix = ".tests.yaml"

// Outcome is the result of one case.
type Outcome struct {
	Case *Case
	// Err is nil when the case passed.
	Err error
}

// Report is the result of a fixture run.
type Report struct {
	Outcomes []Outcome
	// Uncovered lists rules lacking a positive or a negative fixture.
	Uncovered []string
}

// Failed reports whether any case failed or any rule is uncovered.
func (r *Report) Failed() bool {
	if len(r.Uncovered) > 0 {
		return true
	}
	for _, o := range r.Outcomes {
		if o.Err != nil {
			return true
		}
	}
	return false
}

// Load reads every fixture file under root in fsys.
func Load(fsys fs.FS, root, prefix string) ([]*Case, error) {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, FileSuffix) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read fixtures: %w", err)
	}
	sort.Strings(files)
	var cases []*Case
	var ds model.Diagnostics
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("read fixtures: %w", err)
		}
		name := path.Join(prefix, f)
		var tf File
		if err := model.Decode(name, data, &tf, model.DefaultLimits); err != nil {
			if fd, ok := err.(model.Diagnostics); ok {
				ds = append(ds, fd...)
				continue
			}
			return nil, err
		}
		for _, c := range tf.Tests {
			if c.Model == nil {
				continue
			}
			c.Model.Files = []string{name}
			c.Model.Pos = c.Pos
			ds = append(ds, c.Model.Validate()...)
			cases = append(cases, c)
		}
	}
	if err := ds.Err(); err != nil {
		return nil, err
	}
	return cases, nil
}

// LoadDir reads the fixtures of a rule pack directory.
func LoadDir(dir string) ([]*Case, error) {
	return Load(os.DirFS(dir), ".", dir)
}

// Run analyzes every case with lib and checks the outcome. Every rule of
// only (all of lib when only is nil) must have a positive and a negative
// fixture.
func Run(lib *rules.Library, cases []*Case, only []*rules.Rule) *Report {
	rep := &Report{}
	pos, neg := map[string]bool{}, map[string]bool{}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range cases {
		o := Outcome{Case: c}
		switch {
		case lib.Rule(c.Rule) == nil:
			o.Err = fmt.Errorf("%s: unknown rule %q", c.Pos, c.Rule)
		case c.Model.Component(c.Target) == nil && c.Model.Flow(c.Target) == nil:
			o.Err = fmt.Errorf("%s: target %q is not a component or flow of the fixture", c.Pos, c.Target)
		default:
			res, err := engine.Analyze(c.Model, lib, engine.Options{Now: now})
			if err != nil {
				o.Err = fmt.Errorf("%s: %w", c.Pos, err)
				break
			}
			id := c.Rule + model.ThreatIDSeparator + c.Target
			fired := slices.ContainsFunc(res.Threats, func(t *engine.Threat) bool { return t.ID == id })
			switch {
			case fired && !c.Fires:
				o.Err = fmt.Errorf("%s: %s: rule %s fired on %s but must not", c.Pos, c.Name, c.Rule, c.Target)
			case !fired && c.Fires:
				o.Err = fmt.Errorf("%s: %s: rule %s did not fire on %s", c.Pos, c.Name, c.Rule, c.Target)
			}
		}
		if o.Err == nil {
			if c.Fires {
				pos[c.Rule] = true
			} else {
				neg[c.Rule] = true
			}
		}
		rep.Outcomes = append(rep.Outcomes, o)
	}
	if only == nil {
		only = lib.Rules()
	}
	for _, r := range only {
		var missing []string
		if !pos[r.ID] {
			missing = append(missing, "a passing positive fixture")
		}
		if !neg[r.ID] {
			missing = append(missing, "a passing negative fixture")
		}
		if len(missing) > 0 {
			rep.Uncovered = append(rep.Uncovered, fmt.Sprintf("%s: rule %s lacks %s", r.Pos, r.ID, strings.Join(missing, " and ")))
		}
	}
	return rep
}
