// Package brainstorm walks a person through "evil brainstorming": for each
// element of a model and each STRIDE category that applies to it, it shows
// the threats already found and the attacker questions of the library, and
// turns what the person thinks of into hand-written threats for the model
// file. The walk runs over a Prompter, so a terminal, a script or a test
// can drive it.
package brainstorm

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/rules"
)

// ErrStopped is returned when the person quits or the input ends before
// the brainstorm is over; nothing is written then.
var ErrStopped = errors.New("the brainstorm stopped before its end; nothing was written")

// Element is a component or a flow to brainstorm.
type Element struct {
	ID   string
	Name string
	// Kind is the component kind, or "flow" for a flow.
	Kind     model.Kind
	Category model.Category
	Pos      model.Pos
}

// Label names the element for a person: "Order API (order-api, aws.api-gateway)".
func (e Element) Label() string {
	if e.Name == "" || e.Name == e.ID {
		return fmt.Sprintf("%s (%s)", e.ID, e.Kind)
	}
	return fmt.Sprintf("%s (%s, %s)", e.Name, e.ID, e.Kind)
}

// Step is what the walk shows for one element and one STRIDE category.
type Step struct {
	Element Element
	Stride  model.Stride
	// Index and Of place the step among the element's categories (1-based).
	Index, Of int
	// Existing are the threats already found on the element in this
	// category, by the library or by hand.
	Existing []Existing
	// Questions prompt the person to think like an attacker: general ones
	// for the element's category first, then the library's.
	Questions []Question
	// Added are the threats added in this step so far.
	Added []*model.Threat
}

// Existing is a threat the analysis already found.
type Existing struct {
	ID       string
	Title    string
	Severity risk.Severity
	Status   engine.Status
}

// Question is an attacker question; Rule is the library rule asking it,
// "" for a general one.
type Question struct {
	Text string
	Rule string
}

// Draft is a threat as the person described it; the session checks it and
// gives it an id.
type Draft struct {
	Title    string
	Scenario string
	// Actor is a model actor id, or "" for none.
	Actor      string
	Likelihood risk.Likelihood // "" means moderate
	Impact     risk.Impact     // "" means problematic
}

// Session is one brainstorm over an analyzed model. It is not safe for
// concurrent use.
type Session struct {
	res   *engine.Result
	lib   *rules.Library
	now   time.Time
	added []*model.Threat
	ids   map[string]bool // hand-written threat ids taken, in the model or added
}

// New starts a session on res, the analysis of a model with lib. now is
// the date the check before writing analyzes at.
func New(res *engine.Result, lib *rules.Library, now time.Time) *Session {
	s := &Session{res: res, lib: lib, now: now, ids: map[string]bool{}}
	for _, t := range res.Model.Threats {
		s.ids[t.ID] = true
	}
	return s
}

// Elements returns the model's components and flows in scope, in the order
// the model lists them.
func (s *Session) Elements() []Element {
	m := s.res.Model
	out := make([]Element, 0, len(m.Components)+len(m.Flows))
	for _, c := range m.Components {
		if m.InScope(c.ID) {
			out = append(out, Element{ID: c.ID, Name: c.Name, Kind: c.Kind, Category: c.Kind.Category(), Pos: c.Pos})
		}
	}
	for _, f := range m.Flows {
		if m.InScope(f.ID) {
			name := f.Name
			if name == "" {
				name = f.From.ID + " → " + f.To.ID
			}
			out = append(out, Element{ID: f.ID, Name: name, Kind: model.Kind(model.FlowCategory), Category: model.FlowCategory, Pos: f.Pos})
		}
	}
	return out
}

// Element returns the element with the given id, or an error wrapping
// model.ErrInvalid that names the nearest one.
func (s *Session) Element(id string) (Element, error) {
	for _, e := range s.Elements() {
		if e.ID == id {
			return e, nil
		}
	}
	return Element{}, fmt.Errorf("%w: %w", model.ErrInvalid, s.unknownElement(id))
}

// unknownElement says that id names no element, suggesting the nearest.
func (s *Session) unknownElement(id string) error {
	elems := s.Elements()
	ids := make([]string, len(elems))
	for i, e := range elems {
		ids[i] = e.ID
	}
	return fmt.Errorf("the model has no component or flow %q%s", id, model.DidYouMean(id, ids))
}

// Strides lists the STRIDE categories that threaten an element of category
// c: all six for a process; tampering, repudiation (of the logs it may
// hold), disclosure and denial of service for a data store; spoofing and
// repudiation for an external entity; tampering, disclosure and denial of
// service for a flow.
func Strides(c model.Category) []model.Stride {
	switch c {
	case model.Datastore:
		return []model.Stride{model.Tampering, model.Repudiation, model.InformationDisclosure, model.DenialOfService}
	case model.ExternalEntity:
		return []model.Stride{model.Spoofing, model.Repudiation}
	case model.FlowCategory:
		return []model.Stride{model.Tampering, model.InformationDisclosure, model.DenialOfService}
	}
	return slices.Clone(model.Strides)
}

// Steps returns the steps of e, one per STRIDE category that applies.
func (s *Session) Steps(e Element) []*Step {
	strides := Strides(e.Category)
	steps := make([]*Step, len(strides))
	for i, st := range strides {
		steps[i] = &Step{Element: e, Stride: st, Index: i + 1, Of: len(strides),
			Existing: s.existing(e.ID, st), Questions: s.questions(e, st)}
	}
	return steps
}

// existing returns the threats found on id in category st.
func (s *Session) existing(id string, st model.Stride) []Existing {
	var out []Existing
	for _, t := range s.res.Threats {
		if t.Target == id && slices.Contains(t.Stride, st) {
			out = append(out, Existing{ID: t.ID, Title: t.Title, Severity: t.Severity, Status: t.Status})
		}
	}
	return out
}

// questions returns the general questions for e's category in category
// st, then those of every library rule that applies to e's kind in st,
// whether it fired or not, each once.
func (s *Session) questions(e Element, st model.Stride) []Question {
	var out []Question
	seen := map[string]bool{}
	for _, q := range general[e.Category][st] {
		seen[q] = true
		out = append(out, Question{Text: q})
	}
	for _, r := range s.lib.Rules() {
		if !slices.Contains(r.Stride, st) || !r.AppliesToKind(e.Kind) {
			continue
		}
		for _, q := range r.Questions {
			if q = strings.TrimSpace(q); q != "" && !seen[q] {
				seen[q] = true
				out = append(out, Question{Text: q, Rule: r.ID})
			}
		}
	}
	return out
}

// Added returns the threats added so far, in order.
func (s *Session) Added() []*model.Threat { return s.added }
