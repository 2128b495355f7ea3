package threatdragon

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

var sprintf = fmt.Sprintf

// threatTypes maps a threat's type to a STRIDE category. CIA and LINDDUN
// types map to the category that causes the same loss.
var threatTypes = map[string]model.Stride{
	"spoofing":                  model.Spoofing,
	"tampering":                 model.Tampering,
	"repudiation":               model.Repudiation,
	"information disclosure":    model.InformationDisclosure,
	"denial of service":         model.DenialOfService,
	"elevation of privilege":    model.ElevationOfPrivilege,
	"confidentiality":           model.InformationDisclosure,
	"integrity":                 model.Tampering,
	"availability":              model.DenialOfService,
	"linkability":               model.InformationDisclosure,
	"identifiability":           model.InformationDisclosure,
	"non-repudiation":           model.InformationDisclosure,
	"detectability":             model.InformationDisclosure,
	"disclosure of information": model.InformationDisclosure,
	"unawareness":               model.InformationDisclosure,
	"non-compliance":            model.InformationDisclosure,
}

// severities rates a threat so that the default matrix gives back the
// severity it was written with.
var severities = map[string]struct {
	L risk.Likelihood
	I risk.Impact
}{
	"critical": {risk.Easy, risk.Severe},
	"high":     {risk.Moderate, risk.Severe},
	"medium":   {risk.Moderate, risk.Problematic},
	"low":      {risk.Difficult, risk.Problematic},
	"tbd":      {},
	"":         {},
}

// threat adds one threat written on an element, with the mitigation or
// acceptance its status implies.
func (b *builder) threat(target string, t threat) {
	title := oneLine(t.Title)
	if title == "" {
		title = "Untitled threat"
		b.warnf(t.at, "a threat on %s has no title; using %q", target, title)
	}
	th := &model.Threat{
		ID: b.claim("threat", target+"-"+title), Title: title,
		Target: model.Ref{ID: target, Pos: b.src.pos(t.at)}, Scenario: strings.TrimSpace(t.Description),
		Pos: b.src.pos(t.at),
	}
	typ := strings.ToLower(oneLine(t.Type))
	s, ok := threatTypes[typ]
	if !ok {
		s = model.Tampering
		b.warnf(t.at, "unknown threat type %q of threat %s; taking it as %s", t.Type, th.ID, s)
	}
	th.Stride = []model.Stride{s}
	if sev, ok := severities[strings.ToLower(oneLine(t.Severity))]; ok {
		th.Likelihood, th.Impact = sev.L, sev.I
	} else {
		b.warnf(t.at, "unknown severity %q of threat %s (want Critical, High, Medium, Low or TBD); rated moderate and problematic", t.Severity, th.ID)
	}
	b.m.Threats = append(b.m.Threats, th)
	text := strings.TrimSpace(t.Mitigation)
	status := strings.ToLower(strings.ReplaceAll(oneLine(t.Status), " ", ""))
	switch status {
	case "open", "":
		if text != "" {
			b.mitigation(th, text, model.Proposed)
		}
	case "mitigated":
		b.mitigation(th, text, model.Implemented)
	case "notapplicable", "n/a":
		owner := b.owner
		if owner == "" {
			owner = "unknown"
			b.warnf(t.at, "threat %s is not applicable, but the model names no owner or reviewer to own the acceptance; owner set to %q", th.ID, owner)
		}
		b.m.Accepted = append(b.m.Accepted, &model.Acceptance{
			Threat: model.Ref{ID: th.ID, Pos: th.Pos}, Owner: owner, Reason: "not applicable",
			Until: model.Date{Time: b.until()}, Pos: th.Pos,
		})
		b.notApplicable = append(b.notApplicable, th.Pos)
		if text != "" {
			b.mitigation(th, text, model.Proposed)
		}
	default:
		b.warnf(t.at, "unknown status %q of threat %s (want Open, Mitigated or NotApplicable); the threat stays open", t.Status, th.ID)
		if text != "" {
			b.mitigation(th, text, model.Proposed)
		}
	}
}

// mitigation adds the threat's mitigation text as a countermeasure; its
// first line is the title.
func (b *builder) mitigation(th *model.Threat, text string, status model.MitigationStatus) {
	title, _, _ := strings.Cut(text, "\n")
	title = clip(oneLine(title), 120)
	if title == "" {
		title = "Mitigation of " + th.Title
	}
	desc := ""
	if oneLine(text) != title {
		desc = text
	}
	b.m.Mitigations = append(b.m.Mitigations, &model.Mitigation{
		ID: b.claim("mitigation", th.ID), Title: title, Description: desc,
		Kind: model.Fix, Status: status, Owner: b.owner,
		Threats: []model.Ref{{ID: th.ID, Pos: th.Pos}}, Pos: th.Pos,
	})
}

// until is when a not-applicable acceptance lapses: a year from today.
func (b *builder) until() time.Time {
	return b.now.Truncate(24*time.Hour).AddDate(1, 0, 0)
}

// count writes n things, with a plural s.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return sprintf("%d %ss", n, thing)
}

// withThreats says what leaving an element out also leaves out.
func withThreats(n int) string {
	if n == 0 {
		return ""
	}
	return " with its " + count(n, "threat")
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
