// Package pgtest gives tests a real, throwaway PostgreSQL: one private
// cluster per test binary, started on first use, and a fresh database per
// DSN call. Only tests import it.
//
// A package that uses it must run its tests through Main:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestStore(t *testing.T) {
//		dsn := pgtest.DSN(t) // postgres://postgres@127.0.0.1:PORT/test_1?sslmode=disable
//		...
//	}
//
// The cluster runs Debian's server binaries (the newest under
// /usr/lib/postgresql/*/bin), listens only on 127.0.0.1 at a free port, and
// trusts every local connection. As root it runs as the postgres system user,
// since the server refuses to run as root. Its files live in a ward-pgtest-*
// folder under the temporary folder; Main removes them. A killed or timed-out
// test binary takes the server down with it but leaves that folder behind.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the role every DSN connects as.
const Superuser = "postgres"

// errNoMain stops DSN from starting a cluster that nothing would stop.
var errNoMain = errors.New("pgtest.DSN needs the package's TestMain to call pgtest.Main(m)")

var state struct {
	mu       sync.Mutex
	mainRan  bool
	cluster  *cluster
	startErr error
	admin    *pgx.Conn
	created  int
}

// Main runs the package's tests and then stops the cluster, if any test
// started one, and removes its files. Call it from TestMain; it does not
// return.
func Main(m *testing.M) {
	state.mu.Lock()
	state.mainRan = true
	state.mu.Unlock()

	code := m.Run()
	if err := shutdown(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// DSN creates an empty database in the test binary's cluster, starting the
// cluster on first use, and returns its URL, for example
// postgres://postgres@127.0.0.1:54321/test_3?sslmode=disable. The database is
// dropped when t ends, closing any connection still open to it. DSN fails t,
// never skips it, when PostgreSQL is missing or will not start. It is safe
// for parallel tests.
func DSN(t testing.TB) string {
	t.Helper()
	state.mu.Lock()
	defer state.mu.Unlock()

	admin, fresh, err := adminConn()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if c := state.cluster; fresh {
		t.Logf("pgtest: PostgreSQL %s ready on 127.0.0.1:%d in %s (initdb %s)",
			c.version, c.port, c.started.Round(time.Millisecond), c.initdb.Round(time.Millisecond))
	}
	state.created++
	name := fmt.Sprintf("test_%d", state.created)
	ident := pgx.Identifier{name}.Sanitize()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	create := "CREATE DATABASE " + ident
	if state.cluster.major >= 15 {
		// Copying files skips logging the whole template to WAL, which a
		// throwaway cluster never replays; it makes creation about a third faster.
		create += " STRATEGY FILE_COPY"
	}
	if _, err := admin.Exec(ctx, create); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		state.mu.Lock()
		defer state.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE ends connections a test left open, so a leak cannot fail cleanup.
		if _, err := state.admin.Exec(ctx, "DROP DATABASE "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return state.cluster.url(name)
}

// adminConn starts the cluster on first use, saying so with fresh, and
// returns the connection that creates and drops databases. The caller holds
// state.mu. A failed start is remembered so every later test fails fast with
// the same reason.
func adminConn() (admin *pgx.Conn, fresh bool, err error) {
	if state.admin != nil {
		return state.admin, false, nil
	}
	if state.startErr != nil {
		return nil, false, state.startErr
	}
	if !state.mainRan {
		return nil, false, errNoMain
	}
	c, err := startCluster()
	if err != nil {
		state.startErr = err
		return nil, false, err
	}
	state.cluster = c
	admin, err = c.connectAdmin(context.Background())
	if err != nil {
		state.startErr = err
		return nil, false, err
	}
	state.admin = admin
	return admin, true, nil
}

// shutdown stops the cluster and removes its files; it does nothing when no
// test started one.
func shutdown() error {
	state.mu.Lock()
	defer state.mu.Unlock()
	if state.admin != nil {
		// The server is about to stop; closing is a courtesy.
		_ = state.admin.Close(context.Background())
		state.admin = nil
	}
	if state.cluster == nil {
		return nil
	}
	err := state.cluster.stop()
	state.cluster = nil
	return err
}
