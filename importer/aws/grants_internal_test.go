package aws

import (
	"os"
	"strings"
	"testing"
)

// TestBroadManagedPoliciesDocumented keeps docs/import.md's list of the
// AWS-managed policies counted as wildcard grants in step with the table.
func TestBroadManagedPoliciesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/import.md")
	if err != nil {
		t.Fatal(err)
	}
	for name := range broadManagedPolicies {
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/import.md does not list the managed policy %s", name)
		}
	}
}
