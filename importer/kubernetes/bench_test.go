package kubernetes_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/kubernetes"
)

// writeLarge writes n namespaces, each holding a frontend and a backend
// Deployment, their Services, a Secret and two NetworkPolicies.
func writeLarge(tb testing.TB, n int) string {
	tb.Helper()
	var b strings.Builder
	for i := range n {
		ns := fmt.Sprintf("team-%d", i)
		fmt.Fprintf(&b, "---\nkind: Namespace\nmetadata: {name: %s}\n", ns)
		for _, app := range []string{"frontend", "backend"} {
			fmt.Fprintf(&b, "---\nkind: Deployment\nmetadata: {name: %[2]s, namespace: %[1]s}\nspec:\n  template:\n    metadata: {labels: {app: %[2]s}}\n"+
				"    spec:\n      containers:\n        - image: example.com/%[2]s:1\n          envFrom: [{secretRef: {name: creds}}]\n", ns, app)
			fmt.Fprintf(&b, "---\nkind: Service\nmetadata: {name: %[2]s, namespace: %[1]s}\nspec: {selector: {app: %[2]s}}\n", ns, app)
		}
		fmt.Fprintf(&b, "---\nkind: Secret\nmetadata: {name: creds, namespace: %s}\n", ns)
		fmt.Fprintf(&b, "---\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: %s}\nspec: {podSelector: {}}\n", ns)
		fmt.Fprintf(&b, "---\nkind: NetworkPolicy\nmetadata: {name: allow, namespace: %s}\nspec:\n  podSelector: {matchLabels: {app: backend}}\n"+
			"  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]\n", ns)
	}
	path := filepath.Join(tb.TempDir(), "large.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func BenchmarkImport(b *testing.B) {
	path := writeLarge(b, 1000) // 9,000 documents
	b.ResetTimer()
	for b.Loop() {
		if _, err := kubernetes.New().Import(path); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFlowLimit checks that a policy pairing every pod with every other
// stops at the flow limit with a warning instead of growing without bound.
func TestFlowLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 700 pods")
	}
	var b strings.Builder
	for i := range 700 {
		fmt.Fprintf(&b, "---\nkind: Pod\nmetadata: {name: p%d, namespace: n, labels: {app: a}}\nspec: {containers: [{image: i}]}\n", i)
	}
	b.WriteString("---\nkind: NetworkPolicy\nmetadata: {name: all, namespace: n}\nspec: {podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}\n")
	path := filepath.Join(t.TempDir(), "mesh.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := kubernetes.New().Import(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.Model.Flows); got != 200000 {
		t.Errorf("%d flows, want the limit of 200000", got)
	}
	if !strings.Contains(res.Warnings.Error(), "more than 200000 flows") {
		t.Errorf("no warning about the flow limit: %v", res.Warnings)
	}
}
