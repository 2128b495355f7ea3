package ruletest_test

import (
	"testing"

	"github.com/wardsec/ward/rules"
	"github.com/wardsec/ward/ruletest"
)

// TestLibrary proves every rule of the built-in library with its fixtures.
func TestLibrary(t *testing.T) {
	lib, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cases, err := ruletest.Load(rules.BuiltinFS(), "library", "rules")
	if err != nil {
		t.Fatal(err)
	}
	rep := ruletest.Run(lib, cases, nil)
	for _, o := range rep.Outcomes {
		name := o.Case.Rule + "/" + o.Case.Name
		t.Run(name, func(t *testing.T) {
			if o.Err != nil {
				t.Error(o.Err)
			}
		})
	}
	for _, u := range rep.Uncovered {
		t.Error(u)
	}
}
