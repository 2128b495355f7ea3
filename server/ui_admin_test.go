package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// adminShop is the UI shop with handles on the project and an account that
// belongs to nothing, for membership forms to move about.
type adminShop struct {
	*uiShop
	shop store.Project
}

func newAdminShop(t *testing.T, e *env) adminShop {
	t.Helper()
	sh := newShop(t, e)
	e.user("spare@example.com", false)
	shop, err := e.store.ProjectBySlug(context.Background(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	return adminShop{uiShop: sh, shop: shop}
}

// post sends a form with the caller's own CSRF token.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	f := url.Values{"csrf": {c.csrf}}
	for k, v := range form {
		f[k] = v
	}
	return c.page("POST", path, f)
}

// newToken and newWebhook make something for a revoke or delete form to
// remove, one per request.
func (a adminShop) newToken(t *testing.T) string {
	_, hash, err := auth.NewToken(auth.TokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.e.store.CreateToken(context.Background(), "test", store.Token{Name: "doomed", ProjectID: a.shop.ID, Role: store.Viewer, Hash: hash})
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(tok.ID, 10)
}

func (a adminShop) tokens(t *testing.T) []store.Token {
	ts, err := a.e.store.Tokens(context.Background(), a.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func (a adminShop) newWebhook(t *testing.T) string {
	h, err := a.e.store.CreateWebhook(context.Background(), "test", store.Webhook{ProjectID: a.shop.ID, URL: "https://hooks.example.com/doomed", Secret: "0123456789abcdef", MinSeverity: "high"})
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(h.ID, 10)
}

var adminCallers = []string{"anonymous", "outsider", "viewer", "editor", "admin", "site-admin"}

func TestUIAdminPagesByRole(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		gets := []gridRow{
			{"/p/shop/settings", "303 404 403 403 200 200"},
			{"/p/nope/settings", "303 404 404 404 404 404"},
			{"/p/other/settings", "303 200 404 404 404 200"},
			{"/admin", "303 404 404 404 404 200"},
			{"/p/shop/v/1/compliance", "303 404 200 200 200 200"},
			{"/p/shop/v/latest/compliance", "303 404 200 200 200 200"},
			{"/p/shop/v/9/compliance", "303 404 404 404 404 404"},
		}
		pageGrid(t, a.as, adminCallers, gets, true)

		// Each POST is sent by every caller; the path is made afresh for
		// each, so one caller's success does not change the next's answer.
		// "done" is a redirect back to a page, "login" one to sign in.
		posts := []struct {
			name  string
			path  func(i int) string
			form  func(i int) url.Values
			codes string
		}{
			{"add member", fixed("/p/shop/settings/members"), form("email", "spare@example.com", "role", "viewer"), "login 404 403 403 done done"},
			{"remove member", fixed("/p/shop/settings/members/remove"), form("email", "spare@example.com"), "login 404 403 403 done done"},
			{"create token", fixed("/p/shop/settings/tokens"), form("name", "ci", "role", "viewer", "expires_in_days", "30"), "login 404 403 403 200 200"},
			{"revoke token", func(int) string { return "/p/shop/settings/tokens/" + a.newToken(t) + "/revoke" }, form(), "login 404 403 403 done done"},
			{"create webhook", fixed("/p/shop/settings/webhooks"), form("url", "https://hooks.example.com/ward", "min_severity", "high"), "login 404 403 403 200 200"},
			{"delete webhook", func(int) string { return "/p/shop/settings/webhooks/" + a.newWebhook(t) + "/delete" }, form(), "login 404 403 403 done done"},
			{"create account", fixed("/admin/users"), func(i int) url.Values {
				return url.Values{"email": {fmt.Sprintf("new%d@example.com", i)}, "password": {"a long enough password"}}
			}, "login 404 404 404 404 done"},
			{"create project", fixed("/admin/projects"), func(i int) url.Values { return url.Values{"slug": {fmt.Sprintf("new-%d", i)}} }, "login 404 404 404 404 done"},
		}
		for _, p := range posts {
			want := strings.Fields(p.codes)
			for i, name := range adminCallers {
				path := p.path(i)
				resp, body := a.as[name].post(path, p.form(i))
				got, loc := fmt.Sprint(resp.StatusCode), resp.Header.Get("Location")
				if resp.StatusCode == http.StatusSeeOther {
					got = "done"
					if strings.HasPrefix(loc, "/login?") {
						got = "login"
					}
				}
				if got != want[i] {
					t.Errorf("%s (POST %s) as %s = %d to %q, want %s: %.300s", p.name, path, name, resp.StatusCode, loc, want[i], body)
					continue
				}
				if resp.StatusCode != http.StatusSeeOther {
					isPage(t, resp, body)
				}
			}
		}
	})
}

func fixed(path string) func(int) string { return func(int) string { return path } }

func form(kv ...string) func(int) url.Values {
	return func(int) url.Values {
		f := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
}

// TestUIAdminCSRF sends every new form without the session's token, and
// with another session's, as the callers allowed to use it.
func TestUIAdminCSRF(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		before := a.tokens(t)
		for _, path := range []string{
			"/p/shop/settings/members", "/p/shop/settings/members/remove", "/p/shop/settings/tokens",
			"/p/shop/settings/tokens/" + a.newToken(t) + "/revoke", "/p/shop/settings/webhooks",
			"/p/shop/settings/webhooks/" + a.newWebhook(t) + "/delete", "/admin/users", "/admin/projects",
		} {
			for _, name := range []string{"admin", "site-admin"} {
				if name == "admin" && strings.HasPrefix(path, "/admin") {
					continue
				}
				c := a.as[name]
				for _, token := range []string{"", "csrf-viewer@example.com"} {
					f := url.Values{"email": {"spare@example.com"}, "role": {"viewer"}, "name": {"ci"}, "url": {"https://hooks.example.com/x"},
						"min_severity": {"low"}, "password": {"a long enough password"}, "slug": {"sneaky"}}
					if token != "" {
						f.Set("csrf", token)
					}
					resp, body := c.page("POST", path, f)
					if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "security token") {
						t.Errorf("POST %s as %s with CSRF %q = %d, want 403: %.300s", path, name, token, resp.StatusCode, body)
					}
					isPage(t, resp, body)
				}
			}
		}
		if after := a.tokens(t); len(after) != len(before)+1 {
			t.Errorf("%d tokens after refused forms, want %d", len(after), len(before)+1)
		}
		if _, err := e.store.ProjectBySlug(context.Background(), "sneaky"); err == nil {
			t.Error("a project was created without a CSRF token")
		}
	})
}

