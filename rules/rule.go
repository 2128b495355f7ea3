// Package rules is Ward's threat library: rules written as YAML data, each
// with a CEL condition over a model element and its context, compiled once
// and evaluated per element.
package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/google/cel-go/cel"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// File is the shape of a rule file.
type File struct {
	Rules []*Rule `yaml:"rules,required"`
}

// Rule is one threat of the library.
type Rule struct {
	// ID is stable, kebab-case and never reused: threats are named
	// "<rule id>@<target id>" and mitigations refer to them.
	ID    string `yaml:"id,required"`
	Title string `yaml:"title,required"`
	// Description explains the attack for readers learning it.
	Description string         `yaml:"description"`
	Stride      []model.Stride `yaml:"stride,required"`
	// AppliesTo lists component kinds ("aws.sqs"), DFD categories
	// ("process", "datastore", "external-entity", "flow"), provider globs
	// ("aws.*") or "*" for every component.
	AppliesTo []string `yaml:"applies_to,required"`
	// When is a CEL condition over `element` and `model`; empty means always.
	When model.Text `yaml:"when"`
	// Actors are the kinds of threat actor able to carry the threat out,
	// most likely first.
	Actors     []model.ActorKind       `yaml:"actors,required"`
	Likelihood Rating[risk.Likelihood] `yaml:"likelihood,required"`
	Impact     Rating[risk.Impact]     `yaml:"impact,required"`
	// Scenario is a text/template telling what the attacker does and what it
	// costs; see ScenarioData for the fields it may use.
	Scenario     string       `yaml:"scenario,required"`
	Mitigations  []Suggestion `yaml:"mitigations,required"`
	Requirements []string     `yaml:"requirements"`
	TestCases    []string     `yaml:"test_cases"`
	References   References   `yaml:"references"`
	// Compliance maps a framework (see Frameworks) to its requirement ids.
	Compliance map[string][]string `yaml:"compliance"`
	// Realms name the CSA realms of cloud security services the rule's
	// controls fall under (see Realms).
	Realms []string `yaml:"realms"`
	// Questions prompt a person brainstorming this threat like an attacker.
	Questions []string `yaml:"questions"`
	// Supersedes names rules this one replaces: where both fire on an
	// element, only this one's threat is kept. A service rule uses it to
	// stand in for the generic rule it refines.
	Supersedes []string `yaml:"supersedes"`
	Pos        model.Pos

	cond     cel.Program
	evidence [][]string
	scenario *template.Template
	parts    []part // the scenario as plain parts, when it is that simple
}

// Rating is a rule's default likelihood or impact, with the reason for it
// and CEL conditions that adjust it for a given element.
type Rating[L ~string] struct {
	Level     L               `yaml:"level,required"`
	Rationale string          `yaml:"rationale"`
	Adjust    []Adjustment[L] `yaml:"adjust"`
	Pos       model.Pos
}

// Adjustment replaces a rating's level when its condition holds. The first
// adjustment that holds wins.
type Adjustment[L ~string] struct {
	When    model.Text `yaml:"when,required"`
	Level   L          `yaml:"level,required"`
	Because string     `yaml:"because,required"`
	Pos     model.Pos

	cond cel.Program
}

// Suggestion is a countermeasure the library proposes for a threat.
type Suggestion struct {
	Kind        model.MitigationKind `yaml:"kind,required"`
	Title       string               `yaml:"title,required"`
	Description string               `yaml:"description"`
	Pos         model.Pos
}

// References tie a rule to public catalogues of attacks and weaknesses.
type References struct {
	CAPEC  []string `yaml:"capec"`
	CWE    []string `yaml:"cwe"`
	ATTACK []string `yaml:"attack"`
	// CSA are numbers in the Cloud Security Alliance's top threats list
	// (CSATopThreats, the 2022 edition).
	CSA  []int    `yaml:"csa"`
	URLs []string `yaml:"urls"`
	Pos  model.Pos
}

// All returns every reference as one list of ids ("CAPEC-49", "CWE-307",
// "T1110", "CSA-3", URLs).
func (r References) All() []string {
	out := slices.Concat(r.CAPEC, r.CWE, r.ATTACK)
	for _, n := range r.CSA {
		out = append(out, fmt.Sprintf("CSA-%d", n))
	}
	return append(out, r.URLs...)
}

