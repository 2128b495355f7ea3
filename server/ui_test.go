package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wardsec/ward/store"
)

// uiShop is a project with one member of each role, an outsider, and one
// uploaded version of the example.
type uiShop struct {
	e        *env
	as       map[string]*client
	threatID string
	threats  []store.Finding
}

func newShop(t *testing.T, e *env) *uiShop {
	t.Helper()
	ctx := context.Background()
	site := e.user("site@example.com", true)
	outsider := e.user("outsider@example.com", false)
	if _, err := e.store.CreateProject(ctx, "test", store.Project{Slug: "other", Name: "Other"}, outsider.id); err != nil {
		t.Fatal(err)
	}
	shop, err := e.store.CreateProject(ctx, "test", store.Project{Slug: "shop", Name: "Shop"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	sh := &uiShop{e: e, as: map[string]*client{"anonymous": {e: e}, "outsider": outsider, "site-admin": site}}
	for _, r := range store.Roles {
		c := e.user(string(r)+"@example.com", false)
		if err := e.store.SetMember(ctx, "test", shop.ID, c.id, r); err != nil {
			t.Fatal(err)
		}
		sh.as[string(r)] = c
	}
	site.decode("POST", "/api/projects/shop/versions?label=seed&name=acme.ward.yaml", example(t), 201, nil)
	site.decode("GET", "/api/projects/shop/versions/1/threats", nil, 200, &sh.threats)
	if len(sh.threats) < 3 {
		t.Fatalf("the example has %d threats; the tests need a few", len(sh.threats))
	}
	sh.threatID = sh.threats[0].ThreatID
	return sh
}

// page sends a browser's request: the session cookie, and a form (with the
// CSRF token only if the form holds one). Redirects are not followed.
func (c *client) page(method, path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.e.http.URL+path, body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.send(req)
}

func (c *client) send(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

// uploadForm posts the project page's upload form.
func (c *client) uploadForm(project, filename string, data []byte, csrf string) (*http.Response, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	mw.WriteField("label", "from the form")
	fw, _ := mw.CreateFormFile("model", filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.http.URL+"/p/"+project+"/versions", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

// isPage checks an answer is an HTML page, as every UI answer must be.
func isPage(t *testing.T, resp *http.Response, body string) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s %s: Content-Type %q, want an HTML page: %.200s", resp.Request.Method, resp.Request.URL.Path, ct, body)
	}
}

func TestUIPagesByRole(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		sh := newShop(t, e)
		th := "/p/shop/t/" + url.PathEscape(sh.threatID)
		// One status per caller, in this order.
		who := []string{"anonymous", "outsider", "viewer", "editor", "admin", "site-admin"}
		rows := []gridRow{
			{"/", "303 200 200 200 200 200"},
			{"/p/shop", "303 404 200 200 200 200"},
			{"/p/nope", "303 404 404 404 404 404"},
			{"/p/shop/v/1", "303 404 200 200 200 200"},
			{"/p/shop/v/latest", "303 404 200 200 200 200"},
			{"/p/shop/v/7", "303 404 404 404 404 404"},
			{"/p/shop/v/x", "303 404 400 400 400 400"},
			{th, "303 404 200 200 200 200"},
			{"/p/shop/t/no-such-threat", "303 404 404 404 404 404"},
			{"/p/shop/diff?from=1&to=latest", "303 404 200 200 200 200"},
			{"/p/shop/diff", "303 404 200 200 200 200"},
			{"/nowhere", "404 404 404 404 404 404"},
		}
		pageGrid(t, sh.as, who, rows, false)

		forms := []struct {
			path, form string
			editors    bool
		}{
			{"/p/shop", `id="upload-form"`, true},
			{th, `id="triage-form"`, true},
			{th, `id="comment-form"`, true},
			{"/", `id="sign-out"`, false},
		}
		for _, f := range forms {
			for _, name := range []string{"viewer", "editor", "admin", "site-admin"} {
				_, body := sh.as[name].page("GET", f.path, nil)
				want := !f.editors || name != "viewer"
				if got := strings.Contains(body, f.form); got != want {
					t.Errorf("GET %s as %s: %s shown = %v, want %v", f.path, name, f.form, got, want)
				}
			}
		}
	})
}

func TestUIPagesShowTheirContent(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		sh := newShop(t, e)
		viewer := sh.as["viewer"]
		checks := []struct {
			path string
			want []string
		}{
			{"/", []string{`href="/p/shop"`, "Shop", "Version 1", `class="count sev-high`}},
			{"/p/shop", []string{`href="/p/shop/v/1"`, "Acme e-commerce", "seed"}},
			{"/p/shop/v/1", []string{`<img src="/api/projects/shop/versions/1/diagram"`, `class="heatmap"`, `id="threat-table"`,
				"/api/projects/shop/versions/1/report?format=pdf", "/api/projects/shop/versions/1/report?format=csv", sh.threats[0].Title}},
			{"/p/shop/t/" + url.PathEscape(sh.threatID), []string{sh.threats[0].Title, "Scenario", "Security requirements", "Test cases", "History"}},
			{"/p/shop/diff?from=1&to=1", []string{"Nothing changed"}},
		}
		for _, c := range checks {
			resp, body := viewer.page("GET", c.path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d: %.300s", c.path, resp.StatusCode, body)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: no %q in the page", c.path, w)
				}
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("GET %s: CSP %q", c.path, csp)
			}
			checkCSPSafe(t, c.path, body)
		}
	})
}

