package model

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// decodeBoth decodes data whole and, when its shape allows, in batches of
// one item each (the smallest cut, so every item boundary is tried).
func decodeBoth(t *testing.T, data []byte) (whole, chunked *Model, wd, cd Diagnostics, cut bool) {
	t.Helper()
	old := batchItems
	batchItems = 1
	defer func() { batchItems = old }()
	whole = &Model{}
	wd, _ = decodeYAML("m.ward.yaml", data, whole, DefaultLimits)
	chunked = &Model{}
	cd, cut = decodeChunked("m.ward.yaml", data, chunked, DefaultLimits)
	return whole, chunked, wd, cd, cut
}

func sameDecoding(t *testing.T, data []byte) bool {
	t.Helper()
	whole, chunked, wd, cd, cut := decodeBoth(t, data)
	if !cut {
		return false
	}
	wd.Sort()
	cd.Sort()
	if diff := cmp.Diff(wd.Error(), cd.Error()); diff != "" {
		t.Fatalf("problems differ (-whole +batched):\n%s\ninput:\n%s", diff, data)
	}
	opts := cmp.Options{cmpopts.IgnoreUnexported(Model{}), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(whole, chunked, opts); diff != "" {
		t.Fatalf("models differ (-whole +batched):\n%s\ninput:\n%s", diff, data)
	}
	return true
}

func TestChunkedMatchesWhole(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "examples", "ecommerce", "acme.ward.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !sameDecoding(t, example) {
		t.Error("the example should be cut into batches")
	}
	var big bytes.Buffer
	big.WriteString("title: t\ncomponents:\n")
	for i := range 50 {
		fmt.Fprintf(&big, "  - id: c%d\n    kind: process\n    description: >-\n      folded\n      text %d\n\n    # a comment\n# a comment at column 0\n", i, i)
	}
	big.WriteString("flows:\n")
	for i := range 49 {
		fmt.Fprintf(&big, "- from: c%d\n  to: c%d\n  protocol: \"HTTP\n    over TLS\"\n", i, i+1)
	}
	if !sameDecoding(t, big.Bytes()) {
		t.Error("the generated model should be cut into batches")
	}
}

func TestChunkedDeclines(t *testing.T) {
	tests := map[string]string{
		"anchor":            "title: t\ncomponents:\n  - &a {id: a, kind: process}\n  - {id: b, kind: process}\n",
		"tag":               "title: t\ncomponents:\n  - !!map {id: a, kind: process}\n  - {id: b, kind: process}\n",
		"merge key":         "title: t\ncomponents:\n  - {id: a, kind: process}\n  - <<: {kind: process}\n    id: b\n",
		"several documents": "title: t\ncomponents:\n  - {id: a, kind: process}\n  - {id: b, kind: process}\n---\ntitle: u\n",
		"tab":               "title: t\ncomponents:\n  - {id: a,\tkind: process}\n  - {id: b, kind: process}\n",
		"flow list":         "title: t\ncomponents: [\n  {id: a, kind: process},\n  {id: b, kind: process}]\n",
		// A quoted string whose continuation looks like an item start:
		// cut there, the first batch does not parse, so the file is read
		// whole and the string keeps its dash.
		"quoted continuation": "title: t\ncomponents:\n  - id: a\n    kind: process\n    name: \"x\n  - y\"\n  - {id: b, kind: process}\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			if _, _, _, _, cut := decodeBoth(t, []byte(src)); cut {
				t.Errorf("cut a file of unsafe shape:\n%s", src)
			}
		})
	}
}

// FuzzChunkedDecode checks that cutting a file into batches never changes
// what it says: when the cut is made, the model and the problems equal
// those of the whole-file decoding.
func FuzzChunkedDecode(f *testing.F) {
	for _, s := range []string{
		"title: t\ncomponents:\n  - id: a\n    kind: process\n  - id: b\n    kind: process\n",
		"title: t\ncomponents:\n- id: a\n  kind: process\n- id: b\n  name: 'multi\n    line'\n",
		"title: t\nflows:\n  - from: a\n    to: b\n\n  - from: b\n    to: a\n# end\n",
		"components:\n  - id: a\n    kind: process\n    description: |\n      - not an item\n  - id: b\n",
		"title: t\ncomponents:\n  - id: a\n    name: \"x\n  - y\"\n  - id: b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameDecoding(t, data)
	})
}
