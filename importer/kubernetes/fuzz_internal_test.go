package kubernetes

import (
	"errors"
	"testing"

	"github.com/wardsec/ward/model"
)

// FuzzImport checks that no manifest crashes the importer: each either
// fails with positioned problems wrapping model.ErrInvalid, or gives a
// model that validates. Seeds live in testdata/fuzz/FuzzImport.
func FuzzImport(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer, selector: {app: a}}\n---\nkind: Pod\nmetadata: {name: p, labels: {app: a}}\nspec: {containers: [{name: c, image: x}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz.yaml"
		res, err := importData(file, data)
		if err != nil {
			if !errors.Is(err, model.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			var ds model.Diagnostics
			if !errors.As(err, &ds) || len(ds) == 0 {
				t.Fatalf("error is not a list of problems: %v", err)
			}
			for _, d := range ds {
				if d.Message == "" || d.Pos.File != file {
					t.Fatalf("problem without a message or its file: %s", d)
				}
			}
			return
		}
		if res == nil || res.Model == nil {
			t.Fatal("no model and no error")
		}
		if ds := res.Model.Validate(); len(ds) > 0 {
			t.Fatalf("imported model fails validation: %v", ds)
		}
	})
}
