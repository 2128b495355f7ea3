package model_test

import (
	"errors"
	"testing"

	"github.com/wardsec/ward/model"
)

// FuzzLoadModel checks that no input crashes the loader: each either fails
// with positioned problems wrapping ErrInvalid, or gives a model that
// validates again without a problem. Seeds live in
// testdata/fuzz/FuzzLoadModel: the example model, broken models and small
// versions of hostile inputs.
func FuzzLoadModel(f *testing.F) {
	f.Add([]byte("title: t\ncomponents:\n  - {id: a, kind: process}\n  - {id: b, kind: aws.sqs}\nflows:\n  - {from: a, to: b}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz.ward.yaml"
		m, err := model.ParseBytes(file, data)
		if err != nil {
			if !errors.Is(err, model.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			var ds model.Diagnostics
			if !errors.As(err, &ds) || len(ds) == 0 {
				t.Fatalf("error is not a list of problems: %v", err)
			}
			for _, d := range ds {
				if d.Message == "" {
					t.Fatalf("problem without a message at %s", d.Pos)
				}
				if d.Pos.File != file {
					t.Fatalf("problem without its file: %s", d)
				}
			}
			return
		}
		if m == nil {
			t.Fatal("no model and no error")
		}
		if ds := m.Validate(); len(ds) > 0 {
			t.Fatalf("loaded model fails validation: %v", ds)
		}
	})
}
