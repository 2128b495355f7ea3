package brainstorm

import (
	"github.com/wardsec/ward/model"
)

// AllElements is what Prompter.Element returns to walk every element in
// turn; no element id can be "*".
const AllElements = "*"

// Prompter asks the person brainstorming. The walk decides what is asked
// and in which order; a Prompter only shows and reads, and re-asks on an
// answer it cannot use. Every method returns an error wrapping ErrStopped
// when the person quits or the input ends.
type Prompter interface {
	// Element shows elems and returns the id of the one to brainstorm
	// next, AllElements for every one in turn, or "" when the person is
	// done.
	Element(elems []Element) (string, error)
	// Threat shows step and asks for one more threat on its element in its
	// category, with one of actors as the attacker; nil when the person
	// adds none.
	Threat(step *Step, actors []*model.Actor) (*Draft, error)
	// Confirm shows the threats about to be written to file and asks
	// whether to write them.
	Confirm(threats []*model.Threat, file string) (bool, error)
}

// Walk runs the brainstorm on the element with id only, or, when only is
// "", on the elements the person picks. It returns the threats added and
// whether the person confirmed writing them (false when none were added).
// An unknown only is an error wrapping model.ErrInvalid; an error leaves
// nothing to write.
func Walk(s *Session, p Prompter, only string) ([]*model.Threat, bool, error) {
	if only != "" {
		e, err := s.Element(only)
		if err != nil {
			return nil, false, err
		}
		if err := s.walkElement(p, e); err != nil {
			return nil, false, err
		}
	} else if err := s.walkPicked(p); err != nil {
		return nil, false, err
	}
	if len(s.added) == 0 {
		return nil, false, nil
	}
	ok, err := p.Confirm(s.added, s.File())
	if err != nil {
		return nil, false, err
	}
	return s.added, ok, nil
}

// walkPicked walks the elements the person picks until they are done.
func (s *Session) walkPicked(p Prompter) error {
	elems := s.Elements()
	for {
		id, err := p.Element(elems)
		switch {
		case err != nil:
			return err
		case id == "":
			return nil
		case id == AllElements:
			for _, e := range elems {
				if err := s.walkElement(p, e); err != nil {
					return err
				}
			}
			return nil
		}
		e, err := s.Element(id)
		if err != nil {
			return err
		}
		if err := s.walkElement(p, e); err != nil {
			return err
		}
	}
}

// walkElement asks for threats on e, category by category, until the
// person adds no more in each.
func (s *Session) walkElement(p Prompter, e Element) error {
	for _, step := range s.Steps(e) {
		for {
			d, err := p.Threat(step, s.res.Model.Actors)
			if err != nil {
				return err
			}
			if d == nil {
				break
			}
			if _, err := s.Add(step, *d); err != nil {
				return err
			}
		}
	}
	return nil
}
