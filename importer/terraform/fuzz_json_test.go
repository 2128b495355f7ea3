package terraform

import (
	"os"
	"testing"
)

// FuzzPlanJSON feeds arbitrary bytes through plan and state reading,
// reference linking, positions and the mapping: nothing may panic.
func FuzzPlanJSON(f *testing.F) {
	data, err := os.ReadFile("testdata/plan/plan.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"aws_s3_bucket","values":{"id":"x"}}]}}}`))
	f.Fuzz(func(_ *testing.T, data []byte) {
		_, _ = importJSONBytes("plan.json", data)
	})
}
