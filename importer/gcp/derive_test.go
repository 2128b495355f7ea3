package gcp_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/gcp"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/model"
)

func ref(id string) importer.ResourceRef { return importer.ResourceRef{ID: id} }

func policy(role string, members ...any) map[string]any {
	return map[string]any{"bindings": []any{map[string]any{"role": role, "members": members}}}
}

func mapped(t *testing.T, resources ...importer.Resource) (map[string]*model.Component, map[string]*model.Flow, string) {
	t.Helper()
	res := gcp.Map(resources, "test")
	comps := map[string]*model.Component{}
	for _, c := range res.Model.Components {
		comps[c.ID] = c
	}
	flows := map[string]*model.Flow{}
	for _, f := range res.Model.Flows {
		flows[f.ID] = f
	}
	var text []string
	for _, w := range res.Warnings {
		text = append(text, w.Message)
	}
	return comps, flows, strings.Join(text, "\n")
}

// TestProjectPolicy checks a merged project policy: basic roles,
// impersonation and grants to everyone, with unknown bindings unset.
func TestProjectPolicy(t *testing.T) {
	comps, _, warns := mapped(t,
		importer.Resource{Type: "cloudresourcemanager.googleapis.com/Project", ID: "projects/p", Props: map[string]any{
			"iamPolicy": map[string]any{"bindings": []any{
				map[string]any{"role": "roles/editor", "members": []any{"allAuthenticatedUsers"}},
				map[string]any{"role": "roles/iam.serviceAccountTokenCreator", "members": []any{"group:dev@example.com"}},
			}}}},
		importer.Resource{Type: "cloudresourcemanager.googleapis.com/Project", ID: "projects/q", Props: map[string]any{
			"iamPolicy": map[string]any{"bindings": []any{map[string]any{
				"role": importer.Unknown{Why: "data.google_iam_policy is read at plan time"}, "members": importer.Unknown{Why: "data.google_iam_policy is read at plan time"}}}}}},
	)
	p := importtest.Props(comps["projects-p"])
	if p["gcp_basic_roles"] != true || p["gcp_project_level_impersonation"] != true || p["external_access"] != true {
		t.Errorf("projects/p props %v; want basic roles, impersonation and external access", p)
	}
	if !strings.Contains(warns, "grants roles/editor on the project to everyone") {
		t.Errorf("warnings %q; want the public editor grant reported", warns)
	}
	if _, set := importtest.Props(comps["projects-q"])["external_access"]; set {
		t.Error("external_access set from unknown members")
	}
}

