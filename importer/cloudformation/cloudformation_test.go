package cloudformation_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/cloudformation"
	"github.com/wardsec/ward/importer/yamlout"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func importFile(t *testing.T, path string) *importer.Result {
	t.Helper()
	res, err := cloudformation.New().Import(path)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

// TestGolden imports each fixture and compares the written model with
// testdata/golden/NAME.ward.yaml; -update rewrites them.
func TestGolden(t *testing.T) {
	for _, name := range []string{"serverless.yaml", "classic-misconfigured.yaml", "classic-fixed.yaml", "nested/root.yaml", "web.json", "data-tier.yaml"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			res := importFile(t, path)
			got, err := yamlout.Marshal(res.Model, cloudformation.Name, filepath.ToSlash(path))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := model.ParseBytes(path, got); err != nil {
				t.Fatalf("written model does not load: %v\n%s", err, got)
			}
			golden := filepath.Join("testdata", "golden", strings.NewReplacer("/", "-", ".yaml", "", ".json", "").Replace(name)+".ward.yaml")
			testkit.Golden(t, golden, got, *update)
		})
	}
}

func analyze(t *testing.T, path string) []string {
	t.Helper()
	res := importFile(t, path)
	data, err := yamlout.Marshal(res.Model, cloudformation.Name, path)
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
// classic template raises its threat, and that its fixed twin raises none
// of them.
func TestMisconfigurationsFound(t *testing.T) {
	want := []string{
		"aws-s3-public-read@AssetsBucket",
		"datastore-unencrypted-at-rest@Database",
		"datastore-no-backups@Database",
		"aws-security-group-admin-ports-open@AdminSecurityGroup",
		"aws-iam-policy-privilege-escalation@AppPolicy",
	}
	bad := analyze(t, "testdata/classic-misconfigured.yaml")
	for _, id := range want {
		if !slices.Contains(bad, id) {
			t.Errorf("misconfigured template: no threat %s; got %v", id, bad)
		}
	}
	fixed := analyze(t, "testdata/classic-fixed.yaml")
	for _, id := range want[:4] {
		if slices.Contains(fixed, id) {
			t.Errorf("fixed template still raises %s", id)
		}
	}
}

// TestWildcardPolicyRaisesLikelihood: the wildcard policy is flagged with
// the property the rules read, the fixed one is not.
func TestWildcardPolicy(t *testing.T) {
	for file, want := range map[string]bool{"testdata/classic-misconfigured.yaml": true, "testdata/classic-fixed.yaml": false} {
		m := importFile(t, file).Model
		c := m.Component("AppPolicy")
		if c == nil {
			t.Fatalf("%s: no AppPolicy component", file)
		}
		p, _ := c.Properties.Get("iam_wildcards")
		if got, _ := p.Value.(bool); got != want {
			t.Errorf("%s: iam_wildcards = %v, want %v", file, p.Value, want)
		}
	}
}

func TestServerlessFlows(t *testing.T) {
	m := importFile(t, "testdata/serverless.yaml").Model
	var flows []string
	for _, f := range m.Flows {
		flows = append(flows, f.From.ID+"->"+f.To.ID)
	}
	for _, want := range []string{
		"internet->OrdersApi", "OrdersApi->CreateOrder", "CreateOrder->Orders",
		"Fulfilment->Fulfil", "Fulfil->Invoices", "CreateOrder->Fulfilment",
	} {
		if !slices.Contains(flows, want) {
			t.Errorf("no flow %s; got %v", want, flows)
		}
	}
	if c := m.Component("Orders"); c == nil || c.Kind != "aws.dynamodb" {
		t.Errorf("SimpleTable Orders not imported as aws.dynamodb: %+v", c)
	}
}

func TestComponentPositions(t *testing.T) {
	m := importFile(t, "testdata/classic-misconfigured.yaml").Model
	c := m.Component("Database")
	if c == nil {
		t.Fatal("no Database component")
	}
	if c.Pos.File != "testdata/classic-misconfigured.yaml" || c.Pos.Line != 68 || c.Pos.Col != 3 || c.Pos.Source != cloudformation.Name {
		t.Errorf("Database at %+v, want testdata/classic-misconfigured.yaml:68:3 from cloudformation", c.Pos)
	}
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"bad yaml", "Resources:\n  A:\n    Type: [\n", "t.yaml:3:1: invalid template"},
		{"no type", "Resources:\n  Bucket:\n    Properties: {}\n", "t.yaml:3:5: resource Bucket has no Type"},
		{"not a mapping", "- a\n- b\n", "t.yaml:1:1: a template is a mapping"},
		{"bad json", "{\"Resources\": {\"A\": {\"Type\": \"X\",}}", "t.yaml:1:"},
		{"deep", "Resources:\n  A:\n    Type: X\n    Properties: " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n", "nested more than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.yaml")
			if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := cloudformation.New().Import(path)
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
}

func TestUnknownValuesWarn(t *testing.T) {
	body := `Parameters:
  Encrypt:
    Type: String
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted: !Ref Encrypt
      PubliclyAccessible: !If [Prod, false, true]
  Thing:
    Type: AWS::Custom::Widget
`
	path := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importFile(t, path)
	db := res.Model.Component("Db")
	for _, name := range []string{"encrypted_at_rest", "public"} {
		if p, ok := db.Properties.Get(name); ok {
			t.Errorf("%s = %v, want it left unset", name, p.Value)
		}
	}
	warnings := res.Warnings.Error()
	for _, want := range []string{"encrypted_at_rest left unset: parameter Encrypt has no default", "public left unset: depends on condition Prod", "AWS::Custom::Widget"} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings)
		}
	}
	if c := res.Model.Component("Thing"); c == nil || c.Kind != "process" {
		t.Errorf("unknown type not kept as a generic component: %+v", c)
	}
}

// TestDataTier: a database names its groups in VPCSecurityGroups, so the
// group admitting the app's group makes a flow; an AWS-managed admin
// policy on the instance's role is a wildcard grant of the role and of the
// instance.
func TestDataTier(t *testing.T) {
	m := importFile(t, "testdata/data-tier.yaml").Model
	var flows []string
	for _, f := range m.Flows {
		flows = append(flows, f.From.ID+"->"+f.To.ID)
	}
	for _, want := range []string{"App->Database", "App->Sessions"} {
		if !slices.Contains(flows, want) {
			t.Errorf("no flow %s; got %v", want, flows)
		}
	}
	for _, id := range []string{"AppRole", "App"} {
		c := m.Component(id)
		if c == nil {
			t.Fatalf("no component %s", id)
		}
		if p, _ := c.Properties.Get("iam_wildcards"); p.Value != true {
			t.Errorf("%s: iam_wildcards = %v, want true", id, p.Value)
		}
	}
}
