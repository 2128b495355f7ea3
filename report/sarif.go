package report

import (
	"errors"
	"io"

	"github.com/wardsec/ward/engine"
)

// writeSARIF renders the sarif report. Not written yet.
func writeSARIF(w io.Writer, res *engine.Result, opt Options) error {
	return errors.New("the sarif report is not available yet")
}
