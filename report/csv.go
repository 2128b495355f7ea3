package report

import (
	"errors"
	"io"

	"github.com/wardsec/ward/engine"
)

// writeCSV renders the csv report. Not written yet.
func writeCSV(w io.Writer, res *engine.Result, opt Options) error {
	return errors.New("the csv report is not available yet")
}
