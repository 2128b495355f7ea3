package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Version is one uploaded state of a project's model: the files as
// uploaded (a gzipped tar) and a summary of its analysis.
type Version struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	Seq       int       `json:"number"`
	Label     string    `json:"label"`
	Root      string    `json:"root"` // the model's path inside the archive
	Archive   []byte    `json:"-"`
	Summary   string    `json:"-"` // JSON, written by the server
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Finding is one threat of a version, with what the threat table filters
// and sorts on. Stride and Features are lists.
type Finding struct {
	ThreatID   string   `json:"id"`
	Rule       string   `json:"rule"`
	Title      string   `json:"title"`
	Severity   string   `json:"severity"`
	Rank       int      `json:"-"`
	Stride     []string `json:"stride"`
	Target     string   `json:"target"`
	TargetName string   `json:"target_name"`
	TargetKind string   `json:"target_kind"`
	Features   []string `json:"features"`
	// ModelStatus is the status the model itself gives the threat; Status
	// is the effective one, after the server's triage.
	ModelStatus string  `json:"model_status"`
	Status      string  `json:"status"`
	Triage      *Triage `json:"triage,omitempty"`
}

// AddVersion stores a version and its findings as the project's next
// number, returning it with ID and Seq set.
func (s *Store) AddVersion(ctx context.Context, actor string, v Version, findings []Finding) (Version, error) {
	err := s.tx(ctx, func(t *sql.Tx) error { return s.addVersion(ctx, t, actor, &v, findings) })
	return v, err
}

