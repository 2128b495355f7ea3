package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wardsec/ward/store"
	"github.com/wardsec/ward/synth"
)

func TestSignIn(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		e.user("ana@example.com", false)
		anon := &client{e: e}
		resp, body := anon.do("POST", "/api/session", map[string]string{"email": "ana@example.com", "password": "correct horse battery"})
		if resp.StatusCode != 200 {
			t.Fatalf("sign in = %d: %s", resp.StatusCode, body)
		}
		var ck *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				ck = c
			}
		}
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie = %+v", ck)
		}
		var got struct {
			CSRF string `json:"csrf_token"`
		}
		json.Unmarshal(body, &got)
		me := &client{e: e, cookie: ck.Value, csrf: got.CSRF}
		me.decode("GET", "/api/me", nil, 200, nil)
		// A state-changing call without the CSRF token is refused.
		noCSRF := &client{e: e, cookie: ck.Value, csrf: ""}
		if resp, _ := noCSRF.do("DELETE", "/api/session", nil); resp.StatusCode != 403 {
			t.Errorf("sign out without CSRF = %d, want 403", resp.StatusCode)
		}
		me.decode("DELETE", "/api/session", nil, 204, nil)
		if resp, _ := me.do("GET", "/api/me", nil); resp.StatusCode != 401 {
			t.Errorf("after sign out = %d, want 401", resp.StatusCode)
		}
		// Unknown email and wrong password answer alike.
		for _, creds := range []map[string]string{
			{"email": "ana@example.com", "password": "wrong password!"},
			{"email": "nobody@example.com", "password": "correct horse battery"},
		} {
			resp, body := anon.do("POST", "/api/session", creds)
			if resp.StatusCode != 401 || !strings.Contains(string(body), "wrong email or password") {
				t.Errorf("bad sign in = %d: %s", resp.StatusCode, body)
			}
		}
		// Guessing is rate limited.
		limited := false
		for range 15 {
			resp, _ := anon.do("POST", "/api/session", map[string]string{"email": "ana@example.com", "password": "guess guess guess"})
			if resp.StatusCode == 429 {
				limited = resp.Header.Get("Retry-After") != ""
				break
			}
		}
		if !limited {
			t.Error("15 wrong passwords in a row were never rate limited")
		}
		if resp, _ := anon.do("POST", "/api/session", `{"email": 1}`); resp.StatusCode != 400 {
			t.Errorf("malformed sign in = %d, want 400", resp.StatusCode)
		}
	})
}

func TestUploadErrors(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		site := e.user("site@example.com", true)
		site.decode("POST", "/api/projects", map[string]string{"slug": "shop"}, 201, nil)
		resp, body := site.do("POST", "/api/projects/shop/versions?name=shop.ward.yaml", []byte("title: shop\ncomponents:\n  - id: web\n    kind: nonsense\n"))
		if resp.StatusCode != 400 || !strings.Contains(string(body), "shop.ward.yaml:4:11") {
			t.Errorf("bad model = %d: %s (want 400 naming shop.ward.yaml:4:11)", resp.StatusCode, body)
		}
		if strings.Contains(string(body), "ward-model-") {
			t.Errorf("the error leaks the server's temporary directory: %s", body)
		}
		evil := mkTar(t, entry{name: "a.ward.yaml", body: "title: a\nimports: [{as: x, path: /etc}]\n"})
		resp, body = site.do("POST", "/api/projects/shop/versions", evil)
		if resp.StatusCode != 400 || !strings.Contains(string(body), "outside the model's files") {
			t.Errorf("import of /etc = %d: %s", resp.StatusCode, body)
		}
		big := make([]byte, DefaultLimits.MaxBody+1)
		if resp, _ := site.do("POST", "/api/projects/shop/versions", big); resp.StatusCode != 413 {
			t.Errorf("oversized upload = %d, want 413", resp.StatusCode)
		}
		var vs []versionView
		site.decode("GET", "/api/projects/shop/versions", nil, 200, &vs)
		if len(vs) != 0 {
			t.Errorf("failed uploads left %d versions", len(vs))
		}
	})
}

