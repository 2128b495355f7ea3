package terraform

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wardsec/ward/importer/aws"
)

// FuzzParse feeds arbitrary text through parsing, evaluation, translation
// and the AWS mapping: nothing may panic or hang. Seeds are the fixtures
// and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"aws-app/main.tf", "aws-app/app.tf", "aws-app/data.tf", "aws-app/worker.tf", "aws-app/edge.tf", "aws-app/modules/network/main.tf"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		resources, err := resourcesOf(data)
		if err != nil {
			return
		}
		aws.Map(resources, Name)
	})
}
