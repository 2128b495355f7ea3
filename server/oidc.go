package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// OIDCConfig enables sign-in through an OpenID Connect provider. Accounts
// are matched by the provider's verified email address.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL, such as
	// https://accounts.example.com; discovery reads
	// Issuer/.well-known/openid-configuration. It must be https unless the
	// host is a loopback address.
	Issuer string
	// ClientID and ClientSecret are the credentials the provider issued to
	// Ward. ClientSecret may be empty for a public client (PKCE still
	// protects the code).
	ClientID     string
	ClientSecret string
	// RedirectURL is the server's public callback URL, ending in
	// /login/oidc/callback, exactly as registered with the provider.
	RedirectURL string
	// AllowedDomains, when not empty, admits only emails whose domain is
	// one of these (exact match, case-insensitive; subdomains are not
	// included).
	AllowedDomains []string
	// CreateUsers makes an account on first sign-in for an email with none.
	// Off, only existing accounts may sign in. Created accounts are not
	// site administrators and belong to no project.
	CreateUsers bool
}

// Validate reports the first setting that cannot work.
func (c *OIDCConfig) Validate() error {
	if c.Issuer == "" {
		return errors.New("oidc: no issuer URL (set the provider's issuer, such as https://accounts.example.com)")
	}
	iss, err := url.Parse(c.Issuer)
	if err != nil || iss.Host == "" || (iss.Scheme != "https" && iss.Scheme != "http") {
		return fmt.Errorf("oidc: issuer %q is not an http(s) URL", c.Issuer)
	}
	if iss.Scheme == "http" && !oidcLoopback(iss.Hostname()) {
		// Keys fetched over plain HTTP would let anyone on the path forge
		// ID tokens.
		return fmt.Errorf("oidc: issuer %q must use https", c.Issuer)
	}
	if c.ClientID == "" {
		return errors.New("oidc: no client ID (register Ward with the provider and set its client ID)")
	}
	red, err := url.Parse(c.RedirectURL)
	if err != nil || red.Host == "" || (red.Scheme != "https" && red.Scheme != "http") {
		return fmt.Errorf("oidc: redirect URL %q is not an absolute http(s) URL", c.RedirectURL)
	}
	if !strings.HasSuffix(red.Path, oidcCallbackPath) {
		return fmt.Errorf("oidc: redirect URL %q must end in %s", c.RedirectURL, oidcCallbackPath)
	}
	for _, d := range c.AllowedDomains {
		if d == "" || strings.ContainsAny(d, "@/ ") {
			return fmt.Errorf("oidc: allowed domain %q is not a domain name (write example.com)", d)
		}
	}
	return nil
}

func oidcLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

const (
	oidcStartPath    = "/login/oidc"
	oidcCallbackPath = "/login/oidc/callback"
	// oidcFlowTTL bounds how long a user may take at the provider.
	oidcFlowTTL = 10 * time.Minute
	// oidcTimeout bounds each call to the provider.
	oidcTimeout = 10 * time.Second
)

// oidcRoutes registers the OIDC sign-in endpoints when Config.OIDC is set.
func (s *Server) oidcRoutes() {
	if s.cfg.OIDC == nil {
		return
	}
	o := &oidcLogin{
		s:      s,
		cfg:    *s.cfg.OIDC,
		client: &http.Client{Timeout: oidcTimeout},
		lock:   make(chan struct{}, 1),
		limit:  auth.NewLimiter(60, 2*time.Second),
	}
	// New has validated the configuration.
	o.cfg.AllowedDomains = lowerDomains(o.cfg.AllowedDomains)
	s.mux.HandleFunc("GET "+oidcStartPath, o.start)
	s.mux.HandleFunc("GET "+oidcCallbackPath, o.callback)
}

// oidcLogin runs the authorization code flow. The provider is discovered
// on first use, not in New, so the server starts while the provider is
// down; a failed discovery is retried by the next sign-in.
type oidcLogin struct {
	s      *Server
	cfg    OIDCConfig
	client *http.Client
	// lock admits one discovery at a time; a channel, so waiting callers
	// give up when their request does.
	lock chan struct{}
	ep   *oidcEndpoints // nil until discovery succeeds; guarded by lock
	// limit bounds callbacks per client address: generous for people (one
	// per sign-in), tight for a loop forging them.
	limit *auth.Limiter
}

