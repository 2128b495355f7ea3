package terraform_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/model"
)

// TestNestingLimit checks that text nested past the limit is refused at
// its position instead of exhausting the parser's stack, in every file
// the importer parses, and that ordinary nesting is read.
func TestNestingLimit(t *testing.T) {
	const deep = 1_000_000
	tests := []struct {
		name, file, body, want string
	}{
		// Inside locals' braces, the 128th opener is the first too deep.
		{"brackets", "main.tf", "locals {\n  x = " + strings.Repeat("[", deep) + "\n}\n", "main.tf:2:134:"},
		{"parentheses", "main.tf", "locals {\n  x = " + strings.Repeat("(", deep) + "1\n}\n", "main.tf:2:134:"},
		{"unary operators", "main.tf", "locals {\n  x = " + strings.Repeat("!", deep) + "true\n}\n", "main.tf:2:134:"},
		{"mixed unary operators", "main.tf", "locals {\n  x = " + strings.Repeat("-!", deep/2) + "1\n}\n", "main.tf:2:134:"},
		{"conditionals", "main.tf", "locals {\n  x = " + strings.Repeat("true ? 1 : ", deep/10) + "2\n}\n", "main.tf:2:"},
		{"templates", "main.tf", "locals {\n  x = " + strings.Repeat(`"${`, deep/2) + "\n}\n", "main.tf:2:"},
		{"json arrays", "main.tf.json", `{"locals": {"x": ` + strings.Repeat("[", deep) + "}}", "main.tf.json:1:"},
		{"tfvars", "terraform.tfvars", "x = " + strings.Repeat("{a = ", deep) + "\n", "terraform.tfvars:1:"},
		{"tfvars json", "terraform.tfvars.json", `{"x": ` + strings.Repeat("[", deep), "terraform.tfvars.json:1:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "variables.tf"), "variable \"x\" {}\n")
			write(t, filepath.Join(dir, tc.file), tc.body)
			_, err := terraform.Source{}.Import(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nested more than") {
				t.Fatalf("error %v, want one at %q saying it nests too deep", err, tc.want)
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Errorf("error %v is not model.ErrInvalid", err)
			}
		})
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), "locals {\n  x = "+strings.Repeat("[", 40)+strings.Repeat("]", 40)+"\n  y = -(-1)\n  z = true ? (false ? 1 : 2) : 3\n}\n")
	if _, err := (terraform.Source{}).Import(dir); err != nil {
		t.Errorf("ordinary nesting refused: %v", err)
	}
}
