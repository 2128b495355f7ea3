package threagile_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/threagile"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

var today = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func importFile(t *testing.T, path string) *importer.Result {
	t.Helper()
	im := &threagile.Importer{Now: func() time.Time { return today }}
	res, err := im.Import(path)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func TestSource(t *testing.T) {
	src := threagile.New()
	if got := src.Name(); got != "threagile" {
		t.Errorf("Name() = %q, want threagile", got)
	}
}

func TestImportGolden(t *testing.T) {
	res := importFile(t, filepath.Join("testdata", "webshop.yaml"))
	testkit.Golden(t, filepath.Join("testdata", "golden", "webshop.txt"), []byte(importtest.Dump(res)), *update)
	importtest.CheckModel(t, res.Model)
}

func TestPositionsNameTheSource(t *testing.T) {
	res := importFile(t, filepath.Join("testdata", "webshop.yaml"))
	for _, c := range res.Model.Components {
		if c.Pos.Source != "threagile" || c.Pos.Line == 0 || !strings.HasSuffix(c.Pos.File, "webshop.yaml") {
			t.Errorf("component %s has position %+v, want a line in webshop.yaml from threagile", c.ID, c.Pos)
		}
	}
}

func TestAnalyze(t *testing.T) {
	res := importFile(t, filepath.Join("testdata", "webshop.yaml"))
	out := testkit.Analyze(t, res.Model, today)
	got := map[string]engine.Status{}
	for _, th := range out.Threats {
		if th.Rule == "" {
			got[th.ID] = th.Status
		}
	}
	want := map[string]engine.Status{
		"sql-nosql-injection-order-api-shop-database":                                              engine.Mitigated,
		"missing-authentication-second-factor-web-frontend-sign-in-web-frontend-identity-provider": engine.MitigationPlanned,
		"unencrypted-communication-load-balancer-web-traffic-load-balancer-web-frontend":           engine.Accepted,
		"cross-site-request-forgery-web-frontend-customer-browser-shop-traffic":                    engine.Accepted,
		"missing-waf-load-balancer":     engine.Open,
		"coupon-abuse-order-api":        engine.Open,
		"xml-external-entity-order-api": engine.Open,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hand-written threat statuses (-want +got):\n%s", diff)
	}
	if len(out.Threats) <= len(want) {
		t.Errorf("the library found no threats of its own on the imported model")
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"not yaml", "title: t\n  bad: indent\n", "bad.yaml:2:1: invalid YAML: mapping values are not allowed"},
		{"not a mapping", "- a\n- b\n", "bad.yaml:1:1: expected a mapping"},
		{"assets not a mapping", "title: t\ndata_assets: [a, b]\n", "bad.yaml:2:14: data_assets must be a mapping"},
		{"bad flag", "title: t\ntechnical_assets:\n  A:\n    id: a\n    type: process\n    internet: maybe\n", "bad.yaml:6:15: internet must be true or false"},
		{"empty", "", "bad.yaml:1:1: the file is empty"},
		{"too deep", "a: " + strings.Repeat("[", 70) + strings.Repeat("]", 70) + "\n", "bad.yaml:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := threagile.New().(*threagile.Importer).Parse("bad.yaml", []byte(tc.input))
			if err == nil {
				t.Fatalf("Parse succeeded, want an error containing %q", tc.want)
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Errorf("error %v does not wrap model.ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte(strings.Repeat("#", threagile.MaxBytes+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := threagile.New().Import(path)
	if err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Errorf("Import of an oversized file: %v, want a size error", err)
	}
}
