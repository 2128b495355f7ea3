package terraform_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/model"
)

// TestVariableValues checks Terraform's order of variable values: the
// default, terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json)
// by name, the --var-file files, then --var.
func TestVariableValues(t *testing.T) {
	tests := []struct {
		name  string
		src   terraform.Source
		names map[string]string
	}{
		{
			name: "value files in the directory",
			names: map[string]string{
				"aws_s3_bucket.b":      "from-tfvars",
				"aws_sqs_queue.q":      "from-tfvars-json",
				"aws_sns_topic.t":      "from-a-auto",
				"aws_dynamodb_table.d": "from-b-auto-json",
			},
		},
		{
			name: "var files and vars given",
			src: terraform.Source{
				VarFiles: []string{"testdata/hcl-tfvars/extra.tfvars"},
				Vars:     []string{"topic_name=from-var", "table_name=a=b"},
			},
			names: map[string]string{
				"aws_s3_bucket.b":      "from-var-file",
				"aws_sqs_queue.q":      "from-tfvars-json",
				"aws_sns_topic.t":      "from-var",
				"aws_dynamodb_table.d": "a=b",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := importWith(t, tc.src, "testdata/hcl-tfvars")
			for id, want := range tc.names {
				if got := importtest.Component(t, res.Model, id).Name; got != want {
					t.Errorf("%s name %q, want %q", id, got, want)
				}
			}
			if w := warningsText(res); !strings.Contains(w, "b.auto.tfvars.json:3:3: a value is given for variable undeclared_name, which the root module does not declare") {
				t.Errorf("no warning for the undeclared variable:\n%s", w)
			}
		})
	}
}

// TestVarTypes checks that --var text is read as the variable's type.
func TestVarTypes(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), `
variable "ports" {
  type = list(number)
}
variable "open" {
  type = bool
}
resource "aws_security_group" "g" {
  name = "g"
  ingress {
    protocol    = "tcp"
    from_port   = var.ports[0]
    to_port     = var.ports[1]
    cidr_blocks = var.open ? ["0.0.0.0/0"] : ["10.0.0.0/8"]
  }
}
`)
	res := importWith(t, terraform.Source{Vars: []string{"ports=[22, 22]", "open=true"}}, dir)
	c := importtest.Component(t, res.Model, "aws_security_group.g")
	if got := propValue(c, "aws_admin_ports_closed"); got != false {
		t.Errorf("aws_admin_ports_closed = %v, want false from --var ports=[22, 22] open=true\n%s", got, warningsText(res))
	}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadInput checks that malformed configuration and values are user
// errors at file:line:col.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		src   terraform.Source
		want  string
	}{
		{
			name:  "malformed tf.json",
			files: map[string]string{"main.tf.json": "{\n  \"resource\": {\n    \"aws_s3_bucket\": [\n}"},
			want:  "main.tf.json:4:1: ",
		},
		{
			name:  "tf.json block of the wrong shape",
			files: map[string]string{"main.tf.json": "{\n  \"resource\": {\n    \"aws_s3_bucket\": {\n      \"b\": 3\n    }\n  }\n}"},
			want:  "main.tf.json:4:",
		},
		{
			name:  "bad template in tf.json",
			files: map[string]string{"main.tf.json": "{\"locals\": {\n  \"x\": \"${var.\"\n}}"},
			want:  "main.tf.json:2:",
		},
		{
			name:  "reference in tfvars",
			files: map[string]string{"main.tf": `variable "x" {}`, "terraform.tfvars": "\nx = var.y\n"},
			want:  "terraform.tfvars:2:5: Variables not allowed",
		},
		{
			name:  "malformed auto tfvars json",
			files: map[string]string{"main.tf": `variable "x" {}`, "x.auto.tfvars.json": "{\n\"x\": }"},
			want:  "x.auto.tfvars.json:2:",
		},
		{
			name:  "var without a value",
			files: map[string]string{"main.tf": `variable "x" {}`},
			src:   terraform.Source{Vars: []string{"x"}},
			want:  `--var "x": want NAME=VALUE`,
		},
		{
			name:  "var not a number",
			files: map[string]string{"main.tf": "variable \"x\" {\n  type = number\n}"},
			src:   terraform.Source{Vars: []string{"x=many"}},
			want:  "--var x=many: not a number",
		},
		{
			name:  "var-file missing",
			files: map[string]string{"main.tf": `variable "x" {}`},
			src:   terraform.Source{VarFiles: []string{"nope.tfvars"}},
			want:  "nope.tfvars",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tc.files {
				write(t, filepath.Join(dir, name), body)
			}
			_, err := tc.src.Import(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Errorf("error %v is not model.ErrInvalid", err)
			}
		})
	}
}

// TestJSONPositions checks that components from .tf.json point at the
// line naming them, as components from .tf do.
func TestJSONPositions(t *testing.T) {
	res := importWith(t, terraform.Source{}, "testdata/hcl-json")
	for id, want := range map[string]string{
		"aws_security_group.web": "testdata/hcl-json/network.tf.json:23:",
		"aws_instance.web":       "testdata/hcl-json/main.tf:5:1",
	} {
		if got := importtest.Component(t, res.Model, id).Pos.String(); !strings.HasPrefix(got, want) {
			t.Errorf("%s at %s, want %s", id, got, want)
		}
	}
	if zone := importtest.Component(t, res.Model, "aws_instance.web").Zone.ID; zone != "aws_subnet.public" {
		t.Errorf("instance in zone %q, want the JSON-declared aws_subnet.public", zone)
	}
}

// TestJSONDeclaredVars checks --var against variables declared in
// .tf.json, where the type is written as a string, and a dynamic block's
// iterator named in JSON.
func TestJSONDeclaredVars(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf.json"), `{
  "variable": {
    "name": {"type": "string"},
    "ports": {"type": "list(number)"}
  },
  "resource": {
    "aws_security_group": {
      "g": {
        "name": "${var.name}",
        "dynamic": {
          "ingress": {
            "for_each": "${var.ports}",
            "iterator": "port",
            "content": {
              "protocol": "tcp",
              "from_port": "${port.value}",
              "to_port": "${port.value}",
              "cidr_blocks": ["0.0.0.0/0"]
            }
          }
        }
      }
    }
  }
}`)
	res := importWith(t, terraform.Source{Vars: []string{"name=web", "ports=[3389]"}}, dir)
	c := importtest.Component(t, res.Model, "aws_security_group.g")
	if got := propValue(c, "aws_admin_ports_closed"); got != false {
		t.Errorf("aws_admin_ports_closed = %v, want false\n%s", got, warningsText(res))
	}
}
