package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/store"
	"github.com/wardsec/ward/synth"
)

// receiver is a webhook endpoint that records what it is sent and answers
// with the status answer gives for the n-th request (0-based).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	answer func(n int) int
	delay  time.Duration
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, answer func(n int) int) *receiver {
	rc := &receiver{answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		time.Sleep(rc.delay)
		rc.mu.Lock()
		n := len(rc.got)
		rc.got = append(rc.got, received{r.Header.Clone(), body})
		rc.mu.Unlock()
		code := rc.answer(n)
		w.WriteHeader(code)
		fmt.Fprintf(w, "answer %d to request %d", code, n)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

func always(code int) func(int) int { return func(int) int { return code } }

// clock is a settable time for the store, safe across goroutines.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// webhookEnv is a server with project "shop", its admin, and a store
// clock the test moves; deliverer sends with a fixed one-minute backoff.
func webhookEnv(t *testing.T, e *env) (*client, *clock, *deliverer) {
	t.Helper()
	admin := e.user("admin@example.com", false)
	if _, err := e.store.CreateProject(context.Background(), "test", store.Project{Slug: "shop", Name: "Shop"}, admin.id); err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	e.store.SetClock(clk.Now)
	d := e.srv.newDeliverer()
	d.backoff = func(int) time.Duration { return time.Minute }
	return admin, clk, d
}

type createdWebhook struct {
	Webhook store.Webhook `json:"webhook"`
	Secret  string        `json:"secret"`
}

func (c *client) addWebhook(url, minSeverity, secret string) createdWebhook {
	c.e.t.Helper()
	var out createdWebhook
	c.decode("POST", "/api/projects/shop/webhooks", map[string]string{"url": url, "min_severity": minSeverity, "secret": secret}, 201, &out)
	return out
}

func (c *client) deliveries(id int64) []store.Delivery {
	c.e.t.Helper()
	var ds []store.Delivery
	c.decode("GET", fmt.Sprintf("/api/projects/shop/webhooks/%d/deliveries", id), nil, 200, &ds)
	return ds
}

// deliver runs one round and checks how many deliveries it claimed.
func deliver(t *testing.T, d *deliverer, want int) {
	t.Helper()
	n, err := d.deliverDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("claimed %d deliveries, want %d", n, want)
	}
}

func TestWebhookEndpoints(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		admin, _, _ := webhookEnv(t, e)
		for _, bad := range []map[string]string{
			{"url": ""},
			{"url": "ftp://files.example.com/in"},
			{"url": "hooks.example.com/ward"},
			{"url": "https://"},
			{"url": "https://user:pw@hooks.example.com/"},
			{"url": "https://hooks.example.com/#x"},
			{"url": "https://hooks.example.com/", "min_severity": "severe"},
			{"url": "https://hooks.example.com/", "secret": "short"},
		} {
			if resp, body := admin.do("POST", "/api/projects/shop/webhooks", bad); resp.StatusCode != 400 {
				t.Errorf("POST %v = %d, want 400: %s", bad, resp.StatusCode, body)
			}
		}
		var made createdWebhook
		admin.decode("POST", "/api/projects/shop/webhooks", map[string]string{"url": "https://hooks.example.com/ward?team=sec"}, 201, &made)
		if made.Webhook.MinSeverity != "high" || !strings.HasPrefix(made.Secret, "whsec_") || len(made.Secret) < 40 {
			t.Errorf("created = %+v", made)
		}
		resp, body := admin.do("GET", "/api/projects/shop/webhooks", nil)
		if resp.StatusCode != 200 || bytes.Contains(body, []byte(made.Secret)) || !bytes.Contains(body, []byte("hooks.example.com")) {
			t.Errorf("list = %d %s", resp.StatusCode, body)
		}
		if ds := admin.deliveries(made.Webhook.ID); len(ds) != 0 {
			t.Errorf("deliveries of a new webhook: %+v", ds)
		}
		for path, code := range map[string]int{"/webhooks/x/deliveries": 400, "/webhooks/999/deliveries": 404,
			fmt.Sprintf("/webhooks/%d/deliveries?limit=0", made.Webhook.ID): 400} {
			if resp, body := admin.do("GET", "/api/projects/shop"+path, nil); resp.StatusCode != code {
				t.Errorf("GET %s = %d, want %d: %s", path, resp.StatusCode, code, body)
			}
		}
		del := fmt.Sprintf("/api/projects/shop/webhooks/%d", made.Webhook.ID)
		admin.decode("DELETE", del, nil, 204, nil)
		admin.decode("DELETE", del, nil, 404, nil)
		var es []store.Entry
		admin.decode("GET", fmt.Sprintf("/api/projects/shop/audit?object=webhook:%d", made.Webhook.ID), nil, 200, &es)
		var actions []string
		for _, en := range es {
			actions = append(actions, en.Action+" by "+en.Actor)
			if strings.Contains(en.Before+en.After, made.Secret) {
				t.Errorf("the audit log holds the secret: %+v", en)
			}
		}
		want := []string{"webhook.delete by user:admin@example.com", "webhook.create by user:admin@example.com"}
		if diff := cmp.Diff(want, actions); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
	})
}

