package terraform_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/model"
)

func importWith(t *testing.T, src terraform.Source, path string) *importer.Result {
	t.Helper()
	res, err := src.Import(path)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func flowPairs(m *model.Model) []string {
	var out []string
	for _, f := range m.Flows {
		out = append(out, f.From.ID+" -> "+f.To.ID)
	}
	return out
}

func warningsText(res *importer.Result) string {
	var sb strings.Builder
	for _, w := range res.Warnings {
		sb.WriteString(w.Pos.String() + ": " + w.Message + "\n")
	}
	return sb.String()
}

func propValue(c *model.Component, name string) any {
	p, ok := c.Properties.Get(name)
	if !ok {
		return nil
	}
	return p.Value
}

// TestHCLFeatures imports each fixture and checks what its feature must
// produce: components, properties, flows and warnings.
func TestHCLFeatures(t *testing.T) {
	tests := []struct {
		name string
		src  terraform.Source
		path string
		// props are component id -> property -> value.
		props    map[string]map[string]any
		names    map[string]string // component id -> name
		flows    []string
		warnings []string
		noIDs    []string
	}{
		{
			name: "dynamic ingress blocks open the group to the internet",
			path: "testdata/hcl-dynamic",
			props: map[string]map[string]any{
				"aws_security_group.web": {"public": true, "aws_admin_ports_closed": false},
			},
			flows:    []string{"internet -> aws_instance.web"},
			warnings: []string{"main.tf:44:1: aws_security_group.opaque: ingress rules are not known statically"},
		},
		{
			name: "tf.json beside .tf: references, dynamic blocks, positions",
			path: "testdata/hcl-json",
			props: map[string]map[string]any{
				"aws_security_group.web": {"public": true, "aws_admin_ports_closed": false},
			},
			flows: []string{"internet -> aws_instance.web"},
		},
		{
			name: "module count and for_each make one instance per key",
			path: "testdata/hcl-modules",
			flows: []string{
				// Ids are made safe: module.named["orders"] becomes module.named-orders-.
				"module.named-orders-.aws_sqs_queue.this -> aws_lambda_function.worker",
				"module.queue-0-.aws_sqs_queue.this -> aws_lambda_function.worker",
			},
			warnings: []string{
				"main.tf:20:1: module opaque: for_each is not known statically; read as one instance",
				"main.tf:26:1: module none: count or for_each is empty; no instance is created",
			},
			names: map[string]string{
				"module.queue-1-.aws_sqs_queue.this":        "counted-1",
				"module.named-invoices-.aws_sqs_queue.this": "invoices",
				"module.opaque.aws_sqs_queue.this":          "opaque",
			},
			noIDs: []string{"module.none.aws_sqs_queue.this", "module.queue.aws_sqs_queue.this"},
		},
		{
			name: "override files merge over their base blocks",
			path: "testdata/hcl-override",
			props: map[string]map[string]any{
				"aws_s3_bucket.b":      {"versioning": true, "public": nil},
				"aws_security_group.g": {"public": true, "aws_admin_ports_closed": true},
			},
			// The variable's default comes from the JSON override, the local from override.tf.
			names:    map[string]string{"aws_s3_bucket.b": "json-override-name-prod"},
			warnings: []string{"override.tf:13:1: override of resource aws_s3_bucket.missing: no such block to override; ignored"},
			noIDs:    []string{"aws_s3_bucket.missing"},
		},
		{
			name: "terraform, provider, moved, import, removed and check blocks are read past; remote modules skipped",
			path: "testdata/hcl-blocks",
			warnings: []string{
				"main.tf:46:1: module registry: remote source, skipped",
				"main.tf:51:1: module git: remote source, skipped",
			},
			noIDs: []string{"data.http.site"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := importWith(t, tc.src, tc.path)
			for id, props := range tc.props {
				c := importtest.Component(t, res.Model, id)
				for name, want := range props {
					if got := propValue(c, name); got != want {
						t.Errorf("%s %s = %v, want %v", id, name, got, want)
					}
				}
			}
			for id, want := range tc.names {
				if got := importtest.Component(t, res.Model, id).Name; got != want {
					t.Errorf("%s name %q, want %q", id, got, want)
				}
			}
			flows := flowPairs(res.Model)
			for _, want := range tc.flows {
				if !slices.Contains(flows, want) {
					t.Errorf("no flow %s; flows:\n%s", want, strings.Join(flows, "\n"))
				}
			}
			warnings := warningsText(res)
			for _, want := range tc.warnings {
				if !strings.Contains(warnings, want) {
					t.Errorf("warnings lack %q:\n%s", want, warnings)
				}
			}
			for _, id := range tc.noIDs {
				for _, c := range res.Model.Components {
					if c.ID == id {
						t.Errorf("component %s should not exist", id)
					}
				}
			}
		})
	}
}

// TestExpansionBounds checks that module fan-out and dynamic blocks stay
// within MaxInstances, with a warning instead of runaway work.
func TestExpansionBounds(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	ports := strings.Repeat("1, ", terraform.MaxInstances+1)
	write(t, filepath.Join(dir, "main.tf"), `
variable "many" {
  default = [`+ports+`]
}

module "a" {
  source = "./a"
  count  = 900
}

resource "aws_security_group" "g" {
  name = "g"
  dynamic "ingress" {
    for_each = var.many
    content {
      from_port = ingress.value
    }
  }
}
`)
	write(t, filepath.Join(dir, "a", "main.tf"), "module \"b\" {\n  source = \"./b\"\n  count  = 900\n}\n")
	write(t, filepath.Join(dir, "a", "b", "main.tf"), "resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n}\n")
	res := importWith(t, terraform.Source{}, dir)
	queues := 0
	for _, c := range res.Model.Components {
		if strings.HasSuffix(c.ID, "aws_sqs_queue.q") {
			queues++
		}
	}
	if queues == 0 || queues > terraform.MaxInstances {
		t.Errorf("%d queues, want some and at most %d", queues, terraform.MaxInstances)
	}
	w := warningsText(res)
	if !strings.Contains(w, "module instances in all; the rest are skipped") {
		t.Errorf("no warning for the module fan-out:\n%s", w)
	}
	if !strings.Contains(w, "aws_security_group.g: ingress rules are not known statically") {
		t.Errorf("a dynamic block over more than %d elements is expanded:\n%s", terraform.MaxInstances, w)
	}
}

// TestSingleJSONFile checks that one .tf.json file is read as
// configuration, not taken for plan JSON.
func TestSingleJSONFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.tf.json")
	write(t, path, `{"resource": {"aws_s3_bucket": {"b": {"bucket": "from-json", "acl": "public-read"}}}}`)
	res := importWith(t, terraform.Source{}, path)
	if got := importtest.Component(t, res.Model, "aws_s3_bucket.b").Name; got != "from-json" {
		t.Errorf("name %q, want from-json", got)
	}
}

// TestExpansionBudget checks that expansions multiplying through nested
// dynamic blocks stop at the import's budget instead of running away.
func TestExpansionBudget(t *testing.T) {
	dir := t.TempDir()
	list := "[" + strings.Repeat("1, ", terraform.MaxInstances) + "]"
	write(t, filepath.Join(dir, "main.tf"), `
locals {
  many = `+list+`
}

resource "aws_security_group" "g" {
  count = 1000
  name  = "g"
  dynamic "ingress" {
    for_each = local.many
    content {
      from_port = ingress.value
      dynamic "nested" {
        for_each = local.many
        content {
          v = nested.value
        }
      }
    }
  }
}
`)
	type result struct {
		res *importer.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := terraform.Source{}.Import(dir)
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		if w := warningsText(r.res); !strings.Contains(w, "ingress rules are not known statically") {
			t.Errorf("no warning for the blocks left unexpanded:\n%s", w)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("expansion did not stop")
	}
}
