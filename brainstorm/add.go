package brainstorm

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Add checks d, a threat on the step's element in its category, gives it
// an id made from its title and unique among the model's hand-written
// threats, and keeps it for writing. Errors wrap model.ErrInvalid.
func (s *Session) Add(step *Step, d Draft) (*model.Threat, error) {
	t, err := s.threat(d, step.Element.ID, []model.Stride{step.Stride}, "")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	step.Added = append(step.Added, t)
	return t, nil
}

// threat builds the threat d describes on target, with id when given,
// else one made from the title, and keeps it. Its errors are plain
// messages for the caller to place.
func (s *Session) threat(d Draft, target string, strides []model.Stride, id string) (*model.Threat, error) {
	m := s.res.Model
	d.Title = strings.TrimSpace(d.Title)
	if d.Likelihood == "" {
		d.Likelihood = risk.Moderate
	}
	if d.Impact == "" {
		d.Impact = risk.Problematic
	}
	switch {
	case d.Title == "":
		return nil, fmt.Errorf("a threat needs a title")
	case target == "":
		return nil, fmt.Errorf("a threat needs a target: the id of a component or a flow")
	case m.Component(target) == nil && m.Flow(target) == nil:
		return nil, s.unknownElement(target)
	case d.Actor != "" && m.Actor(d.Actor) == nil:
		return nil, fmt.Errorf("the model has no actor %q%s", d.Actor, model.DidYouMean(d.Actor, actorIDs(m)))
	case !d.Likelihood.Valid():
		return nil, fmt.Errorf("unknown likelihood %q (want one of %s)", d.Likelihood, joinEnum(risk.Likelihoods))
	case !d.Impact.Valid():
		return nil, fmt.Errorf("unknown impact %q (want one of %s)", d.Impact, joinEnum(risk.Impacts))
	case len(strides) == 0:
		return nil, fmt.Errorf("a threat needs at least one STRIDE category")
	}
	for _, st := range strides {
		if !slices.Contains(model.Strides, st) {
			return nil, fmt.Errorf("unknown STRIDE category %q (want one of %s)", st, joinEnum(model.Strides))
		}
	}
	if id == "" {
		id = s.uniqueID(slug(d.Title))
	} else if s.ids[id] {
		return nil, fmt.Errorf("threat id %q is already taken", id)
	} else if !idPattern.MatchString(id) || strings.Contains(id, model.ThreatIDSeparator) {
		return nil, fmt.Errorf("threat id %q must start with a letter or digit and hold only letters, digits, '.', '_' and '-'", id)
	}
	t := &model.Threat{
		ID: id, Title: d.Title, Target: model.Ref{ID: target}, Stride: strides,
		Actor: model.Ref{ID: d.Actor}, Scenario: strings.TrimSpace(d.Scenario),
		Likelihood: d.Likelihood, Impact: d.Impact,
	}
	s.ids[id] = true
	s.added = append(s.added, t)
	return t, nil
}

// idPattern is the form of a model id.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// maxSlug keeps generated ids short enough to type in a mitigation.
const maxSlug = 48

// slug turns a title into a kebab-case id: lower-case letters and digits
// joined by '-', cut at a word boundary.
func slug(title string) string {
	var words []string
	wordChar := func(r rune) bool { return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	for w := range strings.FieldsFuncSeq(strings.ToLower(title), func(r rune) bool { return !wordChar(r) }) {
		words = append(words, w)
	}
	out := ""
	for _, w := range words {
		next := w
		if out != "" {
			next = out + "-" + w
		}
		if len(next) > maxSlug && out != "" {
			break
		}
		out = next
	}
	if len(out) > maxSlug {
		out = out[:maxSlug]
	}
	if out == "" {
		return "threat"
	}
	return out
}

// uniqueID returns base, or base-2, base-3… when taken.
func (s *Session) uniqueID(base string) string {
	id := base
	for n := 2; s.ids[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}

func actorIDs(m *model.Model) []string {
	ids := make([]string, len(m.Actors))
	for i, a := range m.Actors {
		ids[i] = a.ID
	}
	return ids
}

func joinEnum[T ~string](values []T) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}
