package modelfile

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

// checkThreat refuses a threat the model would not decode; whether its
// target and actor exist is for the caller, who sees the whole model.
func checkThreat(t *model.Threat) error {
	switch {
	case t.ID == "" || t.Title == "" || t.Target.ID == "" || len(t.Stride) == 0:
		return fmt.Errorf("%w: a threat needs an id, a title, a target and a STRIDE category", model.ErrInvalid)
	case t.Likelihood != "" && !t.Likelihood.Valid():
		return fmt.Errorf("%w: threat %s: unknown likelihood %q", model.ErrInvalid, t.ID, t.Likelihood)
	case t.Impact != "" && !t.Impact.Valid():
		return fmt.Errorf("%w: threat %s: unknown impact %q", model.ErrInvalid, t.ID, t.Impact)
	}
	for _, s := range t.Stride {
		if !slices.Contains(model.Strides, s) {
			return fmt.Errorf("%w: threat %s: unknown STRIDE category %q", model.ErrInvalid, t.ID, s)
		}
	}
	return nil
}

// threatNode is t as the model file writes it, keys in the documented
// order, empty optional ones left out.
func threatNode(t *model.Threat) *yaml.Node {
	n := mapping(str("id"), str(t.ID), str("title"), str(t.Title), str("target"), str(t.Target.ID))
	add := func(key string, v *yaml.Node) { n.Content = append(n.Content, str(key), v) }
	strides := flowSeq()
	for _, s := range t.Stride {
		strides.Content = append(strides.Content, str(string(s)))
	}
	add("stride", strides)
	if t.Actor.ID != "" {
		add("actor", str(t.Actor.ID))
	}
	if t.Scenario != "" {
		add("scenario", str(t.Scenario))
	}
	if t.Likelihood != "" {
		add("likelihood", str(string(t.Likelihood)))
	}
	if t.Impact != "" {
		add("impact", str(string(t.Impact)))
	}
	for _, l := range []struct {
		key    string
		values []string
	}{{"requirements", t.Requirements}, {"test_cases", t.TestCases}, {"references", t.References}} {
		if len(l.values) > 0 {
			seq := blockSeq()
			for _, v := range l.values {
				seq.Content = append(seq.Content, str(v))
			}
			add(l.key, seq)
		}
	}
	return n
}

// AddThreats appends ts, hand-written threats, to the file's top-level
// threats list in order, creating the list at the end of the file when
// there is none, and returns the line where the first starts. It refuses
// an id the file already uses. On error nothing is changed.
func (f *File) AddThreats(ts []*model.Threat) (int, error) {
	if len(ts) == 0 {
		return 0, fmt.Errorf("%w: no threats to add", model.ErrInvalid)
	}
	for _, t := range ts {
		if err := checkThreat(t); err != nil {
			return 0, err
		}
	}
	var line int
	err := f.transaction(func() error {
		for i, t := range ts {
			d, err := parseDoc(f.Path, f.text)
			if err != nil {
				return err
			}
			if item := d.threat(t.ID); item != nil {
				return fmt.Errorf("%w: %s:%d: threat %q is already there", model.ErrInvalid, f.Path, item.Line, t.ID)
			}
			if d, err = f.apply(func(d *doc) ([]splice, error) { return d.appendToSection("threats", threatNode(t)) }); err != nil {
				return err
			}
			if i == 0 {
				line = d.threat(t.ID).Line
			}
		}
		return nil
	})
	return line, err
}

// threat returns the item of the top-level threats list whose own id key
// is id, or nil.
func (d *doc) threat(id string) *yaml.Node {
	return d.sectionItem("threats", "id", id, false)
}

// FormatThreats returns ts as a top-level threats list, written as
// AddThreats would write it: the text for a person to add to a model file
// by hand when AddThreats or Commit cannot.
func FormatThreats(ts []*model.Threat) (string, error) {
	var b strings.Builder
	b.WriteString("threats:\n")
	for _, t := range ts {
		item, err := blockItem(threatNode(t), 2, "\n")
		if err != nil {
			return "", err
		}
		b.WriteString(item)
	}
	return b.String(), nil
}
