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
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/store"
)

// Webhook headers; docs/server.md describes how receivers check them.
const (
	headerEvent     = "X-Ward-Event"
	headerDelivery  = "X-Ward-Delivery"
	headerTimestamp = "X-Ward-Timestamp"
	headerSignature = "X-Ward-Signature"
	eventNewThreats = "threats.new"
)

// webhookRoutes registers the webhook endpoints. Webhooks belong to a
// project's administrators: their URLs and secrets are sensitive.
func (s *Server) webhookRoutes() {
	p := "/api/projects/{project}/webhooks"
	s.mux.HandleFunc("GET "+p, s.project(store.Admin, s.apiWebhooks))
	s.mux.HandleFunc("POST "+p, s.project(store.Admin, s.apiCreateWebhook))
	s.mux.HandleFunc("DELETE "+p+"/{id}", s.project(store.Admin, s.apiDeleteWebhook))
	s.mux.HandleFunc("GET "+p+"/{id}/deliveries", s.project(store.Admin, s.apiDeliveries))
}

func (s *Server) apiWebhooks(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	hs, err := s.store.Webhooks(r.Context(), p.ID)
	s.reply(w, http.StatusOK, nonNil(hs), err)
}

// newWebhook is a webhook to add; an empty Secret is generated.
type newWebhook struct {
	URL         string `json:"url"`
	MinSeverity string `json:"min_severity"`
	Secret      string `json:"secret"`
}

func (s *Server) apiCreateWebhook(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	var req newWebhook
	if err := readJSON(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	h, err := s.createWebhook(r.Context(), c.name(), p, req)
	s.reply(w, http.StatusCreated, map[string]any{"webhook": h, "secret": h.Secret}, err)
}

// checkWebhookURL admits absolute http and https URLs. Credentials in the
// URL are refused since the URL is listed to every project admin.
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return badInput("give the webhook's url")
	case len(raw) > 2000:
		return badInput("the url is over 2000 characters")
	case err != nil:
		return badInput("url %q: %v", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return badInput("url %q: use an http:// or https:// URL", raw)
	case u.Host == "" || u.Hostname() == "":
		return badInput("url %q has no host", raw)
	case u.User != nil:
		return badInput("leave credentials out of the webhook's url; receivers check the X-Ward-Signature header instead")
	case u.Fragment != "":
		return badInput("url %q: drop the #fragment; it is never sent", raw)
	}
	return nil
}

