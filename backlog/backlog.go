// Package backlog turns a model's open threats into work items for an
// issue tracker: one item per unresolved threat, carrying the threat's id
// in a hidden marker so a re-export finds what is already there and does
// not duplicate it.
package backlog

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

// Label is carried by every exported item; trackers are searched by it.
const Label = "ward"

// maxTitle is the longest title the trackers take (GitLab and Jira stop
// at 255 characters).
const maxTitle = 255

// Item is one threat as a work item, in a tracker-neutral shape.
type Item struct {
	// ThreatID is the threat's stable id ("rule@target"): the key that
	// de-duplicates.
	ThreatID string
	// Title reads "[HIGH] <threat title> — <component name>".
	Title string
	// Body is Markdown and ends with the id marker.
	Body string
	// Labels are Label and "severity:<severity>".
	Labels []string
	// Threat is the threat the item was made from; treat it as read-only.
	Threat *engine.Threat
}

// Items returns an item for every unresolved threat at or above floor, in
// the order of threats (most severe first).
func Items(threats []*engine.Threat, floor risk.Severity) []Item {
	var out []Item
	for _, t := range threats {
		if t.Status.Unresolved() && t.Severity.AtLeast(floor) {
			out = append(out, ItemOf(t))
		}
	}
	return out
}

// ItemOf makes the item of one threat, whatever its status.
func ItemOf(t *engine.Threat) Item {
	return Item{
		ThreatID: t.ID,
		Title:    titleOf(t),
		Body:     markdownBody(t),
		Labels:   []string{Label, "severity:" + string(t.Severity)},
		Threat:   t,
	}
}

func titleOf(t *engine.Threat) string {
	what := oneLine(infoOf(t).Title)
	if what == "" {
		what = t.ID
	}
	title := fmt.Sprintf("[%s] %s — %s", strings.ToUpper(string(t.Severity)), what, oneLine(t.TargetName))
	if utf8.RuneCountInString(title) <= maxTitle {
		return title
	}
	runes := []rune(title)
	return string(runes[:maxTitle-1]) + "…"
}

// infoOf is the threat's shared info, empty rather than nil.
func infoOf(t *engine.Threat) *engine.Info {
	if t.Info == nil {
		return &engine.Info{}
	}
	return t.Info
}

// Marker is the hidden line that ties an issue to its threat. Markdown
// renderers hide HTML comments, so readers do not see it.
func Marker(threatID string) string {
	return "<!-- ward-threat-id: " + threatID + " -->"
}

// markerPattern matches Marker's output; the id alphabet is the model's
// id alphabet plus the '@' joining rule and target.
var markerPattern = regexp.MustCompile(`<!--\s*ward-threat-id:\s*([A-Za-z0-9][A-Za-z0-9_.@-]*)\s*-->`)

// MarkedIDs returns the threat ids marked in an issue body, in order.
func MarkedIDs(body string) []string {
	var ids []string
	for _, m := range markerPattern.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// oneLine folds runs of white space, line breaks included, to one space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
