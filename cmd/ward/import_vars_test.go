package main

import (
	"strings"
	"testing"
)

const tfVarsFixture = "../../importer/terraform/testdata/hcl-tfvars"

// TestImportTerraformVars checks --var-file and --var reach the
// Terraform source, in that order, and are refused for other sources.
func TestImportTerraformVars(t *testing.T) {
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"value files in the directory", []string{"import", "terraform", tfVarsFixture}, exitOK, "name: from-tfvars\n", "undeclared_name"},
		{"var-file", []string{"import", "terraform", tfVarsFixture, "--var-file", tfVarsFixture + "/extra.tfvars"}, exitOK, "name: from-var-file\n", ""},
		{"var over var-file", []string{"import", "terraform", tfVarsFixture, "--var-file", tfVarsFixture + "/extra.tfvars", "--var", "bucket_name=from-flag"}, exitOK, "name: from-flag\n", ""},
		{"var without value", []string{"import", "terraform", tfVarsFixture, "--var", "bucket_name"}, exitInvalid, "", `--var "bucket_name": want NAME=VALUE`},
		{"var for another source", []string{"import", "cloudformation", cfnFixtures + "serverless.yaml", "--var", "a=b"}, exitInvalid, "", "--var-file and --var are for the terraform source"},
		{"missing var-file", []string{"import", "terraform", tfVarsFixture, "--var-file", "nope.tfvars"}, exitInvalid, "", "nope.tfvars"},
		{"analyze --from with vars", []string{"analyze", "--from", "terraform", tfVarsFixture, "--var", "bucket_name=from-flag", "--format", "json"}, exitOK, `"from-flag"`, ""},
		{"analyze vars without --from", []string{"analyze", tfVarsFixture, "--var", "a=b"}, exitInvalid, "", "need --from terraform"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := ward(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, tc.code, stderr)
			}
			if !strings.Contains(stdout, tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, stdout)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
		})
	}
}