func webhookID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, badInput("webhook id %q is not a number", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) apiDeleteWebhook(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	id, err := webhookID(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	if err := s.store.DeleteWebhook(r.Context(), c.name(), p.ID, id); err != nil {
		s.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiDeliveries(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	id, err := webhookID(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	limit := 0
	if raw := r.URL.Query().Get("limit"); raw != "" {
		if limit, err = strconv.Atoi(raw); err != nil || limit < 1 || limit > 500 {
			s.fail(w, badInput("limit %q: give a number from 1 to 500", raw))
			return
		}
	}
	ds, err := s.store.Deliveries(r.Context(), p.ID, id, limit)
	s.reply(w, http.StatusOK, nonNil(ds), err)
}

// --- queueing

// webhookPayload is the body of a threats.new delivery.
type webhookPayload struct {
	Event   string          `json:"event"`
	Project string          `json:"project"`
	Version int             `json:"version"`
	Threats []webhookThreat `json:"threats"`
	// Omitted counts the new threats left out past maxPayloadThreats,
	// worst kept: a receiver follows the version's link for the rest.
	Omitted int `json:"omitted,omitempty"`
}

// maxPayloadThreats bounds one delivery: a first upload of a large model
// must not become a request of megabytes.
const maxPayloadThreats = 200

type webhookThreat struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Target   string `json:"target"`
	URL      string `json:"url"`  // the threat in the API
	Page     string `json:"page"` // the threat's page in the web UI
}

// addVersion stores a version and, in the same transaction, queues a
// delivery for each of the project's webhooks that has new threats at or
// above its minimum severity. New means absent from the previous version,
// so every threat of a first version is new.
func (s *Server) addVersion(ctx context.Context, p store.Project, actor string, v store.Version, fs []store.Finding) (store.Version, error) {
	return s.store.AddVersionNotify(ctx, actor, v, fs, func(v store.Version, previous map[string]bool, hooks []store.Webhook) (map[int64][]byte, error) {
		out := map[int64][]byte{}
		for _, h := range hooks {
			floor := risk.Severity(h.MinSeverity)
			pl := webhookPayload{Event: eventNewThreats, Project: p.Slug, Version: v.Seq, Threats: []webhookThreat{}}
			for _, f := range fs {
				if previous[f.ThreatID] || !risk.Severity(f.Severity).AtLeast(floor) {
					continue
				}
				pl.Threats = append(pl.Threats, webhookThreat{ID: f.ThreatID, Title: f.Title, Severity: f.Severity, Target: f.Target, URL: s.cfg.PublicURL + threatPath(p, f.ThreatID, v.Seq), Page: s.cfg.PublicURL + threatURL(p.Slug, f.ThreatID, v.Seq)})
			}
			if len(pl.Threats) == 0 {
				continue
			}
			if n := len(pl.Threats); n > maxPayloadThreats {
				// Findings come worst first, so the cut keeps the worst.
				pl.Threats, pl.Omitted = pl.Threats[:maxPayloadThreats], n-maxPayloadThreats
			}
			b, err := json.Marshal(pl)
			if err != nil {
				return nil, err
			}
			out[h.ID] = b
		}
		return out, nil
	})
}

// threatPath is the API path of a threat in a version. Payloads prefix it
// with Config.PublicURL, the address people reach the server by, when set.
func threatPath(p store.Project, threat string, seq int) string {
	return "/api/projects/" + url.PathEscape(p.Slug) + "/threats/" + url.PathEscape(threat) + "?version=" + strconv.Itoa(seq)
}

// --- delivery

// deliverer sends due deliveries. Fields are set by newDeliverer; tests
// replace them.
type deliverer struct {
	store       *store.Store
	now         func() time.Time
	client      *http.Client
	timeout     time.Duration // per attempt
	lease       time.Duration // how long a claim hides a delivery; > timeout
	poll        time.Duration // pause when nothing is due
	batch       int
	maxAttempts int
	backoff     func(attempt int) time.Duration // wait after failed attempt n
	log         *slog.Logger
}

const (
	webhookTimeout     = 10 * time.Second
	webhookMaxAttempts = 8
	webhookBodyCap     = 64 << 10
)

func (s *Server) newDeliverer() *deliverer {
	return &deliverer{
		store:       s.store,
		now:         s.cfg.Now,
		client:      webhookClient(webhookTimeout, refuseLinkLocal),
		timeout:     webhookTimeout,
		lease:       2 * time.Minute,
		poll:        2 * time.Second,
		batch:       16,
		maxAttempts: webhookMaxAttempts,
		backoff:     backoff,
		log:         s.log,
	}
}

// RunWebhooks delivers queued webhook notifications until ctx ends. Run it
// in its own goroutine; any number of servers may run it on one database.
// An attempt cut short by ctx is retried by whichever server next finds it
// due, once its claim lapses.
func (s *Server) RunWebhooks(ctx context.Context) { s.newDeliverer().run(ctx) }

func (d *deliverer) run(ctx context.Context) {
	for {
		n, err := d.deliverDue(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.Error("webhook deliveries", "error", err)
		}
		if n == d.batch && err == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(d.poll):
		}
	}
}

// deliverDue claims a batch of due deliveries and attempts them all at
// once, returning how many it claimed.
func (d *deliverer) deliverDue(ctx context.Context) (int, error) {
	claims, err := d.store.ClaimDeliveries(ctx, d.batch, d.lease)
	if err != nil {
		return 0, fmt.Errorf("claim deliveries: %w", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(claims))
	for i, c := range claims {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := d.attempt(ctx, c)
			if ctx.Err() != nil {
				return // shutting down; the claim lapses and the attempt is retried
			}
			switch {
			case o.Delivered:
			case c.Attempts >= d.maxAttempts:
				o.GiveUp = true
				d.log.Warn("webhook delivery failed for good", "delivery", c.ID, "attempts", c.Attempts, "error", o.Error)
			default:
				o.RetryIn = d.backoff(c.Attempts)
			}
			if err := d.store.FinishDelivery(ctx, c, o); err != nil {
				errs[i] = fmt.Errorf("delivery %d: %w", c.ID, err)
			}
		}()
	}
	wg.Wait()
	return len(claims), errors.Join(errs...)
}

// attempt POSTs one delivery, signed, and says how it went.
func (d *deliverer) attempt(ctx context.Context, c store.Claim) store.Outcome {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(c.Payload))
	if err != nil {
		return store.Outcome{Error: err.Error()}
	}
	ts := strconv.FormatInt(d.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Ward-Webhook/1")
	req.Header.Set(headerEvent, eventNewThreats)
	req.Header.Set(headerDelivery, strconv.FormatInt(c.ID, 10))
	req.Header.Set(headerTimestamp, ts)
	req.Header.Set(headerSignature, sign(c.Secret, ts, c.Payload))
	resp, err := d.client.Do(req)
	if err != nil {
		return store.Outcome{Error: err.Error()}
	}
	defer resp.Body.Close() //nolint:errcheck // read-only body; its close error says nothing useful
	// Read a little so the connection can be reused, never the whole body.
	head, _ := io.ReadAll(io.LimitReader(resp.Body, webhookBodyCap)) // a short read only shortens the error text
	o := store.Outcome{ResponseCode: resp.StatusCode}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		o.Delivered = true
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		o.Error = fmt.Sprintf("HTTP %d: redirect to %q not followed; only same-host POST redirects are", resp.StatusCode, resp.Header.Get("Location"))
	default:
		o.Error = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, snippet(head))
	}
	return o
}

// sign is the X-Ward-Signature value: HMAC-SHA256 keyed with the webhook's
// secret over the timestamp, a dot and the body, so a captured request
// cannot be replayed with a fresh timestamp.
func sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func snippet(b []byte) string {
	s := strings.ToValidUTF8(strings.TrimSpace(string(b)), "?")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// webhookClient follows only redirects that stay on the same scheme and
// host and keep the POST (307 and 308), at most three; any other redirect
// is answered as the failure it is. check vets each address dialled, after
// name resolution, so a name cannot be re-pointed past it.
func webhookClient(timeout time.Duration, check func(network, address string, _ syscall.RawConn) error) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: check}).DialContext
	tr.MaxResponseHeaderBytes = webhookBodyCap
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			first := via[0]
			if len(via) > 3 || req.Method != http.MethodPost || req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
}

// refuseLinkLocal keeps webhooks off link-local addresses, where clouds
// serve instance metadata and credentials. Loopback and private networks
// stay allowed: receivers often run beside the server.
func refuseLinkLocal(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return fmt.Errorf("webhooks may not call %s: link-local, multicast and unspecified addresses are refused", ip)
	}
	return nil
}

// backoff waits 30 s after the first failed attempt and doubles each time
// (1 m, 2 m … 32 m after the seventh), plus up to a quarter more at random
// so receivers coming back up are not hit by every server at once.
func backoff(attempt int) time.Duration {
	d := 30 * time.Second << min(max(attempt-1, 0), 10)
	return d + rand.N(d/4) //nolint:gosec // G404: jitter spreads retries; it guards no secret
}
