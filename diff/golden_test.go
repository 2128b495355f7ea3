package diff_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/diff"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// exampleDiff compares the two versions of the e-commerce example.
func exampleDiff(t *testing.T) *diff.Diff {
	t.Helper()
	d := diff.Compare(
		testkit.AnalyzeDir(t, filepath.Join("..", "examples", "ecommerce"), testkit.Today),
		testkit.AnalyzeDir(t, filepath.Join("..", "examples", "ecommerce-v2"), testkit.Today))
	d.Old.Label, d.New.Label = "examples/ecommerce", "examples/ecommerce-v2"
	return d
}

var goldenExt = map[string]string{diff.Table: "txt", diff.JSON: "json", diff.Markdown: "md"}

func TestGolden(t *testing.T) {
	d := exampleDiff(t)
	for _, format := range diff.Formats() {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := diff.Write(&b, format, d, diff.Options{}); err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, filepath.Join("testdata", "ecommerce."+goldenExt[format]+".golden"), b.Bytes(), *update)
		})
	}
}

// TestExampleChanges pins what the example's second version changes, so
// the goldens cannot drift into showing something else.
func TestExampleChanges(t *testing.T) {
	d := exampleDiff(t)
	ids := func(ts []diff.Threat) []string {
		var out []string
		for _, th := range ts {
			out = append(out, th.ID)
		}
		return out
	}
	if got, want := ids(d.NewThreats), []string{"aws-lambda-unsupported-runtime@payment-service"}; !cmp.Equal(got, want) {
		t.Errorf("new threats %v, want %v", got, want)
	}
	if got, want := ids(d.Resolved), []string{"datastore-missing-audit-logging@fulfillment-queue"}; !cmp.Equal(got, want) {
		t.Errorf("resolved threats %v, want %v", got, want)
	}
	if got, want := ids(d.StatusChanged), []string{"aws-lambda-concurrency-exhaustion@order-service"}; !cmp.Equal(got, want) {
		t.Errorf("status changes %v, want %v", got, want)
	}
	if len(d.Reranked) == 0 || !d.Reranked[0].Raised() {
		t.Errorf("want threats raised by the new doomsday scenario, got %v", ids(d.Reranked))
	}
	var elements []string
	for _, e := range d.Elements {
		elements = append(elements, string(e.Change)+" "+string(e.Category)+" "+e.ID)
	}
	for _, want := range []string{
		"added component payment-service",
		"removed flow order-service-to-fulfillment-queue",
		"changed component fulfillment-queue",
		"changed mitigation drp-tests",
	} {
		if !strings.Contains(strings.Join(elements, "\n"), want) {
			t.Errorf("elements lack %q:\n%s", want, strings.Join(elements, "\n"))
		}
	}
	if got := d.MitigationStatuses; len(got) != 1 || got[0].ID != "drp-tests" || got[0].Old != model.Implemented || got[0].New != model.Verified {
		t.Errorf("mitigation statuses %+v, want drp-tests implemented → verified", got)
	}
}

// TestJSONShape checks the JSON document's keys and that empty lists are
// [] rather than null.
func TestJSONShape(t *testing.T) {
	for name, d := range map[string]*diff.Diff{"example": exampleDiff(t), "empty": diff.Compare(nil, nil)} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := diff.Write(&b, diff.JSON, d, diff.Options{}); err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{"schema_version", "old", "new", "feature", "summary", "threats", "mitigation_statuses", "elements"} {
				if _, ok := doc[key]; !ok {
					t.Errorf("document lacks %q", key)
				}
			}
			if strings.Contains(b.String(), "[]") == false && name == "empty" {
				t.Error("empty lists should encode as []")
			}
			threats, _ := doc["threats"].(map[string]any)
			for _, key := range []string{"new", "resolved", "reranked", "status_changed"} {
				if _, ok := threats[key].([]any); !ok {
					t.Errorf("threats.%s is %v, want a list", key, threats[key])
				}
			}
		})
	}
}
