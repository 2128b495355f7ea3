// Package diff compares two analyses of a threat model — two versions of
// the same system — and says what changed: elements added, removed and
// changed, threats new, resolved and re-ranked, and statuses that moved.
// It writes the comparison as a terminal table, JSON or Markdown.
package diff

import (
	"strconv"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Diff is what changed from one version of a model to the next. Every
// list is in a fixed order, so the same two versions give the same Diff.
type Diff struct {
	Old, New Version
	// Feature is set by the caller when only one feature's threats were
	// compared (engine.Result.ForFeature); elements are always compared
	// whole.
	Feature string
	// Elements are the model elements added, removed or changed, in
	// Categories order, then added, removed, changed, then by id.
	Elements []Element
	// NewThreats are found in the new version only; Resolved in the old
	// one only. Both are most severe first.
	NewThreats []Threat
	Resolved   []Threat
	// Reranked are the threats of both versions whose severity changed,
	// raised ones first; StatusChanged those whose status changed. A
	// threat may be in both.
	Reranked      []Threat
	StatusChanged []Threat
	// MitigationStatuses are the model's mitigations whose status changed
	// (also listed among Elements, with their other changes).
	MitigationStatuses []MitigationStatus
}

// Version names one side of the comparison.
type Version struct {
	// Label says where the version comes from ("HEAD:examples/shop",
	// "examples/shop"); the caller sets it, and writers fall back to Files.
	Label string
	Title string
	Files []string
}

// Name is the label, or the files when no label was set.
func (v Version) Name() string {
	if v.Label != "" {
		return v.Label
	}
	if len(v.Files) == 1 {
		return v.Files[0]
	}
	if len(v.Files) > 1 {
		return v.Files[0] + " (+" + strconv.Itoa(len(v.Files)-1) + " files)"
	}
	return v.Title
}

// Category is a kind of model element.
type Category string

// Element categories, in the order a model file lists them. Header is the
// model's own fields: title, scope, authors, dates, review period, matrix.
const (
	Header       Category = "header"
	Asset        Category = "asset"
	Actor        Category = "actor"
	Zone         Category = "zone"
	Component    Category = "component"
	Flow         Category = "flow"
	HandThreat   Category = "threat"
	Mitigation   Category = "mitigation"
	AcceptedRisk Category = "accepted-risk"
	Doomsday     Category = "doomsday"
	Feature      Category = "feature"
)

// Categories lists the categories in the order a Diff reports them.
var Categories = []Category{Header, Asset, Actor, Zone, Component, Flow, HandThreat, Mitigation, AcceptedRisk, Doomsday, Feature}

// Plural is the category's name for a heading, e.g. "accepted risks".
func (c Category) Plural() string {
	switch c {
	case Header:
		return "model header"
	case HandThreat:
		return "hand-written threats"
	case AcceptedRisk:
		return "accepted risks"
	case Doomsday:
		return "doomsday scenarios"
	}
	return string(c) + "s"
}

// Change is what happened to an element.
type Change string

// Changes to elements.
const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// Element is one model element that differs between the versions. Its
// identity is its id (an accepted risk's is the threat it accepts; the
// model header's is "").
type Element struct {
	Category Category
	ID       string
	// Name is the element's name or title, from the new version unless
	// it was removed; "" when it has none.
	Name   string
	Change Change
	// Pos is where the element is written: in the new version, or in the
	// old one when it was removed.
	Pos model.Pos
	// Fields are what changed, for Changed: the element's fields in the
	// order of the model file, then its properties by name.
	Fields []Field
}

// Field is one value that changed. Lists read "a, b", sorted, since their
// order carries no meaning; a value not set is "".
type Field struct {
	// Name is the field's YAML name ("zone", "scope.statement") or the
	// property's name.
	Name string
	// Property is true for a component's or flow's property.
	Property bool
	Old, New string
}

// Threat is a threat that is new, resolved, re-ranked or whose status
// changed. Identity is engine.Threat.ID ("rule@target").
type Threat struct {
	ID         string
	Rule       string
	Title      string
	Target     string
	TargetName string
	// Pos is where the target is written: in the new version, or in the
	// old one when the threat was resolved.
	Pos model.Pos
	// Old and New are the threat in each version; Old is nil for a new
	// threat, New nil for a resolved one.
	Old, New *State
}

// State is where a threat stood in one version.
type State struct {
	Severity risk.Severity
	Status   engine.Status
}

// Raised reports whether the threat is more severe in the new version.
func (t Threat) Raised() bool {
	return t.Old != nil && t.New != nil && t.New.Severity.Rank() > t.Old.Severity.Rank()
}

// Introduced reports whether the change brings this threat in at or above
// floor: it is new, or its severity rose, and is at or above floor and
// still unresolved in the new version.
func (t Threat) Introduced(floor risk.Severity) bool {
	if t.New == nil || !t.New.Status.Unresolved() || !t.New.Severity.AtLeast(floor) {
		return false
	}
	return t.Old == nil || t.Raised()
}

// MitigationStatus is a model mitigation whose status changed.
type MitigationStatus struct {
	ID    string
	Title string
	Pos   model.Pos
	Old   model.MitigationStatus
	New   model.MitigationStatus
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.Elements) == 0 && len(d.NewThreats) == 0 && len(d.Resolved) == 0 &&
		len(d.Reranked) == 0 && len(d.StatusChanged) == 0 && len(d.MitigationStatuses) == 0
}

// Introduced lists the threats the change brings in at or above floor —
// new ones and ones whose severity rose — that are unresolved in the new
// version, most severe first. A CI gate fails on these.
func (d *Diff) Introduced(floor risk.Severity) []Threat {
	var out []Threat
	for _, list := range [][]Threat{d.NewThreats, d.Reranked} {
		for _, t := range list {
			if t.Introduced(floor) {
				out = append(out, t)
			}
		}
	}
	sortBySeverity(out, func(t Threat) *State { return t.New })
	return out
}

// Compare says what changed from before to after. Both results should
// come from the same rule library and the same date, or every threat the
// library or the date alone changes shows up as changed. A nil result or
// model counts as an empty one.
func Compare(before, after *engine.Result) *Diff {
	d := &Diff{Old: versionOf(before), New: versionOf(after)}
	d.Elements = compareElements(modelOf(before), modelOf(after))
	d.MitigationStatuses = mitigationStatuses(modelOf(before), modelOf(after))
	compareThreats(d, threatsOf(before), threatsOf(after))
	return d
}

func modelOf(res *engine.Result) *model.Model {
	if res == nil || res.Model == nil {
		return &model.Model{}
	}
	return res.Model
}

func threatsOf(res *engine.Result) []*engine.Threat {
	if res == nil {
		return nil
	}
	return res.Threats
}

func versionOf(res *engine.Result) Version {
	m := modelOf(res)
	return Version{Title: m.Title, Files: m.Files}
}
