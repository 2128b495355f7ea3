package report

import (
	"errors"
	"io"

	"github.com/wardsec/ward/engine"
)

// writeHTML renders the html report. Not written yet.
func writeHTML(w io.Writer, res *engine.Result, opt Options) error {
	return errors.New("the html report is not available yet")
}
