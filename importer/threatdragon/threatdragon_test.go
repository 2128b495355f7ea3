package threatdragon_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/threatdragon"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

var today = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func importer1(t *testing.T, path string) *importer.Result {
	t.Helper()
	im := &threatdragon.Importer{Now: func() time.Time { return today }}
	res, err := im.Import(path)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func parse(input string) (*importer.Result, error) {
	im := &threatdragon.Importer{Now: func() time.Time { return today }}
	return im.Parse("td.json", []byte(input))
}

func TestSource(t *testing.T) {
	src := threatdragon.New()
	if got := src.Name(); got != "threatdragon" {
		t.Errorf("Name() = %q, want threatdragon", got)
	}
}

func TestImportGolden(t *testing.T) {
	res := importer1(t, filepath.Join("testdata", "webshop.json"))
	testkit.Golden(t, filepath.Join("testdata", "golden", "webshop.txt"), []byte(importtest.Dump(res)), *update)
	importtest.CheckModel(t, res.Model)
}

func TestAnalyze(t *testing.T) {
	res := importer1(t, filepath.Join("testdata", "webshop.json"))
	out := testkit.Analyze(t, res.Model, today)
	got := map[string]string{}
	for _, th := range out.Threats {
		if th.Rule == "" {
			got[th.ID] = string(th.Status) + " " + string(th.Severity)
		}
	}
	want := map[string]string{
		"customer-credential-stuffing-against-customer-accounts":   "open high",
		"web-shop-cross-site-scripting-in-product-reviews":         "mitigated medium",
		"web-shop-checkout-actions-not-logged":                     "accepted low",
		"web-shop-price-tampering-in-the-cart":                     "open critical",
		"payment-service-card-data-in-application-logs":            "open high",
		"orders-db-database-backups-readable-by-all-staff":         "open medium",
		"audit-log-audit-log-can-be-rewritten":                     "open medium",
		"customer-to-web-shop-session-hijacking-over-public-wi-fi": "mitigated high",
		"payment-service-to-orders-db-orders-read-on-the-network":  "open medium",
		"admin-portal-administrator-session-fixation":              "open medium",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hand-written threats (-want +got):\n%s", diff)
	}
	if len(out.Threats) <= len(want) {
		t.Errorf("the library found no threats of its own on the imported model")
	}
}

func TestZones(t *testing.T) {
	res := importer1(t, filepath.Join("testdata", "webshop.json"))
	m := res.Model
	want := map[string]string{
		"customer":        "",
		"web-shop":        "cloud-account",
		"payment-service": "private-subnet",
		"orders-db":       "private-subnet",
		"audit-log":       "cloud-account",
		"admin-portal":    "office-network",
	}
	for id, zone := range want {
		c := m.Component(id)
		if c == nil {
			t.Errorf("no component %s", id)
			continue
		}
		if c.Zone.ID != zone {
			t.Errorf("component %s is in zone %q, want %q", id, c.Zone.ID, zone)
		}
	}
	if z := m.Zone("private-subnet"); z == nil || z.Parent.ID != "cloud-account" || z.Trust != model.TrustHigh {
		t.Errorf("private-subnet = %+v, want trust high inside cloud-account", z)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"syntax", "{\n  \"summary\": {\"title\": \"x\",}\n}\n", "td.json:2:"},
		{"type", "{\n  \"summary\": {\"title\": 5}\n}\n", "td.json:2:24: summary.title must be a JSON string"},
		{"not an object", "[1, 2]", "td.json:1:1: the model must be a JSON object"},
		{"truncated", "{\"detail\": {\"diagrams\": [", "td.json:1:"},
		{"empty", "  \n", "td.json:1:1: the file is empty"},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100), "nested more than 64 levels deep"},
		{"version 1", `{"summary": {"title": "t"}, "detail": {"diagrams": [{"diagramJson": {"cells": []}}]}}`, "td.json:1:53: this is a version 1 model"},
		{"trailing", `{} {}`, "td.json:1:"},
		{"string type", "{\"detail\": {\"reviewer\": \"a\", \"diagrams\": [{\"cells\": [{\"id\": \"x\", \"data\": {\"name\": [\"q\\\"\"]}}]}]}}", "td.json:1:83: detail.diagrams.cells.data.name must be a JSON string, not array"},
		{"number as string", "{\"summary\": {\"owner\": \"a\", \"title\": \"b\\\"c\"}, \"detail\": {\"diagrams\": [{\"cells\": [{\"position\": {\"x\": \"1\\\"2\"}}]}]}}", "td.json:1:100: detail.diagrams.cells.position.x must be a JSON number, not string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(tc.input)
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

func TestVersion1Sentinel(t *testing.T) {
	_, err := parse(`{"detail": {"diagrams": [{"diagramJson": {"cells": []}}]}}`)
	if !errors.Is(err, threatdragon.ErrVersion1) {
		t.Errorf("error %v does not wrap ErrVersion1", err)
	}
}

func TestTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(path, []byte(strings.Repeat(" ", threatdragon.MaxBytes+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := threatdragon.New().Import(path)
	if err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Errorf("Import of an oversized file: %v, want a size error", err)
	}
}
