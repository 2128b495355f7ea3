package server

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"

	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// oidcNow is the clock of these tests, server and provider alike. It is
// near the real time because the store expires sessions by it.
var oidcNow = time.Now().UTC().Truncate(time.Second)

const (
	idpClientID = "ward-test"
	idpSecret   = "s3cret"
	idpKeyID    = "test-key"
)

// fakeIDP is an OpenID Connect provider: discovery and keys come from
// oidctest, the authorization and token endpoints from here. It checks
// PKCE and client credentials like a real one.
type fakeIDP struct {
	t    *testing.T
	key  *rsa.PrivateKey
	http *httptest.Server
	// down makes discovery fail, as when the provider is unreachable.
	down atomic.Bool

	mu     sync.Mutex
	grants map[string]idpGrant
	// claims, when set, edits the ID token's claims before signing.
	claims func(map[string]any)
	email  string
}

// idpGrant is what /auth remembers for /token.
type idpGrant struct {
	nonce, challenge, redirect string
}

func newFakeIDP(t *testing.T) *fakeIDP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeIDP{t: t, key: key, grants: map[string]idpGrant{}}
	keys := &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: idpKeyID, Algorithm: oidc.RS256}}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		keys.ServeHTTP(w, r)
	})
	mux.Handle("GET /keys", keys)
	mux.HandleFunc("GET /auth", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	f.http = httptest.NewServer(mux)
	keys.SetIssuer(f.http.URL)
	t.Cleanup(f.http.Close)
	return f
}

// authorize approves at once, as if the user had signed in as f.email.
func (f *fakeIDP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != idpClientID || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("nonce") == "" ||
		!strings.Contains(" "+q.Get("scope")+" ", " openid ") {
		http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	code := rand.Text()
	f.mu.Lock()
	f.grants[code] = idpGrant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	f.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (f *fakeIDP) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != idpClientID || secret != idpSecret {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	f.mu.Lock()
	g, ok := f.grants[r.PostFormValue("code")]
	delete(f.grants, r.PostFormValue("code"))
	f.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if !ok || r.PostFormValue("grant_type") != "authorization_code" || r.PostFormValue("redirect_uri") != g.redirect ||
		base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	claims := map[string]any{
		"iss": f.http.URL, "aud": idpClientID, "sub": "subject-1", "nonce": g.nonce,
		"iat": oidcNow.Unix(), "exp": oidcNow.Add(time.Hour).Unix(),
		"email": f.email, "email_verified": true, "name": "Ada Lovelace",
	}
	if f.claims != nil {
		f.claims(claims)
	}
	b, err := json.Marshal(claims)
	if err != nil {
		f.t.Error(err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + rand.Text(), "token_type": "Bearer", "expires_in": 3600,
		"id_token": oidctest.SignIDToken(f.key, idpKeyID, oidc.RS256, string(b))})
}

func tokenError(w http.ResponseWriter, code int, e string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": e})
}

// newOIDCEnv is newEnv with sign-in through idp. edit adjusts the OIDC
// settings; the redirect URL points at the test server.
func newOIDCEnv(t *testing.T, idp *fakeIDP, insecure bool, edit func(*OIDCConfig)) *env {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ward.db"))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(nil)
	oc := &OIDCConfig{Issuer: idp.http.URL, ClientID: idpClientID, ClientSecret: idpSecret,
		RedirectURL: "http://" + hs.Listener.Addr().String() + "/login/oidc/callback"}
	if edit != nil {
		edit(oc)
	}
	srv, err := New(Config{Store: st, Passwords: fastPasswords, Now: func() time.Time { return oidcNow }, InsecureCookies: insecure, OIDC: oc})
	if err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = srv.Handler()
	hs.Start()
	t.Cleanup(func() { hs.Close(); st.Close() })
	return &env{t: t, store: st, srv: srv, http: hs}
}

// noFollow sees each redirect instead of following it.
var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, u string, cookies ...*http.Cookie) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func cookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// flow is one sign-in in progress: the callback URL the provider sent the
// browser to and the flow cookie it carries.
type flow struct {
	callback string
	cookie   *http.Cookie
}

// begin starts a sign-in and lets the provider approve it.
func begin(t *testing.T, e *env, next string) flow {
	t.Helper()
	resp := get(t, e.http.URL+"/login/oidc?next="+url.QueryEscape(next))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("GET /login/oidc = %d, want 302: %s", resp.StatusCode, body(t, resp))
	}
	ck := cookieNamed(resp, "ward_oidc")
	if ck == nil {
		t.Fatal("GET /login/oidc set no flow cookie")
	}
	at := get(t, resp.Header.Get("Location"))
	if at.StatusCode != http.StatusFound {
		t.Fatalf("provider /auth = %d, want 302: %s", at.StatusCode, body(t, at))
	}
	return flow{callback: at.Header.Get("Location"), cookie: ck}
}