var secretRE = regexp.MustCompile(`id="secret-value">([^<]+)</pre>`)

func TestUISettingsTokenSecretShownOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		admin := a.as["admin"]
		resp, body := admin.post("/p/shop/settings/tokens", url.Values{"name": {"ci-deploy"}, "role": {"editor"}, "expires_in_days": {"30"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("create token = %d: %.300s", resp.StatusCode, body)
		}
		m := secretRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no secret in the answer: %.2000s", body)
		}
		secret := m[1]
		if !strings.HasPrefix(secret, auth.TokenPrefix) || strings.Count(body, secret) != 1 {
			t.Errorf("secret %q shown %d times, want once with prefix %q", secret, strings.Count(body, secret), auth.TokenPrefix)
		}
		if resp.Header.Get("Location") != "" || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("the secret's page: Location %q, Cache-Control %q", resp.Header.Get("Location"), resp.Header.Get("Cache-Control"))
		}
		if !strings.Contains(body, "ci-deploy") || !strings.Contains(body, "2026-01-31") {
			t.Errorf("the answer does not list the new token expiring in 30 days")
		}
		_, later := admin.page("GET", "/p/shop/settings", nil)
		if strings.Contains(later, secret) || strings.Contains(later, `id="secret-value"`) || !strings.Contains(later, "ci-deploy") {
			t.Errorf("the settings page shows the secret again, or not the token")
		}

		// The stored hash is the secret's: it works as a bearer token with its role.
		tok, err := e.store.TokenByHash(context.Background(), auth.HashToken(secret))
		if err != nil || tok.Name != "ci-deploy" || tok.Role != store.Editor || tok.CreatedBy != "user:admin@example.com" {
			t.Fatalf("stored token %+v, %v", tok, err)
		}
		bearer := &client{e: e, bearer: secret}
		var pv projectView
		bearer.decode("GET", "/api/projects/shop", nil, http.StatusOK, &pv)
		if pv.Role != store.Editor {
			t.Errorf("the token's role = %s, want editor", pv.Role)
		}
		revokeToken(t, admin, bearer, tok)
	})
}