// checkSignature verifies a request as docs/server.md tells receivers to.
func checkSignature(t *testing.T, secret string, r received) {
	t.Helper()
	ts := r.header.Get("X-Ward-Timestamp")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(r.body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if got := r.header.Get("X-Ward-Signature"); !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("signature %q, want %q", got, want)
	}
	if ts != strconv.FormatInt(today.Unix(), 10) {
		t.Errorf("timestamp %q, want the server's clock %d", ts, today.Unix())
	}
	if r.header.Get("X-Ward-Event") != "threats.new" || r.header.Get("X-Ward-Delivery") == "" || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", r.header)
	}
}

// newHigh lists the ids of a version's threats at high or above that
// are not in before.
func newHigh(c *client, version int, before map[string]bool) []string {
	var fs []store.Finding
	c.decode("GET", fmt.Sprintf("/api/projects/shop/versions/%d/threats", version), nil, 200, &fs)
	var out []string
	for _, f := range fs {
		if (f.Severity == "high" || f.Severity == "critical") && !before[f.ThreatID] {
			out = append(out, f.ThreatID)
		}
	}
	slices.Sort(out)
	return out
}

func idsOf(c *client, version int) map[string]bool {
	var fs []store.Finding
	c.decode("GET", fmt.Sprintf("/api/projects/shop/versions/%d/threats", version), nil, 200, &fs)
	out := map[string]bool{}
	for _, f := range fs {
		out[f.ThreatID] = true
	}
	return out
}

func payloadIDs(t *testing.T, r received) (webhookPayload, []string) {
	t.Helper()
	var p webhookPayload
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("payload %s: %v", r.body, err)
	}
	var ids []string
	for _, th := range p.Threats {
		ids = append(ids, th.ID)
		if th.Title == "" || th.Target == "" || th.URL != "/api/projects/shop/threats/"+th.ID+"?version="+strconv.Itoa(p.Version) ||
			th.Page != threatURL("shop", th.ID, p.Version) {
			t.Errorf("threat in payload: %+v", th)
		}
	}
	slices.Sort(ids)
	return p, ids
}

func TestWebhookNewThreatsOnly(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		admin, _, d := webhookEnv(t, e)
		rc := newReceiver(t, always(204))
		hook := admin.addWebhook(rc.URL+"/hook", "high", "a secret of sixteen+")

		admin.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
		deliver(t, d, 1)
		got := rc.requests()
		if len(got) != 1 {
			t.Fatalf("%d requests after the first upload, want 1", len(got))
		}
		checkSignature(t, hook.Secret, got[0])
		p, ids := payloadIDs(t, got[0])
		want := newHigh(admin, 1, nil)
		if len(want) == 0 {
			t.Fatal("the example has no high threats")
		}
		if p.Event != "threats.new" || p.Project != "shop" || p.Version != 1 {
			t.Errorf("payload = %+v", p)
		}
		if diff := cmp.Diff(want, ids); diff != "" {
			t.Errorf("version 1's threats (-want +got):\n%s", diff)
		}

		// The same model again: nothing new, nothing sent.
		admin.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
		deliver(t, d, 0)

		// Turning encryption at rest off brings new threats; only they are sent.
		changed := bytes.ReplaceAll(example(t), []byte("encrypted_at_rest: true"), []byte("encrypted_at_rest: false"))
		admin.decode("POST", "/api/projects/shop/versions", changed, 201, nil)
		want = newHigh(admin, 3, idsOf(admin, 2))
		if len(want) == 0 {
			t.Fatal("the changed model has no new high threats; change it differently")
		}
		deliver(t, d, 1)
		got = rc.requests()
		checkSignature(t, hook.Secret, got[1])
		p, ids = payloadIDs(t, got[1])
		if p.Version != 3 {
			t.Errorf("second delivery is for version %d, want 3", p.Version)
		}
		if diff := cmp.Diff(want, ids); diff != "" {
			t.Errorf("version 3's new threats (-want +got):\n%s", diff)
		}
		ds := admin.deliveries(hook.Webhook.ID)
		if len(ds) != 2 || ds[0].State != store.Delivered || ds[0].Attempts != 1 || ds[0].ResponseCode != 204 {
			t.Errorf("deliveries = %+v", ds)
		}
	})
}

