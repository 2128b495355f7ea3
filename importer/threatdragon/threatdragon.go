// Package threatdragon imports an OWASP Threat Dragon v2 JSON model into a
// Ward model: actors, processes and stores become components, boxed trust
// boundaries become zones, flows become flows, and the threats written on
// each element become hand-written threats with their mitigations and
// statuses.
//
// A component lies in the smallest box around its centre, and a box inside
// another is a zone inside that zone, trusted more. Line-shaped boundaries
// enclose nothing and are left out with a warning, as are out-of-scope
// elements and the flows and threats on them. A threat's severity sets its
// likelihood and impact so that the default risk matrix gives the same
// severity back; a mitigated threat's mitigation text becomes an
// implemented mitigation, an open one's a proposed mitigation, and a
// not-applicable threat is accepted for a year from the import.
package threatdragon

import (
	"errors"
	"fmt"
	"time"

	"github.com/wardsec/ward/importer"
)

// Name is the source's name on the command line and in element positions.
const Name = "threatdragon"

// Limits of one input; past them the file is rejected before it costs
// memory or time.
const (
	MaxBytes = 64 << 20
	MaxDepth = 64
)

// ErrVersion1 is returned for a version 1 model, whose diagrams keep their
// cells under diagramJson.
var ErrVersion1 = errors.New("version 1 model")

// Importer reads Threat Dragon v2 JSON models.
type Importer struct {
	// Now dates the acceptances of not-applicable threats, which the
	// input does not date; nil means time.Now.
	Now func() time.Time
}

// New returns the Threat Dragon source.
func New() importer.Source { return &Importer{} }

// Name returns "threatdragon".
func (*Importer) Name() string { return Name }

// Import reads the Threat Dragon v2 JSON model at path. Input it cannot read
// is an error wrapping model.ErrInvalid with file:line:col; what it cannot
// map, or leaves out, is a warning in the result.
func (im *Importer) Import(path string) (*importer.Result, error) {
	data, err := importer.ReadLimited(path, MaxBytes, Name)
	if err != nil {
		return nil, err
	}
	return im.Parse(path, data)
}

// Parse imports data as if read from file.
func (im *Importer) Parse(file string, data []byte) (*importer.Result, error) {
	src := &source{file: file, data: data}
	if len(data) > MaxBytes {
		return nil, src.fail(0, fmt.Sprintf("file is %d bytes, more than the limit of %d", len(data), MaxBytes))
	}
	doc, err := src.decode()
	if err != nil {
		return nil, err
	}
	now := time.Now
	if im.Now != nil {
		now = im.Now
	}
	b := newBuilder(src, now().UTC())
	b.build(doc)
	if ds := b.m.Validate(); len(ds) > 0 {
		return nil, fmt.Errorf("%s: the imported model is not valid: %w", file, ds.Err())
	}
	b.warn.Sort()
	return &importer.Result{Model: b.m, Warnings: b.warn}, nil
}
