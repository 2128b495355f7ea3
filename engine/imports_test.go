package engine_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
	"github.com/wardsec/ward/model"
)

func analyzePath(t *testing.T, path string) *engine.Result {
	t.Helper()
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res := testkit.Analyze(t, m, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	return res
}

func TestChainedThreats(t *testing.T) {
	payments := analyzePath(t, "../examples/chained/payments")
	storefront := analyzePath(t, "../examples/chained/storefront")
	targets := map[string]int{}
	for _, th := range payments.Threats {
		targets[th.Target]++
	}
	if targets["payments"] == 0 || targets["shop.cart"] == 0 {
		t.Errorf("payments shows no threats of its own or of the cart it uses: %v", targets)
	}
	for _, unused := range []string{"shop.catalog", "shop.api", "platform.identity"} {
		if targets[unused] > 0 {
			t.Errorf("payments shows threats of %s, which it does not use", unused)
		}
	}
	// The cart's threats are the same in both models that show them.
	inStorefront := map[string]engine.Status{}
	for _, th := range storefront.Threats {
		if th.Target == "cart" {
			inStorefront[th.Rule] = th.Status
		}
	}
	for _, th := range payments.Threats {
		if th.Target != "shop.cart" {
			continue
		}
		st, ok := inStorefront[th.Rule]
		if !ok || st != th.Status {
			t.Errorf("%s: %s in payments, %q in the storefront", th.ID, th.Status, st)
		}
	}
}

func TestImportedMitigationsStayHome(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The platform answers a rule for all its own processes, and names a
	// threat of an element the product does not use.
	write("platform.ward.yaml", `title: platform
components:
  - {id: worker, kind: process}
  - {id: batch, kind: process}
mitigations:
  - {id: logs, title: Central audit logging, kind: fix, status: implemented, rules: [process-missing-audit-logging]}
  - {id: batch-fix, title: Batch fix, kind: fix, status: planned, threats: [process-injection@batch]}
`)
	write("product.ward.yaml", `title: product
imports: [{as: p, path: platform.ward.yaml}]
components:
  - {id: user, kind: browser}
  - {id: api, kind: process}
flows:
  - {from: user, to: api}
  - {from: api, to: p.worker}
`)
	res := analyzePath(t, filepath.Join(dir, "product.ward.yaml"))
	status := map[string]engine.Status{}
	for _, th := range res.Threats {
		status[th.ID] = th.Status
	}
	if s := status["process-missing-audit-logging@p.worker"]; s != engine.Mitigated {
		t.Errorf("the platform's own worker: %q, want mitigated by the platform", s)
	}
	if s := status["process-missing-audit-logging@api"]; s != engine.Open {
		t.Errorf("the product's api: %q, want open: the platform's answer covers only the platform", s)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings about the platform's own answers: %v", res.Warnings)
	}
}