func TestWebhookSeverityFloor(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		admin, _, d := webhookEnv(t, e)
		rc := newReceiver(t, always(200))
		admin.addWebhook(rc.URL, "low", "")
		admin.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
		deliver(t, d, 1)
		_, ids := payloadIDs(t, rc.requests()[0])
		if all := idsOf(admin, 1); len(ids) != len(all) {
			t.Errorf("a low floor sent %d of %d threats", len(ids), len(all))
		}
	})
}

func TestWebhookRetries(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		admin, clk, d := webhookEnv(t, e)
		rc := newReceiver(t, func(n int) int { return []int{500, 502, 200}[n] })
		hook := admin.addWebhook(rc.URL, "high", "")
		admin.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)

		deliver(t, d, 1)
		ds := admin.deliveries(hook.Webhook.ID)
		if ds[0].State != store.Pending || ds[0].Attempts != 1 || ds[0].ResponseCode != 500 ||
			ds[0].LastError != "HTTP 500: answer 500 to request 0" || !ds[0].NextAt.Equal(clk.Now().Add(time.Minute)) {
			t.Fatalf("after a 500: %+v", ds[0])
		}
		deliver(t, d, 0) // not due yet
		clk.add(time.Minute)
		deliver(t, d, 1)
		clk.add(time.Minute)
		deliver(t, d, 1)
		ds = admin.deliveries(hook.Webhook.ID)
		if ds[0].State != store.Delivered || ds[0].Attempts != 3 || ds[0].ResponseCode != 200 {
			t.Errorf("after 500, 502, 200: %+v", ds[0])
		}
		got := rc.requests()
		if len(got) != 3 {
			t.Fatalf("%d requests, want 3", len(got))
		}
		for _, r := range got {
			checkSignature(t, hook.Secret, r)
			if r.header.Get("X-Ward-Delivery") != strconv.FormatInt(ds[0].ID, 10) || !bytes.Equal(r.body, got[0].body) {
				t.Errorf("a retry differs: %v %s", r.header, r.body)
			}
		}
		clk.add(time.Hour)
		deliver(t, d, 0)
	})
}

func TestWebhookGivesUp(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		admin, clk, d := webhookEnv(t, e)
		d.maxAttempts = 3
		rc := newReceiver(t, always(503))
		hook := admin.addWebhook(rc.URL, "high", "")
		admin.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
		for range 3 {
			deliver(t, d, 1)
			clk.add(time.Minute)
		}
		clk.add(24 * time.Hour)
		deliver(t, d, 0)
		ds := admin.deliveries(hook.Webhook.ID)
		if ds[0].State != store.Failed || ds[0].Attempts != 3 || !ds[0].NextAt.IsZero() || !strings.HasPrefix(ds[0].LastError, "HTTP 503") {
			t.Errorf("given up: %+v", ds[0])
		}
		if n := len(rc.requests()); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
}

func TestWebhookTimeoutRedirectsAndAddresses(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		admin, _, d := webhookEnv(t, e)
		d.timeout = 200 * time.Millisecond
		slow := newReceiver(t, always(200))
		slow.delay = time.Second
		elsewhere := newReceiver(t, always(200))
		redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/away":
				http.Redirect(w, r, elsewhere.URL, http.StatusTemporaryRedirect)
			case "/see-other":
				http.Redirect(w, r, "/here", http.StatusSeeOther)
			case "/moved":
				http.Redirect(w, r, "/here", http.StatusPermanentRedirect)
			case "/here":
				body, _ := io.ReadAll(r.Body)
				if r.Method != "POST" || r.Header.Get("X-Ward-Signature") == "" || len(body) == 0 {
					w.WriteHeader(400)
				}
			}
		}))
		defer redirect.Close()
		hooks := map[string]int64{}
		metadata := "http://169.254.169.254/latest/meta-data/"
		for _, u := range []string{slow.URL, redirect.URL + "/away", redirect.URL + "/see-other", redirect.URL + "/moved", metadata} {
			hooks[u] = admin.addWebhook(u, "high", "").Webhook.ID
		}
		admin.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
		deliver(t, d, 5)
		want := map[string]string{
			slow.URL:                    "deadline exceeded",
			redirect.URL + "/away":      "HTTP 307: redirect to",
			redirect.URL + "/see-other": "HTTP 303: redirect to",
			redirect.URL + "/moved":     "",
			metadata:                    "link-local",
		}
		for u, id := range hooks {
			ds := admin.deliveries(id)
			if want[u] == "" {
				if ds[0].State != store.Delivered {
					t.Errorf("%s: a same-host 308 was not followed: %+v", u, ds[0])
				}
				continue
			}
			if ds[0].State != store.Pending || !strings.Contains(ds[0].LastError, want[u]) {
				t.Errorf("%s: %+v, want an error with %q", u, ds[0], want[u])
			}
		}
		if n := len(elsewhere.requests()); n != 0 {
			t.Errorf("a redirect to another host was followed %d times", n)
		}
	})
}

