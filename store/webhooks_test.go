package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// notifyAll queues, for every webhook, the ids new since the previous
// version, and remembers what it was given.
type notifyAll struct{ previous []map[string]bool }

func (n *notifyAll) notify(findings []Finding) Notify {
	return func(v Version, previous map[string]bool, hooks []Webhook) (map[int64][]byte, error) {
		n.previous = append(n.previous, previous)
		var fresh []string
		for _, f := range findings {
			if !previous[f.ThreatID] {
				fresh = append(fresh, f.ThreatID)
			}
		}
		out := map[int64][]byte{}
		for _, h := range hooks {
			out[h.ID], _ = json.Marshal(map[string]any{"version": v.Seq, "threats": fresh})
		}
		return out, nil
	}
}

func TestWebhooksCRUD(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		_, p := seed(t, s)
		h, err := s.CreateWebhook(ctx, "user:ana@example.com", Webhook{ProjectID: p.ID, URL: "https://hooks.example.com/ward", Secret: "s3cret-s3cret", MinSeverity: "high"})
		if err != nil {
			t.Fatal(err)
		}
		hs, err := s.Webhooks(ctx, p.ID)
		if err != nil || len(hs) != 1 || hs[0].Secret != "s3cret-s3cret" || hs[0].CreatedBy != "user:ana@example.com" {
			t.Fatalf("webhooks = %+v, %v", hs, err)
		}
		if err := s.DeleteWebhook(ctx, "user:ana@example.com", p.ID+1, h.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleting another project's webhook: %v", err)
		}
		if _, err := s.Deliveries(ctx, p.ID+1, h.ID, 0); !errors.Is(err, ErrNotFound) {
			t.Errorf("listing another project's deliveries: %v", err)
		}
		if err := s.DeleteWebhook(ctx, "user:ana@example.com", p.ID, h.ID); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.Webhooks(ctx, p.ID); len(hs) != 0 {
			t.Errorf("deleted webhook still listed: %+v", hs)
		}
		es, _ := s.AuditOf(ctx, p.ID, fmt.Sprintf("webhook:%d", h.ID), 0)
		if len(es) != 2 || es[1].Action != "webhook.create" || es[0].Action != "webhook.delete" {
			t.Fatalf("audit = %+v", es)
		}
		for _, e := range es {
			if e.Before+e.After == "" || strings.Contains(e.Before+e.After, "s3cret") {
				t.Errorf("audit entry %s: before %q after %q", e.Action, e.Before, e.After)
			}
		}
	})
}

func TestAddVersionNotify(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		_, p := seed(t, s)
		n := &notifyAll{}
		// No webhooks: nothing to plan.
		if _, err := s.AddVersionNotify(ctx, "ana", Version{ProjectID: p.ID, Archive: []byte{1}, Summary: "{}"}, findings(3, "open"), n.notify(findings(3, "open"))); err != nil {
			t.Fatal(err)
		}
		if len(n.previous) != 0 {
			t.Fatalf("notify called without webhooks")
		}
		h, _ := s.CreateWebhook(ctx, "ana", Webhook{ProjectID: p.ID, URL: "https://x.example", Secret: "k", MinSeverity: "low"})
		v2, err := s.AddVersionNotify(ctx, "ana", Version{ProjectID: p.ID, Archive: []byte{1}, Summary: "{}"}, findings(5, "open"), n.notify(findings(5, "open")))
		if err != nil {
			t.Fatal(err)
		}
		if v2.Seq != 2 || len(n.previous) != 1 || len(n.previous[0]) != 3 {
			t.Fatalf("version %d, previous sets %v", v2.Seq, n.previous)
		}
		ds, err := s.Deliveries(ctx, p.ID, h.ID, 0)
		if err != nil || len(ds) != 1 {
			t.Fatalf("deliveries = %+v, %v", ds, err)
		}
		var got struct{ Threats []string }
		json.Unmarshal(ds[0].Payload, &got)
		if diff := cmp.Diff([]string{"rule-3@c3", "rule-4@c4"}, got.Threats); diff != "" {
			t.Errorf("new threats (-want +got):\n%s", diff)
		}
		if ds[0].State != Pending || ds[0].Attempts != 0 {
			t.Errorf("fresh delivery = %+v", ds[0])
		}
		// A failing plan rolls the version back.
		boom := errors.New("boom")
		_, err = s.AddVersionNotify(ctx, "ana", Version{ProjectID: p.ID, Archive: []byte{1}, Summary: "{}"}, nil,
			func(Version, map[string]bool, []Webhook) (map[int64][]byte, error) { return nil, boom })
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if v, _ := s.VersionOf(ctx, p.ID, 0); v.Seq != 2 {
			t.Errorf("latest version = %d after a failed plan, want 2", v.Seq)
		}
	})
}

