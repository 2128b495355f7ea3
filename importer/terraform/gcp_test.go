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
		"gcp-iam-basic-roles@google_project_iam_member.ci",
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