func TestTriageAcrossVersions(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		site := e.user("site@example.com", true)
		site.decode("POST", "/api/projects", map[string]string{"slug": "shop"}, 201, nil)
		site.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
		var threats []store.Finding
		site.decode("GET", "/api/projects/shop/versions/1/threats?status=open", nil, 200, &threats)
		if len(threats) == 0 {
			t.Fatal("no open threats in the example")
		}
		id := threats[0].ThreatID
		if resp, body := site.do("PUT", "/api/projects/shop/threats/"+id+"/triage", map[string]string{"status": "accepted"}); resp.StatusCode != 400 || !strings.Contains(string(body), "accepted_until") {
			t.Errorf("acceptance without a date = %d: %s", resp.StatusCode, body)
		}
		if resp, _ := site.do("PUT", "/api/projects/shop/threats/"+id+"/triage", map[string]string{"status": "fixed"}); resp.StatusCode != 400 {
			t.Errorf("unknown status = %d", resp.StatusCode)
		}
		if resp, _ := site.do("PUT", "/api/projects/shop/threats/no-such@x/triage", map[string]string{"status": "mitigated"}); resp.StatusCode != 404 {
			t.Errorf("unknown threat = %d", resp.StatusCode)
		}
		if resp, _ := site.do("POST", "/api/projects/shop/threats/no-such@x/comments", map[string]string{"body": "hello"}); resp.StatusCode != 404 {
			t.Errorf("comment on an unknown threat = %d, want 404", resp.StatusCode)
		}
		site.decode("PUT", "/api/projects/shop/threats/"+id+"/triage", map[string]string{"status": "mitigated", "owner": "ana", "ticket": "SEC-7", "comment": "WAF rule deployed"}, 200, nil)
		site.decode("POST", "/api/projects/shop/versions?label=two", example(t), 201, nil)
		var tv threatView
		site.decode("GET", "/api/projects/shop/threats/"+id, nil, 200, &tv)
		if tv.Version != 2 || tv.Status != "mitigated" || tv.Triage == nil || tv.Triage.Ticket != "SEC-7" {
			t.Errorf("threat in version 2: version %d status %q triage %+v", tv.Version, tv.Status, tv.Triage)
		}
		if len(tv.Comments) != 1 || tv.Comments[0].Author != "user:site@example.com" || len(tv.History) != 2 {
			t.Errorf("comments %+v, history %d entries", tv.Comments, len(tv.History))
		}
		if tv.Scenario == "" || len(tv.Requirements) == 0 {
			t.Errorf("threat detail lacks scenario or requirements: %+v", tv)
		}
		// Exports carry the triage.
		resp, body := site.do("GET", "/api/projects/shop/versions/2/report?format=json", nil)
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"status": "mitigated"`) {
			t.Errorf("json export = %d, no mitigated threat in it", resp.StatusCode)
		}
		for _, format := range []string{"html", "markdown", "csv", "sarif", "pdf", "xlsx"} {
			if resp, _ := site.do("GET", "/api/projects/shop/versions/latest/report?format="+format, nil); resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") == "" {
				t.Errorf("export %s = %d", format, resp.StatusCode)
			}
		}
		if resp, _ := site.do("GET", "/api/projects/shop/versions/1/report?format=docx", nil); resp.StatusCode != 400 {
			t.Errorf("unknown export format = %d", resp.StatusCode)
		}
		var d struct {
			Summary json.RawMessage `json:"summary"`
		}
		site.decode("GET", "/api/projects/shop/diff?from=1&to=2", nil, 200, &d)
		if len(d.Summary) == 0 {
			t.Error("diff has no summary")
		}
		var open map[string]int
		var pv projectView
		site.decode("GET", "/api/projects/shop", nil, 200, &pv)
		open = pv.Open
		total := 0
		for _, n := range open {
			total += n
		}
		var still []store.Finding
		site.decode("GET", "/api/projects/shop/versions/2/threats", nil, 200, &still)
		unresolved := 0
		for _, f := range still {
			if f.Status == "open" || f.Status == "mitigation-planned" || f.Status == "acceptance-expired" {
				unresolved++
			}
		}
		if total != unresolved || total == len(still) {
			t.Errorf("project open counts %v (total %d) vs %d unresolved of %d", open, total, unresolved, len(still))
		}
		for _, bad := range []string{"severity=urgent", "stride=x", "status=done", "feature=a%25"} {
			if resp, _ := site.do("GET", "/api/projects/shop/versions/2/threats?"+bad, nil); resp.StatusCode != 400 {
				t.Errorf("filter %s = %d, want 400", bad, resp.StatusCode)
			}
		}
	})
}

// A new server over the same database rebuilds analyses from the stored
// files: nothing lives only in memory.
func TestRestartRebuildsAnalyses(t *testing.T) {
	dsn := dialects(t)["sqlite"]
	e := newEnv(t, dsn)
	site := e.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "shop"}, 201, nil)
	site.decode("POST", "/api/projects/shop/versions", tarGz(t, "../examples/chained"), 400, nil) // three models at the top: which?
	site.decode("POST", "/api/projects/shop/versions?root=payments", tarGz(t, "../examples/chained"), 201, nil)
	var before threatView
	var threats []store.Finding
	site.decode("GET", "/api/projects/shop/versions/1/threats", nil, 200, &threats)
	site.decode("GET", "/api/projects/shop/threats/"+threats[0].ThreatID, nil, 200, &before)

	e2 := newEnv(t, dsn)
	site2 := &client{e: e2, cookie: site.cookie, csrf: site.csrf}
	var after threatView
	site2.decode("GET", "/api/projects/shop/threats/"+threats[0].ThreatID, nil, 200, &after)
	if after.Scenario != before.Scenario || after.Location != before.Location || after.Location == "" {
		t.Errorf("rebuilt threat differs:\nbefore %+v\nafter  %+v", before, after)
	}
	if strings.Contains(after.Location, "ward-model-") {
		t.Errorf("location leaks the temporary directory: %s", after.Location)
	}
	if resp, _ := site2.do("GET", "/api/projects/shop/versions/1/diagram", nil); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("diagram after restart = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	resp, _ := (&client{e: e}).do("GET", "/healthz", nil)
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %s", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: %v", resp.Header)
	}
	resp, body := (&client{e: e}).do("GET", "/metrics", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `ward_http_requests_total{code="200",route="GET /healthz"}`) {
		t.Errorf("metrics = %d: %.300s", resp.StatusCode, body)
	}
}

func TestTokenExpiry(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	site := e.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "shop"}, 201, nil)
	var made struct {
		Secret string `json:"secret"`
	}
	site.decode("POST", "/api/projects/shop/tokens", map[string]any{"name": "ci", "role": "editor", "expires_in_days": 1}, 201, &made)
	tok := &client{e: e, bearer: made.Secret}
	tok.decode("GET", "/api/projects/shop", nil, 200, nil)
	e.store.SetClock(func() time.Time { return today.Add(48 * time.Hour) })
	if resp, _ := tok.do("GET", "/api/projects/shop", nil); resp.StatusCode != 401 {
		t.Errorf("expired token = %d, want 401", resp.StatusCode)
	}
}

// Two servers on one PostgreSQL database, as behind a load balancer:
// concurrent uploads get distinct numbers, a session made on one works on
// the other, and the audit chain stays whole.
func TestTwoServersOneDatabase(t *testing.T) {
	dsn := dialects(t)["postgres"]
	a, b := newEnv(t, dsn), newEnv(t, dsn)
	site := a.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "shop"}, 201, nil)
	onB := &client{e: b, cookie: site.cookie, csrf: site.csrf}
	var wg sync.WaitGroup
	numbers := make(chan int, 8)
	for i := range 8 {
		c := site
		if i%2 == 1 {
			c = onB
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v versionView
			c.decode("POST", "/api/projects/shop/versions", example(t), 201, &v)
			numbers <- v.Seq
		}()
	}
	wg.Wait()
	close(numbers)
	seen := map[int]bool{}
	for n := range numbers {
		if seen[n] {
			t.Errorf("version number %d given twice", n)
		}
		seen[n] = true
	}
	if len(seen) != 8 {
		t.Errorf("%d distinct versions, want 8", len(seen))
	}
	if n, err := b.store.VerifyAudit(context.Background()); err != nil || n < 10 {
		t.Errorf("audit chain: %d entries, %v", n, err)
	}
}

// Nothing the server answers may name the temporary directory a model was
// analyzed in: exports, diffs and threat details speak of the upload's files.
func TestNoTemporaryPaths(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	site := e.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "shop"}, 201, nil)
	site.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
	site.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
	for _, f := range []string{"json", "markdown", "html", "csv", "sarif", "table"} {
		_, b := site.do("GET", "/api/projects/shop/versions/1/report?format="+f, nil)
		if strings.Contains(string(b), "ward-model-") {
			i := strings.Index(string(b), "ward-model-")
			t.Errorf("%s leaks: %s", f, string(b)[max(0, i-100):i+60])
		}
	}
	for _, f := range []string{"json", "markdown"} {
		_, b := site.do("GET", "/api/projects/shop/diff?from=1&to=2&format="+f, nil)
		if strings.Contains(string(b), "ward-model-") {
			t.Errorf("diff %s leaks", f)
		}
	}
}

// The threat table pages with ?limit= and ?offset=, in the same order as
// the whole list, and tells the total in X-Total-Count.
func TestThreatsPaging(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	site := e.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "shop"}, 201, nil)
	site.decode("POST", "/api/projects/shop/versions", example(t), 201, nil)
	var all []store.Finding
	site.decode("GET", "/api/projects/shop/versions/1/threats", nil, 200, &all)
	var paged []store.Finding
	for offset := 0; offset < len(all); offset += 5 {
		var page []store.Finding
		resp, body := site.do("GET", fmt.Sprintf("/api/projects/shop/versions/1/threats?limit=5&offset=%d", offset), nil)
		if resp.StatusCode != 200 || resp.Header.Get("X-Total-Count") != strconv.Itoa(len(all)) {
			t.Fatalf("page at %d = %d, total %q", offset, resp.StatusCode, resp.Header.Get("X-Total-Count"))
		}
		json.Unmarshal(body, &page)
		paged = append(paged, page...)
	}
	if len(paged) != len(all) {
		t.Fatalf("pages hold %d threats, the list %d", len(paged), len(all))
	}
	for i := range all {
		if paged[i].ThreatID != all[i].ThreatID {
			t.Fatalf("row %d: page has %s, list has %s", i, paged[i].ThreatID, all[i].ThreatID)
		}
	}
	var past []store.Finding
	site.decode("GET", "/api/projects/shop/versions/1/threats?limit=5&offset=1000", nil, 200, &past)
	if len(past) != 0 {
		t.Errorf("a page past the end holds %d threats", len(past))
	}
	for _, bad := range []string{"limit=0", "limit=x", "limit=10001", "offset=-1"} {
		if resp, _ := site.do("GET", "/api/projects/shop/versions/1/threats?"+bad, nil); resp.StatusCode != 400 {
			t.Errorf("%s = %d, want 400", bad, resp.StatusCode)
		}
	}
}

// A model too large to draw whole gets its zone summary, not an error.
func TestLargeModelDiagram(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	site := e.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "big"}, 201, nil)
	var model bytes.Buffer
	if err := synth.Model(&model, synth.Options{Components: 500, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	site.decode("POST", "/api/projects/big/versions", model.Bytes(), 201, nil)
	resp, body := site.do("GET", "/api/projects/big/versions/1/diagram", nil)
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<svg")) {
		t.Fatalf("diagram of a 500-component model = %d: %.200s", resp.StatusCode, body)
	}
	if resp, body := site.do("GET", "/api/projects/big/versions/1/diagram?zone=nope", nil); resp.StatusCode != 400 {
		t.Errorf("diagram of an unknown zone = %d: %.200s", resp.StatusCode, body)
	}
}

// A PDF of thousands of pages is refused with what to export instead.
func TestPDFExportBounded(t *testing.T) {
	e := newEnv(t, dialects(t)["sqlite"])
	site := e.user("site@example.com", true)
	site.decode("POST", "/api/projects", map[string]string{"slug": "big"}, 201, nil)
	var model bytes.Buffer
	if err := synth.Model(&model, synth.Options{Components: 1500, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var v versionView
	site.decode("POST", "/api/projects/big/versions", model.Bytes(), 201, &v)
	if v.Summary.Threats <= maxPDFThreats {
		t.Fatalf("the model has %d threats; the test needs more than %d", v.Summary.Threats, maxPDFThreats)
	}
	resp, body := site.do("GET", "/api/projects/big/versions/1/report?format=pdf", nil)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "too many for a PDF") {
		t.Errorf("PDF of %d threats = %d: %.200s", v.Summary.Threats, resp.StatusCode, body)
	}
	if resp, _ := site.do("GET", "/api/projects/big/versions/1/report?format=csv", nil); resp.StatusCode != 200 {
		t.Errorf("CSV of the same = %d", resp.StatusCode)
	}
}