// checkCSPSafe fails on markup the page's policy would block: inline
// scripts, style attributes or elements, and event handler attributes.
func checkCSPSafe(t *testing.T, path, body string) {
	t.Helper()
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`),
		regexp.MustCompile(`<script(?:(?:\s+[a-z-]+(?:="[^"]*")?)*)>`),
		regexp.MustCompile(`\sstyle=`),
		regexp.MustCompile(`<style`),
		regexp.MustCompile(`\son[a-z]+=`),
		regexp.MustCompile(`javascript:`),
	} {
		for _, m := range re.FindAllString(body, -1) {
			if strings.HasPrefix(m, "<script") && strings.Contains(m, ` src="/static/`) && strings.HasSuffix(m, ">") {
				continue
			}
			t.Errorf("GET %s: %q is blocked by the CSP", path, m)
		}
	}
}

func TestUITable(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		sh := newShop(t, e)
		viewer := sh.as["viewer"]
		rowRE := regexp.MustCompile(`<tr data-severity="([a-z]+)" data-stride="[^"]*" data-status="([a-z-]+)"`)
		rowsOf := func(path string) [][]string {
			t.Helper()
			resp, body := viewer.page("GET", path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d: %.300s", path, resp.StatusCode, body)
			}
			return rowRE.FindAllStringSubmatch(body, -1)
		}
		if got := rowsOf("/p/shop/v/1"); len(got) != len(sh.threats) {
			t.Errorf("%d rows, want %d", len(got), len(sh.threats))
		}
		high := 0
		for _, f := range sh.threats {
			if f.Severity == "high" {
				high++
			}
		}
		got := rowsOf("/p/shop/v/1?severity=high")
		if len(got) != high || high == 0 {
			t.Errorf("severity=high: %d rows, want %d", len(got), high)
		}
		for _, r := range got {
			if r[1] != "high" {
				t.Errorf("severity=high shows a %s row", r[1])
			}
		}
		// Sorting by severity ascending puts the least severe first.
		asc := rowsOf("/p/shop/v/1?sort=severity&dir=asc")
		if asc[0][1] != "low" || asc[len(asc)-1][1] == "low" {
			t.Errorf("sort=severity&dir=asc: first %s, last %s", asc[0][1], asc[len(asc)-1][1])
		}
		q := sh.threats[0].TargetName
		for _, r := range []string{"/p/shop/v/1?q=" + url.QueryEscape(q), "/p/shop/v/1?component=" + url.QueryEscape(sh.threats[0].Target)} {
			n := len(rowsOf(r))
			if n == 0 || n == len(sh.threats) {
				t.Errorf("GET %s: %d rows of %d, want some", r, n, len(sh.threats))
			}
		}
		// A long table is cut short, and says so.
		defer func(n int) { tableLimit = n }(tableLimit)
		tableLimit = 3
		if got := rowsOf("/p/shop/v/1"); len(got) != 3 {
			t.Errorf("%d rows past the limit of 3", len(got))
		}
		_, body := viewer.page("GET", "/p/shop/v/1", nil)
		if want := fmt.Sprintf("%d more threats match", len(sh.threats)-3); !strings.Contains(body, want) || !strings.Contains(body, "data-truncated") {
			t.Errorf("a cut table does not say %q", want)
		}

		resp, body := viewer.page("GET", "/p/shop/v/1?severity=dire", nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "use low, medium, high or critical") {
			t.Errorf("a bad filter = %d: %.300s", resp.StatusCode, body)
		}
		isPage(t, resp, body)
	})
}

