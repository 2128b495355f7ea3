package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Triage is what people decided about a threat on the server. It is keyed
// by the threat's stable id, so it carries over to every later version.
type Triage struct {
	ThreatID      string    `json:"threat_id"`
	Status        string    `json:"status"`
	Owner         string    `json:"owner"`
	Ticket        string    `json:"ticket"`
	AcceptedUntil string    `json:"accepted_until"` // YYYY-MM-DD, for accepted risks
	UpdatedBy     string    `json:"updated_by"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// StatusOn is the triage's status on a day (YYYY-MM-DD): an acceptance past
// its date has expired. effectiveStatus states the same rule in SQL.
func (t Triage) StatusOn(today string) string {
	if t.Status == "accepted" && t.AcceptedUntil != "" && t.AcceptedUntil < today {
		return "acceptance-expired"
	}
	return t.Status
}

// record is what the audit log keeps of a triage.
func (t Triage) record() map[string]any {
	return map[string]any{"status": t.Status, "owner": t.Owner, "ticket": t.Ticket, "accepted_until": t.AcceptedUntil}
}

// TriageOf returns a threat's triage; ok is false when nobody triaged it.
func (s *Store) TriageOf(ctx context.Context, project int64, threatID string) (tr Triage, ok bool, err error) {
	return s.triageOf(ctx, s.db, project, threatID)
}

func (s *Store) triageOf(ctx context.Context, q querier, project int64, threatID string) (Triage, bool, error) {
	tr, err := scanTriage(q.QueryRowContext(ctx, s.rebind("SELECT "+triageColumns+" FROM triage WHERE project_id = ? AND threat_id = ?"), project, threatID))
	if errors.Is(err, sql.ErrNoRows) {
		return Triage{ThreatID: threatID}, false, nil
	}
	return tr, err == nil, err
}

const triageColumns = "threat_id, status, owner, ticket, accepted_until, updated_by, updated_at"

func scanTriage(sc interface{ Scan(...any) error }) (Triage, error) {
	var tr Triage
	var at int64
	err := sc.Scan(&tr.ThreatID, &tr.Status, &tr.Owner, &tr.Ticket, &tr.AcceptedUntil, &tr.UpdatedBy, &at)
	tr.UpdatedAt = time.UnixMilli(at).UTC()
	return tr, err
}

// SetTriage records a decision about a threat and, when comment is not
// empty, the comment explaining it, in one audited transaction.
func (s *Store) SetTriage(ctx context.Context, actor string, project int64, tr Triage, comment string) (Triage, error) {
	tr.UpdatedBy = actor
	tr.UpdatedAt = time.UnixMilli(s.millis()).UTC()
	err := s.tx(ctx, func(t *sql.Tx) error {
		old, had, err := s.triageOf(ctx, t, project, tr.ThreatID)
		if err != nil {
			return err
		}
		var before any
		if had {
			before = old.record()
			_, err = t.ExecContext(ctx, s.rebind("UPDATE triage SET status = ?, owner = ?, ticket = ?, accepted_until = ?, updated_by = ?, updated_at = ? WHERE project_id = ? AND threat_id = ?"),
				tr.Status, tr.Owner, tr.Ticket, tr.AcceptedUntil, tr.UpdatedBy, tr.UpdatedAt.UnixMilli(), project, tr.ThreatID)
		} else {
			_, err = t.ExecContext(ctx, s.rebind("INSERT INTO triage (project_id, threat_id, status, owner, ticket, accepted_until, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
				project, tr.ThreatID, tr.Status, tr.Owner, tr.Ticket, tr.AcceptedUntil, tr.UpdatedBy, tr.UpdatedAt.UnixMilli())
		}
		if err != nil {
			return err
		}
		if err := s.audit(ctx, t, actor, "threat.triage", project, "threat:"+tr.ThreatID, before, tr.record()); err != nil {
			return err
		}
		if comment != "" {
			_, err = s.addComment(ctx, t, actor, project, tr.ThreatID, comment)
		}
		return err
	})
	return tr, err
}

// Comment is one message in a threat's discussion.
type Comment struct {
	ID        int64     `json:"id"`
	ThreatID  string    `json:"threat_id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// AddComment adds to a threat's discussion.
func (s *Store) AddComment(ctx context.Context, actor string, project int64, threatID, body string) (Comment, error) {
	var c Comment
	err := s.tx(ctx, func(t *sql.Tx) error {
		var err error
		c, err = s.addComment(ctx, t, actor, project, threatID, body)
		return err
	})
	return c, err
}

func (s *Store) addComment(ctx context.Context, t *sql.Tx, actor string, project int64, threatID, body string) (Comment, error) {
	c := Comment{ThreatID: threatID, Author: actor, Body: body, CreatedAt: time.UnixMilli(s.millis()).UTC()}
	var err error
	c.ID, err = s.insertID(ctx, t, "INSERT INTO comments (project_id, threat_id, author, body, created_at) VALUES (?, ?, ?, ?, ?)",
		project, threatID, actor, body, c.CreatedAt.UnixMilli())
	if err != nil {
		return c, err
	}
	return c, s.audit(ctx, t, actor, "threat.comment", project, "threat:"+threatID, nil, map[string]any{"comment": c.ID, "body": body})
}

// Comments lists a threat's discussion, oldest first.
func (s *Store) Comments(ctx context.Context, project int64, threatID string) ([]Comment, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT id, threat_id, author, body, created_at FROM comments WHERE project_id = ? AND threat_id = ? ORDER BY id"), project, threatID)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Comment
	for rows.Next() {
		var c Comment
		var at int64
		if err := rows.Scan(&c.ID, &c.ThreatID, &c.Author, &c.Body, &at); err != nil {
			return nil, err
		}
		c.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// Backup writes a consistent copy of a SQLite database to path (which must
// not exist). PostgreSQL databases are backed up with the database's own
// tools.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return fmt.Errorf("backup: a PostgreSQL database is backed up with pg_dump, not by Ward")
	}
	_, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

// TriageAll returns every triage decision in a project by threat id.
func (s *Store) TriageAll(ctx context.Context, project int64) (map[string]Triage, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT "+triageColumns+" FROM triage WHERE project_id = ?"), project)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	out := map[string]Triage{}
	for rows.Next() {
		tr, err := scanTriage(rows)
		if err != nil {
			return nil, err
		}
		out[tr.ThreatID] = tr
	}
	return out, rows.Err()
}
