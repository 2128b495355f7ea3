package threagile_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/threagile"
)

// FuzzImport checks that any input gives an error or a model that
// validates, and never a panic.
func FuzzImport(f *testing.F) {
	im := &threagile.Importer{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	importtest.Fuzz(f, filepath.Join("testdata", "webshop.yaml"), func(data []byte) (*importer.Result, error) {
		return im.Parse("fuzz.yaml", data)
	})
}
