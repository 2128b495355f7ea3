package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/importer"
)

// googleResourcesOf parses one file's text and returns its resources in
// Cloud Asset Inventory's shape, as the Google Cloud mapping receives them.
func googleResourcesOf(t *testing.T, src string) ([]importer.Resource, *loader) {
	t.Helper()
	return translatedText(t, src, translateGoogle)
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
}`, "projects/p", "cloudresourcemanager.googleapis.com/Project", map[string]any{"projectId": "p",
			"iamPolicy": map[string]any{"bindings": []any{map[string]any{"role": "roles/owner", "members": []any{"user:a@example.com"}}}},
		}},
		{"project grants of three kinds merged", `
resource "google_project_iam_member" "m" {
  project = "p"
  role    = "roles/owner"
  member  = "allUsers"
}
resource "google_project_iam_binding" "b" {
  project = "p"
  role    = "roles/iam.serviceAccountUser"
  members = ["group:dev@example.com"]
}
resource "google_project_iam_policy" "p" {
  project     = "p"
  policy_data = jsonencode({bindings = [{role = "roles/viewer", members = ["domain:example.com"]}]})
}`, "projects/p", "cloudresourcemanager.googleapis.com/Project", map[string]any{"projectId": "p",
			"iamPolicy": map[string]any{"bindings": []any{
				map[string]any{"role": "roles/owner", "members": []any{"allUsers"}},
				map[string]any{"role": "roles/iam.serviceAccountUser", "members": []any{"group:dev@example.com"}},
				map[string]any{"role": "roles/viewer", "members": []any{"domain:example.com"}},
			}},
		}},
		{"project policy read from a data source stays unknown", `
resource "google_project_iam_policy" "p" {
  policy_data = data.google_iam_policy.admin.policy_data
}`, "projects/(provider default)", "cloudresourcemanager.googleapis.com/Project", map[string]any{"projectId": "(provider default)",
			"iamPolicy": map[string]any{"bindings": []any{map[string]any{
				"role":    importer.Unknown{Why: "data.google_iam_policy is read from the provider at plan time"},
				"members": importer.Unknown{Why: "data.google_iam_policy is read from the provider at plan time"},
			}}},
		}},
		{"bucket ACLs of three kinds", `
resource "google_storage_bucket" "b" {
  name = "b"
}
resource "google_storage_bucket_acl" "a" {
  bucket         = google_storage_bucket.b.name
  predefined_acl = "publicRead"
}
resource "google_storage_bucket_acl" "r" {
  bucket      = google_storage_bucket.b.name
  role_entity = ["OWNER:user-a@example.com"]
}
resource "google_storage_default_object_access_control" "d" {
  bucket = google_storage_bucket.b.name
  entity = "allAuthenticatedUsers"
  role   = "READER"
}`, "google_storage_bucket.b", "storage.googleapis.com/Bucket", map[string]any{
			"acl":              []any{map[string]any{"entity": "allUsers", "role": "READER"}, map[string]any{"entity": "user-a@example.com", "role": "OWNER"}},
			"defaultObjectAcl": []any{map[string]any{"entity": "allAuthenticatedUsers", "role": "READER"}},
		}},
		{"grants on a declared project", `
resource "google_project" "app" {
  name       = "App"
  project_id = "app-1"
}
resource "google_project_iam_member" "m" {
  project = google_project.app.project_id
  role    = "roles/editor"
  member  = "user:a@example.com"
}`, "google_project.app", "cloudresourcemanager.googleapis.com/Project", map[string]any{"projectId": "app-1",
			"iamPolicy": map[string]any{"bindings": []any{map[string]any{"role": "roles/editor", "members": []any{"user:a@example.com"}}}},
		}},
		{"subscription with push, token and dead letters", `
resource "google_pubsub_topic" "t" {
  name = "t"
}
resource "google_pubsub_subscription" "s" {
  name  = "s"
  topic = google_pubsub_topic.t.id
  push_config {
    push_endpoint = "https://example.com/push"
    oidc_token {
      service_account_email = "push@p.iam.gserviceaccount.com"
    }
  }
  dead_letter_policy {
    dead_letter_topic = google_pubsub_topic.t.id
  }
}
resource "google_pubsub_subscription_iam_member" "m" {
  subscription = google_pubsub_subscription.s.name
  role         = "roles/pubsub.subscriber"
  member       = "allUsers"
}`, "google_pubsub_subscription.s", "pubsub.googleapis.com/Subscription", map[string]any{
			"topic": ref("google_pubsub_topic.t", "id"),
			"pushConfig": map[string]any{"pushEndpoint": "https://example.com/push",
				"oidcToken": map[string]any{"serviceAccountEmail": "push@p.iam.gserviceaccount.com"}},
			"deadLetterPolicy": map[string]any{"deadLetterTopic": ref("google_pubsub_topic.t", "id")},
			"iamPolicy":        map[string]any{"bindings": []any{map[string]any{"role": "roles/pubsub.subscriber", "members": []any{"allUsers"}}}},
		}},
		{"cluster with a folded node pool", `
resource "google_container_cluster" "c" {
  name = "c"
}
resource "google_container_node_pool" "p" {
  name    = "p"
  cluster = google_container_cluster.c.id
  node_config {
    service_account = "nodes@p.iam.gserviceaccount.com"
    workload_metadata_config {
      mode = "GCE_METADATA"
    }
  }
}`, "google_container_cluster.c", "container.googleapis.com/Cluster", map[string]any{
			"nodePools": []any{map[string]any{"name": "p", "config": map[string]any{"serviceAccount": "nodes@p.iam.gserviceaccount.com",
				"workloadMetadataConfig": map[string]any{"mode": "GCE_METADATA"}}}},
		}},
		{"load balancer pieces keep their references", `
resource "google_compute_target_https_proxy" "p" {
  url_map    = google_compute_url_map.m.id
  ssl_policy = google_compute_ssl_policy.s.id
}
resource "google_compute_url_map" "m" {
  default_service = "x"
}
resource "google_compute_ssl_policy" "s" {
  min_tls_version = "TLS_1_2"
}`, "google_compute_target_https_proxy.p", "compute.googleapis.com/TargetHttpsProxy", map[string]any{
			"urlMap": ref("google_compute_url_map.m", "id"), "sslPolicy": ref("google_compute_ssl_policy.s", "id"),
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