// revokeToken revokes a token through its form and checks it stops working.
func revokeToken(t *testing.T, admin, bearer *client, tok store.Token) {
	t.Helper()
	resp, _ := admin.post(fmt.Sprintf("/p/shop/settings/tokens/%d/revoke", tok.ID), nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/p/shop/settings?saved=token-revoked#tokens" {
		t.Errorf("revoke = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := bearer.do("GET", "/api/projects/shop", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a revoked token = %d, want 401", resp.StatusCode)
	}
	if _, body := admin.page("GET", "/p/shop/settings?saved=token-revoked", nil); !strings.Contains(body, "Token revoked") || strings.Contains(body, tok.Name) {
		t.Error("after revoking, the page does not say so, or still lists the token")
	}
}

func TestUISettingsWebhooks(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		admin := a.as["admin"]
		resp, body := admin.post("/p/shop/settings/webhooks", url.Values{"url": {"https://hooks.example.com/ward"}, "min_severity": {"low"}})
		m := secretRE.FindStringSubmatch(body)
		if resp.StatusCode != http.StatusOK || m == nil {
			t.Fatalf("create webhook = %d: %.2000s", resp.StatusCode, body)
		}
		hs, err := e.store.Webhooks(context.Background(), a.shop.ID)
		if err != nil || len(hs) != 1 || hs[0].Secret != m[1] || hs[0].MinSeverity != "low" || strings.Count(body, m[1]) != 1 {
			t.Fatalf("stored webhooks %+v (%v); shown secret %q", hs, err, m[1])
		}

		// A version with new threats queues a delivery, listed under the webhook.
		changed := strings.Replace(string(example(t)), "encrypted_at_rest: true", "encrypted_at_rest: false", 1)
		a.as["site-admin"].decode("POST", "/api/projects/shop/versions?name=acme.ward.yaml", []byte(changed), http.StatusCreated, nil)
		_, body = admin.page("GET", "/p/shop/settings", nil)
		if strings.Contains(body, m[1]) || !strings.Contains(body, "https://hooks.example.com/ward") || !strings.Contains(body, `class="delivery st-pending">pending`) {
			t.Errorf("the settings page shows the secret, or not the webhook and its pending delivery: %.3000s", body[strings.Index(body, `id="webhooks"`):])
		}

		resp, _ = admin.post(fmt.Sprintf("/p/shop/settings/webhooks/%d/delete", hs[0].ID), nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete webhook = %d", resp.StatusCode)
		}
		if hs, _ := e.store.Webhooks(context.Background(), a.shop.ID); len(hs) != 0 {
			t.Errorf("%d webhooks after deleting the only one", len(hs))
		}
		if resp, body := admin.post("/p/shop/settings/webhooks/99999/delete", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("deleting a missing webhook = %d: %.300s", resp.StatusCode, body)
		}
	})
}

