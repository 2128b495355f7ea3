package kubernetes_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/kubernetes"
	"github.com/wardsec/ward/model"
)

// importText imports manifests written to a temporary directory.
func importText(t *testing.T, files map[string]string) *importer.Result {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return importPath(t, dir)
}

func hasFlow(m *model.Model, from, to string) bool {
	for _, f := range m.Flows {
		if f.From.ID == from && f.To.ID == to {
			return true
		}
	}
	return false
}

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: team
  labels: {app: web}
spec:
  containers:
    - name: c
      image: example.com/app:1
`

func TestDerivedProperties(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		id    string
		props map[string]bool
	}{
		{
			name: "container overrides the pod's non-root setting",
			files: map[string]string{"a.yaml": strings.Replace(pod, "  containers:", "  securityContext: {runAsNonRoot: true}\n  containers:", 1) +
				"      securityContext: {runAsUser: 0}\n"},
			id:    "pod.team.app",
			props: map[string]bool{"run_as_non_root": false},
		},
		{
			name:  "pod-level non-root user covers every container",
			files: map[string]string{"a.yaml": strings.Replace(pod, "  containers:", "  securityContext: {runAsUser: 1000}\n  containers:", 1)},
			id:    "pod.team.app",
			props: map[string]bool{"run_as_non_root": true},
		},
		{
			name:  "SYS_ADMIN capability is privileged",
			files: map[string]string{"a.yaml": pod + "      securityContext: {capabilities: {add: [SYS_ADMIN]}}\n"},
			id:    "pod.team.app",
			props: map[string]bool{"privileged": true, "host_network": false},
		},
		{
			name:  "hostPID shares host namespaces",
			files: map[string]string{"a.yaml": strings.Replace(pod, "  containers:", "  hostPID: true\n  containers:", 1)},
			id:    "pod.team.app",
			props: map[string]bool{"host_network": true},
		},
		{
			name:  "digest pins the image; limits need cpu and memory",
			files: map[string]string{"a.yaml": strings.Replace(pod, "app:1", "app@sha256:abc", 1) + "      resources: {limits: {cpu: 1}}\n"},
			id:    "pod.team.app",
			props: map[string]bool{"pinned_dependencies": true, "resource_limits": false},
		},
		{
			name: "namespace enforcing pod security",
			files: map[string]string{"ns.yaml": "kind: Namespace\nmetadata: {name: team, labels: {pod-security.kubernetes.io/enforce: baseline}}\n",
				"a.yaml": pod},
			id:    "pod.team.app",
			props: map[string]bool{"k8s_pod_security_enforced": true, "k8s_dedicated_namespace": true},
		},
		{
			name:  "no namespace means default",
			files: map[string]string{"a.yaml": strings.Replace(pod, "  namespace: team\n", "", 1)},
			id:    "pod.default.app",
			props: map[string]bool{"k8s_dedicated_namespace": false, "k8s_pod_security_enforced": false},
		},
		{
			name: "service account turns the token off",
			files: map[string]string{"a.yaml": strings.Replace(pod, "  containers:", "  serviceAccountName: quiet\n  containers:", 1),
				"sa.yaml": "kind: ServiceAccount\nmetadata: {name: quiet, namespace: team}\nautomountServiceAccountToken: false\n"},
			id:    "pod.team.app",
			props: map[string]bool{"automount_service_account_token": false},
		},
		{
			name: "pod turns the token back on",
			files: map[string]string{"a.yaml": strings.Replace(pod, "  containers:", "  serviceAccountName: quiet\n  automountServiceAccountToken: true\n  containers:", 1),
				"sa.yaml": "kind: ServiceAccount\nmetadata: {name: quiet, namespace: team}\nautomountServiceAccountToken: false\n"},
			id:    "pod.team.app",
			props: map[string]bool{"automount_service_account_token": true},
		},
		{
			name: "egress-only policy leaves ingress open",
			files: map[string]string{"a.yaml": pod,
				"np.yaml": "kind: NetworkPolicy\nmetadata: {name: out, namespace: team}\nspec: {podSelector: {}, policyTypes: [Egress]}\n"},
			id:    "pod.team.app",
			props: map[string]bool{"network_policy": false},
		},
		{
			name: "policy selecting by expression",
			files: map[string]string{"a.yaml": pod,
				"np.yaml": "kind: NetworkPolicy\nmetadata: {name: in, namespace: team}\nspec: {podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [db]}]}}\n"},
			id:    "pod.team.app",
			props: map[string]bool{"network_policy": true},
		},
		{
			name:  "internal load balancer is not public",
			files: map[string]string{"s.yaml": "kind: Service\nmetadata: {name: s, namespace: team, annotations: {networking.gke.io/load-balancer-type: Internal}}\nspec: {type: LoadBalancer}\n"},
			id:    "service.team.s",
			props: map[string]bool{"public": false},
		},
		{
			name:  "source ranges restrict a load balancer",
			files: map[string]string{"s.yaml": "kind: Service\nmetadata: {name: s, namespace: team}\nspec: {type: LoadBalancer, loadBalancerSourceRanges: [10.0.0.0/8]}\n"},
			id:    "service.team.s",
			props: map[string]bool{"public": true, "network_restricted": true, "k8s_host_port": false},
		},
		{
			name:  "role reading secrets",
			files: map[string]string{"r.yaml": "kind: Role\nmetadata: {name: r, namespace: team}\nrules: [{apiGroups: [''], resources: [secrets], verbs: [list]}]\n"},
			id:    "role.team.r",
			props: map[string]bool{"k8s_secrets_access": true, "k8s_escalation_verbs": false, "iam_wildcards": false, "k8s_cluster_admin": false},
		},
		{
			name:  "role creating pods escalates",
			files: map[string]string{"r.yaml": "kind: ClusterRole\nmetadata: {name: r}\nrules: [{apiGroups: [''], resources: [pods], verbs: [create]}]\n"},
			id:    "clusterrole.r",
			props: map[string]bool{"k8s_escalation_verbs": true, "k8s_secrets_access": false},
		},
		{
			name: "role binding passes a wildcard role to the account",
			files: map[string]string{"sa.yaml": "kind: ServiceAccount\nmetadata: {name: ops, namespace: team}\n",
				"r.yaml": "kind: Role\nmetadata: {name: all, namespace: team}\nrules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]\n---\n" +
					"kind: RoleBinding\nmetadata: {name: b, namespace: team}\nroleRef: {kind: Role, name: all}\nsubjects: [{kind: ServiceAccount, name: ops}]\n"},
			id:    "serviceaccount.team.ops",
			props: map[string]bool{"k8s_cluster_admin": true, "iam_wildcards": true, "automount_service_account_token": true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := importtest.Component(t, importText(t, tt.files).Model, tt.id)
			for name, want := range tt.props {
				p, ok := c.Properties.Get(name)
				if !ok {
					t.Errorf("%s is not set", name)
				} else if p.Value != want {
					t.Errorf("%s = %v, want %v", name, p.Value, want)
				}
			}
		})
	}
}

func TestFlows(t *testing.T) {
	res := importText(t, map[string]string{
		"ns.yaml": "kind: Namespace\nmetadata: {name: edge, labels: {role: edge}}\n",
		"a.yaml":  pod,
		"b.yaml":  "kind: Deployment\nmetadata: {name: proxy, namespace: edge}\nspec: {template: {metadata: {labels: {app: proxy}}, spec: {containers: [{image: p}]}}}\n",
		"np.yaml": "kind: NetworkPolicy\nmetadata: {name: from-edge, namespace: team}\nspec:\n  podSelector: {matchLabels: {app: web}}\n" +
			"  ingress: [{from: [{namespaceSelector: {matchLabels: {role: edge}}, podSelector: {matchLabels: {app: proxy}}}]}]\n",
		"svc.yaml": "kind: Service\nmetadata: {name: web, namespace: team}\nspec: {type: NodePort, selector: {app: web}}\n",
		"ing.yaml": "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i, namespace: team}\nspec: {backend: {serviceName: web, servicePort: 80}, rules: [{http: {paths: [{backend: {serviceName: gone}}]}}]}\n",
	})
	m := res.Model
	for _, f := range [][2]string{
		{"deployment.edge.proxy", "pod.team.app"},
		{"service.team.web", "pod.team.app"},
		{"internet", "service.team.web"},
		{"internet", "ingress.team.i"},
		{"ingress.team.i", "service.team.web"},
	} {
		if !hasFlow(m, f[0], f[1]) {
			t.Errorf("no flow %s -> %s", f[0], f[1])
		}
	}
	if hasFlow(m, "pod.team.app", "deployment.edge.proxy") {
		t.Error("flow against the policy's direction")
	}
	if z := importtest.Component(t, m, "deployment.edge.proxy").Zone.ID; z != "namespace.edge" {
		t.Errorf("proxy zone = %s, want namespace.edge", z)
	}
	if !strings.Contains(res.Warnings.Error(), "routes to Service gone, which is not in the manifests") {
		t.Errorf("no warning about the missing backend: %v", res.Warnings)
	}
}

func TestSecretUse(t *testing.T) {
	res := importText(t, map[string]string{
		"a.yaml": pod + "      env: [{name: P, valueFrom: {secretKeyRef: {name: creds, key: p}}}, {name: Q, valueFrom: {secretKeyRef: {name: missing, key: q}}}]\n",
		"s.yaml": "kind: Secret\nmetadata: {name: creds, namespace: team}\ndata: {p: cA==}\n",
	})
	m := res.Model
	s := importtest.Component(t, m, "secret.team.creds")
	if s.Properties.Bool("k8s_secrets_as_files") || s.Properties.Bool("secrets_management") {
		t.Errorf("secret properties = %v, want env use and inline values", s.Properties)
	}
	if !hasFlow(m, "secret.team.creds", "pod.team.app") {
		t.Error("no flow from the secret to the pod")
	}
	if got := importtest.Component(t, m, "pod.team.app").Processes; len(got) != 1 || got[0].ID != "secret.team.creds.data" {
		t.Errorf("pod processes %v, want the secret's data", got)
	}
	if !strings.Contains(res.Warnings.Error(), "reads Secret missing, which is not in the manifests") {
		t.Errorf("no warning about the missing secret: %v", res.Warnings)
	}
}

func TestNothingDropped(t *testing.T) {
	res := importText(t, map[string]string{
		"list.yaml": "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: example.com/v1, kind: Widget, metadata: {name: w1, namespace: team}}\n" +
			"  - {apiVersion: example.com/v1, kind: Widget, metadata: {name: w2, namespace: team}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: team}}\n",
		"values.yaml": "replicas: 3\n",
		"dup.yaml":    "kind: ConfigMap\nmetadata: {name: c, namespace: team}\n",
		"empty.yaml":  "---\n---\n",
	})
	m := res.Model
	importtest.Component(t, m, "widget.team.w1")
	importtest.Component(t, m, "widget.team.w2")
	importtest.Component(t, m, "configmap.team.c")
	importtest.Component(t, m, "configmap.team.c-2")
	warnings := res.Warnings.Error()
	for _, want := range []string{
		"list.yaml:4:5: kind Widget (example.com/v1) has no Ward mapping; imported 2 object(s) as generic process components: widget.team.w1, widget.team.w2",
		"values.yaml:1:1: document has no kind",
		"ConfigMap team/c is defined more than once",
	} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings)
		}
	}
}

func TestNoManifests(t *testing.T) {
	_, err := kubernetes.New().Import(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no *.yaml or *.yml files") {
		t.Errorf("err = %v, want one saying there are no manifests", err)
	}
}

func TestDocumentLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.yaml")
	if err := os.WriteFile(path, []byte(strings.Repeat("---\n", 100_001)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := kubernetes.New().Import(path)
	if err == nil || !strings.Contains(err.Error(), "more than 100000 YAML documents") {
		t.Errorf("err = %v, want the document limit", err)
	}
}

func TestErrorsCapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scalars.yaml")
	if err := os.WriteFile(path, []byte(strings.Repeat("--- a\n", 5000)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := kubernetes.New().Import(path)
	var ds model.Diagnostics
	if !errors.As(err, &ds) || len(ds) != model.MaxDiagnostics {
		t.Errorf("got %d problems, want the cap of %d: %v", len(ds), model.MaxDiagnostics, err)
	}
}
