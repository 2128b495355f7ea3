package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAcceptAddsThenRenews(t *testing.T) {
	path, before := exampleCopy(t)
	code, _, stderr := ward(t, "accept", path, "datastore-incorrect-restore@order-db", "Restores are rehearsed: see drp-tests", "--owner", "cto@acme.example", "--until", "2099-12-31")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "accepted datastore-incorrect-restore@order-db until 2099-12-31 in " + path + ":203\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	added := "\naccepted:\n  - threat: datastore-incorrect-restore@order-db\n    owner: cto@acme.example\n    reason: 'Restores are rehearsed: see drp-tests'\n    until: 2099-12-31\n"
	if diff := cmp.Diff(before+added, readFile(t, path)); diff != "" {
		t.Fatalf("file (-want +got):\n%s", diff)
	}

	code, _, stderr = ward(t, "accept", path, "datastore-incorrect-restore@order-db", "Still rehearsed", "--owner", "ciso@acme.example", "--until", "2099-06-30")
	if code != exitOK {
		t.Fatalf("renew: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "renewed the acceptance of datastore-incorrect-restore@order-db until 2099-06-30 in "+path+":203") {
		t.Errorf("stderr: %s", stderr)
	}
	renewed := "\naccepted:\n  - threat: datastore-incorrect-restore@order-db\n    owner: ciso@acme.example\n    reason: Still rehearsed\n    until: 2099-06-30\n"
	if diff := cmp.Diff(before+renewed, readFile(t, path)); diff != "" {
		t.Fatalf("file after renewal (-want +got):\n%s", diff)
	}
}

func TestAcceptMakesThreatAccepted(t *testing.T) {
	path, _ := exampleCopy(t)
	var open string
	for _, th := range analyzeJSON(t, path) {
		if th.Status == "open" {
			open = th.ID
			break
		}
	}
	if open == "" {
		t.Fatal("the example has no open threat to accept")
	}
	if code, _, stderr := ward(t, "accept", path, open, "Low exposure", "--owner", "cto", "--until", "2099-01-01"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if status, _ := threatStatus(t, path, open); status != "accepted" {
		t.Errorf("status of %s: %s, want accepted", open, status)
	}
}

func TestAcceptRefuses(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no owner", []string{bruteForce, "why", "--until", "2099-01-01"}, "--owner is required"},
		{"no date", []string{bruteForce, "why", "--owner", "cto"}, "--until is required"},
		{"bad date", []string{bruteForce, "why", "--owner", "cto", "--until", "2099-13-01"}, `--until: bad date "2099-13-01"`},
		{"past date", []string{bruteForce, "why", "--owner", "cto", "--until", "2001-01-01"}, "--until 2001-01-01 is in the past"},
		{"empty reason", []string{bruteForce, " ", "--owner", "cto", "--until", "2099-01-01"}, "REASON is empty"},
		{"unknown threat", []string{"password-brute-force@order-apj", "why", "--owner", "cto", "--until", "2099-01-01"}, `did you mean "password-brute-force@order-api"?`},
		{"missing reason", []string{bruteForce, "--owner", "cto", "--until", "2099-01-01"}, "want 3 argument(s): PATH THREAT-ID REASON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, before := exampleCopy(t)
			code, _, stderr := ward(t, append([]string{"accept", path}, tt.args...)...)
			if code != exitInvalid {
				t.Errorf("exit %d, want %d", code, exitInvalid)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if readFile(t, path) != before {
				t.Error("the file changed")
			}
		})
	}
}
