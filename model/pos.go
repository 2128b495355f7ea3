package model

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Pos is where an element was written: a file, a line and a column (both
// counted from 1), and the source that made it ("" when a person wrote it,
// otherwise the importer's name).
type Pos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Col    int    `json:"col"`
	Source string `json:"source,omitempty"`
}

// String formats p as file:line:col, the form editors and CI annotate.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return "-"
	case p.Line == 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// ErrInvalid is wrapped by every error about a model or rule file that the
// user can fix; the command line maps it to exit code 2.
var ErrInvalid = errors.New("invalid input")

// Diagnostic is one problem found in an input file.
type Diagnostic struct {
	Pos     Pos
	Message string
}

func (d Diagnostic) String() string { return d.Pos.String() + ": " + d.Message }

// MaxDiagnostics caps how many problems one load reports; past it the list
// ends with a count of the rest.
const MaxDiagnostics = 100

// Diagnostics is a list of problems, reported together. It is an error.
type Diagnostics []Diagnostic

func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds {
		if i == MaxDiagnostics {
			fmt.Fprintf(&b, "\n... and %d more problems", len(ds)-MaxDiagnostics)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// Unwrap lets errors.Is(err, ErrInvalid) recognise user errors.
func (ds Diagnostics) Unwrap() error { return ErrInvalid }

// Sort orders the problems by file, line and column.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Err returns ds as an error, or nil when it is empty.
func (ds Diagnostics) Err() error {
	if len(ds) == 0 {
		return nil
	}
	ds.Sort()
	return ds
}

func (ds *Diagnostics) add(p Pos, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...)})
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
