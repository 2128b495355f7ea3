package report

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/wardsec/ward/engine"
)

// csvColumns are the CSV report's: the threat id, which mitigations and
// accepted risks name, then the assessment table's columns.
var csvColumns = append([]string{"ID"}, assessmentColumns...)

// writeCSV writes the assessment table, one row per threat. A result
// without threats gets the summary line instead of a header with no rows,
// as in the other formats.
func writeCSV(w io.Writer, res *engine.Result, _ Options) error {
	cw := csv.NewWriter(w)
	if len(res.Threats) == 0 {
		if err := cw.Write([]string{Summarize(res).String()}); err != nil {
			return err
		}
	} else if err := cw.Write(csvColumns); err != nil {
		return err
	}
	for _, t := range res.Threats {
		row := []string{
			t.ID,
			t.TargetName,
			t.Actor,
			t.Scenario,
			strideLetters(t.Stride),
			string(t.Severity),
			strings.Join(mitigationLines(t.Mitigations), "\n"),
			string(t.Status),
		}
		for i, cell := range row {
			row[i] = csvCell(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvFormulaStart holds the characters that make a spreadsheet read a cell
// as a formula (or, for tab and carriage return, hide the one that does).
const csvFormulaStart = "=+-@\t\r"

// csvCell defuses a cell a spreadsheet would run: model text is user
// input, so "=HYPERLINK(...)" in a scenario must stay text. The leading
// apostrophe is the spreadsheets' own mark for "this is text".
func csvCell(s string) string {
	if s != "" && strings.IndexByte(csvFormulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}
