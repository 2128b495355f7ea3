package store

import "testing"

// dsns names the databases every store test runs against.
func dsns(t *testing.T) map[Dialect]string {
	return map[Dialect]string{SQLite: tempDB(t)}
}
