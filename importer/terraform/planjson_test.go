package terraform_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/model"
)

const planFixture = "testdata/plan/plan.json"

// TestPlanThreats checks that the plan's mistakes raise their threats and
// the encrypted replica in a child module does not.
func TestPlanThreats(t *testing.T) {
	got := analyze(t, planFixture)
	for _, id := range []string{
		"aws-s3-public-read@aws_s3_bucket.assets",
		"aws-security-group-admin-ports-open@aws_security_group.bastion",
		"datastore-unencrypted-at-rest@aws_db_instance.main",
	} {
		if !slices.Contains(got, id) {
			t.Errorf("no threat %s; got %v", id, got)
		}
	}
	for _, id := range got {
		if strings.HasPrefix(id, "datastore-unencrypted-at-rest@module.data") {
			t.Errorf("encrypted replica raises %s", id)
		}
	}
}

// TestPlanReferences checks that ids and ARNs become references: the
// event source mapping's queue and function make a flow.
func TestPlanReferences(t *testing.T) {
	m := importPath(t, planFixture).Model
	for _, f := range m.Flows {
		if f.From.ID == "aws_sqs_queue.jobs" && f.To.ID == "aws_lambda_function.worker" {
			return
		}
	}
	t.Errorf("no flow aws_sqs_queue.jobs -> aws_lambda_function.worker; flows: %+v", m.Flows)
}

func writeJSON(t testing.TB, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStateJSON(t *testing.T) {
	path := writeJSON(t, `{"format_version":"1.0","terraform_version":"1.9.0","values":{"root_module":{"resources":[
		{"address":"aws_db_instance.main","mode":"managed","type":"aws_db_instance","name":"main",
		 "values":{"id":"db-1","identifier":"acme","engine":"postgres","storage_encrypted":false}}]}}}`)
	c := importPath(t, path).Model.Component("aws_db_instance.main")
	if c == nil {
		t.Fatal("no aws_db_instance.main component")
	}
	if p, _ := c.Properties.Get("encrypted_at_rest"); p.Value != false {
		t.Errorf("encrypted_at_rest = %v, want false", p.Value)
	}
}

func TestMalformedJSON(t *testing.T) {
	for body, want := range map[string]string{
		"{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {,\n}": "plan.json:3:22",
		`{"values": {}}`:                        `no "format_version"`,
		`{"format_version": "1.2", "other": 1}`: `neither "planned_values" nor "values"`,
		`{"format_version": "1.2", "planned_values": {"root_module": {"resources": 3}}}`: "cannot unmarshal",
	} {
		_, err := terraform.New().Import(writeJSON(t, body))
		if !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%q: error %v does not wrap ErrInvalid", body, err)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %q lacks %q", body, err, want)
		}
	}
}

// BenchmarkImportPlanJSON imports a generated plan of 10,000 resources.
func BenchmarkImportPlanJSON(b *testing.B) {
	var resources []map[string]any
	for i := range 2500 {
		bucket := fmt.Sprintf("bucket-%d", i)
		queueARN := fmt.Sprintf("arn:aws:sqs:us-east-1:1:q%d", i)
		fnARN := fmt.Sprintf("arn:aws:lambda:us-east-1:1:function:f%d", i)
		resources = append(resources,
			res("aws_s3_bucket", i, map[string]any{"id": bucket, "arn": "arn:aws:s3:::" + bucket, "bucket": bucket}),
			res("aws_sqs_queue", i, map[string]any{"id": "https://q/" + bucket, "arn": queueARN, "name": bucket}),
			res("aws_lambda_function", i, map[string]any{"id": bucket, "arn": fnARN, "function_name": bucket}),
			res("aws_lambda_event_source_mapping", i, map[string]any{"id": fmt.Sprint(i), "event_source_arn": queueARN, "function_name": fnARN}),
		)
	}
	data, err := json.Marshal(map[string]any{
		"format_version": "1.2",
		"planned_values": map[string]any{"root_module": map[string]any{"resources": resources}},
	})
	if err != nil {
		b.Fatal(err)
	}
	path := writeJSON(b, string(data))
	b.ResetTimer()
	for b.Loop() {
		if _, err := terraform.New().Import(path); err != nil {
			b.Fatal(err)
		}
	}
}

func res(typ string, i int, values map[string]any) map[string]any {
	return map[string]any{"address": fmt.Sprintf("%s.r%d", typ, i), "mode": "managed", "type": typ, "name": fmt.Sprintf("r%d", i), "values": values}
}

// TestPlanPositions checks components point at their resource's
// "address" in the JSON, child modules included.
func TestPlanPositions(t *testing.T) {
	m := importPath(t, planFixture).Model
	for id, at := range map[string][2]int{"aws_s3_bucket.assets": {8, 22}, "module.data.aws_db_instance.replica-0": {191, 26}} {
		c := m.Component(id)
		if c == nil {
			t.Fatalf("no %s component", id)
		}
		if c.Pos.File != planFixture || c.Pos.Line != at[0] || c.Pos.Col != at[1] {
			t.Errorf("%s at %s, want %s:%d:%d", id, c.Pos, planFixture, at[0], at[1])
		}
	}
}
