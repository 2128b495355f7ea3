package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

// SchemaVersion is the JSON report's schema_version. It changes only when
// a field is removed or changes meaning; new fields keep it.
// docs/threats.schema.json describes the output.
const SchemaVersion = "1"

// The JSON document is {schema_version, model, threats, summary,
// warnings}, written in that order by writeJSON. Structs, not maps, keep the
// key order stable; every list is non-nil so it encodes as [] rather than
// null.

type jsonModel struct {
	Title   string    `json:"title"`
	Scope   jsonScope `json:"scope"`
	Authors []string  `json:"authors"`
	Created string    `json:"created"`
	Updated string    `json:"updated"`
	Files   []string  `json:"files"`
}

type jsonScope struct {
	Statement string `json:"statement"`
	Covers    string `json:"covers"`
}

type jsonThreat struct {
	ID           string              `json:"id"`
	Rule         string              `json:"rule"`
	Title        string              `json:"title"`
	Description  string              `json:"description"`
	Target       string              `json:"target"`
	TargetName   string              `json:"target_name"`
	TargetKind   string              `json:"target_kind"`
	Location     string              `json:"location"`
	Actor        string              `json:"actor"`
	ActorKind    string              `json:"actor_kind"`
	Actors       []string            `json:"actors"`
	Stride       []string            `json:"stride"`
	Scenario     string              `json:"scenario"`
	Likelihood   string              `json:"likelihood"`
	Impact       string              `json:"impact"`
	Severity     string              `json:"severity"`
	BaseSeverity string              `json:"base_severity"`
	Doomsday     []string            `json:"doomsday"`
	Rationale    []string            `json:"rationale"`
	Status       string              `json:"status"`
	Evidence     []string            `json:"evidence"`
	Mitigations  []jsonMitigation    `json:"mitigations"`
	Requirements []string            `json:"requirements"`
	TestCases    []string            `json:"test_cases"`
	References   []string            `json:"references"`
	Compliance   map[string][]string `json:"compliance"`
	Acceptance   *jsonAcceptance     `json:"acceptance,omitempty"`
}

type jsonMitigation struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
	Ticket string `json:"ticket"`
	Owner  string `json:"owner"`
	Due    string `json:"due"`
	Source string `json:"source"`
}

type jsonAcceptance struct {
	Owner  string `json:"owner"`
	Reason string `json:"reason"`
	Until  string `json:"until"`
}

type jsonSummary struct {
	Total          int            `json:"total"`
	Open           int            `json:"open"`
	BySeverity     jsonSeverities `json:"by_severity"`
	ByStatus       jsonStatuses   `json:"by_status"`
	OpenBySeverity jsonSeverities `json:"open_by_severity"`
}

type jsonSeverities struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

type jsonStatuses struct {
	Open              int `json:"open"`
	AcceptanceExpired int `json:"acceptance-expired"`
	MitigationPlanned int `json:"mitigation-planned"`
	Accepted          int `json:"accepted"`
	Mitigated         int `json:"mitigated"`
}