// finish follows the provider's redirect back to Ward.
func (f flow) finish(t *testing.T) *http.Response {
	t.Helper()
	return get(t, f.callback, f.cookie)
}

func TestOIDCSignIn(t *testing.T) {
	idp := newFakeIDP(t)
	idp.email = "ada@example.com"
	e := newOIDCEnv(t, idp, true, nil)
	hash, err := auth.HashPassword("correct horse battery", fastPasswords)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.CreateUser(context.Background(), "test", store.User{Email: "ada@example.com", Name: "Ada", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}

	resp := begin(t, e, "/p/demo?tab=threats").finish(t)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/p/demo?tab=threats" {
		t.Fatalf("callback = %d to %q, want 303 to /p/demo?tab=threats: %s", resp.StatusCode, resp.Header.Get("Location"), body(t, resp))
	}
	sess := cookieNamed(resp, sessionCookie)
	if sess == nil || sess.Value == "" || !sess.HttpOnly {
		t.Fatalf("callback set no HttpOnly session cookie: %v", resp.Cookies())
	}
	if fc := cookieNamed(resp, "ward_oidc"); fc == nil || fc.MaxAge >= 0 {
		t.Errorf("callback did not clear the flow cookie: %v", fc)
	}
	var me struct {
		User store.User `json:"user"`
	}
	(&client{e: e, cookie: sess.Value}).decode("GET", "/api/me", nil, http.StatusOK, &me)
	if me.User.Email != "ada@example.com" {
		t.Errorf("/api/me user = %q, want ada@example.com", me.User.Email)
	}
}

