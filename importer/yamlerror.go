package importer

import "github.com/wardsec/ward/model"

// YAMLError places a YAML parser error: at the line the parser names (it
// names no column), else at start, with the parser's own message.
func YAMLError(start model.Pos, err error) (model.Pos, string) {
	line, msg, ok := model.YAMLErrorLine(err)
	if ok {
		start.Line = line
	}
	return start, msg
}