// TestUISettingsFormsRefuseBadInput checks each form's problem comes back
// to it, with what was typed.
func TestUISettingsFormsRefuseBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		cases := []struct {
			who, path string
			form      url.Values
			code      int
			want      []string
		}{
			{"admin", "/p/shop/settings/members", url.Values{"email": {"ghost@example.com"}, "role": {"viewer"}}, 400, []string{`id="member-error"`, "no account has the email", `value="ghost@example.com"`}},
			{"admin", "/p/shop/settings/members", url.Values{"email": {"spare@example.com"}, "role": {"owner"}}, 400, []string{`id="member-error"`, `role &#34;owner&#34;`}},
			{"admin", "/p/shop/settings/tokens", url.Values{"name": {""}, "role": {"viewer"}}, 400, []string{`id="token-error"`, "name the token"}},
			{"admin", "/p/shop/settings/tokens", url.Values{"name": {"ci"}, "role": {"viewer"}, "expires_in_days": {"-1"}}, 400, []string{`id="token-error"`, "from 0 (never)", `value="ci"`}},
			{"admin", "/p/shop/settings/webhooks", url.Values{"url": {"ftp://hooks.example.com"}, "min_severity": {"high"}}, 400, []string{`id="webhook-error"`, "http:// or https://"}},
			{"admin", "/p/shop/settings/webhooks", url.Values{"url": {"https://u:p@hooks.example.com"}, "min_severity": {"high"}}, 400, []string{`id="webhook-error"`, "credentials"}},
			{"admin", "/p/shop/settings/webhooks", url.Values{"url": {"https://hooks.example.com"}, "min_severity": {"dire"}}, 400, []string{`id="webhook-error"`, "low, medium, high or critical"}},
			{"site-admin", "/admin/users", url.Values{"email": {"short@example.com"}, "password": {"too short"}}, 400, []string{`id="user-error"`, "at least 12 characters", `value="short@example.com"`}},
			{"site-admin", "/admin/users", url.Values{"email": {"not an email"}, "password": {"a long enough password"}}, 400, []string{`id="user-error"`, "not an email address"}},
			{"site-admin", "/admin/users", url.Values{"email": {"viewer@example.com"}, "password": {"a long enough password"}}, 409, []string{`id="user-error"`, "already exists"}},
			{"site-admin", "/admin/projects", url.Values{"slug": {"Bad Slug"}}, 400, []string{`id="project-error"`, "lowercase letters, digits and dashes", `value="Bad Slug"`}},
			{"site-admin", "/admin/projects", url.Values{"slug": {"shop"}}, 409, []string{`id="project-error"`, "already exists"}},
		}
		for _, c := range cases {
			resp, body := a.as[c.who].post(c.path, c.form)
			if resp.StatusCode != c.code {
				t.Errorf("POST %s %v = %d, want %d: %.300s", c.path, c.form, resp.StatusCode, c.code, body)
				continue
			}
			isPage(t, resp, body)
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("POST %s %v: no %q in the page", c.path, c.form, w)
				}
			}
			if strings.Contains(body, "a long enough password") || strings.Contains(body, "too short") {
				t.Errorf("POST %s: the password is sent back", c.path)
			}
		}
	})
}

