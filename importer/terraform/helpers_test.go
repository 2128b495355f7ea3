package terraform

import (
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/wardsec/ward/importer"
)

// resourcesOf parses one file's text and returns its resources translated
// to CloudFormation's shape, as the mapping receives them.
func resourcesOf(src []byte) ([]importer.Resource, error) {
	l := &loader{parser: hclparse.NewParser(), seen: map[string]bool{}}
	body, err := parseBytes(l.parser, "main.tf", src)
	if err != nil {
		return nil, err
	}
	m := l.newModule(".", "", 0)
	m.add(body, nil) // module calls read files; one file's tests leave them out
	return translate(l.expand(m), l.warn), nil
}
