package importer_test

import (
	"errors"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

func TestYAMLError(t *testing.T) {
	start := model.Pos{File: "f.yaml", Line: 1, Col: 1, Source: "s"}
	tests := []struct {
		err     string
		line    int
		message string
	}{
		{"yaml: line 7: mapping values are not allowed in this context", 7, "mapping values are not allowed in this context"},
		{"yaml: control characters are not allowed", 1, "control characters are not allowed"},
		{"unexpected end", 1, "unexpected end"},
	}
	for _, tt := range tests {
		p, msg := importer.YAMLError(start, errors.New(tt.err))
		want := start
		want.Line = tt.line
		if p != want || msg != tt.message {
			t.Errorf("YAMLError(%q) = %v, %q; want %v, %q", tt.err, p, msg, want, tt.message)
		}
	}
}
