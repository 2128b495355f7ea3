package review_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/review"
)

const src = `title: shop
updated: 2026-01-01
review_every: 30d
components:
  - id: login
    kind: aws.api-gateway
    properties: {public: true, authentication: password, logging: true, waf: true}
  - id: db
    kind: datastore
mitigations:
  - {id: mfa, title: Require MFA, kind: fix, status: planned, due: 2026-02-15, rules: [password-brute-force]}
  - {id: done-late, title: Done, kind: fix, status: implemented, due: 2026-01-15, rules: [password-brute-force]}
  - {id: not-yet, title: Later, kind: fix, status: planned, due: 2026-12-01, rules: [password-brute-force]}
accepted:
  - {threat: datastore-no-backups@db, owner: Ann, reason: internal only, until: 2026-02-01}
  - {threat: datastore-accidental-deletion@db, owner: Bob, reason: test data, until: 2026-03-15}
  - {threat: datastore-unencrypted-at-rest@db, owner: Cy, reason: batch job, until: 2026-09-01}
`

func status(t *testing.T, source string, now time.Time) review.Status {
	t.Helper()
	m, err := model.ParseBytes("m.ward.yaml", []byte(source))
	if err != nil {
		t.Fatal(err)
	}
	return review.Of(testkit.Analyze(t, m, now), now)
}

func TestStatus(t *testing.T) {
	s := status(t, src, time.Date(2026, 3, 1, 15, 0, 0, 0, time.UTC))
	byKind := map[review.Kind][]review.Finding{}
	for _, f := range s.Findings {
		byKind[f.Kind] = append(byKind[f.Kind], f)
	}
	one := func(k review.Kind, subject, message string) {
		t.Helper()
		fs := byKind[k]
		if len(fs) != 1 || fs[0].Subject != subject || !strings.Contains(fs[0].Message, message) {
			t.Errorf("%s: got %+v, want one about %s saying %q", k, fs, subject, message)
		}
	}
	one(review.ReviewOverdue, "shop", "review was due 2026-01-31 (last updated 2026-01-01, reviewed every 30d): 29 days overdue")
	one(review.AcceptanceExpired, "datastore-no-backups@db", "expired 28 days ago")
	one(review.AcceptanceExpiring, "datastore-accidental-deletion@db", "expires in 14 days")
	one(review.MitigationOverdue, "mfa", "due 2026-02-15: 14 days overdue")
	if !s.Overdue() {
		t.Error("Overdue() = false with an overdue review")
	}
	for _, f := range byKind[review.Unanswered] {
		if strings.HasPrefix(f.Subject, "password-brute-force@") {
			t.Errorf("%s has mitigations but is listed as unanswered", f.Subject)
		}
		if f.Subject == "datastore-unencrypted-at-rest@db" {
			t.Error("an accepted threat is listed as unanswered")
		}
		if f.Pos.Line == 0 {
			t.Errorf("%s has no position", f.Subject)
		}
	}
	if len(byKind[review.Unanswered]) == 0 {
		t.Error("no unanswered threats found; the bare datastore has some")
	}
	// Findings come in Kinds' order.
	last := -1
	for _, f := range s.Findings {
		i := indexOf(review.Kinds, f.Kind)
		if i < last {
			t.Fatalf("%s listed after a later kind", f.Kind)
		}
		last = i
	}
}

func TestNothingDue(t *testing.T) {
	s := status(t, src, time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))
	for _, k := range []review.Kind{review.ReviewOverdue, review.AcceptanceExpired, review.MitigationOverdue} {
		if n := s.Count(k); n != 0 {
			t.Errorf("%s: %d findings on 2026-01-10, want none", k, n)
		}
	}
	if s.Overdue() {
		t.Error("Overdue() = true with nothing overdue")
	}
	// No review period, no review finding; no dates, a finding asking for one.
	if n := status(t, "title: t\n", time.Now()).Count(review.ReviewOverdue); n != 0 {
		t.Errorf("model without review_every: %d review findings", n)
	}
	if n := status(t, "title: t\nreview_every: 90d\n", time.Now()).Count(review.ReviewOverdue); n != 1 {
		t.Errorf("model never dated: %d review findings, want 1", n)
	}
}

func indexOf(kinds []review.Kind, k review.Kind) int {
	for i, x := range kinds {
		if x == k {
			return i
		}
	}
	return -1
}