var (
	ruleIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	capecPattern  = regexp.MustCompile(`^CAPEC-[0-9]+$`)
	cwePattern    = regexp.MustCompile(`^CWE-[0-9]+$`)
	attackPattern = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)
)

// Validate checks what the decoder cannot: the id's form, what the rule
// applies to, actors and reference formats. CEL is checked by compile.
func (r *Rule) Validate() model.Diagnostics {
	var ds model.Diagnostics
	add := func(p model.Pos, format string, args ...any) {
		ds = append(ds, model.Diagnostic{Pos: p, Message: fmt.Sprintf("rule %s: ", r.ID) + fmt.Sprintf(format, args...)})
	}
	if !ruleIDPattern.MatchString(r.ID) {
		add(r.Pos, "id must be kebab-case: lower-case words joined by '-'")
	}
	for _, a := range r.AppliesTo {
		if !validTarget(a) {
			add(r.Pos, "applies_to %q is not a kind, a category (process, datastore, external-entity, flow), a provider glob like aws.* or *", a)
		}
	}
	for _, a := range r.Actors {
		if !slices.Contains(model.ThreatActorKinds, a) {
			add(r.Pos, "actor kind %q is not a threat actor (apt, external, malicious-insider, accidental-insider)", a)
		}
	}
	if len(r.Stride) == 0 {
		add(r.Pos, "stride lists no category")
	}
	if len(r.Mitigations) == 0 {
		add(r.Pos, "needs at least one mitigation")
	}
	check := func(ids []string, re *regexp.Regexp, what string) {
		for _, id := range ids {
			if !re.MatchString(id) {
				add(r.References.Pos, "%s reference %q is malformed (want e.g. %s)", what, id, map[string]string{"CAPEC": "CAPEC-49", "CWE": "CWE-307", "ATT&CK": "T1110 or T1110.001"}[what])
			}
		}
	}
	check(r.References.CAPEC, capecPattern, "CAPEC")
	check(r.References.CWE, cwePattern, "CWE")
	check(r.References.ATTACK, attackPattern, "ATT&CK")
	for _, n := range r.References.CSA {
		if n < 1 || n > 11 {
			add(r.References.Pos, "CSA top threat %d is out of range 1–11", n)
		}
	}
	if strings.TrimSpace(r.Scenario) == "" {
		add(r.Pos, "scenario is empty")
	}
	for fw, ids := range r.Compliance {
		form, known := Frameworks[fw]
		if !known {
			add(r.Pos, "unknown compliance framework %q (see rules.Frameworks in docs/rules.md)", fw)
			continue
		}
		for _, id := range ids {
			if !form.MatchString(id) {
				add(r.Pos, "%s requirement %q is not in that framework's numbering", fw, id)
			}
		}
	}
	for _, realm := range r.Realms {
		if !slices.ContainsFunc(Realms, func(x Realm) bool { return x.ID == realm }) {
			add(r.Pos, "unknown realm %q", realm)
		}
	}
	return ds
}

func validTarget(a string) bool {
	switch model.Category(a) {
	case model.Process, model.Datastore, model.ExternalEntity, model.FlowCategory:
		return true
	}
	if a == "*" {
		return true
	}
	if p, ok := strings.CutSuffix(a, ".*"); ok {
		for _, k := range model.Kinds() {
			if k.Provider == p {
				return true
			}
		}
		return false
	}
	_, ok := model.Kind(a).Info()
	return ok
}

// AppliesToKind reports whether the rule applies to a component of kind k
// (or, with k == "flow", to flows).
func (r *Rule) AppliesToKind(k model.Kind) bool {
	for _, a := range r.AppliesTo {
		switch {
		case k == model.Kind(model.FlowCategory):
			if a == string(model.FlowCategory) {
				return true
			}
		case a == "*", a == string(k), a == string(k.Category()):
			return true
		default:
			if p, ok := strings.CutSuffix(a, ".*"); ok {
				if info, known := k.Info(); known && info.Provider == p {
					return true
				}
			}
		}
	}
	return false
}