// TestLoadBalancer follows a forwarding rule to its Cloud Run backend.
func TestLoadBalancer(t *testing.T) {
	parts := func(armor, ssl any) []importer.Resource {
		bes := map[string]any{"backends": []any{map[string]any{"group": ref("neg")}}}
		if armor != nil {
			bes["securityPolicy"] = armor
		}
		proxy := map[string]any{"urlMap": ref("map")}
		if ssl != nil {
			proxy["sslPolicy"] = ssl
		}
		return []importer.Resource{
			{Type: "compute.googleapis.com/GlobalForwardingRule", ID: "lb", Props: map[string]any{"target": ref("proxy")}},
			{Type: "compute.googleapis.com/TargetHttpsProxy", ID: "proxy", Props: proxy},
			{Type: "compute.googleapis.com/UrlMap", ID: "map", Props: map[string]any{"defaultService": ref("bes")}},
			{Type: "compute.googleapis.com/BackendService", ID: "bes", Props: bes},
			{Type: "compute.googleapis.com/NetworkEndpointGroup", ID: "neg", Props: map[string]any{"cloudRun": map[string]any{"service": ref("run")}}},
			{Type: "compute.googleapis.com/SslPolicy", ID: "ssl", Props: map[string]any{"minTlsVersion": "TLS_1_2"}},
			{Type: "run.googleapis.com/Service", ID: "run", Props: map[string]any{"ingress": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"}},
		}
	}
	cases := []struct {
		name       string
		armor, ssl any
		waf        bool
		tls        any
	}{
		{"default SSL policy, no Cloud Armor", nil, nil, false, "1.0"},
		{"modern SSL policy and Cloud Armor", "projects/p/global/securityPolicies/armor", ref("ssl"), true, "1.2"},
		{"SSL policy not in the input", nil, "projects/p/global/sslPolicies/x", false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			comps, flows, _ := mapped(t, parts(tc.armor, tc.ssl)...)
			p := importtest.Props(comps["lb"])
			if comps["lb"].Kind != "gcp.load-balancer" || p["public"] != true || p["waf"] != tc.waf || p["tls_min_version"] != tc.tls {
				t.Errorf("lb %s %v; want public, waf %v, TLS floor %v", comps["lb"].Kind, p, tc.waf, tc.tls)
			}
			if flows["lb-to-run"] == nil || flows["internet-to-lb"] == nil {
				t.Errorf("flows %v; want internet to the balancer and on to Cloud Run", flows)
			}
			for _, id := range []string{"proxy", "map", "bes", "neg", "ssl"} {
				if comps[id] != nil {
					t.Errorf("%s became a component", id)
				}
			}
		})
	}
}

// TestSubscriptions checks that subscriptions speak for their topic.
func TestSubscriptions(t *testing.T) {
	comps, flows, _ := mapped(t,
		importer.Resource{Type: "pubsub.googleapis.com/Topic", ID: "t"},
		importer.Resource{Type: "run.googleapis.com/Service", ID: "run"},
		importer.Resource{Type: "pubsub.googleapis.com/Subscription", ID: "push", Props: map[string]any{
			"topic": ref("t"), "pushConfig": map[string]any{"pushEndpoint": importer.ResourceRef{ID: "run", Attr: "uri"},
				"oidcToken": map[string]any{"serviceAccountEmail": "p@p.iam.gserviceaccount.com"}},
			"deadLetterPolicy": map[string]any{"deadLetterTopic": ref("t")},
		}},
		importer.Resource{Type: "pubsub.googleapis.com/Subscription", ID: "pull", Props: map[string]any{
			"topic": ref("t"), "iamPolicy": policy("roles/pubsub.subscriber", "allUsers"),
		}},
	)
	if p := importtest.Props(comps["t"]); p["public"] != true || p["dead_letter_queue"] != false {
		t.Errorf("topic props %v; want public through a subscription and no dead letters on every subscription", p)
	}
	if f := flows["t-to-run"]; f == nil || f.Authentication != "token" {
		t.Errorf("push flow %+v; want one with a token", f)
	}
	if comps["push"] != nil {
		t.Error("a subscription became a component")
	}
}

// TestServicesAndAccounts checks the newer types' main properties.
func TestServicesAndAccounts(t *testing.T) {
	comps, _, warns := mapped(t,
		importer.Resource{Type: "storage.googleapis.com/Bucket", ID: "acl", Props: map[string]any{
			"defaultObjectAcl": []any{map[string]any{"entity": "allUsers", "role": "READER"}}}},
		importer.Resource{Type: "storage.googleapis.com/Bucket", ID: "ubla", Props: map[string]any{
			"iamConfiguration": map[string]any{"uniformBucketLevelAccess": map[string]any{"enabled": true}},
			"acl":              []any{map[string]any{"entity": "allUsers", "role": "READER"}}}},
		importer.Resource{Type: "iam.googleapis.com/ServiceAccount", ID: "sa", Props: map[string]any{"keys": []any{map[string]any{}}}},
		importer.Resource{Type: "redis.googleapis.com/Instance", ID: "redis", Props: map[string]any{"authEnabled": true, "tier": "STANDARD_HA"}},
		importer.Resource{Type: "bigquery.googleapis.com/Dataset", ID: "ds", Props: map[string]any{
			"access": []any{map[string]any{"role": "READER", "specialGroup": "allAuthenticatedUsers"}}}},
		importer.Resource{Type: "compute.googleapis.com/Instance", ID: "vm", Props: map[string]any{
			"metadata":        map[string]any{"items": []any{map[string]any{"key": "enable-oslogin", "value": "TRUE"}}},
			"serviceAccounts": []any{map[string]any{"email": "vm@p.iam.gserviceaccount.com", "scopes": []any{"cloud-platform"}}},
		}},
		importer.Resource{Type: "sqladmin.googleapis.com/Instance", ID: "sql", Props: map[string]any{
			"settings": map[string]any{"availabilityType": "REGIONAL",
				"databaseFlags": []any{map[string]any{"name": "cloudsql.enable_pgaudit", "value": "on"}}},
			"users": []any{map[string]any{"type": "CLOUD_IAM_USER"}, map[string]any{"type": importer.Unknown{Why: "var.t has no default"}}},
		}},
		importer.Resource{Type: "cloudkms.googleapis.com/CryptoKey", ID: "key", Props: map[string]any{"iamPolicy": map[string]any{"bindings": []any{
			map[string]any{"role": "roles/cloudkms.admin", "members": []any{"user:a@example.com"}},
			map[string]any{"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "members": []any{"user:a@example.com"}},
		}}}},
		importer.Resource{Type: "container.googleapis.com/Cluster", ID: "gke", Props: map[string]any{
			"workloadIdentityConfig": map[string]any{"workloadPool": "p.svc.id.goog"},
			"nodePools":              []any{map[string]any{"config": map[string]any{"workloadMetadataConfig": map[string]any{"mode": "GCE_METADATA"}}}},
		}},
	)
	want := map[string]map[string]any{
		"sa":    {"long_lived_credentials": true},
		"acl":   {"public": true},
		"ubla":  {"public": false},
		"redis": {"authentication": "password", "encrypted_in_transit": false, "redundancy": true, "public": false},
		"ds":    {"public": true},
		"vm":    {"gcp_os_login": true, "gcp_full_api_scope": true},
		"sql":   {"redundancy": true, "logging": true},
		"key":   {"gcp_kms_separation_of_duties": false},
		"gke":   {"gcp_workload_identity": false},
	}
	for id, ps := range want {
		got := importtest.Props(comps[id])
		for k, v := range ps {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v", id, k, got[k], v)
			}
		}
	}
	if _, set := importtest.Props(comps["sql"])["authentication"]; set || !strings.Contains(warns, "sql: authentication left unset") {
		t.Errorf("sql authentication set from an unknown user type; warnings %q", warns)
	}
}
