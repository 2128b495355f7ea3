package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/mdtext"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// The SARIF 2.1.0 log has one result per unresolved threat, placed on the
// model line that declares the threat's element, so code-scanning services
// show threats beside the model as they show other findings, and track
// each across runs by its threat id.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifSourceRoot stands for Options.SourceRoot in artifact locations.
	// The log does not spell out its absolute path (run.originalUriBaseIds):
	// the same model then gives the same bytes on every machine, and
	// code-scanning services resolve the paths against the repository.
	sarifSourceRoot = "%SRCROOT%"
	// sarifFingerprint keys the threat id among a result's partial
	// fingerprints; the suffix versions how the value is made.
	sarifFingerprint = "wardThreatId/v1"
)

// sarifSecuritySeverity is the CVSS-like score code-scanning services rank
// a rule's results by.
var sarifSecuritySeverity = map[risk.Severity]string{
	risk.Critical: "9.5",
	risk.High:     "8.0",
	risk.Medium:   "5.5",
	risk.Low:      "3.0",
}

var sarifLevel = map[risk.Severity]string{
	risk.Critical: "error",
	risk.High:     "error",
	risk.Medium:   "warning",
	risk.Low:      "note",
}

// The log is {$schema, version, runs: [{tool, invocations, columnKind,
// results, properties}]}, written in that order by writeSARIF.

type sarifRunProperties struct {
	Title   string `json:"title,omitempty"`
	Summary string `json:"summary"`
	Total   int    `json:"total"`
	Open    int    `json:"open"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name  string      `json:"name"`
	Rules []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	ShortDescription     sarifMessage        `json:"shortDescription"`
	FullDescription      sarifMessage        `json:"fullDescription"`
	Help                 sarifMessage        `json:"help"`
	HelpURI              string              `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string                `json:"ruleId"`
	RuleIndex           int                   `json:"ruleIndex"`
	Level               string                `json:"level"`
	Message             sarifMessage          `json:"message"`
	Locations           []sarifLocation       `json:"locations,omitempty"`
	PartialFingerprints map[string]string     `json:"partialFingerprints"`
	Properties          sarifResultProperties `json:"properties"`
}

