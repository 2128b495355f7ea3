package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wardsec/ward/model"
)

// Coverage is what a library covers: which rules answer each of the CSA's
// top threats, each realm of cloud security services, and each STRIDE
// category per kind of element.
type Coverage struct {
	CSA    []Bucket `json:"csa_top_threats"`
	Realms []Bucket `json:"realms"`
	// Stride counts rules per element type ("process", "datastore",
	// "external-entity", "flow", or a provider such as "aws") and category.
	Stride []StrideRow `json:"stride"`
}

// Bucket is one entry of a list and the rules under it.
type Bucket struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Rules []string `json:"rules"`
}

// StrideRow counts the rules of one element type per STRIDE category.
type StrideRow struct {
	Target string         `json:"target"`
	Counts map[string]int `json:"counts"`
}

// Cover computes the coverage of lib.
func Cover(lib *Library) Coverage {
	var c Coverage
	for i, title := range CSATopThreats {
		b := Bucket{ID: strconv.Itoa(i + 1), Title: title, Rules: []string{}}
		for _, r := range lib.rules {
			if slices.Contains(r.References.CSA, i+1) {
				b.Rules = append(b.Rules, r.ID)
			}
		}
		c.CSA = append(c.CSA, b)
	}
	for _, realm := range Realms {
		b := Bucket{ID: realm.ID, Title: realm.Title, Rules: []string{}}
		for _, r := range lib.rules {
			if slices.Contains(r.Realms, realm.ID) {
				b.Rules = append(b.Rules, r.ID)
			}
		}
		c.Realms = append(c.Realms, b)
	}
	rows := map[string]map[string]int{}
	var order []string
	for _, r := range lib.rules {
		for _, target := range strideTargets(r) {
			if rows[target] == nil {
				rows[target] = map[string]int{}
				order = append(order, target)
			}
			for _, s := range r.Stride {
				rows[target][s.Letter()]++
			}
		}
	}
	slices.SortStableFunc(order, func(a, b string) int {
		if ra, rb := targetRank(a), targetRank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	for _, t := range order {
		c.Stride = append(c.Stride, StrideRow{Target: t, Counts: rows[t]})
	}
	return c
}

// strideTargets names the element types a rule covers: DFD categories as
// such, kinds and globs by their provider.
func strideTargets(r *Rule) []string {
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, a := range r.AppliesTo {
		switch {
		case a == "*":
			add("any component")
		case validCategory(a):
			add(a)
		default:
			provider, _, _ := strings.Cut(a, ".")
			if info, ok := model.Kind(a).Info(); ok {
				provider = info.Provider
			}
			add(provider)
		}
	}
	return out
}

func validCategory(a string) bool {
	switch model.Category(a) {
	case model.Process, model.Datastore, model.ExternalEntity, model.FlowCategory:
		return true
	}
	return false
}

func targetRank(t string) int {
	order := []string{"process", "datastore", "external-entity", "flow", "any component", "generic", "aws", "azure", "gcp", "k8s", "cicd"}
	if i := slices.Index(order, t); i >= 0 {
		return i
	}
	return len(order)
}
