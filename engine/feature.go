package engine

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/wardsec/ward/model"
)

// ErrUnknownFeature is returned for a feature the model does not declare.
var ErrUnknownFeature = errors.New("unknown feature")

// ForFeature returns the part of the result that belongs to one feature of
// the model: the threats of the components and flows it touches. Other
// features' threats are left out, so they do not block this one. The
// warnings are kept whole.
func (r *Result) ForFeature(id string) (*Result, error) {
	f := r.Model.Feature(id)
	if f == nil {
		return nil, fmt.Errorf("%w %q (%s)", ErrUnknownFeature, id, knownFeatures(r.Model))
	}
	out := &Result{Model: r.Model, Warnings: r.Warnings}
	for _, t := range r.Threats {
		if f.Touches(r.Model, t.Target) {
			out.Threats = append(out.Threats, t)
		}
	}
	return out, nil
}

func knownFeatures(m *model.Model) string {
	if len(m.Features) == 0 {
		return "the model declares no features"
	}
	ids := make([]string, len(m.Features))
	for i, f := range m.Features {
		ids[i] = f.ID
	}
	sort.Strings(ids)
	return "known: " + strings.Join(ids, ", ")
}
