package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
)

// checkRuleRefs rejects mitigations and acceptances naming rules the
// library does not have: a typo there would silently leave a threat open.
func checkRuleRefs(m *model.Model, lib *rules.Library) error {
	var ds model.Diagnostics
	check := func(r model.Ref, id string) {
		if lib.Rule(id) == nil {
			ds = append(ds, model.Diagnostic{Pos: r.Pos, Message: fmt.Sprintf("unknown rule %q (see `ward rules list`)", id)})
		}
	}
	threat := func(r model.Ref) {
		if m.HandThreat(r.ID) != nil {
			return
		}
		if rule, _, ok := strings.Cut(r.ID, model.ThreatIDSeparator); ok {
			check(r, rule)
		}
	}
	for _, mi := range m.Mitigations {
		for _, r := range mi.Rules {
			check(r, r.ID)
		}
		for _, r := range mi.Threats {
			threat(r)
		}
	}
	for _, a := range m.Accepted {
		threat(a.Threat)
	}
	return ds.Err()
}

// join attaches the model's mitigations and acceptances to the threats
// they answer and sets each threat's status. It warns about references to
// threats the analysis did not find (the rule did not fire there).
func join(m *model.Model, threats []*Threat, now time.Time) model.Diagnostics {
	byID := make(map[string]*Threat, len(threats))
	byRule := map[string][]*Threat{}
	for _, t := range threats {
		byID[t.ID] = t
		if t.Rule != "" {
			byRule[t.Rule] = append(byRule[t.Rule], t)
		}
	}
	var warn model.Diagnostics
	answers := map[*Threat][]*model.Mitigation{}
	for _, mi := range m.Mitigations {
		for _, r := range mi.Threats {
			t, ok := byID[r.ID]
			if !ok && mi.Origin != "" {
				continue // an imported model's answer to a threat of its own
			}
			if !ok {
				warn = append(warn, model.Diagnostic{Pos: r.Pos, Message: fmt.Sprintf("mitigation %s answers threat %q, which the analysis did not find", mi.ID, r.ID)})
				continue
			}
			answers[t] = append(answers[t], mi)
		}
		targets := map[string]bool{}
		for _, r := range mi.Targets {
			targets[r.ID] = true
		}
		for _, r := range mi.Rules {
			for _, t := range byRule[r.ID] {
				// An imported model's rule-wide answer covers its own
				// elements, not the importing model's.
				if mi.Origin != "" && originOf(m, t.Target) != mi.Origin {
					continue
				}
				if len(targets) == 0 || targets[t.Target] {
					answers[t] = append(answers[t], mi)
				}
			}
		}
	}
	for _, acc := range m.Accepted {
		t, ok := byID[acc.Threat.ID]
		if !ok && acc.Origin != "" {
			continue
		}
		if !ok {
			warn = append(warn, model.Diagnostic{Pos: acc.Threat.Pos, Message: fmt.Sprintf("accepted risk names threat %q, which the analysis did not find", acc.Threat.ID)})
			continue
		}
		t.Acceptance = acc
	}
	today := now.UTC().Truncate(24 * time.Hour)
	for _, t := range threats {
		settle(t, answers[t], today)
	}
	warn.Sort()
	return warn
}

func originOf(m *model.Model, id string) string {
	if c := m.Component(id); c != nil {
		return c.Origin
	}
	if f := m.Flow(id); f != nil {
		return f.Origin
	}
	return ""
}

// settle sets a threat's status from the mitigations answering it and its
// acceptance; the team's own mitigations replace the library's suggestions.
func settle(t *Threat, answers []*model.Mitigation, today time.Time) {
	var planned, done bool
	var adopted []Mitigation
	for _, mi := range answers {
		adopted = append(adopted, Mitigation{ID: mi.ID, Title: mi.Title, Kind: mi.Kind, Status: string(mi.Status),
			Ticket: mi.Ticket, Owner: mi.Owner, Due: mi.Due.String(), FromModel: true})
		done = done || mi.Status.Done()
		planned = planned || mi.Status == model.Planned
	}
	if len(adopted) > 0 {
		t.Mitigations = adopted
	}
	switch {
	case done:
		t.Status = Mitigated
	case t.Acceptance != nil && !t.Acceptance.Until.Before(today):
		t.Status = Accepted
	case t.Acceptance != nil:
		t.Status = AcceptanceExpired
	case planned:
		t.Status = MitigationPlanned
	default:
		t.Status = Open
	}
}