// uiTriage holds what the triage checks share.
type uiTriage struct {
	*uiShop
	th             string
	editor, viewer *client
}

func (u uiTriage) form(c *client, status, comment string) url.Values {
	return url.Values{"csrf": {c.csrf}, "status": {status}, "owner": {"sam"}, "ticket": {"SEC-1"}, "comment": {comment}}
}

func TestUITriage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		sh := newShop(t, e)
		u := uiTriage{uiShop: sh, th: "/p/shop/t/" + url.PathEscape(sh.threatID), editor: sh.as["editor"], viewer: sh.as["viewer"]}
		for _, c := range []struct {
			name  string
			check func(*testing.T, uiTriage)
		}{
			{"viewer is forbidden", triageViewerIsForbidden},
			{"CSRF", triageCSRF},
			{"bad input comes back to the form", triageBadInputComesBackToTheForm},
			{"editor triages and comments", triageEditorTriagesAndComments},
		} {
			t.Run(c.name, func(t *testing.T) { c.check(t, u) })
		}
	})
}

func triageViewerIsForbidden(t *testing.T, u uiTriage) {
	resp, body := u.viewer.page("POST", u.th+"/triage", u.form(u.viewer, "mitigated", "no"))
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer's triage = %d, want 403", resp.StatusCode)
	}
	isPage(t, resp, body)
	resp, _ = u.viewer.page("POST", u.th+"/comments", url.Values{"csrf": {u.viewer.csrf}, "body": {"hi"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer's comment = %d, want 403", resp.StatusCode)
	}
}

func triageCSRF(t *testing.T, u uiTriage) {
	for name, token := range map[string][]string{"missing": nil, "wrong": {"csrf-viewer@example.com"}} {
		f := u.form(u.editor, "mitigated", "sneaky")
		f["csrf"] = token
		resp, body := u.editor.page("POST", u.th+"/triage", f)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "security token") {
			t.Errorf("%s CSRF token = %d, want 403: %.300s", name, resp.StatusCode, body)
		}
		isPage(t, resp, body)
	}
	// A POST that names no form at all is refused too.
	resp, _ := u.editor.page("POST", "/logout", url.Values{})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-out without CSRF = %d, want 403", resp.StatusCode)
	}
}