// queue makes a project with one webhook and n pending deliveries.
func queue(t *testing.T, s *Store, n int) Webhook {
	t.Helper()
	ctx := context.Background()
	_, p := seed(t, s)
	h, err := s.CreateWebhook(ctx, "ana", Webhook{ProjectID: p.ID, URL: "https://x.example", Secret: "k", MinSeverity: "low"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		fs := []Finding{{ThreatID: fmt.Sprintf("t-%d", i), Severity: "high"}}
		if _, err := s.AddVersionNotify(ctx, "ana", Version{ProjectID: p.ID, Archive: []byte{1}, Summary: "{}"}, fs, (&notifyAll{}).notify(fs)); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func TestClaimAndFinish(t *testing.T) {
	each(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		h := queue(t, s, 2)
		cs, err := s.ClaimDeliveries(ctx, 10, time.Minute)
		if err != nil || len(cs) != 2 {
			t.Fatalf("claims = %+v, %v", cs, err)
		}
		if cs[0].URL != h.URL || cs[0].Secret != "k" || cs[0].Attempts != 1 {
			t.Errorf("claim = %+v", cs[0])
		}
		if again, _ := s.ClaimDeliveries(ctx, 10, time.Minute); len(again) != 0 {
			t.Fatalf("claimed deliveries were claimed again within the lease: %+v", again)
		}
		if err := s.FinishDelivery(ctx, cs[0], Outcome{Delivered: true, ResponseCode: 204}); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishDelivery(ctx, cs[1], Outcome{ResponseCode: 500, Error: "HTTP 500", RetryIn: 30 * time.Second}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(29 * time.Second)
		if again, _ := s.ClaimDeliveries(ctx, 10, time.Minute); len(again) != 0 {
			t.Fatalf("retried before its time: %+v", again)
		}
		now = now.Add(time.Second)
		retry, _ := s.ClaimDeliveries(ctx, 10, time.Minute)
		if len(retry) != 1 || retry[0].ID != cs[1].ID || retry[0].Attempts != 2 {
			t.Fatalf("retry = %+v", retry)
		}
		// The worker dies; once the lease runs out another takes over and
		// the first worker's late answer is refused.
		now = now.Add(time.Minute)
		taken, _ := s.ClaimDeliveries(ctx, 10, time.Minute)
		if len(taken) != 1 || taken[0].Attempts != 3 {
			t.Fatalf("after the lease: %+v", taken)
		}
		if err := s.FinishDelivery(ctx, retry[0], Outcome{Delivered: true}); !errors.Is(err, ErrNotFound) {
			t.Errorf("stale claim finished: %v", err)
		}
		if err := s.FinishDelivery(ctx, taken[0], Outcome{Error: "HTTP 500", ResponseCode: 500, GiveUp: true}); err != nil {
			t.Fatal(err)
		}
		ds, _ := s.Deliveries(ctx, h.ProjectID, h.ID, 0)
		want := map[int64]DeliveryState{cs[0].ID: Delivered, cs[1].ID: Failed}
		for _, d := range ds {
			if d.State != want[d.ID] {
				t.Errorf("delivery %d is %s, want %s", d.ID, d.State, want[d.ID])
			}
			if d.State == Failed && (d.Attempts != 3 || d.LastError != "HTTP 500" || d.ResponseCode != 500 || !d.NextAt.IsZero()) {
				t.Errorf("failed delivery = %+v", d)
			}
		}
		if more, _ := s.ClaimDeliveries(ctx, 10, time.Minute); len(more) != 0 {
			t.Errorf("finished deliveries claimed: %+v", more)
		}
	})
}

// TestClaimConcurrently has servers sharing one database claim at once:
// every delivery must be claimed exactly once.
func TestClaimConcurrently(t *testing.T) {
	for d, dsn := range dsns(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			var stores []*Store
			for range 4 {
				s, err := Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				stores = append(stores, s)
			}
			const n = 40
			queue(t, stores[0], n)
			var mu sync.Mutex
			seen := map[int64]int{}
			var wg sync.WaitGroup
			for _, s := range stores {
				for range 2 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							cs, err := s.ClaimDeliveries(ctx, 3, time.Hour)
							if err != nil {
								t.Error(err)
								return
							}
							if len(cs) == 0 {
								return
							}
							mu.Lock()
							for _, c := range cs {
								seen[c.ID]++
							}
							mu.Unlock()
						}
					}()
				}
			}
			wg.Wait()
			if len(seen) != n {
				t.Errorf("%d deliveries claimed, want %d", len(seen), n)
			}
			for id, k := range seen {
				if k != 1 {
					t.Errorf("delivery %d claimed %d times", id, k)
				}
			}
		})
	}
}