func TestOIDCRefusals(t *testing.T) {
	tests := []struct {
		name   string
		email  string // the provider's user; "ada@example.com" has an account
		claims func(map[string]any)
		oidc   func(*OIDCConfig)
		tamper func(*flow)
		want   int
	}{
		{name: "wrong state", tamper: func(f *flow) { f.callback = setQuery(f.callback, "state", "forged") }, want: http.StatusBadRequest},
		{name: "no flow cookie", tamper: func(f *flow) { f.cookie = &http.Cookie{Name: "other", Value: "x"} }, want: http.StatusBadRequest},
		{name: "garbled flow cookie", tamper: func(f *flow) { f.cookie.Value = "not-base64!" }, want: http.StatusBadRequest},
		{name: "expired flow", tamper: func(f *flow) {
			f.edit(t, func(fl *oidcFlow) { fl.Expires = oidcNow.Add(-time.Second).Unix() })
		}, want: http.StatusBadRequest},
		{name: "forged code", tamper: func(f *flow) { f.callback = setQuery(f.callback, "code", "forged") }, want: http.StatusBadRequest},
		{name: "provider error", tamper: func(f *flow) { f.callback = setQuery(f.callback, "error", "access_denied") }, want: http.StatusForbidden},
		{name: "wrong nonce", claims: func(c map[string]any) { c["nonce"] = "replayed" }, want: http.StatusUnauthorized},
		{name: "other audience", claims: func(c map[string]any) { c["aud"] = "someone-else" }, want: http.StatusUnauthorized},
		{name: "other issuer", claims: func(c map[string]any) { c["iss"] = "https://evil.example" }, want: http.StatusUnauthorized},
		{name: "expired token", claims: func(c map[string]any) { c["exp"] = oidcNow.Add(-time.Minute).Unix() }, want: http.StatusUnauthorized},
		{name: "unverified email", claims: func(c map[string]any) { c["email_verified"] = false }, want: http.StatusForbidden},
		{name: "missing email_verified", claims: func(c map[string]any) { delete(c, "email_verified") }, want: http.StatusForbidden},
		{name: "no email", claims: func(c map[string]any) { delete(c, "email") }, want: http.StatusForbidden},
		{name: "unknown email, creation off", email: "eve@example.com", want: http.StatusForbidden},
		{name: "disallowed domain", oidc: func(c *OIDCConfig) { c.AllowedDomains = []string{"corp.example"} }, want: http.StatusForbidden},
		{name: "disallowed domain even with creation", email: "eve@evil.example",
			oidc: func(c *OIDCConfig) { c.AllowedDomains = []string{"example.com"}; c.CreateUsers = true }, want: http.StatusForbidden},
	}
	idp := newFakeIDP(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newOIDCEnv(t, idp, true, tt.oidc)
			e.user("ada@example.com", false)
			idp.mu.Lock()
			idp.email, idp.claims = "ada@example.com", tt.claims
			if tt.email != "" {
				idp.email = tt.email
			}
			idp.mu.Unlock()
			f := begin(t, e, "/")
			if tt.tamper != nil {
				tt.tamper(&f)
			}
			resp := f.finish(t)
			text := body(t, resp)
			if resp.StatusCode != tt.want {
				t.Fatalf("callback = %d, want %d: %s", resp.StatusCode, tt.want, text)
			}
			if c := cookieNamed(resp, sessionCookie); c != nil {
				t.Errorf("refused sign-in set a session cookie")
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("error page Content-Type = %q, want text/plain", ct)
			}
			if strings.Contains(text, "eyJ") || strings.Contains(text, "at-") {
				t.Errorf("error page leaks a token: %s", text)
			}
			if tt.email != "" {
				if _, err := e.store.UserByEmail(context.Background(), tt.email); err == nil {
					t.Errorf("refused sign-in created an account for %s", tt.email)
				}
			}
		})
	}
}

// TestOIDCFlowBoundToBrowser checks one browser's callback fails in
// another browser (the state differs) and a flow works only once.
func TestOIDCFlowBoundToBrowser(t *testing.T) {
	idp := newFakeIDP(t)
	idp.email = "ada@example.com"
	e := newOIDCEnv(t, idp, true, nil)
	e.user("ada@example.com", false)
	victim, attacker := begin(t, e, "/"), begin(t, e, "/")
	// The attacker's callback in the victim's browser.
	resp := get(t, attacker.callback, victim.cookie)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("swapped callback = %d, want 400: %s", resp.StatusCode, body(t, resp))
	}
	// A flow cookie is single use.
	if resp := victim.finish(t); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first callback = %d, want 303: %s", resp.StatusCode, body(t, resp))
	}
	if resp := victim.finish(t); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("replayed code = %d, want 400: %s", resp.StatusCode, body(t, resp))
	}
}

