package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// User is a local account. PasswordHash is an argon2id encoding, never the
// password.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"`
	SiteAdmin    bool      `json:"site_admin"`
	CreatedAt    time.Time `json:"created_at"`
}

// userRecord is what the audit log keeps of a user: never the hash.
func (u User) record() map[string]any {
	return map[string]any{"email": u.Email, "name": u.Name, "site_admin": u.SiteAdmin}
}

// CreateUser adds an account; ErrConflict if the email is taken.
func (s *Store) CreateUser(ctx context.Context, actor string, u User) (User, error) {
	u.CreatedAt = time.UnixMilli(s.millis()).UTC()
	err := s.tx(ctx, func(t *sql.Tx) error {
		var err error
		u.ID, err = s.insertID(ctx, t, "INSERT INTO users (email, name, password_hash, site_admin, created_at) VALUES (?, ?, ?, ?, ?)",
			u.Email, u.Name, u.PasswordHash, boolInt(u.SiteAdmin), u.CreatedAt.UnixMilli())
		if err != nil {
			return err
		}
		return s.audit(ctx, t, actor, "user.create", 0, "user:"+u.Email, nil, u.record())
	})
	return u, err
}

// SetPassword replaces a user's password hash.
func (s *Store) SetPassword(ctx context.Context, actor string, userID int64, hash string) error {
	return s.tx(ctx, func(t *sql.Tx) error {
		u, err := s.userBy(ctx, t, "id", userID)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, s.rebind("UPDATE users SET password_hash = ? WHERE id = ?"), hash, userID); err != nil {
			return err
		}
		// Changing a password signs the user out everywhere.
		if _, err := t.ExecContext(ctx, s.rebind("DELETE FROM sessions WHERE user_id = ?"), userID); err != nil {
			return err
		}
		return s.audit(ctx, t, actor, "user.password", 0, "user:"+u.Email, nil, nil)
	})
}

// UserByEmail finds an account by its email.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	return s.userBy(ctx, s.db, "email", email)
}

// UserByID finds an account by its id.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	return s.userBy(ctx, s.db, "id", id)
}

func (s *Store) userBy(ctx context.Context, q querier, column string, v any) (User, error) {
	var u User
	var admin int
	var created int64
	err := q.QueryRowContext(ctx, s.rebind("SELECT id, email, name, password_hash, site_admin, created_at FROM users WHERE "+column+" = ?"), v).
		Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &admin, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %v: %w", v, ErrNotFound)
	}
	u.SiteAdmin = admin != 0
	u.CreatedAt = time.UnixMilli(created).UTC()
	return u, err
}

// Users lists every account, by email.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, email, name, site_admin, created_at FROM users ORDER BY email")
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []User
	for rows.Next() {
		var u User
		var admin int
		var created int64
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &admin, &created); err != nil {
			return nil, err
		}
		u.SiteAdmin, u.CreatedAt = admin != 0, time.UnixMilli(created).UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

// Session is a signed-in browser. The cookie holds a random token; the
// database keeps only its hash, so a leaked database signs no one in.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	ExpiresAt time.Time
}

// CreateSession records a session, sweeping expired ones: sessions nobody
// signs out of must not pile up.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	return s.tx(ctx, func(t *sql.Tx) error {
		if _, err := t.ExecContext(ctx, s.rebind("DELETE FROM sessions WHERE expires_at <= ?"), s.millis()); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, s.rebind("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)"),
			sess.TokenHash, sess.UserID, sess.CSRF, s.millis(), sess.ExpiresAt.UnixMilli())
		return err
	})
}

// SessionUser returns the live session with the token hash and its user.
func (s *Store) SessionUser(ctx context.Context, tokenHash string) (Session, User, error) {
	var sess Session
	var exp int64
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT token_hash, user_id, csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?"),
		tokenHash, s.millis()).Scan(&sess.TokenHash, &sess.UserID, &sess.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return sess, User{}, err
	}
	sess.ExpiresAt = time.UnixMilli(exp).UTC()
	u, err := s.UserByID(ctx, sess.UserID)
	return sess, u, err
}

// DeleteSession ends a session; expired ones are swept at the same time.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.db.ExecContext(ctx, s.rebind("DELETE FROM sessions WHERE token_hash = ? OR expires_at <= ?"), tokenHash, s.millis())
	return err
}

// Token is an API token: scoped to one project with one role. Only its hash
// is stored; the secret is shown once, when it is made.
type Token struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	ProjectID int64     `json:"project_id"`
	Role      Role      `json:"role"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	Hash      string    `json:"-"`
}

// CreateToken records a token.
func (s *Store) CreateToken(ctx context.Context, actor string, tok Token) (Token, error) {
	tok.CreatedAt = time.UnixMilli(s.millis()).UTC()
	tok.CreatedBy = actor
	var exp int64
	if !tok.ExpiresAt.IsZero() {
		exp = tok.ExpiresAt.UnixMilli()
	}
	err := s.tx(ctx, func(t *sql.Tx) error {
		var err error
		tok.ID, err = s.insertID(ctx, t, "INSERT INTO tokens (token_hash, name, project_id, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			tok.Hash, tok.Name, tok.ProjectID, string(tok.Role), tok.CreatedBy, tok.CreatedAt.UnixMilli(), exp)
		if err != nil {
			return err
		}
		return s.audit(ctx, t, actor, "token.create", tok.ProjectID, fmt.Sprintf("token:%d", tok.ID), nil, map[string]any{"name": tok.Name, "role": tok.Role})
	})
	return tok, err
}

const tokenColumns = "id, name, project_id, role, created_by, created_at, expires_at"

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var tok Token
	var created, exp int64
	var role string
	err := sc.Scan(&tok.ID, &tok.Name, &tok.ProjectID, &role, &tok.CreatedBy, &created, &exp)
	tok.Role, tok.CreatedAt = Role(role), time.UnixMilli(created).UTC()
	if exp != 0 {
		tok.ExpiresAt = time.UnixMilli(exp).UTC()
	}
	return tok, err
}

// TokenByHash finds a live token.
func (s *Store) TokenByHash(ctx context.Context, hash string) (Token, error) {
	tok, err := scanToken(s.db.QueryRowContext(ctx, s.rebind("SELECT "+tokenColumns+" FROM tokens WHERE token_hash = ?"), hash))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err != nil {
		return Token{}, err
	}
	if !tok.ExpiresAt.IsZero() && !s.now().Before(tok.ExpiresAt) {
		return Token{}, fmt.Errorf("token expired: %w", ErrNotFound)
	}
	return tok, nil
}

// Tokens lists a project's tokens (never their secrets).
func (s *Store) Tokens(ctx context.Context, project int64) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT "+tokenColumns+" FROM tokens WHERE project_id = ? ORDER BY id"), project)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Token
	for rows.Next() {
		tok, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, tok)
	}
	return out, rows.Err()
}

// DeleteToken revokes a project's token.
func (s *Store) DeleteToken(ctx context.Context, actor string, project, id int64) error {
	return s.tx(ctx, func(t *sql.Tx) error {
		res, err := t.ExecContext(ctx, s.rebind("DELETE FROM tokens WHERE id = ? AND project_id = ?"), id, project)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("token %d: %w", id, ErrNotFound)
		}
		return s.audit(ctx, t, actor, "token.delete", project, fmt.Sprintf("token:%d", id), map[string]any{"id": id}, nil)
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
