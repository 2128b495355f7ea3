package report

import (
	"sort"
	"strings"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// This file computes what the document formats (HTML, Markdown, PDF, XLSX)
// show besides the assessment table, once, so they all agree.

// HeatMap counts unresolved threats by impact (rows, most severe first) and
// likelihood (columns, easiest last), the cells of the risk matrix.
type HeatMap struct {
	Impacts     []risk.Impact     // row labels, severe first
	Likelihoods []risk.Likelihood // column labels, difficult first
	Counts      [][]int           // Counts[row][col]
	Severity    [][]risk.Severity // the matrix's verdict for each cell
}

// HeatMapOf counts res's unresolved threats on the model's risk matrix.
func HeatMapOf(res *engine.Result) HeatMap {
	matrix := risk.Default()
	if res.Model != nil {
		matrix = res.Model.Matrix()
	}
	h := HeatMap{Likelihoods: risk.Likelihoods}
	for i := len(risk.Impacts) - 1; i >= 0; i-- {
		h.Impacts = append(h.Impacts, risk.Impacts[i])
	}
	h.Counts = make([][]int, len(h.Impacts))
	h.Severity = make([][]risk.Severity, len(h.Impacts))
	for r, imp := range h.Impacts {
		h.Counts[r] = make([]int, len(h.Likelihoods))
		h.Severity[r] = make([]risk.Severity, len(h.Likelihoods))
		for c, l := range h.Likelihoods {
			h.Severity[r][c] = matrix.Score(l, imp)
		}
	}
	for _, t := range res.Threats {
		if !t.Status.Unresolved() {
			continue
		}
		r := len(h.Impacts) - 1 - t.Impact.Rank()
		c := t.Likelihood.Rank()
		if r >= 0 && r < len(h.Impacts) && c >= 0 {
			h.Counts[r][c]++
		}
	}
	return h
}

// AcceptedRisk is one threat a named owner has accepted until a date.
type AcceptedRisk struct {
	Threat     *engine.Threat
	Acceptance *model.Acceptance
	Expired    bool
}

// AcceptedRisks lists the threats carrying an acceptance, current or
// expired, in the result's order.
func AcceptedRisks(res *engine.Result) []AcceptedRisk {
	var out []AcceptedRisk
	for _, t := range res.Threats {
		if t.Acceptance != nil {
			out = append(out, AcceptedRisk{Threat: t, Acceptance: t.Acceptance, Expired: t.Status == engine.AcceptanceExpired})
		}
	}
	return out
}

// Requirement is one compliance requirement the model's threats touch.
type Requirement struct {
	ID string // e.g. "3.5.1" or "164.312(a)(1)"
	// Threats are the threats mapped to it; Open counts the unresolved.
	Threats []*engine.Threat
	Open    int
}

// Framework groups the requirements of one compliance framework.
type Framework struct {
	Name         string // e.g. "pci-dss-4.0"
	Requirements []Requirement
	Open         int // unresolved threats mapped to any requirement, counted once each
}

// ComplianceOf maps res's threats onto the frameworks their rules cite,
// frameworks by name and requirements in natural order ("2.10" after
// "2.9").
func ComplianceOf(res *engine.Result) []Framework {
	byFramework := map[string]map[string]*Requirement{}
	openPer := map[string]map[*engine.Threat]bool{}
	for _, t := range res.Threats {
		if t.Info == nil {
			continue
		}
		for fw, ids := range t.Compliance {
			reqs := byFramework[fw]
			if reqs == nil {
				reqs = map[string]*Requirement{}
				byFramework[fw] = reqs
				openPer[fw] = map[*engine.Threat]bool{}
			}
			for _, id := range ids {
				r := reqs[id]
				if r == nil {
					r = &Requirement{ID: id}
					reqs[id] = r
				}
				r.Threats = append(r.Threats, t)
				if t.Status.Unresolved() {
					r.Open++
					openPer[fw][t] = true
				}
			}
		}
	}
	out := make([]Framework, 0, len(byFramework))
	for name, reqs := range byFramework {
		fw := Framework{Name: name, Open: len(openPer[name])}
		for _, r := range reqs {
			fw.Requirements = append(fw.Requirements, *r)
		}
		sort.Slice(fw.Requirements, func(i, j int) bool {
			return naturalLess(fw.Requirements[i].ID, fw.Requirements[j].ID)
		})
		out = append(out, fw)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// naturalLess orders ids with their digit runs compared as numbers.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
