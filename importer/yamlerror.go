package importer

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/wardsec/ward/model"
)

// yamlLine is how the YAML parser names the line of a syntax error.
var yamlLine = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)

// YAMLError places a YAML parser error: at the line the parser names (it
// names no column), else at start, with the parser's own message.
func YAMLError(start model.Pos, err error) (model.Pos, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		start.Line, _ = strconv.Atoi(m[1]) // the pattern admits digits only
		msg = m[2]
	}
	return start, msg
}
