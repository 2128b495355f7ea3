package diff

import (
	"fmt"
	"strings"

	"github.com/wardsec/ward/risk"
)

// Summary counts a Diff's changes.
type Summary struct {
	NewThreats int
	// NewBySeverity counts the new threats by severity; it is non-nil.
	NewBySeverity      map[risk.Severity]int
	Resolved           int
	Raised, Lowered    int
	StatusChanged      int
	MitigationStatuses int
	// Added, Removed and Changed count model elements; the model header
	// counts as one changed element.
	Added, Removed, Changed int
}

// Summary counts d's changes.
func (d *Diff) Summary() Summary {
	s := Summary{
		NewThreats:         len(d.NewThreats),
		NewBySeverity:      map[risk.Severity]int{},
		Resolved:           len(d.Resolved),
		StatusChanged:      len(d.StatusChanged),
		MitigationStatuses: len(d.MitigationStatuses),
	}
	for _, t := range d.NewThreats {
		s.NewBySeverity[t.New.Severity]++
	}
	for _, t := range d.Reranked {
		if t.Raised() {
			s.Raised++
		} else {
			s.Lowered++
		}
	}
	for _, e := range d.Elements {
		switch e.Change {
		case Added:
			s.Added++
		case Removed:
			s.Removed++
		case Changed:
			s.Changed++
		}
	}
	return s
}

// String is the one-line summary every format starts with, e.g. "2 new
// threats (1 high, 1 medium), 1 resolved, 1 re-ranked (1 up); model: 1
// element added, 2 changed."
func (s Summary) String() string {
	var threats []string
	if s.NewThreats > 0 {
		threats = append(threats, fmt.Sprintf("%s (%s)", count(s.NewThreats, "new threat", "new threats"), severityCounts(s.NewBySeverity)))
	}
	if s.Resolved > 0 {
		threats = append(threats, fmt.Sprintf("%d resolved", s.Resolved))
	}
	if n := s.Raised + s.Lowered; n > 0 {
		var dirs []string
		if s.Raised > 0 {
			dirs = append(dirs, fmt.Sprintf("%d up", s.Raised))
		}
		if s.Lowered > 0 {
			dirs = append(dirs, fmt.Sprintf("%d down", s.Lowered))
		}
		threats = append(threats, fmt.Sprintf("%d re-ranked (%s)", n, strings.Join(dirs, ", ")))
	}
	if s.StatusChanged > 0 {
		threats = append(threats, count(s.StatusChanged, "threat status change", "threat status changes"))
	}
	var groups []string
	if len(threats) > 0 {
		groups = append(groups, strings.Join(threats, ", "))
	}
	if s.MitigationStatuses > 0 {
		groups = append(groups, count(s.MitigationStatuses, "mitigation status change", "mitigation status changes"))
	}
	if model := s.modelCounts(); model != "" {
		if len(threats) == 0 {
			groups = append([]string{"no threat changes"}, groups...)
		}
		groups = append(groups, "model: "+model)
	}
	if len(groups) == 0 {
		return "No changes."
	}
	line := strings.Join(groups, "; ") + "."
	return strings.ToUpper(line[:1]) + line[1:]
}

func (s Summary) modelCounts() string {
	var parts []string
	noun := func(n int) string {
		if len(parts) > 0 {
			return fmt.Sprint(n) // "2 elements added, 1 removed"
		}
		return count(n, "element", "elements")
	}
	if s.Added > 0 {
		parts = append(parts, noun(s.Added)+" added")
	}
	if s.Removed > 0 {
		parts = append(parts, noun(s.Removed)+" removed")
	}
	if s.Changed > 0 {
		parts = append(parts, noun(s.Changed)+" changed")
	}
	return strings.Join(parts, ", ")
}

// severityCounts lists the non-zero counts, most severe first.
func severityCounts(m map[risk.Severity]int) string {
	var parts []string
	for i := len(risk.Severities) - 1; i >= 0; i-- {
		if n := m[risk.Severities[i]]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, risk.Severities[i]))
		}
	}
	return strings.Join(parts, ", ")
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
