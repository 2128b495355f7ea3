package threagile_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wardsec/ward/importer/threagile"
)

// FuzzImport checks that any input gives an error or a model that
// validates, and never a panic.
func FuzzImport(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "webshop.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	im := &threagile.Importer{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := im.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		if ds := res.Model.Validate(); len(ds) > 0 {
			t.Fatalf("imported model does not validate:\n%v", ds)
		}
		if ps := catalogProblems(res.Model); len(ps) > 0 {
			t.Fatalf("imported model breaks the catalog: %v", ps)
		}
	})
}
