package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/wardsec/ward/engine"
)

// compareThreats matches the threats of the two versions by id.
func compareThreats(d *Diff, before, after []*engine.Threat) {
	old := make(map[string]*engine.Threat, len(before))
	for _, t := range before {
		if _, dup := old[t.ID]; !dup {
			old[t.ID] = t
		}
	}
	seen := make(map[string]bool, len(after))
	for _, t := range after {
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		o, ok := old[t.ID]
		if !ok {
			d.NewThreats = append(d.NewThreats, threatOf(nil, t))
			continue
		}
		if o.Severity != t.Severity {
			d.Reranked = append(d.Reranked, threatOf(o, t))
		}
		if o.Status != t.Status {
			d.StatusChanged = append(d.StatusChanged, threatOf(o, t))
		}
	}
	for id, t := range old {
		if !seen[id] {
			d.Resolved = append(d.Resolved, threatOf(t, nil))
		}
	}
	newer := func(t Threat) *State { return t.New }
	sortBySeverity(d.NewThreats, newer)
	sortBySeverity(d.Resolved, func(t Threat) *State { return t.Old })
	sortBySeverity(d.Reranked, newer)
	// Raised first: those are the ones a reviewer must look at.
	slices.SortStableFunc(d.Reranked, func(a, b Threat) int {
		return -cmp.Compare(btoi(a.Raised()), btoi(b.Raised()))
	})
	sortBySeverity(d.StatusChanged, newer)
}

// threatOf describes a threat from its two versions, either of which may
// be nil (not both).
func threatOf(before, after *engine.Threat) Threat {
	src := after
	if src == nil {
		src = before
	}
	t := Threat{ID: src.ID, Rule: src.Rule, Target: src.Target, TargetName: src.TargetName, Pos: src.Location}
	if src.Info != nil {
		t.Title = src.Title
	}
	if before != nil {
		t.Old = &State{Severity: before.Severity, Status: before.Status}
	}
	if after != nil {
		t.New = &State{Severity: after.Severity, Status: after.Status}
	}
	return t
}

// sortBySeverity orders threats most severe first (by the state picked),
// then by component name and id, as the assessment does.
func sortBySeverity(ts []Threat, state func(Threat) *State) {
	slices.SortFunc(ts, func(a, b Threat) int {
		if c := cmp.Compare(state(b).Severity.Rank(), state(a).Severity.Rank()); c != 0 {
			return c
		}
		if c := strings.Compare(a.TargetName, b.TargetName); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
