// Package threagile imports a Threagile model YAML into a Ward model: data
// assets, technical assets and their communication links, trust boundaries,
// and the tracked risks with their statuses.
//
// Data assets become assets, technical assets components of the closest
// catalog kind, each communication link a flow (and a second flow back when
// data is received), and trust boundaries zones nested as declared;
// internet-facing assets outside every boundary go in an untrusted
// "internet" zone. A component takes the authentication and transport
// encryption its incoming links agree on. A tracked risk id names a risk
// category and the elements it was found on; each becomes a hand-written
// threat on the first element of the model it names, answered as its status
// says: an accepted or false-positive risk is accepted for a year from the
// day it was checked, an in-progress one gets a planned mitigation and a
// mitigated one an implemented mitigation. Values without a Ward equivalent
// are warnings.
package threagile

import (
	"fmt"
	"time"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// Name is the source's name on the command line and in element positions.
const Name = "threagile"

// Limits of one input; past them the file is rejected before it costs
// memory or time.
const (
	MaxBytes = 64 << 20
	MaxDepth = 64
)

// Importer reads Threagile model YAML files.
type Importer struct {
	// Now dates acceptances whose source names no date; nil means
	// time.Now.
	Now func() time.Time
}

// New returns the Threagile source.
func New() importer.Source { return &Importer{} }

// Name returns "threagile".
func (*Importer) Name() string { return Name }

// Import reads the Threagile model YAML at path. Input it cannot read is an
// error wrapping model.ErrInvalid with file:line:col; values it cannot map
// are warnings in the result.
func (im *Importer) Import(path string) (*importer.Result, error) {
	data, err := importer.ReadLimited(path, MaxBytes, Name)
	if err != nil {
		return nil, err
	}
	return im.Parse(path, data)
}

// Parse imports data as if read from file.
func (im *Importer) Parse(file string, data []byte) (*importer.Result, error) {
	if len(data) > MaxBytes {
		return nil, model.Diagnostics{{Pos: model.Pos{File: file, Source: Name}, Message: fmt.Sprintf("file is %d bytes, more than the limit of %d", len(data), MaxBytes)}}
	}
	now := time.Now
	if im.Now != nil {
		now = im.Now
	}
	r := &reader{file: file, budget: 2*len(data) + 1<<16}
	root, err := r.parse(data)
	if err != nil {
		return nil, err
	}
	b := newBuilder(r, now().UTC())
	b.build(root)
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	if ds := b.m.Validate(); len(ds) > 0 {
		return nil, fmt.Errorf("%s: the imported model is not valid: %w", file, ds.Err())
	}
	r.warn.Sort()
	return &importer.Result{Model: b.m, Warnings: r.warn}, nil
}
