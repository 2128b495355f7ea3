package gcp_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/gcp"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/mapkit"
)

// TestMapAssets maps resources as a live project's asset inventory lists
// them: full resource names, the cluster in its subnetwork.
func TestMapAssets(t *testing.T) {
	network := "//compute.googleapis.com/projects/p/global/networks/vpc"
	subnet := "//compute.googleapis.com/projects/p/regions/r/subnetworks/gke"
	res := gcp.Map([]importer.Resource{
		{Type: "compute.googleapis.com/Network", ID: network},
		{Type: "compute.googleapis.com/Subnetwork", ID: subnet, Props: map[string]any{"network": importer.ResourceRef{ID: network}}},
		{Type: "container.googleapis.com/Cluster", ID: "gke", Props: map[string]any{
			"subnetwork":             importer.ResourceRef{ID: subnet},
			"legacyAbac":             map[string]any{"enabled": true},
			"networkPolicy":          map[string]any{"enabled": false},
			"workloadIdentityConfig": map[string]any{"workloadPool": "p.svc.id.goog"},
		}},
		{Type: "cloudfunctions.googleapis.com/CloudFunction", ID: "fn", Props: map[string]any{
			"serviceConfig": map[string]any{"serviceAccountEmail": "1-compute@developer.gserviceaccount.com", "maxInstanceCount": 3},
			"iamPolicy":     map[string]any{"bindings": []any{map[string]any{"role": "roles/cloudfunctions.invoker", "members": []any{"allUsers"}}}},
		}},
		{Type: "cloudkms.googleapis.com/CryptoKey", ID: "key", Props: map[string]any{"rotationPeriod": importer.Unknown{Why: "var.period has no default"}}},
		{Type: "sqladmin.googleapis.com/Instance", ID: "sql", Props: map[string]any{"settings": map[string]any{
			"ipConfiguration": map[string]any{"ipv4Enabled": true, "authorizedNetworks": []any{map[string]any{"value": "203.0.113.0/24"}}},
		}}},
		{Type: "bigtableadmin.googleapis.com/Instance", ID: "bt"},
	}, "inventory")
	comps := importtest.ComponentsByID(res)
	gke := comps["gke"]
	if gke == nil || gke.Kind != "gcp.gke" || gke.Zone.ID != mapkit.ID(subnet) {
		t.Fatalf("gke = %+v; want a gcp.gke in its subnetwork's zone", gke)
	}
	if p := importtest.Props(gke); p["public"] != true || p["network_restricted"] != false || p["network_policy"] != false || p["gcp_workload_identity"] != true {
		t.Errorf("gke props %v; want a public control plane, no network policy, workload identity", p)
	}
	if p := importtest.Props(comps["fn"]); p["public"] != true || p["gcp_dedicated_service_account"] != false || p["gcp_max_instances"] != true {
		t.Errorf("fn props %v; want public, the default account and capped scaling", p)
	}
	if _, set := importtest.Props(comps["key"])["key_rotation"]; set {
		t.Error("key_rotation set from an unknown period; want it unset")
	}
	if p := importtest.Props(comps["sql"]); p["public_ip"] != true || p["network_restricted"] != true || p["public"] != nil {
		t.Errorf("sql props %v; want a public IP restricted to listed networks", p)
	}
	if comps["bt"] == nil || comps["bt"].Kind != "process" {
		t.Errorf("unknown type: %+v; want a generic component", comps["bt"])
	}
	all := importtest.WarningMessages(res)
	for _, want := range []string{"key: key_rotation left unset: var.period has no default", "gke: legacy ABAC is on",
		"bigtableadmin.googleapis.com/Instance"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
	if comps[gcp.InternetID] == nil {
		t.Error("no internet entity for the public function")
	}
}
