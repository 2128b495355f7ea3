package brainstorm

import (
	"maps"
	"strings"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// answersFile is the shape of an answers file: the threats to add without
// asking, written as in a model's threats list, with id and target
// optional.
type answersFile struct {
	Threats []*answer `yaml:"threats,required"`
}

// answer is one threat of an answers file.
type answer struct {
	// ID defaults to one made from the title.
	ID    string `yaml:"id"`
	Title string `yaml:"title,required"`
	// Target defaults to the element the brainstorm is on.
	Target       model.Ref       `yaml:"target"`
	Stride       []model.Stride  `yaml:"stride,required"`
	Actor        model.Ref       `yaml:"actor"`
	Scenario     string          `yaml:"scenario"`
	Likelihood   risk.Likelihood `yaml:"likelihood"`
	Impact       risk.Impact     `yaml:"impact"`
	Requirements []string        `yaml:"requirements"`
	TestCases    []string        `yaml:"test_cases"`
	References   []string        `yaml:"references"`
	Pos          model.Pos
}

// AddAnswers adds the threats of an answers file, data read from the file
// name, as a script would answer the walk:
//
//	threats:
//	  - title: Replayed order confirmations
//	    target: order-api          # the element given, when left out
//	    stride: [tampering]
//	    actor: external-adversary
//	    scenario: ...
//
// It checks every threat and reports every problem at once, with its
// file:line:col, wrapping model.ErrInvalid; then it adds none.
func (s *Session) AddAnswers(name string, data []byte, element string) error {
	var f answersFile
	if err := model.Decode(name, data, &f, model.DefaultLimits); err != nil {
		return err
	}
	var ds model.Diagnostics
	if len(f.Threats) == 0 {
		ds = append(ds, model.Diagnostic{Pos: model.Pos{File: name, Line: 1, Col: 1}, Message: "threats lists no threat"})
	}
	added, ids := len(s.added), maps.Clone(s.ids)
	for _, a := range f.Threats {
		target := a.Target.ID
		if target == "" {
			target = element
		}
		d := Draft{Title: a.Title, Scenario: a.Scenario, Actor: a.Actor.ID, Likelihood: a.Likelihood, Impact: a.Impact}
		t, err := s.threat(d, target, a.Stride, strings.TrimSpace(a.ID))
		if err != nil {
			ds = append(ds, model.Diagnostic{Pos: a.Pos, Message: err.Error()})
			continue
		}
		t.Requirements, t.TestCases, t.References = a.Requirements, a.TestCases, a.References
	}
	if len(ds) > 0 {
		s.added, s.ids = s.added[:added], ids
		return ds.Err()
	}
	return nil
}
