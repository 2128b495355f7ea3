package threatdragon_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/threatdragon"
)

// FuzzImport checks that any input gives an error or a model that
// validates, and never a panic.
func FuzzImport(f *testing.F) {
	im := &threatdragon.Importer{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	importtest.Fuzz(f, filepath.Join("testdata", "webshop.json"), func(data []byte) (*importer.Result, error) {
		return im.Parse("fuzz.json", data)
	})
}
