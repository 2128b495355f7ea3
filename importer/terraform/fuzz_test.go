package terraform

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"

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
	f.Fuzz(func(_ *testing.T, data []byte) {
		resources, err := resourcesOf(data)
		if err != nil {
			return
		}
		aws.Map(resources, Name)
	})
}

// FuzzParseJSON feeds arbitrary text through the JSON configuration
// reader, evaluation, translation and the AWS mapping. Seeds are the JSON
// fixtures and testdata/fuzz/FuzzParseJSON.
func FuzzParseJSON(f *testing.F) {
	for _, name := range []string{"hcl-json/network.tf.json", "hcl-override/network_override.tf.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(_ *testing.T, data []byte) {
		l := &loader{parser: hclparse.NewParser(), seen: map[string]bool{}}
		body, err := parseJSONBytes(l.parser, "main.tf.json", data)
		if err != nil {
			return
		}
		m := l.newModule(".", "", 0)
		if _, err := m.add(body, nil); err != nil {
			return
		}
		aws.Map(translate(l.expand(m), l.warn), Name)
	})
}

// FuzzVarFile feeds arbitrary text through value file reading, native
// and JSON: nothing may panic, and what is read is a value.
func FuzzVarFile(f *testing.F) {
	for _, name := range []string{"hcl-tfvars/terraform.tfvars", "hcl-tfvars/terraform.tfvars.json", "hcl-tfvars/a.auto.tfvars"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, file := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
			vars := map[string]rootVar{}
			if err := varFileBytes(hclparse.NewParser(), file, data, vars); err != nil {
				continue
			}
			for name, v := range vars {
				if _, err := v.resolve(name, nil); err != nil {
					t.Errorf("%s: value from a file does not resolve: %v", name, err)
				}
			}
		}
	})
}