// addVersion is AddVersion inside t, so other writes can share its
// transaction.
func (s *Store) addVersion(ctx context.Context, t *sql.Tx, actor string, v *Version, findings []Finding) error {
	v.CreatedAt = time.UnixMilli(s.millis()).UTC()
	v.CreatedBy = actor
	if s.dialect == Postgres {
		// Serialises numbering among servers sharing the database.
		if _, err := t.ExecContext(ctx, s.rebind("SELECT id FROM projects WHERE id = ? FOR UPDATE"), v.ProjectID); err != nil {
			return err
		}
	}
	if err := t.QueryRowContext(ctx, s.rebind("SELECT COALESCE(MAX(seq), 0) + 1 FROM versions WHERE project_id = ?"), v.ProjectID).Scan(&v.Seq); err != nil {
		return err
	}
	var err error
	v.ID, err = s.insertID(ctx, t, "INSERT INTO versions (project_id, seq, label, root, archive, summary, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		v.ProjectID, v.Seq, v.Label, v.Root, v.Archive, v.Summary, v.CreatedBy, v.CreatedAt.UnixMilli())
	if err != nil {
		return err
	}
	if err := s.insertFindings(ctx, t, v.ID, findings); err != nil {
		return err
	}
	return s.audit(ctx, t, actor, "version.create", v.ProjectID, fmt.Sprintf("version:%d", v.Seq), nil,
		map[string]any{"number": v.Seq, "label": v.Label, "threats": len(findings), "bytes": len(v.Archive)})
}

// insertFindings writes rows in batches: one round trip per batch keeps a
// 10k-threat upload quick on PostgreSQL.
func (s *Store) insertFindings(ctx context.Context, t *sql.Tx, version int64, fs []Finding) error {
	const batch = 200
	const cols = "(version_id, threat_id, rule_id, title, severity, rank, stride, target, target_name, target_kind, features, status)"
	for start := 0; start < len(fs); start += batch {
		end := min(start+batch, len(fs))
		var q strings.Builder
		q.WriteString("INSERT INTO findings " + cols + " VALUES ")
		args := make([]any, 0, (end-start)*12)
		for i, f := range fs[start:end] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, version, f.ThreatID, f.Rule, f.Title, f.Severity, f.Rank, list(f.Stride),
				f.Target, f.TargetName, f.TargetKind, list(f.Features), f.ModelStatus)
		}
		if _, err := t.ExecContext(ctx, s.rebind(q.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// list stores a list as ",a,b," so "contains b" is LIKE '%,b,%'.
func list(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return "," + strings.Join(xs, ",") + ","
}

func unlist(s string) []string {
	s = strings.Trim(s, ",")
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

const versionColumns = "id, project_id, seq, label, root, summary, created_by, created_at"

func scanVersion(sc interface{ Scan(...any) error }) (Version, error) {
	var v Version
	var created int64
	err := sc.Scan(&v.ID, &v.ProjectID, &v.Seq, &v.Label, &v.Root, &v.Summary, &v.CreatedBy, &created)
	v.CreatedAt = time.UnixMilli(created).UTC()
	return v, err
}

// Versions lists a project's versions, newest first, without archives.
func (s *Store) Versions(ctx context.Context, project int64) ([]Version, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT "+versionColumns+" FROM versions WHERE project_id = ? ORDER BY seq DESC"), project)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VersionOf returns a project's version by number, or its latest when seq
// is 0, without the archive.
func (s *Store) VersionOf(ctx context.Context, project int64, seq int) (Version, error) {
	q := "SELECT " + versionColumns + " FROM versions WHERE project_id = ? AND seq = ?"
	args := []any{project, seq}
	if seq == 0 {
		q, args = "SELECT "+versionColumns+" FROM versions WHERE project_id = ? ORDER BY seq DESC LIMIT 1", []any{project}
	}
	v, err := scanVersion(s.db.QueryRowContext(ctx, s.rebind(q), args...))
	if errors.Is(err, sql.ErrNoRows) {
		if seq == 0 {
			return v, fmt.Errorf("no versions yet: %w", ErrNotFound)
		}
		return v, fmt.Errorf("version %d: %w", seq, ErrNotFound)
	}
	return v, err
}

// Archive returns a version's uploaded files.
func (s *Store) Archive(ctx context.Context, versionID int64) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT archive FROM versions WHERE id = ?"), versionID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("version %d: %w", versionID, ErrNotFound)
	}
	return b, err
}

// Filter narrows a version's findings; empty fields match everything.
type Filter struct {
	Severity  string
	Stride    string
	Status    string
	Feature   string
	Component string
	ThreatID  string
}

// effectiveStatus is a finding's status after triage: the server's triage
// overrides the model, and an acceptance past its date has expired, as
// Triage.StatusOn has it. The single parameter is today's date.
const effectiveStatus = `CASE
	WHEN t.status IS NULL THEN f.status
	WHEN t.status = 'accepted' AND t.accepted_until <> '' AND t.accepted_until < ? THEN 'acceptance-expired'
	ELSE t.status END`

// Findings lists a version's findings with their triage, worst first.
func (s *Store) Findings(ctx context.Context, project, versionID int64, f Filter) ([]Finding, error) {
	today := s.now().UTC().Format(time.DateOnly)
	q := "SELECT f.threat_id, f.rule_id, f.title, f.severity, f.rank, f.stride, f.target, f.target_name, f.target_kind, f.features, f.status, " +
		effectiveStatus + ", t.status, t.owner, t.ticket, t.accepted_until, t.updated_by, t.updated_at " +
		"FROM findings f LEFT JOIN triage t ON t.project_id = ? AND t.threat_id = f.threat_id WHERE f.version_id = ?"
	args := []any{today, project, versionID}
	add := func(cond string, v string) {
		if v != "" {
			q += " AND " + cond
			args = append(args, v)
		}
	}
	add("f.severity = ?", f.Severity)
	add("f.stride LIKE ?", likeItem(f.Stride))
	add("f.features LIKE ?", likeItem(f.Feature))
	add("f.target = ?", f.Component)
	add("f.threat_id = ?", f.ThreatID)
	if f.Status != "" {
		q += " AND " + effectiveStatus + " = ?"
		args = append(args, today, f.Status)
	}
	q += " ORDER BY f.rank DESC, f.threat_id"
	rows, err := s.db.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Finding
	for rows.Next() {
		var x Finding
		var stride, features string
		var tStatus, owner, ticket, until, by sql.NullString
		var at sql.NullInt64
		if err := rows.Scan(&x.ThreatID, &x.Rule, &x.Title, &x.Severity, &x.Rank, &stride, &x.Target, &x.TargetName, &x.TargetKind,
			&features, &x.ModelStatus, &x.Status, &tStatus, &owner, &ticket, &until, &by, &at); err != nil {
			return nil, err
		}
		x.Stride, x.Features = unlist(stride), unlist(features)
		if tStatus.Valid {
			x.Triage = &Triage{ThreatID: x.ThreatID, Status: tStatus.String, Owner: owner.String, Ticket: ticket.String,
				AcceptedUntil: until.String, UpdatedBy: by.String, UpdatedAt: time.UnixMilli(at.Int64).UTC()}
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func likeItem(v string) string {
	if v == "" {
		return ""
	}
	return "%," + v + ",%"
}

// OpenCounts counts a version's unresolved findings by severity, after
// triage.
func (s *Store) OpenCounts(ctx context.Context, project, versionID int64) (map[string]int, error) {
	today := s.now().UTC().Format(time.DateOnly)
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT f.severity, COUNT(*) FROM findings f LEFT JOIN triage t ON t.project_id = ? AND t.threat_id = f.threat_id "+
		"WHERE f.version_id = ? AND "+effectiveStatus+" IN ('open', 'acceptance-expired', 'mitigation-planned') GROUP BY f.severity"),
		project, versionID, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	out := map[string]int{}
	for rows.Next() {
		var sev string
		var n int
		if err := rows.Scan(&sev, &n); err != nil {
			return nil, err
		}
		out[sev] = n
	}
	return out, rows.Err()
}
