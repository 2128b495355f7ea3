package pgtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wardsec/ward/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := conn.Close(context.Background()); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return conn
}

func queryString(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	var s string
	if err := conn.QueryRow(context.Background(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func TestDSNConnectsOverLoopback(t *testing.T) {
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", dsn, err)
	}
	if u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Query().Get("sslmode") != "disable" {
		t.Errorf("DSN %s: want postgres://USER@127.0.0.1:PORT/DB?sslmode=disable", dsn)
	}

	conn := connect(t, dsn)
	if got, want := queryString(t, conn, "SELECT current_database()"), u.Path[1:]; got != want {
		t.Errorf("connected to database %q, want %q", got, want)
	}
	if got := queryString(t, conn, "SELECT inet_server_addr()::text"); got != "127.0.0.1/32" {
		t.Errorf("server address %q, want 127.0.0.1/32", got)
	}
	settings := map[string]string{
		"listen_addresses": "127.0.0.1",
		"server_encoding":  "UTF8",
		"TimeZone":         "UTC",
	}
	for name, want := range settings {
		if got := queryString(t, conn, "SHOW "+name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestDSNsAreSeparateDatabases(t *testing.T) {
	first, second := pgtest.DSN(t), pgtest.DSN(t)
	if first == second {
		t.Fatalf("two calls gave the same DSN %s", first)
	}
	a, b := connect(t, first), connect(t, second)
	if _, err := a.Exec(context.Background(), "CREATE TABLE threats (id text PRIMARY KEY)"); err != nil {
		t.Fatalf("create table: %v", err)
	}
	if _, err := a.Exec(context.Background(), "INSERT INTO threats VALUES ('aws-s3-public-read')"); err != nil {
		t.Fatalf("insert: %v", err)
	}
	if got := queryString(t, a, "SELECT coalesce(to_regclass('threats')::text, 'absent')"); got != "threats" {
		t.Errorf("table in the first database: %s", got)
	}
	if got := queryString(t, b, "SELECT coalesce(to_regclass('threats')::text, 'absent')"); got != "absent" {
		t.Errorf("table created in the first database is %s in the second, want absent", got)
	}
}

func TestDatabaseDroppedWhenTestEnds(t *testing.T) {
	var dsn string
	t.Run("user", func(t *testing.T) {
		dsn = pgtest.DSN(t)
		// Left open on purpose: cleanup must drop the database anyway.
		if _, err := pgx.Connect(context.Background(), dsn); err != nil {
			t.Fatalf("connect: %v", err)
		}
	})
	_, err := pgx.Connect(context.Background(), dsn)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" { // invalid_catalog_name
		t.Errorf("connect after the test ended: %v; want database does not exist (3D000)", err)
	}
}

func TestParallelTestsGetTheirOwnDatabase(t *testing.T) {
	const n = 4
	names := make(chan string, n)
	t.Run("group", func(t *testing.T) {
		for i := range n {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				conn := connect(t, pgtest.DSN(t))
				names <- queryString(t, conn, "SELECT current_database()")
			})
		}
	})
	close(names)
	seen := map[string]bool{}
	for name := range names {
		if seen[name] {
			t.Errorf("database %s given to two tests", name)
		}
		seen[name] = true
	}
	if len(seen) != n {
		t.Errorf("%d databases for %d tests", len(seen), n)
	}
}
