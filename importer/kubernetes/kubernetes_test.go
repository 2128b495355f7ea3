package kubernetes_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/kubernetes"
	"github.com/wardsec/ward/importer/yamlout"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func importPath(t *testing.T, path string) *importer.Result {
	t.Helper()
	res, err := kubernetes.New().Import(path)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	if ds := res.Model.Validate(); len(ds) > 0 {
		t.Fatalf("imported model does not validate: %v", ds)
	}
	return res
}

func TestName(t *testing.T) {
	if got := kubernetes.New().Name(); got != "kubernetes" {
		t.Errorf("Name() = %q, want kubernetes", got)
	}
}

// TestGolden compares the derived model of each fixture with two golden
// files under testdata/golden: a dump with every position and warning, and
// the model file the import writes, which must load back unchanged.
func TestGolden(t *testing.T) {
	for _, name := range []string{"shop", "shop-bad"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			res := importPath(t, path)
			testkit.Golden(t, filepath.Join("testdata", "golden", name+".txt"), []byte(dump(res, "testdata")), *update)

			written, err := yamlout.Marshal(res.Model, "kubernetes", filepath.ToSlash(path))
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, filepath.Join("testdata", "golden", name+".ward.yaml"), written, *update)
			back, err := model.ParseBytes(name+".ward.yaml", written)
			if err != nil {
				t.Fatalf("written model does not load: %v", err)
			}
			if len(back.Components) != len(res.Model.Components) || len(back.Flows) != len(res.Model.Flows) {
				t.Errorf("written model holds %d components and %d flows, want %d and %d",
					len(back.Components), len(back.Flows), len(res.Model.Components), len(res.Model.Flows))
			}
		})
	}
}

// misconfigurations are the k8s rules a manifest can decide; the bad twin
// must trigger each, and the good app none.
var misconfigurations = []string{
	"k8s-namespace-pod-security-not-enforced",
	"k8s-workload-in-default-namespace",
	"k8s-workload-node-port-exposure",
	"k8s-ingress-http-allowed",
	"k8s-workload-no-network-policy",
	"k8s-service-account-cluster-admin",
	"k8s-role-privilege-escalation-verbs",
	"k8s-role-reads-secrets",
	"k8s-service-account-token-automounted",
	"k8s-secret-in-source-manifests",
	"k8s-secret-as-environment-variable",
	"k8s-service-exposed-directly",
	"k8s-workload-image-mutable-tag",
	"k8s-workload-runs-as-root",
	"k8s-workload-host-namespaces",
	"k8s-workload-no-resource-limits",
	"k8s-workload-writable-root-filesystem",
}

func analyze(t *testing.T, path string) map[string][]string {
	t.Helper()
	res := testkit.Analyze(t, importPath(t, path).Model, time.Time{})
	found := map[string][]string{}
	for _, th := range res.Threats {
		found[th.Rule] = append(found[th.Rule], th.Target)
	}
	return found
}

func TestThreats(t *testing.T) {
	bad := analyze(t, filepath.Join("testdata", "shop-bad"))
	good := analyze(t, filepath.Join("testdata", "shop"))
	for _, rule := range misconfigurations {
		if len(bad[rule]) == 0 {
			t.Errorf("bad twin: rule %s found nothing", rule)
		}
		if len(good[rule]) > 0 {
			t.Errorf("good app: rule %s fires on %v", rule, good[rule])
		}
	}
	// Specific targets the bad twin is built to show.
	for rule, target := range map[string]string{
		"k8s-service-exposed-directly":       "service.default.postgres",
		"k8s-service-account-cluster-admin":  "serviceaccount.default.shop",
		"k8s-workload-image-mutable-tag":     "statefulset.default.postgres",
		"k8s-workload-host-namespaces":       "deployment.default.backend",
		"k8s-secret-as-environment-variable": "secret.default.db-credentials",
	} {
		if !slices.Contains(bad[rule], target) {
			t.Errorf("bad twin: rule %s missed %s (found %v)", rule, target, bad[rule])
		}
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name, file, text, want string
	}{
		{"malformed YAML", "bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   b: c\n", "bad.yaml:5:1: invalid YAML"},
		{"not a mapping", "list.yaml", "- a\n- b\n", "list.yaml:1:1: a Kubernetes manifest document must be a mapping"},
		{"second document broken", "two.yaml", "kind: Pod\nmetadata: {name: a}\n---\nkind: [\n", "two.yaml:4:"},
		{"alias bomb", "bomb.yaml", "kind: Pod\nmetadata: {name: a}\nx: &a [1]\ny: [" + strings.Repeat("*a, ", 101) + "]\n", "bomb.yaml:4:" + "5: more than 100 aliases"},
		{"too deep", "deep.yaml", "kind: ConfigMap\nmetadata: {name: a}\ndata: " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n", "nesting deeper than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := kubernetes.New().Import(path)
			if err == nil {
				t.Fatal("import succeeded, want an error")
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Errorf("error does not wrap model.ErrInvalid: %v", err)
			}
			if msg := strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), ""); !strings.Contains(msg, tt.want) {
				t.Errorf("error = %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}