func TestOIDCCreatesUser(t *testing.T) {
	idp := newFakeIDP(t)
	idp.email = "Grace@Example.COM"
	e := newOIDCEnv(t, idp, true, func(c *OIDCConfig) { c.CreateUsers = true; c.AllowedDomains = []string{"EXAMPLE.com"} })

	ctx := context.Background()
	project, err := e.store.CreateProject(ctx, "test", store.Project{Slug: "shop", Name: "Shop"}, 0)
	if err != nil {
		t.Fatal(err)
	}

	resp := begin(t, e, "/").finish(t)
	if resp.StatusCode != http.StatusSeeOther || cookieNamed(resp, sessionCookie) == nil {
		t.Fatalf("callback = %d with cookies %v, want 303 and a session: %s", resp.StatusCode, resp.Cookies(), body(t, resp))
	}
	u, err := e.store.UserByEmail(ctx, "grace@example.com")
	if err != nil {
		t.Fatalf("no account made: %v", err)
	}
	if u.SiteAdmin || u.Name != "Ada Lovelace" {
		t.Errorf("made %+v, want a plain account named from the token", u)
	}
	if auth.CheckPassword(u.PasswordHash, "") == nil {
		t.Error("the made account accepts an empty password")
	}
	if r, err := e.store.RoleOf(ctx, project.ID, u.ID); err != nil || r != "" {
		t.Errorf("made account has role %q in %s (%v), want none", r, project.Slug, err)
	}
	audit, err := e.store.AuditOf(ctx, 0, "user:grace@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || audit[0].Action != "user.create" || audit[0].Actor != "oidc:"+idp.http.URL {
		t.Errorf("audit = %+v, want one user.create by oidc:%s", audit, idp.http.URL)
	}

	// The second sign-in finds the account instead of making another.
	if resp := begin(t, e, "/").finish(t); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second callback = %d, want 303: %s", resp.StatusCode, body(t, resp))
	}
	if audit, _ := e.store.AuditOf(ctx, 0, "user:grace@example.com", 0); len(audit) != 1 {
		t.Errorf("second sign-in wrote %d user audit entries, want 1", len(audit))
	}
}

func TestOIDCNext(t *testing.T) {
	idp := newFakeIDP(t)
	idp.email = "ada@example.com"
	e := newOIDCEnv(t, idp, true, nil)
	e.user("ada@example.com", false)
	for next, want := range map[string]string{
		"/p/demo":               "/p/demo",
		"":                      "/",
		"//evil.example/x":      "/",
		"/\\evil.example":       "/",
		"/\t/evil.example":      "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"p/demo":                "/",
	} {
		t.Run(next, func(t *testing.T) {
			resp := begin(t, e, next).finish(t)
			if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != want {
				t.Errorf("next %q: callback = %d to %q, want 303 to %q", next, resp.StatusCode, got, want)
			}
			// The callback checks again, whatever the cookie says.
			f := begin(t, e, "/")
			f.edit(t, func(fl *oidcFlow) { fl.Next = next })
			resp = f.finish(t)
			if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != want {
				t.Errorf("planted next %q: callback = %d to %q, want 303 to %q", next, resp.StatusCode, got, want)
			}
		})
	}
}

func TestOIDCFlowCookie(t *testing.T) {
	idp := newFakeIDP(t)
	for _, insecure := range []bool{false, true} {
		e := newOIDCEnv(t, idp, insecure, nil)
		resp := get(t, e.http.URL+"/login/oidc")
		name := "__Host-ward_oidc"
		if insecure {
			name = "ward_oidc"
		}
		c := cookieNamed(resp, name)
		if c == nil {
			t.Fatalf("insecure=%v: no %s cookie in %v", insecure, name, resp.Cookies())
		}
		if !c.HttpOnly || c.Secure == insecure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 || c.MaxAge > 600 {
			t.Errorf("insecure=%v: flow cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v, Path=/, short-lived", insecure, c, !insecure)
		}
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		q := loc.Query()
		if q.Get("code_challenge_method") != "S256" || q.Get("redirect_uri") != strings.TrimSuffix(e.http.URL, "/")+"/login/oidc/callback" {
			t.Errorf("authorization URL %s lacks PKCE S256 or the redirect URL", loc)
		}
	}
}