// TestWebhookRun runs the worker loop as `ward serve` does.
func TestWebhookRun(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	admin, _, d := webhookEnv(t, e)
	d.poll = 10 * time.Millisecond
	rc := newReceiver(t, always(200))
	admin.addWebhook(rc.URL, "high", "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.run(ctx); close(done) }()
	admin.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
	deadline := time.Now().Add(10 * time.Second)
	for len(rc.requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if n := len(rc.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestWebhookNoDoubleDelivery has two servers on one database deliver the
// same queue at once: each delivery must arrive exactly once.
func TestWebhookNoDoubleDelivery(t *testing.T) {
	for name, dsn := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			e1, e2 := newEnv(t, dsn), newEnv(t, dsn)
			admin, clk, d1 := webhookEnv(t, e1)
			e2.store.SetClock(clk.Now)
			d2 := e2.srv.newDeliverer()
			d1.batch, d2.batch = 2, 2
			rc := newReceiver(t, always(200))
			rc.delay = 5 * time.Millisecond
			for range 3 {
				admin.addWebhook(rc.URL, "high", "")
			}
			ctx := context.Background()
			p, err := e1.store.ProjectBySlug(ctx, "shop")
			if err != nil {
				t.Fatal(err)
			}
			const versions = 8
			for i := range versions {
				fs := []store.Finding{{ThreatID: fmt.Sprintf("t-%d", i), Title: "T", Severity: "critical", Target: "c"}}
				if _, err := e1.srv.addVersion(ctx, p, "test", store.Version{ProjectID: p.ID, Archive: []byte{1}, Summary: "{}"}, fs); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			for _, d := range []*deliverer{d1, d2, d1, d2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						n, err := d.deliverDue(ctx)
						if err != nil {
							t.Error(err)
							return
						}
						if n == 0 {
							return
						}
					}
				}()
			}
			wg.Wait()
			seen := map[string]int{}
			for _, r := range rc.requests() {
				seen[r.header.Get("X-Ward-Delivery")]++
			}
			if len(seen) != 3*versions {
				t.Errorf("%d deliveries arrived, want %d", len(seen), 3*versions)
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("delivery %s arrived %d times", id, n)
				}
			}
		})
	}
}

// With a public URL, payload links are absolute, so a chat message or
// ticket made from them can be followed.
func TestWebhookPublicURL(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ward.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := New(Config{Store: st, PublicURL: "https://ward.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	p := store.Project{Slug: "shop"}
	if got := srv.cfg.PublicURL + threatPath(p, "r@c", 3); got != "https://ward.example.com/api/projects/shop/threats/r@c?version=3" {
		t.Errorf("payload url = %s", got)
	}
	for _, bad := range []string{"ward.example.com", "ftp://ward.example.com", "https://ward.example.com/?x=1"} {
		if _, err := New(Config{Store: st, PublicURL: bad}); !errors.Is(err, ErrConfig) {
			t.Errorf("public URL %q: err = %v, want ErrConfig", bad, err)
		}
	}
}

// A first upload of a large model sends the 200 worst new threats and
// counts the rest, rather than one request of megabytes.
func TestWebhookPayloadCapped(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	admin, _, d := webhookEnv(t, e)
	rc := newReceiver(t, always(204))
	admin.addWebhook(rc.URL+"/hook", "low", "a secret of sixteen+")
	var model bytes.Buffer
	if err := synth.Model(&model, synth.Options{Components: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	admin.decode("POST", "/api/projects/shop/versions", model.Bytes(), 201, nil)
	deliver(t, d, 1)
	p, _ := payloadIDs(t, rc.requests()[0])
	all := idsOf(admin, 1)
	if len(p.Threats) != maxPayloadThreats || p.Omitted != len(all)-maxPayloadThreats {
		t.Fatalf("payload holds %d threats and omits %d; the version has %d", len(p.Threats), p.Omitted, len(all))
	}
	for i := 1; i < len(p.Threats); i++ {
		if risk.Severity(p.Threats[i].Severity).Rank() > risk.Severity(p.Threats[i-1].Severity).Rank() {
			t.Fatalf("threat %d (%s) is worse than the one before it: the cut must keep the worst", i, p.Threats[i].Severity)
		}
	}
}
