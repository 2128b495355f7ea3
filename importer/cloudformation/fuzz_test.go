package cloudformation

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/aws"
)

// FuzzParse feeds arbitrary bytes through parsing, resolution, SAM
// expansion and the AWS mapping: nothing may panic or hang. Seeds are the
// fixtures and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"serverless.yaml", "classic-misconfigured.yaml", "web.json", "nested/root.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(_ *testing.T, data []byte) {
		tmpl, err := parseTemplate("fuzz.yaml", data)
		if err != nil {
			return
		}
		l := &loader{seen: map[string]bool{}, outputs: map[string]importer.ResourceRef{}}
		resources := l.resolveAll(tmpl, nil, "", "", 0)
		resources = expandSAM(resources, tmpl.globals, l.warn)
		aws.Map(resources, Name)
	})
}
