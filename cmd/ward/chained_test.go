package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestChainedExample runs the everyday commands on the chained example:
// payments imports the storefront (a directory of files with two
// features), which imports the platform.
func TestChainedExample(t *testing.T) {
	const payments = "../../examples/chained/payments"
	dir := t.TempDir()
	tests := []struct {
		args   []string
		code   int
		stdout string
	}{
		{[]string{"validate", payments}, exitOK, ""},
		{[]string{"analyze", payments, "--today", "2026-11-23"}, exitOK, "process-injection@shop.cart"},
		{[]string{"analyze", payments, "--feature", "card-payment", "--today", "2026-11-23"}, exitOK, "aws-lambda-secrets-in-environment@payments"},
		{[]string{"check", payments, "--fail-on", "critical", "--today", "2026-11-23"}, exitOK, "pass  card-payment"},
		{[]string{"check", "../../examples/chained/storefront", "--fail-on", "high", "--today", "2026-11-23"}, exitGate, "FAIL  checkout"},
		{[]string{"status", payments, "../../examples/chained/storefront", "--today", "2026-11-23"}, exitOK, "Acme storefront"},
		{[]string{"report", payments, "--today", "2026-11-23", "-o", filepath.Join(dir, "payments.html")}, exitOK, ""},
		{[]string{"diagram", payments, "-o", filepath.Join(dir, "payments.dot")}, exitOK, ""},
		{[]string{"diff", "../../examples/chained/storefront", payments, "--today", "2026-11-23"}, exitOK, "payments"},
		{[]string{"export", "backlog", payments, "--format", "github", "--today", "2026-11-23"}, exitOK, "ward-threat-id: process-injection@shop.cart"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:2], " "), func(t *testing.T) {
			code, stdout, stderr := ward(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%.2000s", tt.stdout, stdout)
			}
		})
	}
}
