package threagile

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

// riskTracking turns each tracked risk into a hand-written threat on the
// element its id names, answered as its status says: accepted and false
// positives become accepted risks, in-progress and mitigated become
// mitigations. Acceptances last a year from the date the risk was checked.
func (b *builder) riskTracking(n *yaml.Node) {
	r := b.r
	for _, e := range r.entries(n, "risk_tracking") {
		f := r.fields(e.Value, "tracked risk "+e.Key)
		t := b.threat(e)
		if t == nil {
			continue
		}
		b.m.Threats = append(b.m.Threats, t)
		status := r.str(f["status"], "status")
		justification := oneLine(r.str(f["justification"], "justification"))
		switch status {
		case "", "unchecked", "in-discussion":
		case "accepted", "false-positive":
			reason := justification
			if status == "false-positive" {
				reason = strings.TrimSuffix("false positive: "+justification, ": ")
			} else if reason == "" {
				reason = "accepted without a justification"
			}
			if ticket := r.str(f["ticket"], "ticket"); ticket != "" {
				reason += " (ticket " + ticket + ")"
			}
			b.m.Accepted = append(b.m.Accepted, &model.Acceptance{
				Threat: model.Ref{ID: t.ID, Pos: t.Pos},
				Owner:  b.owner(f, e.Key), Reason: reason,
				Until: model.Date{Time: b.checked(f, e.Key).AddDate(1, 0, 0)},
				Pos:   r.pos(f["status"]),
			})
		case "in-progress", "mitigated":
			st := model.Implemented
			if status == "in-progress" {
				st = model.Planned
			}
			title := justification
			if title == "" {
				title = "Mitigate " + withFirst(t.Title, unicode.ToLower)
			}
			b.m.Mitigations = append(b.m.Mitigations, &model.Mitigation{
				ID: b.claim("mitigation", t.ID), Title: title, Kind: model.Fix, Status: st,
				Ticket:  r.str(f["ticket"], "ticket"),
				Owner:   r.str(f["checked_by"], "checked_by"),
				Threats: []model.Ref{{ID: t.ID, Pos: t.Pos}},
				Pos:     r.pos(f["status"]),
			})
		default:
			r.warnf(f["status"], "unknown status %q of tracked risk %s (want unchecked, in-discussion, accepted, in-progress, mitigated or false-positive); the threat stays open", status, e.Key)
		}
	}
}

// threat makes the hand-written threat a tracked risk id stands for:
// CATEGORY@ELEMENT[@ELEMENT…], where an element may be a technical asset,
// a link (SOURCE>TITLE) or "*".
func (b *builder) threat(e entry) *model.Threat {
	r := b.r
	parts := strings.Split(e.Key, "@")
	cat := parts[0]
	target := ""
	for _, p := range parts[1:] {
		if id, ok := b.links[p]; ok {
			target = id
			break
		}
		if c, ok := b.components[p]; ok {
			target = c.ID
			break
		}
	}
	if target == "" {
		r.warnf(e.KeyAt, "tracked risk %q names no technical asset or link of the model; left out", e.Key)
		return nil
	}
	title, stride := b.category(cat, e.KeyAt)
	return &model.Threat{
		ID: b.claim("threat", e.Key), Title: title,
		Target:     model.Ref{ID: target, Pos: r.pos(e.KeyAt)},
		Stride:     []model.Stride{stride},
		References: []string{e.Key},
		Pos:        r.pos(e.KeyAt),
	}
}

func (b *builder) category(id string, at *yaml.Node) (string, model.Stride) {
	if c, ok := b.categories[id]; ok {
		return c.Title, c.Stride
	}
	if c, ok := builtinCategories[id]; ok {
		return c.Title, c.Stride
	}
	title := strings.ReplaceAll(id, "-", " ")
	if title == "" {
		title = "Unnamed risk"
	}
	b.r.warnf(at, "unknown risk category %q; taking it as %s", id, model.Tampering)
	return withFirst(title, unicode.ToUpper), model.Tampering
}

// owner is who checked the risk, or the model's author.
func (b *builder) owner(f map[string]*yaml.Node, risk string) string {
	if s := b.r.str(f["checked_by"], "checked_by"); s != "" {
		return s
	}
	if b.author != "" {
		return b.author
	}
	b.r.warnf(f["status"], "tracked risk %s names nobody in checked_by and the model has no author; owner set to \"unknown\"", risk)
	return "unknown"
}

// checked is the day the risk was checked, else the model's date, else
// today.
func (b *builder) checked(f map[string]*yaml.Node, risk string) time.Time {
	if n := f["date"]; !isNull(n) {
		d := b.r.str(n, "date")
		if t, err := time.Parse(model.DateLayout, d); err == nil {
			return t
		}
		b.r.warnf(n, "date %q of tracked risk %s is not YYYY-MM-DD", d, risk)
	}
	if !b.created.IsZero() {
		return b.created
	}
	b.r.warnf(f["status"], "tracked risk %s has no date; its acceptance runs a year from today", risk)
	return b.now.Truncate(24 * time.Hour)
}

// withFirst applies f to the first letter of s.
func withFirst(s string, f func(rune) rune) string {
	c, n := utf8.DecodeRuneInString(s)
	if c == utf8.RuneError {
		return s
	}
	return string(f(c)) + s[n:]
}
