package report

import (
	"errors"
	"io"

	"github.com/wardsec/ward/engine"
)

// writePDF renders the pdf report. Not written yet.
func writePDF(w io.Writer, res *engine.Result, opt Options) error {
	return errors.New("the pdf report is not available yet")
}
