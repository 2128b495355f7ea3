package diff

import (
	"encoding/json"
	"io"

	"github.com/wardsec/ward/risk"
)

// SchemaVersion is the JSON diff's schema_version. It changes only when a
// field is removed or changes meaning. docs/diff.md describes the shape.
const SchemaVersion = "1"

// Structs, not maps, keep the key order stable; lists are non-nil so they
// encode as [] rather than null.

type jsonDiff struct {
	SchemaVersion      string                 `json:"schema_version"`
	Old                jsonVersion            `json:"old"`
	New                jsonVersion            `json:"new"`
	Feature            string                 `json:"feature"`
	Summary            jsonSummary            `json:"summary"`
	Threats            jsonThreats            `json:"threats"`
	MitigationStatuses []jsonMitigationStatus `json:"mitigation_statuses"`
	Elements           []jsonElement          `json:"elements"`
}

type jsonVersion struct {
	Label string   `json:"label"`
	Title string   `json:"title"`
	Files []string `json:"files"`
}

type jsonSummary struct {
	Text               string         `json:"text"`
	NewThreats         int            `json:"new_threats"`
	NewBySeverity      jsonSeverities `json:"new_by_severity"`
	Resolved           int            `json:"resolved"`
	Raised             int            `json:"raised"`
	Lowered            int            `json:"lowered"`
	StatusChanged      int            `json:"status_changed"`
	MitigationStatuses int            `json:"mitigation_statuses"`
	Added              int            `json:"added"`
	Removed            int            `json:"removed"`
	Changed            int            `json:"changed"`
}

type jsonSeverities struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

type jsonThreats struct {
	New           []jsonThreat `json:"new"`
	Resolved      []jsonThreat `json:"resolved"`
	Reranked      []jsonThreat `json:"reranked"`
	StatusChanged []jsonThreat `json:"status_changed"`
}

type jsonThreat struct {
	ID         string     `json:"id"`
	Rule       string     `json:"rule"`
	Title      string     `json:"title"`
	Target     string     `json:"target"`
	TargetName string     `json:"target_name"`
	Location   string     `json:"location"`
	Old        *jsonState `json:"old"`
	New        *jsonState `json:"new"`
}

type jsonState struct {
	Severity string `json:"severity"`
	Status   string `json:"status"`
}

type jsonMitigationStatus struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Location string `json:"location"`
	Old      string `json:"old"`
	New      string `json:"new"`
}

type jsonElement struct {
	Category string      `json:"category"`
	ID       string      `json:"id"`
	Name     string      `json:"name"`
	Change   string      `json:"change"`
	Location string      `json:"location"`
	Fields   []jsonField `json:"fields"`
}

type jsonField struct {
	Name     string `json:"name"`
	Property bool   `json:"property"`
	Old      string `json:"old"`
	New      string `json:"new"`
}

func writeJSON(w io.Writer, d *Diff, _ Options) error {
	s := d.Summary()
	doc := jsonDiff{
		SchemaVersion: SchemaVersion,
		Old:           versionJSON(d.Old),
		New:           versionJSON(d.New),
		Feature:       d.Feature,
		Summary: jsonSummary{
			Text:       s.String(),
			NewThreats: s.NewThreats,
			NewBySeverity: jsonSeverities{
				Critical: s.NewBySeverity[risk.Critical], High: s.NewBySeverity[risk.High],
				Medium: s.NewBySeverity[risk.Medium], Low: s.NewBySeverity[risk.Low],
			},
			Resolved: s.Resolved, Raised: s.Raised, Lowered: s.Lowered,
			StatusChanged: s.StatusChanged, MitigationStatuses: s.MitigationStatuses,
			Added: s.Added, Removed: s.Removed, Changed: s.Changed,
		},
		Threats: jsonThreats{
			New:           threatsJSON(d.NewThreats),
			Resolved:      threatsJSON(d.Resolved),
			Reranked:      threatsJSON(d.Reranked),
			StatusChanged: threatsJSON(d.StatusChanged),
		},
		MitigationStatuses: make([]jsonMitigationStatus, len(d.MitigationStatuses)),
		Elements:           make([]jsonElement, len(d.Elements)),
	}
	for i, m := range d.MitigationStatuses {
		doc.MitigationStatuses[i] = jsonMitigationStatus{ID: m.ID, Title: m.Title, Location: location(m.Pos),
			Old: string(m.Old), New: string(m.New)}
	}
	for i, e := range d.Elements {
		fields := make([]jsonField, len(e.Fields))
		for j, f := range e.Fields {
			fields[j] = jsonField(f)
		}
		doc.Elements[i] = jsonElement{Category: string(e.Category), ID: e.ID, Name: e.Name,
			Change: string(e.Change), Location: location(e.Pos), Fields: fields}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func versionJSON(v Version) jsonVersion {
	files := v.Files
	if files == nil {
		files = []string{}
	}
	return jsonVersion{Label: v.Name(), Title: v.Title, Files: files}
}

func threatsJSON(ts []Threat) []jsonThreat {
	out := make([]jsonThreat, len(ts))
	for i, t := range ts {
		out[i] = jsonThreat{ID: t.ID, Rule: t.Rule, Title: t.Title, Target: t.Target, TargetName: t.TargetName,
			Location: location(t.Pos), Old: stateJSON(t.Old), New: stateJSON(t.New)}
	}
	return out
}

func stateJSON(s *State) *jsonState {
	if s == nil {
		return nil
	}
	return &jsonState{Severity: string(s.Severity), Status: string(s.Status)}
}
