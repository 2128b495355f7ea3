package terraform_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/importer/yamlout"
	"github.com/wardsec/ward/model"
)

// TestAzureGolden imports the Azure fixtures and compares the written
// model and warnings with testdata/golden/NAME.ward.yaml; -update
// rewrites them.
func TestAzureGolden(t *testing.T) {
	for _, name := range []string{"azure-app", "azure-app-fixed"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			res := importPath(t, path)
			got, err := yamlout.Marshal(res.Model, terraform.Name, filepath.ToSlash(path))
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

// TestAzureMisconfigurationsFound checks that each deliberate mistake of
// azure-app raises its threat and the fixed twin raises none of them.
func TestAzureMisconfigurationsFound(t *testing.T) {
	want := []string{
		"azure-storage-account-anonymous-blob-access@azurerm_storage_account.assets",
		"azure-sql-database-allow-azure-services@azurerm_mssql_server.main",
		"azure-key-vault-no-purge-protection@azurerm_key_vault.main",
		"azure-nsg-inbound-from-internet@azurerm_network_security_group.vms",
		"azure-app-service-http-allowed@azurerm_linux_web_app.web",
	}
	bad := analyze(t, "testdata/azure-app")
	for _, id := range want {
		if !slices.Contains(bad, id) {
			t.Errorf("azure-app: missing threat %s; got %v", id, bad)
		}
	}
	good := analyze(t, "testdata/azure-app-fixed")
	for _, id := range want {
		if slices.Contains(good, id) {
			t.Errorf("azure-app-fixed: still raises %s", id)
		}
	}
}

// TestMixedProviders checks that a configuration of AWS and Azure
// resources yields one model with both, and one internet.
func TestMixedProviders(t *testing.T) {
	dir := t.TempDir()
	src := `
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
resource "azurerm_linux_web_app" "web" {
  name       = "web"
  https_only = true
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importPath(t, dir)
	kinds := map[string]model.Kind{}
	internets := 0
	for _, c := range res.Model.Components {
		kinds[c.ID] = c.Kind
		if c.ID == "internet" {
			internets++
		}
	}
	if kinds["aws_s3_bucket.logs"] != "aws.s3" || kinds["azurerm_linux_web_app.web"] != "azure.app-service" || internets != 1 {
		t.Errorf("components %v, %d internet entities; want the bucket, the app and one internet", kinds, internets)
	}
	zones := map[string]int{}
	for _, z := range res.Model.Zones {
		zones[z.ID]++
	}
	if zones["internet"] != 1 || zones["aws-account"] != 1 || zones["azure-subscription"] != 1 {
		t.Errorf("zones %v; want internet once, aws-account and azure-subscription", zones)
	}
}

// TestAzurePlanJSON checks that azurerm resources of a plan take the
// Azure mapping too.
func TestAzurePlanJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	plan := `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "azurerm_key_vault.main", "mode": "managed", "type": "azurerm_key_vault", "name": "main",
   "values": {"name": "kv", "purge_protection_enabled": false, "public_network_access_enabled": false}}
]}}}`
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importPath(t, path)
	var kv *model.Component
	for _, c := range res.Model.Components {
		if c.ID == "azurerm_key_vault.main" {
			kv = c
		}
	}
	if kv == nil || kv.Kind != "azure.key-vault" {
		t.Fatalf("components %v; want the vault as azure.key-vault", res.Model.Components)
	}
	got := map[string]any{}
	for _, p := range kv.Properties {
		got[p.Name] = p.Value
	}
	if got["azure_purge_protection"] != false || got["network_restricted"] != true {
		t.Errorf("vault props %v; want no purge protection and a restricted network", got)
	}
}
