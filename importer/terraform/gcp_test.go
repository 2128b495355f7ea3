package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/model"
)

// TestGCPMisconfigurationsFound checks that each deliberate mistake of
// gcp-app raises its threat and the fixed twin raises none of them.
func TestGCPMisconfigurationsFound(t *testing.T) {
	want := []string{
		"gcp-cloud-storage-public-access@google_storage_bucket.assets",
		"datastore-network-exposed@google_sql_database_instance.main",
		"datastore-no-backups@google_sql_database_instance.main",
		"process-missing-authentication@google_cloud_run_v2_service.web",
		"gcp-vpc-firewall-open-to-internet@google_compute_firewall.ssh",
		"gcp-compute-engine-directly-exposed@google_compute_instance.bastion",
		"gcp-cloud-run-default-service-account@google_cloud_run_v2_service.web",
		"gcp-kms-no-rotation@google_kms_crypto_key.data",
		"gcp-iam-basic-roles@projects-p",
		"gcp-iam-project-level-impersonation@projects-p",
		"gcp-iam-user-managed-service-account-keys@google_service_account.ci",
		"gcp-compute-engine-metadata-ssh-keys@google_compute_instance.bastion",
		"gcp-load-balancer-no-cloud-armor@google_compute_global_forwarding_rule.web",
		"gcp-load-balancer-weak-ssl-policy@google_compute_global_forwarding_rule.web",
		"gcp-cloud-run-load-balancer-bypass@google_cloud_run_v2_service.web",
		"gcp-pubsub-public-iam@google_pubsub_topic.orders",
		"gcp-pubsub-unauthenticated-push@google_pubsub_topic.orders",
		"gcp-pubsub-no-dead-letter-topic@google_pubsub_topic.orders",
		"datastore-unauthenticated-access@google_redis_instance.cache",
		"gcp-bigquery-public-dataset@google_bigquery_dataset.analytics",
		"gcp-gke-node-credentials-from-metadata@google_container_cluster.main",
		"gcp-gke-public-control-plane@google_container_cluster.main",
		"gcp-cloud-sql-builtin-user-passwords@google_sql_database_instance.main",
	}
	checkTwins(t, "testdata/gcp-app", "testdata/gcp-app-fixed", want)
}

// TestGCPWarnings checks that SSH open to the internet is reported.
func TestGCPWarnings(t *testing.T) {
	res := importPath(t, filepath.Join("testdata", "gcp-app"))
	var text []string
	for _, w := range res.Warnings {
		text = append(text, w.Message)
	}
	if all := strings.Join(text, "\n"); !strings.Contains(all, "google_compute_firewall.ssh: admits remote administration (port 22)") {
		t.Errorf("warnings %q; want the open SSH port reported", all)
	}
}

// TestMixedProvidersGoogle checks that AWS and Google resources of one
// configuration land in one model with one internet.
func TestMixedProvidersGoogle(t *testing.T) {
	dir := t.TempDir()
	src := `
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
resource "google_storage_bucket" "assets" {
  name = "assets"
}
resource "google_storage_bucket_iam_member" "public" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importPath(t, dir)
	kinds := map[string]model.Kind{}
	for _, c := range res.Model.Components {
		kinds[c.ID] = c.Kind
	}
	if kinds["aws_s3_bucket.logs"] != "aws.s3" || kinds["google_storage_bucket.assets"] != "gcp.cloud-storage" || kinds["internet"] == "" {
		t.Errorf("components %v; want the S3 bucket, the Cloud Storage bucket and the internet", kinds)
	}
	if _, folded := kinds["google_storage_bucket_iam_member.public"]; folded {
		t.Error("the IAM member became a component; want it folded into its bucket")
	}
}

// TestGCPProjectGrantsMerged checks that the project-level grants of one
// project make one component, whatever resource wrote them.
func TestGCPProjectGrantsMerged(t *testing.T) {
	m := importPath(t, filepath.Join("testdata", "gcp-app")).Model
	var projects []string
	for _, c := range m.Components {
		if c.Kind == "gcp.iam" && strings.HasPrefix(c.ID, "projects-") {
			projects = append(projects, c.ID)
		}
	}
	if len(projects) != 1 || projects[0] != "projects-p" {
		t.Fatalf("project components %v; want projects-p alone", projects)
	}
	for _, id := range []string{"google_project_iam_member.ci", "google_project_iam_binding.developers"} {
		if m.Component(id) != nil {
			t.Errorf("%s became a component; want it merged into its project", id)
		}
	}
}
