package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/internal/testkit"
)

func TestForFeature(t *testing.T) {
	res := testkit.AnalyzeExample(t)
	fulfil, err := res.ForFeature("fulfillment")
	if err != nil {
		t.Fatal(err)
	}
	if len(fulfil.Threats) == 0 || len(fulfil.Threats) >= len(res.Threats) {
		t.Fatalf("fulfillment has %d of %d threats; want some but not all", len(fulfil.Threats), len(res.Threats))
	}
	inFeature := map[string]bool{"order-service": true, "fulfillment-queue": true, "warehouse": true,
		"order-service-to-fulfillment-queue": true, "fulfillment-queue-to-warehouse": true}
	for _, th := range fulfil.Threats {
		if !inFeature[th.Target] {
			t.Errorf("threat %s on %s is not in the fulfillment feature", th.ID, th.Target)
		}
	}
	var sawQueue bool
	for _, th := range fulfil.Threats {
		sawQueue = sawQueue || th.ID == "queue-message-tampering@fulfillment-queue"
	}
	if !sawQueue {
		t.Error("fulfillment lost the queue tampering threat")
	}

	_, err = res.ForFeature("payments")
	if !errors.Is(err, engine.ErrUnknownFeature) || !strings.Contains(err.Error(), "known: checkout, fulfillment") {
		t.Errorf("unknown feature: got %v, want ErrUnknownFeature naming the known features", err)
	}
}