func TestUISettingsMembersAndAudit(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		ctx := context.Background()
		admin := a.as["admin"]
		spare, err := e.store.UserByEmail(ctx, "spare@example.com")
		if err != nil {
			t.Fatal(err)
		}
		roleOf := func() store.Role {
			r, err := e.store.RoleOf(ctx, a.shop.ID, spare.ID)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		steps := []struct {
			path string
			form url.Values
			want store.Role
		}{
			{"/p/shop/settings/members", url.Values{"email": {"Spare@Example.com "}, "role": {"viewer"}}, store.Viewer},
			{"/p/shop/settings/members", url.Values{"email": {"spare@example.com"}, "role": {"editor"}}, store.Editor},
			{"/p/shop/settings/members/remove", url.Values{"email": {"spare@example.com"}}, ""},
		}
		for _, s := range steps {
			resp, body := admin.post(s.path, s.form)
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/p/shop/settings?saved=member") {
				t.Fatalf("POST %s %v = %d to %q: %.300s", s.path, s.form, resp.StatusCode, resp.Header.Get("Location"), body)
			}
			if got := roleOf(); got != s.want {
				t.Errorf("after POST %s %v the role is %q, want %q", s.path, s.form, got, s.want)
			}
		}
		_, body := admin.page("GET", "/p/shop/settings?saved=member", nil)
		for _, w := range []string{"Membership saved.", "viewer@example.com", "editor@example.com", `id="member-form"`, `id="token-form"`, `id="webhook-form"`} {
			if !strings.Contains(body, w) {
				t.Errorf("the settings page has no %q", w)
			}
		}

		admin.post("/p/shop/settings/tokens", url.Values{"name": {"ci"}, "role": {"viewer"}})
		ts := a.tokens(t)
		admin.post(fmt.Sprintf("/p/shop/settings/tokens/%d/revoke", ts[len(ts)-1].ID), nil)
		admin.post("/p/shop/settings/webhooks", url.Values{"url": {"https://hooks.example.com/ward"}, "min_severity": {"high"}})
		hs, err := e.store.Webhooks(ctx, a.shop.ID)
		if err != nil || len(hs) != 1 {
			t.Fatalf("webhooks %+v, %v", hs, err)
		}
		admin.post(fmt.Sprintf("/p/shop/settings/webhooks/%d/delete", hs[0].ID), nil)

		es, err := e.store.AuditOf(ctx, a.shop.ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, en := range es {
			if en.Actor == "user:admin@example.com" {
				got[en.Action]++
				if strings.Contains(en.After, "whsec_") || strings.Contains(en.Before, "whsec_") {
					t.Errorf("the audit entry %s keeps the webhook's secret", en.Action)
				}
			}
		}
		for action, n := range map[string]int{"member.set": 3, "token.create": 1, "token.delete": 1, "webhook.create": 1, "webhook.delete": 1} {
			if got[action] != n {
				t.Errorf("%d %s entries by the admin, want %d (all: %v)", got[action], action, n, got)
			}
		}
	})
}

