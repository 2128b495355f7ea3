// Package store keeps the Ward server's data — users, projects, model
// versions and their findings, triage, comments, tokens and the audit log —
// in an embedded SQLite database by default or in PostgreSQL for teams that
// run several servers on one database.
//
// Every change is written in one transaction together with its audit entry,
// so a change is either recorded and audited or not made at all.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a row would duplicate a unique name.
var ErrConflict = errors.New("already exists")

//go:embed schema/*.sql
var schemaFS embed.FS

// Dialect names the database behind a Store.
type Dialect string

// The databases a Store can use.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the server's database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect Dialect
	now     func() time.Time
}

// Open connects to dsn — a postgres:// or postgresql:// URL, or the path of
// a SQLite file, created if missing — and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.dialect = Postgres
		s.db, err = sql.Open("pgx", dsn)
		if err == nil {
			s.db.SetMaxOpenConns(20)
			s.db.SetMaxIdleConns(20)
		}
	} else {
		s.dialect = SQLite
		s.db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err == nil {
			// One writer at a time is SQLite's rule; readers run in
			// parallel thanks to WAL.
			s.db.SetMaxOpenConns(8)
			s.db.SetMaxIdleConns(8)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.db.PingContext(ctx); err != nil {
		_ = s.db.Close() // the ping error is the one to report
		return nil, fmt.Errorf("connecting to the %s database: %w", s.dialect, err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.db.Close() // the migration error is the one to report
		return nil, err
	}
	return s, nil
}

// sqliteDSN turns a file path into a connection string with the settings
// the server relies on: WAL for concurrent readers, a busy timeout so
// writers queue instead of failing, immediate transactions so a writer takes
// the lock before it reads, and full sync so an acknowledged write survives
// a crash.
func sqliteDSN(file string) string {
	return "file:" + file + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// Dialect says which database the store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks the database answers, for health checks.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// SetClock replaces the store's clock, for tests.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

func (s *Store) millis() int64 { return s.now().UnixMilli() }

// rebind rewrites ? placeholders as $1, $2… for PostgreSQL. Queries in this
// package never contain a literal question mark.
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx runs fn in a transaction, committing if it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(t); err != nil {
		_ = t.Rollback() // fn's error is the one to report
		return err
	}
	return t.Commit()
}

// insertID inserts a row and returns its generated id.
func (s *Store) insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, s.rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, uniqueErr(err)
}

// uniqueErr maps a unique-constraint violation to ErrConflict.
func uniqueErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "UNIQUE constraint") || strings.Contains(msg, "SQLSTATE 23505") ||
		strings.Contains(msg, "constraint failed: PRIMARY KEY") {
		return fmt.Errorf("%w: %v", ErrConflict, err)
	}
	return err
}

// migrate applies the embedded schema files not yet applied, in order,
// each in its own transaction with its version recorded. On PostgreSQL an
// advisory lock keeps two servers starting at once from racing.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close() //nolint:errcheck // hands the connection back to the pool; nothing to lose
	if s.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7406110)"); err != nil {
			return fmt.Errorf("locking for migrations: %w", err)
		}
		defer func() {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7406110)"); err != nil {
				// The lock lives as long as the session: drop the
				// connection rather than pool it still locked.
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("creating the migrations table: %w", err)
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			_ = rows.Close() // the scan error is the one to report
			return err
		}
		applied[v] = true
	}
	_ = rows.Close() // rows.Err below reports a failed read
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading applied schema versions: %w", err)
	}
	files, err := fs.Glob(schemaFS, "schema/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		v, err := strconv.Atoi(strings.SplitN(path.Base(f), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("schema file %s: name must start with its version number", f)
		}
		if applied[v] {
			continue
		}
		body, err := schemaFS.ReadFile(f)
		if err != nil {
			return err
		}
		t, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		// Both drivers run a multi-statement script when given no arguments.
		if _, err := t.ExecContext(ctx, s.expand(string(body))); err != nil {
			_ = t.Rollback() // the schema error is the one to report
			return fmt.Errorf("schema version %d: %w", v, err)
		}
		if _, err := t.ExecContext(ctx, s.rebind("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"), v, s.millis()); err != nil {
			_ = t.Rollback() // the insert error is the one to report
			return err
		}
		if err := t.Commit(); err != nil {
			return fmt.Errorf("schema version %d: %w", v, err)
		}
	}
	return nil
}

// expand fills in the schema's per-dialect types.
func (s *Store) expand(body string) string {
	r := strings.NewReplacer("{{ID}}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{{BLOB}}", "BLOB", "{{BIGINT}}", "INTEGER")
	if s.dialect == Postgres {
		r = strings.NewReplacer("{{ID}}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "{{BLOB}}", "BYTEA", "{{BIGINT}}", "BIGINT")
	}
	return r.Replace(body)
}

// SchemaVersion is the highest schema version applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	return int(v.Int64), err
}
