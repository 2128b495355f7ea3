// Package gate decides whether a model may ship: it finds the unresolved
// threats at or above a severity, per feature, so one feature's open
// threats block that feature and not the whole workload.
package gate

import (
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Group is the verdict on one feature, or on the part of the model no
// feature touches (Feature nil).
type Group struct {
	Feature *model.Feature
	// Unresolved counts the group's unresolved threats of any severity.
	Unresolved int
	// Blocking are the unresolved threats at or above the threshold.
	Blocking []*engine.Threat
}

// Passed reports whether nothing in the group blocks it.
func (g Group) Passed() bool { return len(g.Blocking) == 0 }

// Blocking returns res's unresolved threats at or above floor, in the
// result's order (most severe first).
func Blocking(threats []*engine.Threat, floor risk.Severity) []*engine.Threat {
	var hits []*engine.Threat
	for _, t := range threats {
		if t.Status.Unresolved() && t.Severity.AtLeast(floor) {
			hits = append(hits, t)
		}
	}
	return hits
}

// Check judges each feature of res's model on its own threats. With
// feature set, only that feature is judged; it returns
// engine.ErrUnknownFeature for one the model lacks. Without it, every
// feature is judged, then the threats of elements no feature touches as
// one more group — or, when the model declares no features, the whole
// model as one group.
func Check(res *engine.Result, feature string, floor risk.Severity) ([]Group, error) {
	if feature != "" {
		sub, err := res.ForFeature(feature)
		if err != nil {
			return nil, err
		}
		return []Group{judge(res.Model.Feature(feature), sub.Threats, floor)}, nil
	}
	m := res.Model
	var groups []Group
	covered := map[*engine.Threat]bool{}
	for _, f := range m.Features {
		var mine []*engine.Threat
		for _, t := range res.Threats {
			if f.Touches(m, t.Target) {
				mine = append(mine, t)
				covered[t] = true
			}
		}
		groups = append(groups, judge(f, mine, floor))
	}
	var rest []*engine.Threat
	for _, t := range res.Threats {
		if !covered[t] {
			rest = append(rest, t)
		}
	}
	if len(m.Features) == 0 || len(rest) > 0 {
		groups = append(groups, judge(nil, rest, floor))
	}
	return groups, nil
}

func judge(f *model.Feature, threats []*engine.Threat, floor risk.Severity) Group {
	g := Group{Feature: f, Blocking: Blocking(threats, floor)}
	for _, t := range threats {
		if t.Status.Unresolved() {
			g.Unresolved++
		}
	}
	return g
}