func TestUISiteAdmin(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		ctx := context.Background()
		site := a.as["site-admin"]
		_, body := site.page("GET", "/admin", nil)
		for _, w := range []string{"spare@example.com", "site@example.com", `href="/p/shop/settings"`, `id="user-form"`, `id="project-form"`, `name="site_admin"`} {
			if !strings.Contains(body, w) {
				t.Errorf("the administration page has no %q", w)
			}
		}

		resp, body := site.post("/admin/users", url.Values{"email": {"Ops@Example.com"}, "name": {"Ops"}, "password": {"a long enough password"}, "site_admin": {"on"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin?saved=user#accounts" {
			t.Fatalf("create account = %d to %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		u, err := e.store.UserByEmail(ctx, "ops@example.com")
		if err != nil || !u.SiteAdmin || u.Name != "Ops" || auth.CheckPassword(u.PasswordHash, "a long enough password") != nil {
			t.Errorf("the new account %+v, %v", u, err)
		}
		if _, body := site.page("GET", "/admin?saved=user", nil); !strings.Contains(body, "Account created") || !strings.Contains(body, "ops@example.com") {
			t.Error("the page does not list the new account")
		}

		resp, body = site.post("/admin/projects", url.Values{"slug": {"payments"}, "name": {"Payments"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/p/payments/settings?saved=project" {
			t.Fatalf("create project = %d to %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		p, err := e.store.ProjectBySlug(ctx, "payments")
		if err != nil || p.Name != "Payments" {
			t.Fatalf("the new project %+v, %v", p, err)
		}
		if role, err := e.store.RoleOf(ctx, p.ID, site.id); err != nil || role != store.Admin {
			t.Errorf("the creator's role in the new project = %q, %v; want admin", role, err)
		}
		if _, body := site.page("GET", "/p/payments/settings?saved=project", nil); !strings.Contains(body, "Project created") {
			t.Error("the new project's settings do not say it was created")
		}
	})
}

// TestUIAdminLinks checks each page links the new ones for those who may
// use them, and only them.
func TestUIAdminLinks(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		for _, name := range []string{"viewer", "editor", "admin", "site-admin"} {
			_, home := a.as[name].page("GET", "/", nil)
			if got, want := strings.Contains(home, `href="/admin"`), name == "site-admin"; got != want {
				t.Errorf("%s: the top bar links /admin = %v, want %v", name, got, want)
			}
			_, project := a.as[name].page("GET", "/p/shop", nil)
			if got, want := strings.Contains(project, `href="/p/shop/settings"`), name == "admin" || name == "site-admin"; got != want {
				t.Errorf("%s: the project page links its settings = %v, want %v", name, got, want)
			}
			if _, version := a.as[name].page("GET", "/p/shop/v/1", nil); !strings.Contains(version, `href="/p/shop/v/1/compliance"`) {
				t.Errorf("%s: the version page does not link its compliance view", name)
			}
		}
	})
}

func TestUICompliance(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		a := newAdminShop(t, e)
		viewer := a.as["viewer"]
		var fws []struct {
			Name         string `json:"Name"`
			Requirements []struct {
				ID      string `json:"ID"`
				Threats []struct{ ID, Title string }
			} `json:"Requirements"`
		}
		viewer.decode("GET", "/api/projects/shop/versions/1/compliance", nil, http.StatusOK, &fws)
		if len(fws) == 0 || len(fws[0].Requirements) == 0 || len(fws[0].Requirements[0].Threats) == 0 {
			t.Fatalf("the example maps to no framework: %+v", fws)
		}
		fw, req := fws[0], fws[0].Requirements[0]
		th := req.Threats[0]

		// Triage shows: the threat's status on the page is today's.
		editor := a.as["editor"]
		if resp, body := editor.post("/p/shop/t/"+url.PathEscape(th.ID)+"/triage", url.Values{"status": {"mitigated"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("triage = %d: %.300s", resp.StatusCode, body)
		}
		resp, body := viewer.page("GET", "/p/shop/v/1/compliance", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET compliance = %d: %.300s", resp.StatusCode, body)
		}
		li := regexp.MustCompile(`<a href="` + regexp.QuoteMeta("/p/shop/t/"+url.PathEscape(th.ID)+"?version=1") + `">[^<]*</a> <span class="muted small">[^<]*</span> <span class="status st-([a-z-]+)">`)
		for _, w := range []string{`id="framework-` + fw.Name + `"`, "<h2>" + fw.Name + "</h2>", "<strong>" + req.ID + "</strong>"} {
			if !strings.Contains(body, w) {
				t.Errorf("the compliance page has no %q", w)
			}
		}
		if m := li.FindStringSubmatch(body); m == nil || m[1] != "mitigated" {
			t.Errorf("the compliance page does not list %s as mitigated: %v", th.ID, m)
		}
	})
}

// TestUIPanicIsAPage checks a handler's panic is answered as a page on the
// UI's addresses and as JSON on the API's.
func TestUIPanicIsAPage(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/ward.db")
	boom := func(http.ResponseWriter, *http.Request) { panic("boom") }
	e.srv.mux.HandleFunc("GET /p/{project}/boom", boom)
	e.srv.mux.HandleFunc("GET /api/boom", boom)
	c := &client{e: e}
	resp, body := c.page("GET", "/p/shop/boom", nil)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "Something went wrong") {
		t.Errorf("a UI panic = %d: %.300s", resp.StatusCode, body)
	}
	isPage(t, resp, body)
	resp, body = c.page("GET", "/api/boom", nil)
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(body, `"internal error"`) {
		t.Errorf("an API panic = %d (%s): %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
