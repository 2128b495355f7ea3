package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// open gives each test a fresh database of every dialect under test.
func open(t *testing.T) map[Dialect]*Store {
	t.Helper()
	out := map[Dialect]*Store{}
	for d, dsn := range dsns(t) {
		s, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		t.Cleanup(func() { s.Close() })
		out[d] = s
	}
	return out
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "ward.db") }

func each(t *testing.T, fn func(t *testing.T, s *Store)) {
	for d, s := range open(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, s) })
	}
}

func seed(t *testing.T, s *Store) (User, Project) {
	t.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "admin", User{Email: "ana@example.com", Name: "Ana", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.CreateProject(ctx, "user:ana@example.com", Project{Slug: "shop", Name: "Shop"}, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u, p
}

func TestMigrationsIdempotent(t *testing.T) {
	dsn := tempDB(t)
	for range 2 {
		s, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		files, _ := fs.Glob(schemaFS, "schema/*.sql")
		v, err := s.SchemaVersion(context.Background())
		if err != nil || v != len(files) {
			t.Fatalf("schema version = %d, %v; want %d, one per schema file", v, err, len(files))
		}
		s.Close()
	}
}

func TestAccounts(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		u, p := seed(t, s)
		if _, err := s.CreateUser(ctx, "admin", User{Email: "ana@example.com", Name: "Other"}); !errors.Is(err, ErrConflict) {
			t.Errorf("duplicate email: err = %v, want ErrConflict", err)
		}
		if r, _ := s.RoleOf(ctx, p.ID, u.ID); r != Admin {
			t.Errorf("owner role = %q, want admin", r)
		}
		b, _ := s.CreateUser(ctx, "admin", User{Email: "bo@example.com", Name: "Bo"})
		if r, _ := s.RoleOf(ctx, p.ID, b.ID); r != "" {
			t.Errorf("non-member role = %q", r)
		}
		if err := s.SetMember(ctx, "user:ana@example.com", p.ID, b.ID, Viewer); err != nil {
			t.Fatal(err)
		}
		ps, _ := s.Projects(ctx, b.ID, false)
		if len(ps) != 1 || ps[0].Slug != "shop" {
			t.Errorf("bo's projects = %v", ps)
		}
		exp := time.Now().Add(time.Hour)
		if err := s.CreateSession(ctx, Session{TokenHash: "h1", UserID: b.ID, CSRF: "c", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, Session{TokenHash: "old", UserID: b.ID, CSRF: "c", ExpiresAt: time.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, Session{TokenHash: "h2", UserID: b.ID, CSRF: "c", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		var stale int
		s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions WHERE token_hash = 'old'").Scan(&stale)
		if stale != 0 {
			t.Error("an expired session survived the next sign-in's sweep")
		}
		if _, su, err := s.SessionUser(ctx, "h1"); err != nil || su.Email != "bo@example.com" {
			t.Fatalf("session user = %v, %v", su, err)
		}
		if err := s.SetPassword(ctx, "user:bo@example.com", b.ID, "y"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, "h1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("session survived a password change: %v", err)
		}
		tok, err := s.CreateToken(ctx, "user:ana@example.com", Token{Hash: "th", Name: "ci", ProjectID: p.ID, Role: Editor})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.TokenByHash(ctx, "th")
		if err != nil || got.Role != Editor || got.ProjectID != p.ID {
			t.Fatalf("token = %+v, %v", got, err)
		}
		if err := s.DeleteToken(ctx, "user:ana@example.com", p.ID+1, tok.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleting another project's token: %v", err)
		}
		if err := s.DeleteToken(ctx, "user:ana@example.com", p.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenByHash(ctx, "th"); !errors.Is(err, ErrNotFound) {
			t.Errorf("revoked token still found: %v", err)
		}
	})
}

func findings(n int, status string) []Finding {
	var out []Finding
	for i := range n {
		sev := []string{"low", "medium", "high", "critical"}[i%4]
		out = append(out, Finding{ThreatID: fmt.Sprintf("rule-%d@c%d", i%7, i), Rule: fmt.Sprintf("rule-%d", i%7), Title: "T",
			Severity: sev, Rank: i % 4, Stride: []string{"spoofing", "tampering"}[i%2 : i%2+1], Target: fmt.Sprintf("c%d", i),
			TargetName: "C", TargetKind: "aws.s3", Features: []string{"checkout"}[:i%2], ModelStatus: status})
	}
	return out
}

func TestVersionsAndTriage(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		_, p := seed(t, s)
		s.SetClock(func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) })
		v1, err := s.AddVersion(ctx, "user:ana@example.com", Version{ProjectID: p.ID, Label: "first", Archive: []byte{1, 2}, Summary: "{}"}, findings(450, "open"))
		if err != nil {
			t.Fatal(err)
		}
		v2, err := s.AddVersion(ctx, "user:ana@example.com", Version{ProjectID: p.ID, Label: "second", Archive: []byte{3}, Summary: "{}"}, findings(10, "open"))
		if err != nil {
			t.Fatal(err)
		}
		if v1.Seq != 1 || v2.Seq != 2 {
			t.Fatalf("numbers = %d, %d", v1.Seq, v2.Seq)
		}
		latest, err := s.VersionOf(ctx, p.ID, 0)
		if err != nil || latest.ID != v2.ID {
			t.Fatalf("latest = %+v, %v", latest, err)
		}
		all, _ := s.Findings(ctx, p.ID, v1.ID, Filter{})
		if len(all) != 450 || all[0].Severity != "critical" {
			t.Fatalf("%d findings, first %+v", len(all), all[0])
		}
		high, _ := s.Findings(ctx, p.ID, v1.ID, Filter{Severity: "high", Stride: "spoofing"})
		for _, f := range high {
			if f.Severity != "high" || f.Stride[0] != "spoofing" {
				t.Fatalf("filter leaked %+v", f)
			}
		}
		feat, _ := s.Findings(ctx, p.ID, v1.ID, Filter{Feature: "checkout"})
		if len(feat) != 225 {
			t.Errorf("feature filter: %d, want 225", len(feat))
		}
		// Triage made on version 2 applies to the same threat in version 1.
		id := "rule-3@c3"
		if _, err := s.SetTriage(ctx, "user:ana@example.com", p.ID, Triage{ThreatID: id, Status: "mitigated", Owner: "ana", Ticket: "SEC-1"}, "fixed in v2"); err != nil {
			t.Fatal(err)
		}
		for _, v := range []Version{v1, v2} {
			got, _ := s.Findings(ctx, p.ID, v.ID, Filter{ThreatID: id})
			if len(got) != 1 || got[0].Status != "mitigated" || got[0].Triage.Ticket != "SEC-1" {
				t.Errorf("version %d: %+v", v.Seq, got)
			}
		}
		mitigated, _ := s.Findings(ctx, p.ID, v2.ID, Filter{Status: "mitigated"})
		if len(mitigated) != 1 {
			t.Errorf("status filter: %d", len(mitigated))
		}
		// An acceptance past its date counts as expired, and unresolved.
		s.SetTriage(ctx, "user:ana@example.com", p.ID, Triage{ThreatID: "rule-2@c2", Status: "accepted", AcceptedUntil: "2026-01-01"}, "")
		got, _ := s.Findings(ctx, p.ID, v2.ID, Filter{ThreatID: "rule-2@c2"})
		if got[0].Status != "acceptance-expired" {
			t.Errorf("expired acceptance status = %q", got[0].Status)
		}
		counts, _ := s.OpenCounts(ctx, p.ID, v2.ID)
		if counts["critical"] != 1 || counts["high"] != 2 || counts["low"] != 3 {
			t.Errorf("open counts = %v", counts)
		}
		cs, _ := s.Comments(ctx, p.ID, id)
		if len(cs) != 1 || cs[0].Body != "fixed in v2" {
			t.Errorf("comments = %+v", cs)
		}
		hist, _ := s.AuditOf(ctx, p.ID, "threat:"+id, 0)
		if len(hist) != 2 || hist[1].Action != "threat.triage" || hist[0].Action != "threat.comment" {
			t.Errorf("history = %+v", hist)
		}
	})
}

func TestAuditChain(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		_, p := seed(t, s)
		// Concurrent writers must still extend one unbroken chain.
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range 5 {
					if _, err := s.AddComment(ctx, "user:ana@example.com", p.ID, fmt.Sprintf("t%d", i), fmt.Sprint(j)); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		n, err := s.VerifyAudit(ctx)
		if err != nil || n != 43 {
			t.Fatalf("verify = %d, %v; want 43 entries", n, err)
		}
		if _, err := s.db.ExecContext(ctx, "UPDATE audit SET after = '{\"body\":\"forged\"}' WHERE id = 10"); err != nil {
			t.Fatal(err)
		}
		_, err = s.VerifyAudit(ctx)
		var ce *ChainError
		if !errors.As(err, &ce) || ce.ID != 10 {
			t.Fatalf("tampered chain: err = %v, want a break at entry 10", err)
		}
	})
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, tempDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seed(t, s)
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	c, err := Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.UserByEmail(ctx, "ana@example.com"); err != nil {
		t.Errorf("backup lacks the user: %v", err)
	}
	if n, err := c.VerifyAudit(ctx); err != nil || n != 3 {
		t.Errorf("backup's audit chain: %d, %v", n, err)
	}
}
