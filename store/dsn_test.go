package store

import (
	"testing"

	"github.com/wardsec/ward/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// dsns names the databases every store test runs against: a SQLite file
// and a fresh database in a throwaway PostgreSQL cluster.
func dsns(t *testing.T) map[Dialect]string {
	return map[Dialect]string{SQLite: tempDB(t), Postgres: pgtest.DSN(t)}
}