func triageBadInputComesBackToTheForm(t *testing.T, u uiTriage) {
	resp, body := u.editor.page("POST", u.th+"/triage", u.form(u.editor, "accepted", "we live with it"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "accepted_until") || !strings.Contains(body, "we live with it") {
		t.Errorf("accepted without a date = %d: %.500s", resp.StatusCode, body)
	}
	resp, body = u.editor.page("POST", u.th+"/comments", url.Values{"csrf": {u.editor.csrf}, "body": {"  "}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "1 to 10,000 characters") {
		t.Errorf("an empty comment = %d: %.300s", resp.StatusCode, body)
	}
}

func triageEditorTriagesAndComments(t *testing.T, u uiTriage) {
	resp, body := u.editor.page("POST", u.th+"/triage", u.form(u.editor, "mitigated", "fixed in v2"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage = %d: %.300s", resp.StatusCode, body)
	}
	resp, body = u.editor.page("POST", u.th+"/comments", url.Values{"csrf": {u.editor.csrf}, "body": {"verified by QA"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("comment = %d: %.300s", resp.StatusCode, body)
	}
	_, body = u.viewer.page("GET", u.th, nil)
	for _, want := range []string{`id="threat-status">mitigated`, "fixed in v2", "verified by QA", "SEC-1", "status: — → mitigated", "triaged</strong> by editor@example.com"} {
		if !strings.Contains(body, want) {
			t.Errorf("the threat page has no %q after triage", want)
		}
	}
	shop, err := u.e.store.ProjectBySlug(context.Background(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	tr, ok, err := u.e.store.TriageOf(context.Background(), shop.ID, u.threatID)
	if err != nil || !ok || tr.Status != "mitigated" || tr.Owner != "sam" {
		t.Errorf("stored triage = %+v, %v, %v", tr, ok, err)
	}
}

// uiLogin posts the sign-in form as an anonymous browser.
func uiLogin(sh *uiShop, email, password, next string) (*http.Response, string) {
	return sh.as["anonymous"].page("POST", "/login", url.Values{"email": {email}, "password": {password}, "next": {next}})
}

// TestUILogin runs the checks in order on one server: the rate limit,
// last, counts the attempts before it.
func TestUILogin(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		sh := newShop(t, e)
		resp, body := sh.as["anonymous"].page("GET", "/login?next=%2Fp%2Fshop", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="next" value="/p/shop"`) {
			t.Errorf("the sign-in form = %d: %.300s", resp.StatusCode, body)
		}
		for _, c := range []struct {
			name  string
			check func(*testing.T, *uiShop)
		}{
			{"success", loginSuccess},
			{"open redirect refused", loginOpenRedirectRefused},
			{"cross-site form refused", loginCrossSiteFormRefused},
			{"failure", loginFailure},
			{"rate limit", loginRateLimit},
		} {
			t.Run(c.name, func(t *testing.T) { c.check(t, sh) })
		}
	})
}

func loginSuccess(t *testing.T, sh *uiShop) {
	resp, body := uiLogin(sh, "viewer@example.com", "correct horse battery", "/p/shop/v/1?severity=high")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/p/shop/v/1?severity=high" {
		t.Fatalf("sign-in = %d to %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			session = c.Value
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie %+v: want HttpOnly and SameSite=Lax", c)
			}
		}
	}
	signedIn := &client{e: sh.e, cookie: session}
	if resp, body := signedIn.page("GET", "/p/shop", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the new session's GET /p/shop = %d: %.300s", resp.StatusCode, body)
	}
	// Signed in, the form sends the reader on.
	if resp, _ := signedIn.page("GET", "/login?next=/p/shop", nil); resp.Header.Get("Location") != "/p/shop" {
		t.Errorf("the sign-in form when signed in = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func loginOpenRedirectRefused(t *testing.T, sh *uiShop) {
	for _, next := range []string{"//evil.example/", "https://evil.example/", `/\evil.example`, "evil.example", "javascript:alert(1)", "/\t/evil.example"} {
		resp, _ := uiLogin(sh, "editor@example.com", "correct horse battery", next)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("next=%q: %d to %q, want 303 to /", next, resp.StatusCode, loc)
		}
	}
}

func loginCrossSiteFormRefused(t *testing.T, sh *uiShop) {
	for name, value := range map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"} {
		req, _ := http.NewRequest("POST", sh.e.http.URL+"/login", strings.NewReader("email=editor%40example.com&password=correct+horse+battery"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(name, value)
		if resp, _ := sh.as["anonymous"].send(req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a sign-in posted with %s: %s = %d, want 403", name, value, resp.StatusCode)
		}
	}
}

func loginFailure(t *testing.T, sh *uiShop) {
	resp, body := uiLogin(sh, "admin@example.com", "wrong password", "/p/shop")
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "wrong email or password") ||
		!strings.Contains(body, `value="admin@example.com"`) || !strings.Contains(body, `value="/p/shop"`) {
		t.Errorf("a wrong password = %d: %.500s", resp.StatusCode, body)
	}
	isPage(t, resp, body)
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			t.Error("a failed sign-in set a session cookie")
		}
	}
}

func loginRateLimit(t *testing.T, sh *uiShop) {
	var resp *http.Response
	var body string
	for range 12 {
		if resp, body = uiLogin(sh, "site@example.com", "guess", "/"); resp.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "too many sign-in attempts") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("12 wrong passwords: the last = %d (Retry-After %q): %.300s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	isPage(t, resp, body)
	// Even the right password waits.
	if resp, _ := uiLogin(sh, "site@example.com", "correct horse battery", "/"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password while limited = %d, want 429", resp.StatusCode)
	}
}

func TestUILogout(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		sh := newShop(t, e)
		c := sh.as["editor"]
		resp, body := c.page("POST", "/logout", url.Values{"csrf": {c.csrf}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Fatalf("sign-out = %d to %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		if resp, _ := c.page("GET", "/p/shop", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after sign-out GET /p/shop = %d, want a redirect to sign in", resp.StatusCode)
		}
	})
}

func TestUIUpload(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		sh := newShop(t, e)
		editor, viewer := sh.as["editor"], sh.as["viewer"]
		broken := bytes.Replace(example(t), []byte("kind: user"), []byte("kind: usr"), 1)

		resp, body := editor.uploadForm("shop", "acme.ward.yaml", broken, editor.csrf)
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("a broken model = %d, want 400: %.300s", resp.StatusCode, body)
		}
		isPage(t, resp, body)
		if !regexp.MustCompile(`id="upload-error"[\s\S]*acme\.ward\.yaml:\d+:\d+: `).MatchString(body) {
			t.Errorf("the upload error does not say file:line:col: %.2000s", body[strings.Index(body, "<main"):])
		}

		if resp, _ := viewer.uploadForm("shop", "acme.ward.yaml", example(t), viewer.csrf); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a viewer's upload = %d, want 403", resp.StatusCode)
		}
		if resp, _ := editor.uploadForm("shop", "acme.ward.yaml", example(t), ""); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an upload without CSRF = %d, want 403", resp.StatusCode)
		}

		// The second version stops encrypting the order database.
		changed := bytes.Replace(example(t), []byte("encrypted_at_rest: true"), []byte("encrypted_at_rest: false"), 1)
		resp, body = editor.uploadForm("shop", "acme.ward.yaml", changed, editor.csrf)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/p/shop/v/2" {
			t.Fatalf("an upload = %d to %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		_, body = viewer.page("GET", "/p/shop", nil)
		if !strings.Contains(body, "from the form") || !strings.Contains(body, "/p/shop/diff?from=1&amp;to=2") {
			t.Errorf("the project page does not list version 2 with its label and diff link")
		}
		_, body = viewer.page("GET", "/p/shop/diff?from=1&to=2", nil)
		for _, want := range []string{`id="diff-new"`, "@order-db", "encrypted_at_rest", "acme.ward.yaml:"} {
			if !strings.Contains(body, want) {
				t.Errorf("the diff page has no %q", want)
			}
		}
		if strings.Contains(body, "ward-model-") {
			t.Error("the diff page shows the server's temporary directory")
		}

		// Triage is set on the latest version; an older one links there.
		_, body = editor.page("GET", "/p/shop/t/"+url.PathEscape(sh.threatID)+"?version=1", nil)
		if strings.Contains(body, `id="triage-form"`) || !strings.Contains(body, "Triage is set on the latest version") {
			t.Errorf("an old version's threat page offers triage")
		}
	})
}

// TestUIUploadTooLarge checks an upload over the limit is refused with a
// page, whether its size is declared or found out while reading.
func TestUIUploadTooLarge(t *testing.T) {
	st, err := store.Open(context.Background(), t.TempDir()+"/ward.db")
	if err != nil {
		t.Fatal(err)
	}
	lim := DefaultLimits
	lim.MaxBody = 4096
	srv, err := New(Config{Store: st, Passwords: fastPasswords, Now: func() time.Time { return today }, InsecureCookies: true, Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); st.Close() })
	e := &env{t: t, store: st, srv: srv, http: hs}
	editor := e.user("editor@example.com", false)
	if _, err := st.CreateProject(context.Background(), "test", store.Project{Slug: "shop", Name: "Shop"}, editor.id); err != nil {
		t.Fatal(err)
	}
	resp, body := editor.uploadForm("shop", "acme.ward.yaml", example(t), editor.csrf)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "limit of 4096 bytes") {
		t.Errorf("a declared large upload = %d: %.300s", resp.StatusCode, body)
	}
	isPage(t, resp, body)

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", editor.csrf)
	fw, _ := mw.CreateFormFile("model", "acme.ward.yaml")
	fw.Write(example(t))
	mw.Close()
	// A reader without a known length is sent chunked, with no size.
	req, _ := http.NewRequest("POST", hs.URL+"/p/shop/versions", io.MultiReader(&buf))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, body = editor.send(req)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "limit of 4096 bytes") {
		t.Errorf("a chunked large upload = %d: %.300s", resp.StatusCode, body)
	}
	isPage(t, resp, body)
}

func TestUIStatic(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/ward.db")
	c := &client{e: e}
	for _, name := range []string{"ui.css", "ui.js", "favicon.svg"} {
		u, err := staticURL(name)
		if err != nil {
			t.Fatal(err)
		}
		resp, body := c.page("GET", u, nil)
		if resp.StatusCode != http.StatusOK || len(body) == 0 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s = %d, Cache-Control %q", u, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		req, _ := http.NewRequest("GET", e.http.URL+u, nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		if resp, _ := c.send(req); resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag = %d, want 304", u, resp.StatusCode)
		}
	}
	if resp, _ := c.page("GET", "/static/ui.000000000000.css", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a stale asset name = %d, want 404", resp.StatusCode)
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/p/shop": "/p/shop", "/p/shop/v/1?severity=high#threats": "/p/shop/v/1?severity=high#threats", "": "/",
		"//evil.example": "/", `/\evil.example`: "/", "https://evil.example/": "/", "p/shop": "/", "/\r\nX: y": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// gridRow is a page and the status each caller gets, in the order of the
// callers given to pageGrid.
type gridRow struct{ path, codes string }

// pageGrid requests each page as each caller and checks the exact status:
// a redirect must lead to the sign-in page with the way back, anything else
// must be an HTML page (and, with csp, a page the CSP lets work).
func pageGrid(t *testing.T, as map[string]*client, callers []string, rows []gridRow, csp bool) {
	t.Helper()
	for _, row := range rows {
		want := strings.Fields(row.codes)
		for i, name := range callers {
			resp, body := as[name].page("GET", row.path, nil)
			if fmt.Sprint(resp.StatusCode) != want[i] {
				t.Errorf("GET %s as %s = %d, want %s: %.300s", row.path, name, resp.StatusCode, want[i], body)
				continue
			}
			if resp.StatusCode == http.StatusSeeOther {
				if loc, wantLoc := resp.Header.Get("Location"), "/login?next="+url.QueryEscape(row.path); loc != wantLoc {
					t.Errorf("GET %s as %s redirects to %q, want %q", row.path, name, loc, wantLoc)
				}
				continue
			}
			isPage(t, resp, body)
			if csp && resp.StatusCode == http.StatusOK {
				checkCSPSafe(t, row.path, body)
			}
		}
	}
}