// writeJSON streams the document: the threats are encoded one at a time,
// so a model with hundreds of thousands of them never holds the whole
// report in memory. The bytes are those of encoding the whole document at
// once with a two-space indent.
func writeJSON(w io.Writer, res *engine.Result, _ Options) error {
	model := jsonModel{Authors: []string{}, Files: []string{}}
	if m := res.Model; m != nil {
		model = jsonModel{
			Title:   m.Title,
			Scope:   jsonScope{Statement: m.Scope.Statement, Covers: string(m.Scope.Covers)},
			Authors: list(m.Authors),
			Created: m.Created.String(),
			Updated: m.Updated.String(),
			Files:   list(m.Files),
		}
	}
	s := Summarize(res)
	summary := jsonSummary{
		Total:          s.Total,
		Open:           s.Open,
		BySeverity:     severitiesJSON(s.BySeverity),
		OpenBySeverity: severitiesJSON(s.OpenBySeverity),
		ByStatus: jsonStatuses{
			Open:              s.ByStatus[engine.Open],
			AcceptanceExpired: s.ByStatus[engine.AcceptanceExpired],
			MitigationPlanned: s.ByStatus[engine.MitigationPlanned],
			Accepted:          s.ByStatus[engine.Accepted],
			Mitigated:         s.ByStatus[engine.Mitigated],
		},
	}
	warnings := make([]string, 0, len(res.Warnings))
	for _, w := range res.Warnings {
		warnings = append(warnings, w.String())
	}

	out := &jsonWriter{w: bufio.NewWriterSize(w, 1<<16)}
	out.raw("{\n  \"schema_version\": ")
	out.value(SchemaVersion, "  ")
	out.raw(",\n  \"model\": ")
	out.value(model, "  ")
	out.raw(",\n  \"threats\": [")
	for i, t := range res.Threats {
		if i > 0 {
			out.raw(",")
		}
		out.raw("\n    ")
		out.value(threatJSON(t), "    ")
	}
	if len(res.Threats) > 0 {
		out.raw("\n  ")
	}
	out.raw("],\n  \"summary\": ")
	out.value(summary, "  ")
	out.raw(",\n  \"warnings\": ")
	out.value(warnings, "  ")
	out.raw("\n}\n")
	if out.err != nil {
		return out.err
	}
	return out.w.Flush()
}

// jsonWriter writes JSON pieces, keeping the first error.
type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	err error
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v indented as if nested under prefix.
func (j *jsonWriter) value(v any, prefix string) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	enc := json.NewEncoder(&j.buf)
	enc.SetIndent(prefix, "  ")
	// Scenarios and titles are prose; "<" or "&" in them should stay readable.
	enc.SetEscapeHTML(false)
	if j.err = enc.Encode(v); j.err != nil {
		return
	}
	_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
}

func threatJSON(t *engine.Threat) jsonThreat {
	j := jsonThreat{
		ID:           t.ID,
		Rule:         t.Rule,
		Title:        t.Title,
		Description:  t.Description,
		Target:       t.Target,
		TargetName:   t.TargetName,
		TargetKind:   t.TargetKind,
		Location:     location(t.Location),
		Actor:        t.Actor,
		ActorKind:    string(t.ActorKind),
		Actors:       list(t.Actors),
		Stride:       strideNames(t.Stride),
		Scenario:     t.Scenario,
		Likelihood:   string(t.Likelihood),
		Impact:       string(t.Impact),
		Severity:     string(t.Severity),
		BaseSeverity: string(t.BaseSeverity),
		Doomsday:     list(t.Doomsday),
		Rationale:    list(t.Rationale),
		Status:       string(t.Status),
		Evidence:     list(t.Evidence),
		Mitigations:  make([]jsonMitigation, 0, len(t.Mitigations)),
		Requirements: list(t.Requirements),
		TestCases:    list(t.TestCases),
		References:   list(t.References),
		Compliance:   map[string][]string{},
	}
	for _, m := range t.Mitigations {
		src := "library"
		if m.FromModel {
			src = "model"
		}
		j.Mitigations = append(j.Mitigations, jsonMitigation{
			ID: m.ID, Title: m.Title, Kind: string(m.Kind), Status: m.Status,
			Ticket: m.Ticket, Owner: m.Owner, Due: m.Due, Source: src,
		})
	}
	for k, v := range t.Compliance {
		j.Compliance[k] = list(v)
	}
	if a := t.Acceptance; a != nil {
		j.Acceptance = &jsonAcceptance{Owner: a.Owner, Reason: a.Reason, Until: a.Until.String()}
	}
	return j
}

func severitiesJSON(m map[risk.Severity]int) jsonSeverities {
	return jsonSeverities{Critical: m[risk.Critical], High: m[risk.High], Medium: m[risk.Medium], Low: m[risk.Low]}
}

// list returns ss, or an empty list for nil so JSON shows [].
func list(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
