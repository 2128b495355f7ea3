package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/wardsec/ward/importer"
)

// googleResourcesOf parses one file's text and returns its resources in
// Cloud Asset Inventory's shape, as the Google Cloud mapping receives them.
func googleResourcesOf(t *testing.T, src string) ([]importer.Resource, *loader) {
	t.Helper()
	l := &loader{parser: hclparse.NewParser(), seen: map[string]bool{}}
	body, err := parseBytes(l.parser, "main.tf", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := l.newModule(".", "", 0)
	m.add(body, nil)
	return translateGoogle(l.expand(m), l.warn), l
}

// TestTranslateGoogle checks each google type's asset type and data.
func TestTranslateGoogle(t *testing.T) {
	ref := func(id, attr string) importer.ResourceRef { return importer.ResourceRef{ID: id, Attr: attr} }
	cases := []struct {
		name, src, id, typ string
		want               map[string]any
	}{
		{"bucket with folded members and binding", `
resource "google_storage_bucket" "b" {
  name                        = "b"
  uniform_bucket_level_access = true
  public_access_prevention    = "inherited"
  versioning {
    enabled = true
  }
}
resource "google_storage_bucket_iam_member" "m" {
  bucket = google_storage_bucket.b.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
resource "google_storage_bucket_iam_binding" "b" {
  bucket  = google_storage_bucket.b.name
  role    = "roles/storage.admin"
  members = ["group:ops@example.com"]
}`, "google_storage_bucket.b", "storage.googleapis.com/Bucket", map[string]any{
			"iamConfiguration": map[string]any{"uniformBucketLevelAccess": map[string]any{"enabled": true}, "publicAccessPrevention": "inherited"},
			"versioning":       map[string]any{"enabled": true},
			"iamPolicy": map[string]any{"bindings": []any{
				map[string]any{"role": "roles/storage.objectViewer", "members": []any{"allUsers"}},
				map[string]any{"role": "roles/storage.admin", "members": []any{"group:ops@example.com"}},
			}},
		}},
		{"sql instance", `
resource "google_sql_database_instance" "s" {
  name = "s"
  settings {
    backup_configuration {
      enabled = true
    }
    ip_configuration {
      ipv4_enabled = true
      require_ssl  = true
      authorized_networks {
        name  = "all"
        value = "0.0.0.0/0"
      }
    }
  }
}`, "google_sql_database_instance.s", "sqladmin.googleapis.com/Instance", map[string]any{"settings": map[string]any{
			"backupConfiguration": map[string]any{"enabled": true},
			"ipConfiguration": map[string]any{"ipv4Enabled": true, "requireSsl": true,
				"authorizedNetworks": []any{map[string]any{"name": "all", "value": "0.0.0.0/0"}}},
		}}},
		{"cloud run v1 with invoker", `
resource "google_cloud_run_service" "r" {
  name = "r"
  metadata {
    annotations = {
      "run.googleapis.com/ingress" = "internal-and-cloud-load-balancing"
    }
  }
  template {
    spec {
      service_account_name = "run@p.iam.gserviceaccount.com"
    }
  }
}
resource "google_cloud_run_service_iam_member" "i" {
  service = google_cloud_run_service.r.name
  role    = "roles/run.invoker"
  member  = "allUsers"
}`, "google_cloud_run_service.r", "run.googleapis.com/Service", map[string]any{
			"ingress":   "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
			"template":  map[string]any{"serviceAccount": "run@p.iam.gserviceaccount.com"},
			"iamPolicy": map[string]any{"bindings": []any{map[string]any{"role": "roles/run.invoker", "members": []any{"allUsers"}}}},
		}},
		{"gke cluster", `
resource "google_container_cluster" "c" {
  name               = "c"
  enable_legacy_abac = true
  private_cluster_config {
    enable_private_endpoint = true
  }
  network_policy {
    enabled = true
  }
  workload_identity_config {
    workload_pool = "p.svc.id.goog"
  }
}`, "google_container_cluster.c", "container.googleapis.com/Cluster", map[string]any{
			"privateClusterConfig":   map[string]any{"enablePrivateEndpoint": true},
			"legacyAbac":             map[string]any{"enabled": true},
			"networkPolicy":          map[string]any{"enabled": true},
			"workloadIdentityConfig": map[string]any{"workloadPool": "p.svc.id.goog"},
		}},
		{"firewall", `
resource "google_compute_network" "n" {
  name = "n"
}
resource "google_compute_firewall" "f" {
  name          = "f"
  network       = google_compute_network.n.name
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["22", "443"]
  }
}`, "google_compute_firewall.f", "compute.googleapis.com/Firewall", map[string]any{
			"network":      ref("google_compute_network.n", "name"),
			"sourceRanges": []any{"0.0.0.0/0"},
			"allowed":      []any{map[string]any{"IPProtocol": "tcp", "ports": []any{"22", "443"}}},
		}},
		{"function", `
resource "google_cloudfunctions2_function" "f" {
  name = "f"
  service_config {
    ingress_settings   = "ALLOW_INTERNAL_ONLY"
    max_instance_count = 5
  }
}`, "google_cloudfunctions2_function.f", "cloudfunctions.googleapis.com/CloudFunction", map[string]any{
			"serviceConfig": map[string]any{"ingressSettings": "ALLOW_INTERNAL_ONLY", "maxInstanceCount": 5},
		}},
		{"kms key", `
resource "google_kms_crypto_key" "k" {
  name            = "k"
  rotation_period = "7776000s"
}`, "google_kms_crypto_key.k", "cloudkms.googleapis.com/CryptoKey", map[string]any{"rotationPeriod": "7776000s"}},
		{"instance", `
resource "google_compute_instance" "i" {
  name = "i"
  network_interface {
    network = "default"
    access_config {}
  }
  service_account {
    email = "vm@p.iam.gserviceaccount.com"
  }
}`, "google_compute_instance.i", "compute.googleapis.com/Instance", map[string]any{
			"networkInterfaces": []any{map[string]any{"network": "default", "accessConfigs": []any{map[string]any{"type": "ONE_TO_ONE_NAT"}}}},
			"serviceAccounts":   []any{map[string]any{"email": "vm@p.iam.gserviceaccount.com"}},
		}},
		{"project iam member", `
resource "google_project_iam_member" "m" {
  project = "p"
  role    = "roles/owner"
  member  = "user:a@example.com"
}`, "google_project_iam_member.m", "cloudresourcemanager.googleapis.com/Project", map[string]any{
			"iamPolicy": map[string]any{"bindings": []any{map[string]any{"role": "roles/owner", "members": []any{"user:a@example.com"}}}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resources, _ := googleResourcesOf(t, tc.src)
			var got *importer.Resource
			for i := range resources {
				if resources[i].ID == tc.id {
					got = &resources[i]
				}
			}
			if got == nil {
				t.Fatalf("%s not translated; got %v", tc.id, resources)
			}
			if got.Type != tc.typ {
				t.Errorf("type = %s, want %s", got.Type, tc.typ)
			}
			if diff := cmp.Diff(tc.want, got.Props); diff != "" {
				t.Errorf("props (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTranslateGoogleOrphanGrant checks that a grant on a resource outside
// the configuration is reported, not dropped silently.
func TestTranslateGoogleOrphanGrant(t *testing.T) {
	resources, l := googleResourcesOf(t, `
resource "google_storage_bucket_iam_member" "m" {
  bucket = "elsewhere"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}`)
	if len(resources) != 0 {
		t.Errorf("resources %v; want the grant folded away", resources)
	}
	if len(l.warnings) != 1 {
		t.Errorf("warnings %v; want one naming the orphan grant", l.warnings)
	}
}
