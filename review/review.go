// Package review says what a model needs from its owners now: a review
// that is due, accepted risks that have expired or soon will, planned
// mitigations past their due date, and threats nobody has answered.
package review

import (
	"fmt"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
)

// Kind names what a finding is about.
type Kind string

// Kinds of findings, in the order a report lists them.
const (
	ReviewOverdue      Kind = "review-overdue"
	AcceptanceExpired  Kind = "acceptance-expired"
	AcceptanceExpiring Kind = "acceptance-expiring"
	MitigationOverdue  Kind = "mitigation-overdue"
	Unanswered         Kind = "unanswered-threat"
)

// Kinds lists every kind in report order.
var Kinds = []Kind{ReviewOverdue, AcceptanceExpired, AcceptanceExpiring, MitigationOverdue, Unanswered}

// Overdue reports whether the kind means a date has already passed.
func (k Kind) Overdue() bool {
	return k == ReviewOverdue || k == AcceptanceExpired || k == MitigationOverdue
}

// ExpiringWithin is how far ahead an acceptance's expiry is announced.
const ExpiringWithin = 30 * 24 * time.Hour

// Finding is one thing that needs attention.
type Finding struct {
	Kind Kind
	// Subject is the model title, an accepted threat's id, a mitigation's
	// id or an unanswered threat's id.
	Subject string
	Message string
	// Date is when the review, acceptance or mitigation is or was due; zero
	// for unanswered threats.
	Date time.Time
	Pos  model.Pos
}

// Status is what one model needs.
type Status struct {
	Model    *model.Model
	Findings []Finding
}

// Count returns how many findings are of kind k.
func (s Status) Count(k Kind) int {
	n := 0
	for _, f := range s.Findings {
		if f.Kind == k {
			n++
		}
	}
	return n
}

// Overdue reports whether any date has passed.
func (s Status) Overdue() bool {
	for _, f := range s.Findings {
		if f.Kind.Overdue() {
			return true
		}
	}
	return false
}

// Of reviews an analyzed model as of now. Findings come grouped by Kinds'
// order, each group in the model's order.
func Of(res *engine.Result, now time.Time) Status {
	m := res.Model
	today := day(now)
	s := Status{Model: m}
	s.Findings = append(s.Findings, reviewDue(m, today)...)
	s.Findings = append(s.Findings, acceptances(res, today)...)
	s.Findings = append(s.Findings, mitigationsDue(m, today)...)
	s.Findings = append(s.Findings, unanswered(res)...)
	return s
}

func day(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

func reviewDue(m *model.Model, today time.Time) []Finding {
	if m.ReviewEvery.Days == 0 {
		return nil
	}
	last := m.Updated.Time
	if last.IsZero() {
		last = m.Created.Time
	}
	if last.IsZero() {
		return []Finding{{Kind: ReviewOverdue, Subject: m.Title, Pos: m.Pos,
			Message: fmt.Sprintf("reviewed every %s, but the model has no updated or created date", m.ReviewEvery.Text)}}
	}
	due := last.AddDate(0, 0, m.ReviewEvery.Days)
	if !today.After(due) {
		return nil
	}
	return []Finding{{Kind: ReviewOverdue, Subject: m.Title, Date: due, Pos: m.Pos,
		Message: fmt.Sprintf("review was due %s (last updated %s, reviewed every %s): %s overdue",
			due.Format(model.DateLayout), last.Format(model.DateLayout), m.ReviewEvery.Text, days(today.Sub(due)))}}
}

func acceptances(res *engine.Result, today time.Time) []Finding {
	var expired, expiring []Finding
	for _, a := range res.Model.Accepted {
		until := a.Until.Time
		f := Finding{Subject: a.Threat.ID, Date: until, Pos: a.Pos}
		switch {
		case today.After(until):
			f.Kind = AcceptanceExpired
			f.Message = fmt.Sprintf("accepted by %s until %s: expired %s ago; accept it again or mitigate it", a.Owner, until.Format(model.DateLayout), days(today.Sub(until)))
			expired = append(expired, f)
		case until.Sub(today) <= ExpiringWithin:
			f.Kind = AcceptanceExpiring
			f.Message = fmt.Sprintf("accepted by %s until %s: expires in %s", a.Owner, until.Format(model.DateLayout), days(until.Sub(today)))
			expiring = append(expiring, f)
		}
	}
	return append(expired, expiring...)
}

func mitigationsDue(m *model.Model, today time.Time) []Finding {
	var out []Finding
	for _, mi := range m.Mitigations {
		if mi.Status.Done() || mi.Due.IsZero() || !today.After(mi.Due.Time) {
			continue
		}
		out = append(out, Finding{Kind: MitigationOverdue, Subject: mi.ID, Date: mi.Due.Time, Pos: mi.Pos,
			Message: fmt.Sprintf("%q is %s, due %s: %s overdue", mi.Title, mi.Status, mi.Due.String(), days(today.Sub(mi.Due.Time)))})
	}
	return out
}

// unanswered lists unresolved threats that no mitigation of the model's
// answers and nobody has accepted.
func unanswered(res *engine.Result) []Finding {
	var out []Finding
	for _, t := range res.Threats {
		if !t.Status.Unresolved() || t.Acceptance != nil || adopted(t) {
			continue
		}
		out = append(out, Finding{Kind: Unanswered, Subject: t.ID, Pos: t.Location,
			Message: fmt.Sprintf("%s threat with no mitigation: %s", t.Severity, t.Title)})
	}
	return out
}

func adopted(t *engine.Threat) bool {
	for _, mi := range t.Mitigations {
		if mi.FromModel {
			return true
		}
	}
	return false
}

func days(d time.Duration) string {
	n := int(d.Hours()+23) / 24
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