type sarifResultProperties struct {
	Component  string `json:"component"`
	Likelihood string `json:"likelihood"`
	Impact     string `json:"impact"`
	Severity   string `json:"severity"`
	Status     string `json:"status"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// writeSARIF writes the log. Rules are listed by id; results keep the
// analysis's ranking.
func writeSARIF(w io.Writer, res *engine.Result, opt Options) error {
	root, err := filepath.Abs(cmp.Or(opt.SourceRoot, "."))
	if err != nil {
		return fmt.Errorf("source root: %w", err)
	}
	loc := sarifLocator{root: root}
	if res.Model != nil && len(res.Model.Files) > 0 {
		loc.modelFile = res.Model.Files[0]
	}

	byRule := map[string][]*engine.Threat{}
	var open []*engine.Threat
	for _, t := range res.Threats {
		if t.Status.Unresolved() {
			open = append(open, t)
			byRule[sarifRuleID(t)] = append(byRule[sarifRuleID(t)], t)
		}
	}
	ids := make([]string, 0, len(byRule))
	for id := range byRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rules := make([]sarifRule, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		rules[i] = sarifRuleOf(id, byRule[id])
		index[id] = i
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, d := range res.Warnings {
		inv.Notifications = append(inv.Notifications, sarifNotification{
			Level:     "warning",
			Message:   sarifMessage{Text: d.Message},
			Locations: loc.at(d.Pos),
		})
	}
	s := Summarize(res)
	props := sarifRunProperties{Summary: s.String(), Total: s.Total, Open: s.Open}
	if res.Model != nil {
		props.Title = res.Model.Title
	}

	// Results are written one at a time, as the JSON report's threats are,
	// so a large model's log is never held whole; the bytes are those of
	// encoding the whole log with a two-space indent.
	const run = "      "
	out := &jsonWriter{w: bufio.NewWriterSize(w, 1<<16)}
	out.raw("{\n  \"$schema\": ")
	out.value(sarifSchema, "  ")
	out.raw(",\n  \"version\": ")
	out.value(sarifVersion, "  ")
	out.raw(",\n  \"runs\": [\n    {\n      \"tool\": ")
	out.value(sarifTool{Driver: sarifDriver{Name: "Ward", Rules: rules}}, run)
	out.raw(",\n      \"invocations\": ")
	out.value([]sarifInvocation{inv}, run)
	// Model positions count characters, not UTF-16 units.
	out.raw(",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [")
	for i, t := range open {
		if i > 0 {
			out.raw(",")
		}
		out.raw("\n" + run + "  ")
		out.value(loc.result(t, index[sarifRuleID(t)]), run+"  ")
	}
	if len(open) > 0 {
		out.raw("\n" + run)
	}
	out.raw("],\n      \"properties\": ")
	out.value(props, run)
	out.raw("\n    }\n  ]\n}\n")
	if out.err != nil {
		return out.err
	}
	return out.w.Flush()
}

// result is a threat's result, citing the rule at index.
func (l sarifLocator) result(t *engine.Threat, index int) sarifResult {
	return sarifResult{
		RuleID:              sarifRuleID(t),
		RuleIndex:           index,
		Level:               sarifLevelOf(t.Severity),
		Message:             sarifMessage{Text: sarifMessageOf(t)},
		Locations:           l.threat(t.Location),
		PartialFingerprints: map[string]string{sarifFingerprint: t.ID},
		Properties: sarifResultProperties{
			Component:  t.TargetName,
			Likelihood: string(t.Likelihood),
			Impact:     string(t.Impact),
			Severity:   string(t.Severity),
			Status:     string(t.Status),
		},
	}
}

// sarifRuleID is the library rule's id, or a hand-written threat's own.
func sarifRuleID(t *engine.Threat) string {
	if t.Rule == "" {
		return t.ID
	}
	return t.Rule
}

func sarifLevelOf(s risk.Severity) string {
	if l, ok := sarifLevel[s]; ok {
		return l
	}
	return sarifLevel[risk.Medium]
}

// sarifRuleOf describes a rule from its unresolved threats (at least one,
// all sharing the rule's info). Its severity is the worst of theirs:
// services rate every result of a rule by the rule.
func sarifRuleOf(id string, ts []*engine.Threat) sarifRule {
	first := ts[0]
	worst := first.Severity
	for _, t := range ts[1:] {
		if t.Severity.Rank() > worst.Rank() {
			worst = t.Severity
		}
	}
	about := first.Description
	if about == "" && first.Rule == "" {
		// A hand-written threat has no description; its scenario is the rule.
		about = first.Scenario
	}
	if about == "" {
		about = first.Title
	}
	security := sarifSecuritySeverity[worst]
	if security == "" {
		security = sarifSecuritySeverity[risk.Medium]
	}
	r := sarifRule{
		ID:                   id,
		Name:                 sarifName(id),
		ShortDescription:     sarifMessage{Text: first.Title},
		FullDescription:      sarifMessage{Text: about},
		Help:                 sarifHelp(about, ts),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevelOf(worst)},
		Properties:           sarifRuleProperties{Tags: sarifTags(first.Info), SecuritySeverity: security},
	}
	for _, ref := range first.References {
		if mdtext.IsWebURL(ref) {
			r.HelpURI = ref
			break
		}
	}
	return r
}

// sarifName is a rule id in Pascal case, the form SARIF viewers expect of
// a rule's name: "queue-message-tampering" gives "QueueMessageTampering".
func sarifName(id string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(id, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		rs := []rune(word)
		b.WriteString(strings.ToUpper(string(rs[0])) + string(rs[1:]))
	}
	return b.String()
}

// sarifTags mark the rule as security, with its STRIDE categories and its
// weaknesses in the form code-scanning services link to CWE.
func sarifTags(info *engine.Info) []string {
	tags := []string{"security"}
	seen := map[string]bool{"security": true}
	add := func(tag string) {
		if !seen[tag] {
			seen[tag] = true
			tags = append(tags, tag)
		}
	}
	for _, s := range info.Stride {
		add(string(s))
	}
	for _, ref := range info.References {
		if num, ok := mdtext.CutNumber(ref, "CWE-"); ok {
			add("external/cwe/cwe-" + num)
		}
	}
	return tags
}

// sarifHelp documents the rule: what the threat is, then the library's
// mitigations, requirements, test cases and references. Each result's
// message carries its own scenario and the team's mitigations.
func sarifHelp(about string, ts []*engine.Threat) sarifMessage {
	var text, md strings.Builder
	text.WriteString(about)
	md.WriteString(mdtext.Text(about))
	section := func(heading string, items []string, mdItem func(string) string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&text, "\n\n%s:", heading)
		fmt.Fprintf(&md, "\n\n**%s:**\n", heading)
		for _, it := range items {
			fmt.Fprintf(&text, "\n- %s", it)
			fmt.Fprintf(&md, "\n- %s", mdItem(it))
		}
	}
	var suggested []string
	seen := map[string]bool{}
	for _, t := range ts {
		for _, m := range t.Mitigations {
			if s := fmt.Sprintf("%s (%s)", m.Title, m.Kind); !m.FromModel && !seen[s] {
				seen[s] = true
				suggested = append(suggested, s)
			}
		}
	}
	info := ts[0].Info
	section("Mitigations", suggested, mdtext.Text)
	section("Security requirements", info.Requirements, mdtext.Text)
	section("Test cases", info.TestCases, mdtext.Text)
	section("References", info.References, referenceMD)
	return sarifMessage{Text: text.String(), Markdown: md.String()}
}

// sarifMessageOf is the result's message: the scenario, then what the team
// has planned or accepted for this threat.
func sarifMessageOf(t *engine.Threat) string {
	parts := []string{strings.TrimSpace(t.Scenario)}
	for _, m := range t.Mitigations {
		if !m.FromModel {
			continue
		}
		s := fmt.Sprintf("Mitigation %q is %s", m.Title, m.Status)
		if m.Due != "" {
			s += ", due " + m.Due
		}
		if m.Ticket != "" {
			s += " (" + m.Ticket + ")"
		}
		parts = append(parts, s+".")
	}
	if a := t.Acceptance; a != nil && t.Status == engine.AcceptanceExpired {
		parts = append(parts, fmt.Sprintf("%s accepted the risk until %s; the acceptance has expired.", a.Owner, a.Until))
	}
	return strings.Join(parts, " ")
}

// sarifLocator turns model positions into artifact locations relative to
// the source root.
type sarifLocator struct {
	root string
	// modelFile places threats whose element has no position.
	modelFile string
}

// threat locates a threat: its element's position, or else the model's
// first file, since code-scanning services reject results without a
// location.
func (l sarifLocator) threat(p model.Pos) []sarifLocation {
	if p.File == "" && l.modelFile != "" {
		p = model.Pos{File: l.modelFile}
	}
	return l.at(p)
}

func (l sarifLocator) at(p model.Pos) []sarifLocation {
	if p.File == "" {
		return nil
	}
	loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: l.artifact(p.File)}}
	if p.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: p.Line, StartColumn: max(p.Col, 0)}
	}
	return []sarifLocation{loc}
}

// artifact is file as a URI relative to the source root, or as an absolute
// file URI when it has no path from the root (another volume).
func (l sarifLocator) artifact(file string) sarifArtifactLocation {
	abs, err := filepath.Abs(file)
	if err != nil {
		return sarifArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(file)}).String()}
	}
	if rel, err := filepath.Rel(l.root, abs); err == nil {
		return sarifArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: sarifSourceRoot}
	}
	path := filepath.ToSlash(abs)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // a Windows drive: file:///C:/...
	}
	return sarifArtifactLocation{URI: (&url.URL{Scheme: "file", Path: path}).String()}
}
