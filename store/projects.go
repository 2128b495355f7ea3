package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Role is what a member may do in a project. Each role includes the ones
// before it.
type Role string

// The roles, least first.
const (
	Viewer Role = "viewer" // reads models, threats, diffs and exports
	Editor Role = "editor" // also uploads versions, triages and comments
	Admin  Role = "admin"  // also manages members, tokens and webhooks
)

// Roles lists the roles, least first.
var Roles = []Role{Viewer, Editor, Admin}

// Rank orders roles; 0 is no role.
func (r Role) Rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Valid says whether r is a known role.
func (r Role) Valid() bool { return r.Rank() > 0 }

// Project is one system's threat model, with its versions.
type Project struct {
	ID        int64     `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateProject adds a project and makes owner (when not 0) its admin.
func (s *Store) CreateProject(ctx context.Context, actor string, p Project, owner int64) (Project, error) {
	p.CreatedAt = time.UnixMilli(s.millis()).UTC()
	err := s.tx(ctx, func(t *sql.Tx) error {
		var err error
		p.ID, err = s.insertID(ctx, t, "INSERT INTO projects (slug, name, created_at) VALUES (?, ?, ?)", p.Slug, p.Name, p.CreatedAt.UnixMilli())
		if err != nil {
			return err
		}
		if err := s.audit(ctx, t, actor, "project.create", p.ID, "project:"+p.Slug, nil, p); err != nil {
			return err
		}
		if owner != 0 {
			return s.setMember(ctx, t, actor, p.ID, owner, Admin)
		}
		return nil
	})
	return p, err
}

// ProjectBySlug finds a project.
func (s *Store) ProjectBySlug(ctx context.Context, slug string) (Project, error) {
	var p Project
	var created int64
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT id, slug, name, created_at FROM projects WHERE slug = ?"), slug).
		Scan(&p.ID, &p.Slug, &p.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("project %q: %w", slug, ErrNotFound)
	}
	p.CreatedAt = time.UnixMilli(created).UTC()
	return p, err
}

// Projects lists the projects a user belongs to, or every project when all
// is set (site administrators).
func (s *Store) Projects(ctx context.Context, userID int64, all bool) ([]Project, error) {
	q := "SELECT p.id, p.slug, p.name, p.created_at FROM projects p JOIN members m ON m.project_id = p.id WHERE m.user_id = ? ORDER BY p.slug"
	args := []any{userID}
	if all {
		q, args = "SELECT id, slug, name, created_at FROM projects ORDER BY slug", nil
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Project
	for rows.Next() {
		var p Project
		var created int64
		if err := rows.Scan(&p.ID, &p.Slug, &p.Name, &created); err != nil {
			return nil, err
		}
		p.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// RoleOf is a user's role in a project, "" if none.
func (s *Store) RoleOf(ctx context.Context, project, userID int64) (Role, error) {
	var r string
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT role FROM members WHERE project_id = ? AND user_id = ?"), project, userID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return Role(r), err
}

// Member is a user's membership of a project.
type Member struct {
	UserID int64  `json:"user_id"`
	Email  string `json:"email"`
	Name   string `json:"name"`
	Role   Role   `json:"role"`
}

// Members lists a project's members by email.
func (s *Store) Members(ctx context.Context, project int64) ([]Member, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT u.id, u.email, u.name, m.role FROM members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? ORDER BY u.email"), project)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Member
	for rows.Next() {
		var m Member
		var r string
		if err := rows.Scan(&m.UserID, &m.Email, &m.Name, &r); err != nil {
			return nil, err
		}
		m.Role = Role(r)
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetMember gives a user a role in a project, or removes them when role is "".
func (s *Store) SetMember(ctx context.Context, actor string, project, userID int64, role Role) error {
	return s.tx(ctx, func(t *sql.Tx) error { return s.setMember(ctx, t, actor, project, userID, role) })
}

func (s *Store) setMember(ctx context.Context, t *sql.Tx, actor string, project, userID int64, role Role) error {
	u, err := s.userBy(ctx, t, "id", userID)
	if err != nil {
		return err
	}
	var before any
	var old string
	err = t.QueryRowContext(ctx, s.rebind("SELECT role FROM members WHERE project_id = ? AND user_id = ?"), project, userID).Scan(&old)
	switch {
	case err == nil:
		before = map[string]any{"email": u.Email, "role": old}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	var after any
	if role == "" {
		_, err = t.ExecContext(ctx, s.rebind("DELETE FROM members WHERE project_id = ? AND user_id = ?"), project, userID)
	} else {
		after = map[string]any{"email": u.Email, "role": role}
		if before == nil {
			_, err = t.ExecContext(ctx, s.rebind("INSERT INTO members (project_id, user_id, role) VALUES (?, ?, ?)"), project, userID, string(role))
		} else {
			_, err = t.ExecContext(ctx, s.rebind("UPDATE members SET role = ? WHERE project_id = ? AND user_id = ?"), string(role), project, userID)
		}
	}
	if err != nil {
		return err
	}
	return s.audit(ctx, t, actor, "member.set", project, "member:"+u.Email, before, after)
}
