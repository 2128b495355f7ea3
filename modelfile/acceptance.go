package modelfile

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

// Acceptance is an accepted risk to record in a model file; every field is
// required.
type Acceptance struct {
	Threat string
	Owner  string
	Reason string
	Until  model.Date
}

func (a Acceptance) check() error {
	if a.Threat == "" || a.Owner == "" || a.Reason == "" || a.Until.IsZero() {
		return fmt.Errorf("%w: an accepted risk needs a threat, an owner, a reason and a date", model.ErrInvalid)
	}
	return nil
}

func (a Acceptance) node() *yaml.Node {
	return mapping(
		str("threat"), str(a.Threat),
		str("owner"), str(a.Owner),
		str("reason"), str(a.Reason),
		str("until"), date(a.Until.String()),
	)
}

// AddAcceptance appends a to the file's top-level accepted list, creating
// the list at the end of the file when there is none, and returns the line
// where it starts.
func (f *File) AddAcceptance(a Acceptance) (int, error) {
	if err := a.check(); err != nil {
		return 0, err
	}
	d, err := f.apply(func(d *doc) ([]splice, error) { return d.appendToSection("accepted", a.node()) })
	if err != nil {
		return 0, err
	}
	_, seq := d.rootPair("accepted")
	return seq.Content[len(seq.Content)-1].Line, nil
}

// UpdateAcceptance renews the accepted risk of a.Threat in place — its
// owner, reason and date, each value's text replaced alone — and returns
// the line where it starts. When the file accepts the threat more than
// once it changes the last, the one the analysis uses. On error nothing
// is changed.
func (f *File) UpdateAcceptance(a Acceptance) (int, error) {
	if err := a.check(); err != nil {
		return 0, err
	}
	find := func(d *doc) (*yaml.Node, error) {
		if item := d.sectionItem("accepted", "threat", a.Threat, true); item != nil {
			return item, nil
		}
		return nil, fmt.Errorf("%w: %s does not accept threat %q in a list item of its own", model.ErrInvalid, f.Path, a.Threat)
	}
	return f.editItem(find, []itemEdit{
		setItemValue("owner", str(a.Owner)),
		setItemValue("reason", str(a.Reason)),
		setItemValue("until", date(a.Until.String())),
	})
}
