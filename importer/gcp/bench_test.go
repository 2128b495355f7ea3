package gcp_test

import (
	"fmt"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/gcp"
)

// BenchmarkMap10k maps 10,000 resources: load balancers in front of Cloud
// Run, topics with push subscriptions, secrets and keys under one project.
func BenchmarkMap10k(b *testing.B) {
	in := []importer.Resource{{Type: "cloudresourcemanager.googleapis.com/Project", ID: "projects/p", Props: map[string]any{
		"iamPolicy": policy("roles/editor", "group:dev@example.com")}}}
	for i := range 1000 {
		id := func(s string) string { return fmt.Sprint(s, i) }
		in = append(in,
			importer.Resource{Type: "compute.googleapis.com/GlobalForwardingRule", ID: id("lb"), Props: map[string]any{"target": ref(id("proxy"))}},
			importer.Resource{Type: "compute.googleapis.com/TargetHttpsProxy", ID: id("proxy"), Props: map[string]any{"urlMap": ref(id("map"))}},
			importer.Resource{Type: "compute.googleapis.com/UrlMap", ID: id("map"), Props: map[string]any{"defaultService": ref(id("bes"))}},
			importer.Resource{Type: "compute.googleapis.com/BackendService", ID: id("bes"), Props: map[string]any{"backends": []any{map[string]any{"group": ref(id("neg"))}}}},
			importer.Resource{Type: "compute.googleapis.com/NetworkEndpointGroup", ID: id("neg"), Props: map[string]any{"cloudRun": map[string]any{"service": ref(id("run"))}}},
			importer.Resource{Type: "run.googleapis.com/Service", ID: id("run")},
			importer.Resource{Type: "pubsub.googleapis.com/Topic", ID: id("topic")},
			importer.Resource{Type: "pubsub.googleapis.com/Subscription", ID: id("sub"), Props: map[string]any{
				"topic": ref(id("topic")), "pushConfig": map[string]any{"pushEndpoint": ref(id("run"))}}},
			importer.Resource{Type: "secretmanager.googleapis.com/Secret", ID: id("secret")},
			importer.Resource{Type: "cloudkms.googleapis.com/CryptoKey", ID: id("key")},
		)
	}
	b.ResetTimer()
	for b.Loop() {
		res := gcp.Map(in, "bench")
		if len(res.Model.Flows) < 3000 {
			b.Fatalf("%d flows", len(res.Model.Flows))
		}
	}
}
