package terraform_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/importer/yamlout"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func importPath(t *testing.T, path string) *importer.Result {
	t.Helper()
	res, err := terraform.New().Import(path)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

// TestGolden imports each fixture and compares the written model, and
// the warnings, with testdata/golden/NAME.ward.yaml; -update rewrites them.
func TestGolden(t *testing.T) {
	for _, name := range []string{"aws-app", "aws-app-misconfigured", "plan/plan.json",
		"azure-app", "azure-app-fixed", "gcp-app", "gcp-app-fixed"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			res := importPath(t, path)
			got, err := yamlout.Marshal(res.Model, terraform.Name, filepath.ToSlash(path))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := model.ParseBytes(path, got); err != nil {
				t.Fatalf("written model does not load: %v\n%s", err, got)
			}
			got = append(got, "\n# warnings:\n"...)
			for _, w := range res.Warnings {
				got = append(got, "# "+w.Pos.String()+": "+w.Message+"\n"...)
			}
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(name), ".json")+".ward.yaml")
			testkit.Golden(t, golden, got, *update)
		})
	}
}

func analyze(t *testing.T, path string) []string {
	t.Helper()
	res := importPath(t, path)
	data, err := yamlout.Marshal(res.Model, terraform.Name, path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.ParseBytes(path, data)
	if err != nil {
		t.Fatal(err)
	}
	out := testkit.Analyze(t, m, testkit.Today)
	var ids []string
	for _, th := range out.Threats {
		ids = append(ids, th.ID)
	}
	return ids
}

// TestMisconfigurationsFound checks that each deliberate mistake of the
// misconfigured twin raises its threat, and the fixed app raises none.
func TestMisconfigurationsFound(t *testing.T) {
	want := []string{
		"aws-s3-public-read@aws_s3_bucket.assets",
		"datastore-unencrypted-at-rest@aws_db_instance.main",
		"datastore-network-exposed@aws_db_instance.main",
		"datastore-no-backups@aws_db_instance.main",
		"aws-security-group-admin-ports-open@aws_security_group.bastion",
		"aws-ec2-directly-exposed@aws_instance.bastion",
		"process-excessive-permissions@aws_iam_policy.worker",
		// CloudFront serving plain HTTP with the default certificate.
		"aws-cloudfront-weak-viewer-protocol@aws_cloudfront_distribution.web",
		// A cache without an auth token or encryption.
		"datastore-unauthenticated-access@aws_elasticache_replication_group.sessions",
		"datastore-unencrypted-at-rest@aws_elasticache_replication_group.sessions",
		// The load balancer's web ACL association is missing.
		"process-request-flooding@aws_lb.web",
		// An AWS-managed full-access policy attached to the task role.
		"process-excessive-permissions@aws_iam_role.task",
	}
	checkTwins(t, "testdata/aws-app-misconfigured", "testdata/aws-app", want)
}

// checkTwins checks that each threat in want is raised on the misconfigured
// fixture and none on its fixed twin.
func checkTwins(t *testing.T, bad, fixed string, want []string) {
	t.Helper()
	got := analyze(t, bad)
	for _, id := range want {
		if !slices.Contains(got, id) {
			t.Errorf("%s: no threat %s; got %v", bad, id, got)
		}
	}
	got = analyze(t, fixed)
	for _, id := range want {
		if slices.Contains(got, id) {
			t.Errorf("%s still raises %s", fixed, id)
		}
	}
}

func TestWildcardPolicy(t *testing.T) {
	for dir, want := range map[string]bool{"testdata/aws-app-misconfigured": true, "testdata/aws-app": false} {
		c := importPath(t, dir).Model.Component("aws_iam_policy.worker")
		if c == nil {
			t.Fatalf("%s: no aws_iam_policy.worker component", dir)
		}
		p, _ := c.Properties.Get("iam_wildcards")
		if got, _ := p.Value.(bool); got != want {
			t.Errorf("%s: iam_wildcards = %v, want %v", dir, p.Value, want)
		}
	}
}

// TestManagedPolicyGrants: an AWS-managed full-access policy attached to
// the task role is a wildcard grant of the role and of the service that
// assumes it.
func TestManagedPolicyGrants(t *testing.T) {
	for dir, want := range map[string]bool{"testdata/aws-app-misconfigured": true, "testdata/aws-app": false} {
		m := importPath(t, dir).Model
		for _, id := range []string{"aws_iam_role.task", "aws_ecs_service.app"} {
			c := m.Component(id)
			if c == nil {
				t.Fatalf("%s: no %s component", dir, id)
			}
			p, _ := c.Properties.Get("iam_wildcards")
			if got, _ := p.Value.(bool); got != want {
				t.Errorf("%s: %s iam_wildcards = %v, want %v", dir, id, p.Value, want)
			}
		}
	}
}

func TestComponentPositions(t *testing.T) {
	m := importPath(t, "testdata/aws-app").Model
	c := m.Component("aws_db_instance.main")
	if c == nil {
		t.Fatal("no aws_db_instance.main component")
	}
	if c.Pos.File != "testdata/aws-app/data.tf" || c.Pos.Line != 19 || c.Pos.Col != 1 || c.Pos.Source != terraform.Name {
		t.Errorf("aws_db_instance.main at %+v, want testdata/aws-app/data.tf:19:1 from terraform", c.Pos)
	}
}

// TestAddresses checks count, for_each and module expansion, and that
// references through module outputs and splats place components.
func TestAddresses(t *testing.T) {
	m := importPath(t, "testdata/aws-app").Model
	for _, id := range []string{"aws_sns_topic.alerts-ops", "aws_sns_topic.alerts-security"} {
		if m.Component(id) == nil {
			t.Errorf("no component %s (for_each not expanded)", id)
		}
	}
	zones := map[string]model.Trust{}
	for _, z := range m.Zones {
		zones[z.ID] = z.Trust
	}
	if zones["module.network.aws_subnet.public-0"] != model.TrustLow {
		t.Errorf("public subnet of the module not a low-trust zone: %v", zones)
	}
	if c := m.Component("aws_lambda_function.worker"); c == nil || c.Zone.ID != "module.network.aws_subnet.private-0" {
		t.Errorf("worker not placed in the module's private subnet: %+v", c)
	}
	if c := m.Component("aws_lb.web"); c == nil || c.Zone.ID != "module.network.aws_subnet.public-0" {
		t.Errorf("load balancer not placed in the module's public subnet: %+v", c)
	}
}

func TestWarnings(t *testing.T) {
	res := importPath(t, "testdata/aws-app")
	got := res.Warnings.Error()
	for _, want := range []string{
		"main.tf:20:1: module monitoring: remote source, skipped",
		"data.aws_caller_identity.current: data source not read",
		"imported as generic components: random_id",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	if c := res.Model.Component("random_id.suffix"); c == nil || c.Kind != "process" {
		t.Errorf("unknown type not kept as a generic component: %+v", c)
	}
}

func writeTF(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMalformed(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"unclosed block", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n", "main.tf:"},
		{"bad token", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = = \"x\"\n}\n", "main.tf:2:12"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := terraform.New().Import(writeTF(t, tc.body))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Errorf("error %v does not wrap model.ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
	if _, err := terraform.New().Import(t.TempDir()); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("empty directory: error %v, want model.ErrInvalid", err)
	}
}

func TestUnknownValuesWarn(t *testing.T) {
	dir := writeTF(t, `variable "encrypt" {}
variable "n" {}

resource "aws_db_instance" "db" {
  storage_encrypted   = var.encrypt
  publicly_accessible = timeadd("2026-01-01T00:00:00Z", "1h") == "x"
}

resource "aws_s3_bucket" "many" {
  count  = var.n
  bucket = "b-${count.index}"
}

resource "aws_sqs_queue" "per_bucket" {
  for_each = toset([aws_s3_bucket.many[0].id])
}

resource "aws_sns_topic" "none" {
  count = 0
}
`)
	res := importPath(t, dir)
	db := res.Model.Component("aws_db_instance.db")
	if db == nil {
		t.Fatal("no aws_db_instance.db")
	}
	for _, name := range []string{"encrypted_at_rest", "public"} {
		if p, ok := db.Properties.Get(name); ok {
			t.Errorf("%s = %v, want it left unset", name, p.Value)
		}
	}
	got := res.Warnings.Error()
	for _, want := range []string{
		"encrypted_at_rest left unset: var.encrypt has no default",
		"public left unset: function timeadd",
		"aws_s3_bucket.many: count is not known statically; imported as one instance",
		"aws_sqs_queue.per_bucket: for_each is not known statically; imported as one instance",
		"aws_sns_topic.none: count or for_each is empty; no instance is created",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	for _, id := range []string{"aws_s3_bucket.many", "aws_sqs_queue.per_bucket"} {
		if res.Model.Component(id) == nil {
			t.Errorf("%s dropped; want one instance", id)
		}
	}
}

func TestLocalsAndCount(t *testing.T) {
	dir := writeTF(t, `variable "env" {
  default = "prod"
}

locals {
  public = var.env != "prod"
  names  = ["a", "b", "c"]
}

resource "aws_s3_bucket" "b" {
  count  = length(local.names)
  bucket = "${local.names[count.index]}-${var.env}"
}

resource "aws_db_instance" "db" {
  publicly_accessible = local.public
  storage_encrypted   = true
}
`)
	m := importPath(t, dir).Model
	for i, name := range []string{"a-prod", "b-prod", "c-prod"} {
		c := m.Component("aws_s3_bucket.b-" + string(rune('0'+i)))
		if c == nil || c.Name != name {
			t.Errorf("bucket %d: %+v, want name %s", i, c, name)
		}
	}
	p, _ := m.Component("aws_db_instance.db").Properties.Get("public")
	if p.Value != false {
		t.Errorf("public = %v, want false from the local", p.Value)
	}
}

func TestFileTooLarge(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(terraform.MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = terraform.New().Import(dir)
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "limit") {
		t.Errorf("error %v, want a size-limit error wrapping model.ErrInvalid", err)
	}
}

func TestModuleCallsItself(t *testing.T) {
	dir := writeTF(t, `module "self" {
  source = "./"
}

resource "aws_sqs_queue" "q" {}
`)
	res := importPath(t, dir)
	if len(res.Model.Components) != 1 || res.Model.Component("aws_sqs_queue.q") == nil {
		t.Errorf("components %v, want only aws_sqs_queue.q", res.Model.Components)
	}
	if got := res.Warnings.Error(); !strings.Contains(got, "module self: calls itself") {
		t.Errorf("warnings lack the cycle:\n%s", got)
	}
}

func BenchmarkImport(b *testing.B) {
	for b.Loop() {
		if _, err := terraform.New().Import("testdata/aws-app"); err != nil {
			b.Fatal(err)
		}
	}
}
