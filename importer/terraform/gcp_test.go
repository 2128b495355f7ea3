package terraform_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/yamlout"
	"github.com/wardsec/ward/model"
)

// TestGCPGolden imports the Google Cloud fixtures and compares the written
// model and warnings with testdata/golden/NAME.ward.yaml; -update
// rewrites them.
func TestGCPGolden(t *testing.T) {
	for _, name := range []string{"gcp-app", "gcp-app-fixed"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			res := importPath(t, path)
			got, err := yamlout.Marshal(res.Model, "terraform", filepath.ToSlash(path))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := model.ParseBytes(path, got); err != nil {
				t.Fatalf("written model does not load: %v\n%s", err, got)
			}
			got = append(got, "\n# warnings:\n"...)
			for _, w := range res.Warnings {
				got = append(got, "# "+w.Pos.String()+": "+w.Message+"\n"...)
			}
			golden := filepath.Join("testdata", "golden", name+".ward.yaml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./importer/terraform -update)", err)
			}
			if string(want) != string(got) {
				t.Errorf("model differs from %s; run with -update if the change is right\ngot:\n%s", golden, got)
			}
		})
	}
}

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
	bad := analyze(t, "testdata/gcp-app")
	for _, id := range want {
		if !slices.Contains(bad, id) {
			t.Errorf("gcp-app: missing threat %s; got %v", id, bad)
		}
	}
	good := analyze(t, "testdata/gcp-app-fixed")
	for _, id := range want {
		if slices.Contains(good, id) {
			t.Errorf("gcp-app-fixed: still raises %s", id)
		}
	}
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