// oidcEndpoints is what discovery yields.
type oidcEndpoints struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func (o *oidcLogin) endpoints(ctx context.Context) (*oidcEndpoints, error) {
	select {
	case o.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-o.lock }()
	if o.ep != nil {
		return o.ep, nil
	}
	// Not the request's context: the key set keeps this one for later
	// fetches (without its deadline), and it should hold no request's values.
	dctx, cancel := context.WithTimeout(context.Background(), oidcTimeout)
	defer cancel()
	p, err := oidc.NewProvider(oidc.ClientContext(dctx, o.client), o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", o.cfg.Issuer, err)
	}
	o.ep = &oidcEndpoints{
		oauth: oauth2.Config{
			ClientID:     o.cfg.ClientID,
			ClientSecret: o.cfg.ClientSecret,
			RedirectURL:  o.cfg.RedirectURL,
			Endpoint:     p.Endpoint(),
			Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
		},
		verifier: p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID, Now: o.s.cfg.Now}),
	}
	return o.ep, nil
}

// oidcFlow is what the browser keeps between start and callback, in the
// flow cookie. The cookie is not signed: state is compared with the query,
// the nonce with the ID token and the verifier goes to the provider, so a
// forged cookie gains nothing an attacker did not already hold.
type oidcFlow struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Next     string `json:"next"`
	Expires  int64  `json:"expires"` // Unix seconds, by the server's clock
}

// flowCookie is the flow cookie's name. Over HTTPS the __Host- prefix
// stops a sibling subdomain from planting one.
func (o *oidcLogin) flowCookie() string {
	if o.s.cfg.InsecureCookies {
		return "ward_oidc"
	}
	return "__Host-ward_oidc"
}

func (o *oidcLogin) setFlowCookie(w http.ResponseWriter, value string, maxAge int) {
	//nolint:gosec // G124: Secure is dropped only when the operator asks for plain HTTP.
	http.SetCookie(w, &http.Cookie{Name: o.flowCookie(), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !o.s.cfg.InsecureCookies, SameSite: http.SameSiteLaxMode})
}

// start sends the browser to the provider.
func (o *oidcLogin) start(w http.ResponseWriter, r *http.Request) {
	ep, err := o.endpoints(r.Context())
	if err != nil {
		o.s.log.Warn("OIDC discovery", "error", err)
		oidcFail(w, http.StatusServiceUnavailable, "The identity provider cannot be reached; try again in a minute.")
		return
	}
	f := oidcFlow{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier(),
		Next: localPath(r.URL.Query().Get("next")), Expires: o.s.cfg.Now().Add(oidcFlowTTL).Unix()}
	b, err := json.Marshal(f)
	if err != nil {
		oidcFail(w, http.StatusInternalServerError, "Internal error.")
		return
	}
	o.setFlowCookie(w, base64.RawURLEncoding.EncodeToString(b), int(oidcFlowTTL.Seconds()))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, ep.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusFound)
}

// oidcClaims are the ID token claims Ward reads.
type oidcClaims struct {
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"` // some providers send "true"
	Name          string `json:"name"`
}

func (c oidcClaims) verified() bool {
	return c.EmailVerified == true || c.EmailVerified == "true"
}

// callback finishes the flow: it checks state, trades the code for an ID
// token, checks the token and signs the matching account in.
func (o *oidcLogin) callback(w http.ResponseWriter, r *http.Request) {
	f, ok := o.readFlow(r)
	// The flow is single use, whatever happens next.
	o.setFlowCookie(w, "", -1)
	if !ok {
		oidcFail(w, http.StatusBadRequest, "This sign-in has expired or was started in another browser.")
		return
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		code := http.StatusBadRequest
		if e == "access_denied" {
			code = http.StatusForbidden
		}
		oidcFail(w, code, "The identity provider refused the sign-in ("+oidcErrorCode(e)+").")
		return
	}
	if !auth.Equal(q.Get("state"), f.State) {
		oidcFail(w, http.StatusBadRequest, "The sign-in state does not match; it may have been started in another tab.")
		return
	}
	if q.Get("code") == "" {
		oidcFail(w, http.StatusBadRequest, "The identity provider sent no authorization code.")
		return
	}
	// Each callback costs a call to the provider's token endpoint, so
	// callbacks from one address are limited.
	if err := allowSignIn(o.limit, r); err != nil {
		oidcFail(w, http.StatusTooManyRequests, err.Error())
		return
	}
	ep, err := o.endpoints(r.Context())
	if err != nil {
		o.s.log.Warn("OIDC discovery", "error", err)
		oidcFail(w, http.StatusServiceUnavailable, "The identity provider cannot be reached; try again in a minute.")
		return
	}
	ctx := oidc.ClientContext(r.Context(), o.client)
	tok, err := ep.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		o.s.log.Warn("OIDC code exchange", "error", err)
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			oidcFail(w, http.StatusBadRequest, "The identity provider did not accept the sign-in code.")
		} else {
			oidcFail(w, http.StatusBadGateway, "The identity provider cannot be reached; try again in a minute.")
		}
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		oidcFail(w, http.StatusBadGateway, "The identity provider sent no ID token.")
		return
	}
	idt, err := ep.verifier.Verify(ctx, raw)
	if err != nil {
		o.s.log.Warn("OIDC ID token", "error", err)
		oidcFail(w, http.StatusUnauthorized, "The identity provider's ID token did not verify.")
		return
	}
	if !auth.Equal(idt.Nonce, f.Nonce) {
		oidcFail(w, http.StatusUnauthorized, "The ID token was not issued for this sign-in.")
		return
	}
	var claims oidcClaims
	if err := idt.Claims(&claims); err != nil {
		oidcFail(w, http.StatusBadGateway, "The ID token's claims cannot be read.")
		return
	}
	u, code, msg := o.account(r.Context(), claims)
	if msg != "" {
		oidcFail(w, code, msg)
		return
	}
	if _, err := o.s.startSession(r.Context(), w, u); err != nil {
		o.s.log.Error("OIDC session", "error", err)
		oidcFail(w, http.StatusInternalServerError, "The session cannot be started; try again.")
		return
	}
	o.s.log.Info("OIDC sign-in", "user", u.Email)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, localPath(f.Next), http.StatusSeeOther)
}

