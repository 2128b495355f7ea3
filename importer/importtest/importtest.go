// Package importtest holds test helpers shared by the importers' tests:
// a text dump of an import for golden files, a catalog check, a fuzz body
// and look-ups of an import's components and warnings. Only tests import
// it.
package importtest

import (
	"os"
	"testing"

	"github.com/wardsec/ward/importer"
)

// Fuzz seeds f with the file at seedPath and checks that parse gives an
// error or a model that validates and keeps to the catalog, and never
// panics.
func Fuzz(f *testing.F, seedPath string, parse func(data []byte) (*importer.Result, error)) {
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := parse(data)
		if err != nil {
			return
		}
		if ds := res.Model.Validate(); len(ds) > 0 {
			t.Fatalf("imported model does not validate:\n%v", ds)
		}
		if ps := CatalogProblems(res.Model); len(ps) > 0 {
			t.Fatalf("imported model breaks the catalog: %v", ps)
		}
	})
}
