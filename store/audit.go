package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Entry is one audit record: who did what to which object, when, with the
// object's state before and after as JSON ("" when it did not exist).
type Entry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"`
	ProjectID int64     `json:"project_id"`
	Object    string    `json:"object"`
	Before    string    `json:"before"`
	After     string    `json:"after"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash"`
}

// audit appends an entry to the chain inside t. Entries are numbered
// without gaps; the chain's head is read under the database's write lock
// (SQLite's immediate transaction, an advisory lock on PostgreSQL), so two
// writers never both extend the same head.
func (s *Store) audit(ctx context.Context, t *sql.Tx, actor, action string, project int64, object string, before, after any) error {
	if s.dialect == Postgres {
		if _, err := t.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7406111)"); err != nil {
			return err
		}
	}
	e := Entry{At: time.UnixMilli(s.millis()).UTC(), Actor: actor, Action: action, ProjectID: project, Object: object}
	var err error
	if e.Before, err = jsonText(before); err != nil {
		return err
	}
	if e.After, err = jsonText(after); err != nil {
		return err
	}
	err = t.QueryRowContext(ctx, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").Scan(&e.ID, &e.PrevHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e.ID++
	e.Hash = e.digest()
	_, err = t.ExecContext(ctx, s.rebind(`INSERT INTO audit (id, at, actor, action, project_id, object, before, after, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		e.ID, e.At.UnixMilli(), e.Actor, e.Action, e.ProjectID, e.Object, e.Before, e.After, e.PrevHash, e.Hash)
	return err
}

// digest is the entry's hash: SHA-256 over the previous hash and every
// field, each length-prefixed so no two entries share an encoding.
func (e *Entry) digest() string {
	h := sha256.New()
	for _, f := range []string{e.PrevHash, strconv.FormatInt(e.ID, 10), strconv.FormatInt(e.At.UnixMilli(), 10),
		e.Actor, e.Action, strconv.FormatInt(e.ProjectID, 10), e.Object, e.Before, e.After} {
		fmt.Fprintf(h, "%d:%s\n", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func jsonText(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

const auditColumns = "id, at, actor, action, project_id, object, before, after, prev_hash, hash"

func scanEntry(sc interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var at int64
	err := sc.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.ProjectID, &e.Object, &e.Before, &e.After, &e.PrevHash, &e.Hash)
	e.At = time.UnixMilli(at).UTC()
	return e, err
}

// AuditOf lists a project's entries, newest first; object narrows it to one
// object (e.g. "threat:ID") when not empty. limit 0 means 500.
func (s *Store) AuditOf(ctx context.Context, project int64, object string, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = 500
	}
	q := "SELECT " + auditColumns + " FROM audit WHERE project_id = ?"
	args := []any{project}
	if object != "" {
		q += " AND object = ?"
		args = append(args, object)
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChainError says where the audit chain breaks.
type ChainError struct {
	ID     int64
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("audit entry %d: %s", e.ID, e.Reason)
}

// VerifyAudit walks the whole chain and returns how many entries it holds,
// or a *ChainError at the first entry that was altered, inserted, or follows
// a removed one.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	n, _, err := s.VerifyAuditHead(ctx)
	return n, err
}

// VerifyAuditHead is VerifyAudit that also returns the last entry's hash,
// which, kept elsewhere, reveals entries cut from the end.
func (s *Store) VerifyAuditHead(ctx context.Context) (int64, string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit ORDER BY id")
	if err != nil {
		return 0, "", err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var n int64
	prev := ""
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return n, "", err
		}
		n++
		switch {
		case e.ID != n:
			return n, "", &ChainError{e.ID, fmt.Sprintf("expected entry %d here; entries are missing", n)}
		case e.PrevHash != prev:
			return n, "", &ChainError{e.ID, "does not follow the previous entry's hash"}
		case e.digest() != e.Hash:
			return n, "", &ChainError{e.ID, "content does not match its hash; it was altered"}
		}
		prev = e.Hash
	}
	return n, prev, rows.Err()
}

// Revision is a project's newest audit entry id: it grows with every change
// to the project (a triage, a comment, a version…), on any server sharing
// the database, so readers can key caches on it.
func (s *Store) Revision(ctx context.Context, project int64) (int64, error) {
	var rev int64
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT COALESCE(MAX(id), 0) FROM audit WHERE project_id = ?"), project).Scan(&rev)
	return rev, err
}