// readFlow decodes the flow cookie; false when it is missing, malformed
// or expired.
func (o *oidcLogin) readFlow(r *http.Request) (oidcFlow, bool) {
	var f oidcFlow
	ck, err := r.Cookie(o.flowCookie())
	if err != nil {
		return f, false
	}
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil || json.Unmarshal(b, &f) != nil {
		return f, false
	}
	if f.State == "" || f.Nonce == "" || f.Verifier == "" || o.s.cfg.Now().Unix() > f.Expires {
		return f, false
	}
	return f, true
}

// account finds or makes the local account for verified claims. On
// refusal it returns the status and message to show.
func (o *oidcLogin) account(ctx context.Context, c oidcClaims) (store.User, int, string) {
	email := strings.ToLower(strings.TrimSpace(c.Email))
	if email == "" || !emailRE.MatchString(email) {
		return store.User{}, http.StatusForbidden, "The identity provider sent no email address; Ward needs the email scope."
	}
	if !c.verified() {
		return store.User{}, http.StatusForbidden, "The identity provider has not verified your email address."
	}
	if len(o.cfg.AllowedDomains) > 0 {
		_, domain, _ := strings.Cut(email, "@")
		if !slices.Contains(o.cfg.AllowedDomains, domain) {
			return store.User{}, http.StatusForbidden, "Accounts at " + domain + " may not sign in to this server."
		}
	}
	u, err := o.s.store.UserByEmail(ctx, email)
	if err == nil {
		return u, 0, ""
	}
	if !errors.Is(err, store.ErrNotFound) {
		o.s.log.Error("OIDC account lookup", "error", err)
		return u, http.StatusInternalServerError, "Internal error; try again."
	}
	if !o.cfg.CreateUsers {
		return u, http.StatusForbidden, "There is no Ward account for " + email + "; ask an administrator to create one."
	}
	u, err = o.createUser(ctx, email, c.Name)
	if errors.Is(err, store.ErrConflict) {
		// Two first sign-ins raced; the other one made the account.
		u, err = o.s.store.UserByEmail(ctx, email)
	}
	if err != nil {
		o.s.log.Error("OIDC account creation", "error", err)
		return u, http.StatusInternalServerError, "The account cannot be created; try again."
	}
	return u, 0, ""
}

// createUser makes an account that can sign in only through the provider:
// its password hash is of a random secret nobody keeps.
func (o *oidcLogin) createUser(ctx context.Context, email, name string) (store.User, error) {
	hash, err := auth.HashPassword(rand.Text()+rand.Text(), o.s.cfg.Passwords)
	if err != nil {
		return store.User{}, err
	}
	if name = strings.TrimSpace(name); name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	return o.s.store.CreateUser(ctx, "oidc:"+o.cfg.Issuer, store.User{Email: email, Name: name, PasswordHash: hash})
}

// oidcErrorCode keeps a provider's error code printable: OAuth codes are
// lowercase words and underscores.
func oidcErrorCode(e string) string {
	if len(e) > 64 || strings.Trim(e, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return "unknown error"
	}
	return e
}

// oidcFail shows a short plain-text page. It never includes tokens.
func oidcFail(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	// A failed write means the browser left; nothing to do.
	//nolint:gosec // G705: plain text sent with nosniff; nothing in it runs.
	_, _ = io.WriteString(w, msg+"\n\nStart again: "+oidcStartPath+"\n")
}

// lowerDomains normalizes domains for a case-insensitive match.
func lowerDomains(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToLower(strings.TrimSpace(x))
	}
	return out
}