// TestOIDCProviderDown checks the server starts while the provider is
// down and signs in once it is back.
func TestOIDCProviderDown(t *testing.T) {
	idp := newFakeIDP(t)
	idp.email = "ada@example.com"
	idp.down.Store(true)
	e := newOIDCEnv(t, idp, true, nil)
	e.user("ada@example.com", false)
	if resp := get(t, e.http.URL+"/login/oidc"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("GET /login/oidc with the provider down = %d, want 503", resp.StatusCode)
	}
	idp.down.Store(false)
	if resp := begin(t, e, "/").finish(t); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback after recovery = %d, want 303: %s", resp.StatusCode, body(t, resp))
	}
}

func TestOIDCConfigValidate(t *testing.T) {
	good := OIDCConfig{Issuer: "https://id.example.com", ClientID: "ward", RedirectURL: "https://ward.example.com/login/oidc/callback"}
	tests := []struct {
		name string
		edit func(*OIDCConfig)
		ok   bool
	}{
		{name: "good", edit: func(*OIDCConfig) {}, ok: true},
		{name: "loopback http issuer", edit: func(c *OIDCConfig) { c.Issuer = "http://127.0.0.1:5556" }, ok: true},
		{name: "proxied path", edit: func(c *OIDCConfig) { c.RedirectURL = "https://example.com/ward/login/oidc/callback" }, ok: true},
		{name: "no issuer", edit: func(c *OIDCConfig) { c.Issuer = "" }},
		{name: "plain http issuer", edit: func(c *OIDCConfig) { c.Issuer = "http://id.example.com" }},
		{name: "no client", edit: func(c *OIDCConfig) { c.ClientID = "" }},
		{name: "relative redirect", edit: func(c *OIDCConfig) { c.RedirectURL = "/login/oidc/callback" }},
		{name: "wrong callback path", edit: func(c *OIDCConfig) { c.RedirectURL = "https://ward.example.com/callback" }},
		{name: "email as domain", edit: func(c *OIDCConfig) { c.AllowedDomains = []string{"a@example.com"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			if err := c.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// TestOIDCMisconfigured checks a bad setting refuses sign-ins instead of
// starting a flow.
// A server with a broken OIDC configuration does not start: better a
// clear error at start than sign-ins failing later.
func TestOIDCMisconfigured(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ward.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = New(Config{Store: st, OIDC: &OIDCConfig{Issuer: "https://idp.example.com", RedirectURL: "https://ward.example.com/login/oidc/callback"}})
	if err == nil || !strings.Contains(err.Error(), "OIDC") {
		t.Fatalf("New with no client id = %v, want an OIDC error", err)
	}
}

func TestOIDCOff(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "ward.db"))
	if resp := get(t, e.http.URL+"/login/oidc"); resp.StatusCode == http.StatusFound {
		t.Fatalf("GET /login/oidc without OIDC = %d, want no redirect", resp.StatusCode)
	}
}

// edit rewrites the flow cookie, as a browser extension or a planted
// cookie could.
func (f *flow) edit(t *testing.T, change func(*oidcFlow)) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(f.cookie.Value)
	if err != nil {
		t.Fatal(err)
	}
	var fl oidcFlow
	if err := json.Unmarshal(b, &fl); err != nil {
		t.Fatal(err)
	}
	change(&fl)
	if b, err = json.Marshal(fl); err != nil {
		t.Fatal(err)
	}
	f.cookie.Value = base64.RawURLEncoding.EncodeToString(b)
}

func setQuery(raw, key, value string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// One flow cookie replayed with forged codes would make the server call
// the provider's token endpoint each time: callbacks per address are
// limited, and the limit answers 429 before the provider is called.
func TestOIDCCallbackRateLimited(t *testing.T) {
	idp := newFakeIDP(t)
	e := newOIDCEnv(t, idp, true, nil)
	f := begin(t, e, "/")
	limited := 0
	for i := range 80 {
		resp := get(t, setQuery(f.callback, "code", "forged-"+strconv.Itoa(i)), f.cookie)
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Error("80 forged callbacks in a row were never limited")
	}
}
