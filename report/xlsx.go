package report

import (
	"errors"
	"io"

	"github.com/wardsec/ward/engine"
)

// writeXLSX renders the xlsx report. Not written yet.
func writeXLSX(w io.Writer, res *engine.Result, opt Options) error {
	return errors.New("the xlsx report is not available yet")
}
