package brainstorm

import (
	"fmt"
	"slices"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/modelfile"
)

// Edit is the change that adds the session's threats to their model
// file, made in memory and checked. Its File shows the change (Diff) and
// writes it (Commit), refusing when the file changed since it was read.
type Edit struct {
	// File is the model file with the threats added in memory.
	File *modelfile.File
	// Line is where the first new threat starts.
	Line int
	// Result is the analysis of the model as it will be.
	Result *engine.Result
}

// Prepare adds the threats added so far to File(), after its last threat
// or in a new threats list at its end, keeping every other byte, and
// checks the whole model as it will be: it must validate and its analysis
// must find each new threat. Nothing is written.
func (s *Session) Prepare() (*Edit, error) {
	if len(s.added) == 0 {
		return nil, fmt.Errorf("%w: no threats to add", model.ErrInvalid)
	}
	mf, err := modelfile.Read(s.File())
	if err != nil {
		return nil, err
	}
	line, err := mf.AddThreats(s.added)
	if err != nil {
		return nil, err
	}
	res, err := s.check()
	if err != nil {
		return nil, err
	}
	return &Edit{File: mf, Line: line, Result: res}, nil
}

// check analyzes the model with the added threats and checks that each is
// found: the proof that writing them does what was meant.
func (s *Session) check() (*engine.Result, error) {
	m := *s.res.Model
	m.Threats = slices.Concat(s.res.Model.Threats, s.added)
	if ds := m.Validate(); len(ds) > 0 {
		return nil, fmt.Errorf("the new threats would make the model invalid; nothing was written:\n%w", ds.Err())
	}
	res, err := engine.Analyze(&m, s.lib, engine.Options{Now: s.now})
	if err != nil {
		return nil, fmt.Errorf("the new threats would make the model invalid; nothing was written:\n%w", err)
	}
	for _, t := range s.added {
		if !slices.ContainsFunc(res.Threats, func(f *engine.Threat) bool { return f.ID == t.ID }) {
			return nil, fmt.Errorf("after the change threat %s would not be found on %s; nothing was written", t.ID, t.Target.ID)
		}
	}
	return res, nil
}

// Render returns the threats added so far as a threats list to paste into
// a model file by hand, when Prepare or Commit cannot write them.
func (s *Session) Render() (string, error) { return modelfile.FormatThreats(s.added) }
