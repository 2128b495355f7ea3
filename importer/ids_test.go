package importer_test

import (
	"testing"

	"github.com/wardsec/ward/importer"
)

func TestSafeID(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Web Shop", 80, "Web-Shop"},
		{"  --a..b__c  ", 80, "a..b__c"},
		{"a / b", 80, "a-b"},
		{"ümlaut café", 80, "mlaut-caf"},
		{"!!!", 80, "x"},
		{"abcdef", 3, "abc"},
		{"ab cd", 3, "ab"},
	}
	for _, tc := range tests {
		if got := importer.SafeID(tc.in, tc.max); got != tc.want {
			t.Errorf("SafeID(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestClaim(t *testing.T) {
	ids := importer.IDs{}
	got := []string{ids.Claim("element", "a"), ids.Claim("element", "a"), ids.Claim("zone", "a"), ids.Claim("element", "a")}
	want := []string{"a", "a-2", "a", "a-3"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("claim %d = %q, want %q", i, got[i], want[i])
		}
	}
	if !ids.Taken("element", "a-2") || ids.Taken("zone", "a-2") {
		t.Errorf("Taken does not follow the claims: %v", ids)
	}
}
