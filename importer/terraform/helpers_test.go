package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// expandText parses one file's text as a root module and returns its
// resources in Terraform's shape, with the loader that collected its
// warnings. Module calls read files; one file's tests leave them out.
func expandText(src []byte) ([]importer.Resource, *loader, error) {
	l := &loader{parser: hclparse.NewParser(), seen: map[string]bool{}}
	body, err := parseBytes(l.parser, "main.tf", src)
	if err != nil {
		return nil, nil, err
	}
	m := l.newModule(".", "", 0)
	m.add(body, nil)
	return l.expand(m), l, nil
}

// resourcesOf parses one file's text and returns its resources translated
// to CloudFormation's shape, as the mapping receives them.
func resourcesOf(src []byte) ([]importer.Resource, error) {
	rs, l, err := expandText(src)
	if err != nil {
		return nil, err
	}
	return translate(rs, l.warn), nil
}

// translatedText parses one file's text and returns its resources as
// translateFn gives them to a mapping, with the loader.
func translatedText(t *testing.T, src string, translateFn func([]importer.Resource, func(model.Pos, string)) []importer.Resource) ([]importer.Resource, *loader) {
	t.Helper()
	rs, l, err := expandText([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return translateFn(rs, l.warn), l
}
