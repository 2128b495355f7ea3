package server

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// This file handles a project's settings page: members, API tokens and
// webhooks, for the project's administrators. A new token's or webhook's
// secret is shown once, in the answer to the form that made it: never in
// an address, a redirect or a later page.

func (s *Server) adminRoutes() {
	m := s.mux
	p := "/p/{project}/settings"
	m.HandleFunc("GET "+p, s.projectPage(store.Admin, s.settingsPage))
	m.HandleFunc("POST "+p+"/members", s.projectPage(store.Admin, s.memberSubmit))
	m.HandleFunc("POST "+p+"/members/remove", s.projectPage(store.Admin, s.memberRemove))
	m.HandleFunc("POST "+p+"/tokens", s.projectPage(store.Admin, s.tokenSubmit))
	m.HandleFunc("POST "+p+"/tokens/{id}/revoke", s.projectPage(store.Admin, s.tokenRevoke))
	m.HandleFunc("POST "+p+"/webhooks", s.projectPage(store.Admin, s.webhookSubmit))
	m.HandleFunc("POST "+p+"/webhooks/{id}/delete", s.projectPage(store.Admin, s.webhookRemove))

	m.HandleFunc("GET /admin", s.signedInPage(s.siteAdminPage(s.adminPage)))
	m.HandleFunc("POST /admin/users", s.signedInPage(s.siteAdminPage(s.userSubmit)))
	m.HandleFunc("POST /admin/projects", s.signedInPage(s.siteAdminPage(s.projectSubmit)))
}

func settingsURL(slug string) string { return projectURL(slug) + "/settings" }

// settingsSaved are the notes a redirect back to the settings page asks
// for; the query names one, it never carries the text.
var settingsSaved = map[string]string{
	"member":          "Membership saved.",
	"member-removed":  "Member removed.",
	"token-revoked":   "Token revoked; it no longer works.",
	"webhook-deleted": "Webhook deleted, with its deliveries.",
	"project":         "Project created; you are its administrator. Add its members below.",
}

type uiSettings struct {
	chrome
	Project    store.Project
	Action     string // the settings page's address; forms post under it
	Roles      []store.Role
	Severities []string
	Members    []store.Member
	Tokens     []uiToken
	Webhooks   []uiWebhook
	Saved      string
	// Secret is a token or webhook secret just made, shown this once.
	Secret *uiSecret
	// Problems say what to fix in the form that was sent, by form.
	Problems struct{ Member, Token, Webhook string }
	Draft    settingsDraft
}

// settingsDraft is what a refused form held, sent back to it.
type settingsDraft struct {
	Email       string
	MemberRole  string
	TokenName   string
	TokenRole   string
	TokenDays   string
	WebhookURL  string
	MinSeverity string
}

type uiSecret struct {
	Kind, Name, Value string
}

type uiToken struct {
	store.Token
	Expired   bool
	RevokeURL string
}

type uiWebhook struct {
	store.Webhook
	DeleteURL  string
	Deliveries []store.Delivery
}

// deliveriesShown is how many recent deliveries the page lists per webhook.
const deliveriesShown = 5

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	v := s.settingsView(pc)
	v.Saved = settingsSaved[r.URL.Query().Get("saved")]
	s.renderSettings(w, r, pc, http.StatusOK, v)
}

// settingsView is the page's frame and empty forms; renderSettings fills
// in the lists.
func (s *Server) settingsView(pc *pageCtx) uiSettings {
	return uiSettings{chrome: s.pageChrome(pc, "Settings", crumb{Text: "Settings"}), Project: pc.project,
		Action: settingsURL(pc.project.Slug), Roles: store.Roles, Severities: severityOrder,
		Draft: settingsDraft{MemberRole: string(store.Viewer), TokenRole: string(store.Editor), MinSeverity: string(risk.High)}}
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, pc *pageCtx, code int, v uiSettings) {
	ctx := r.Context()
	var err error
	if v.Members, err = s.store.Members(ctx, pc.project.ID); err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	ts, err := s.store.Tokens(ctx, pc.project.ID)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	now := s.cfg.Now()
	for _, t := range ts {
		v.Tokens = append(v.Tokens, uiToken{Token: t, Expired: !t.ExpiresAt.IsZero() && !t.ExpiresAt.After(now),
			RevokeURL: v.Action + "/tokens/" + strconv.FormatInt(t.ID, 10) + "/revoke"})
	}
	hs, err := s.store.Webhooks(ctx, pc.project.ID)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	for _, h := range hs {
		ds, err := s.store.Deliveries(ctx, pc.project.ID, h.ID, deliveriesShown)
		if err != nil {
			s.failPage(w, pc.caller, err)
			return
		}
		h.Secret = "" // never drawn; cleared so no template can
		v.Webhooks = append(v.Webhooks, uiWebhook{Webhook: h, Deliveries: ds,
			DeleteURL: v.Action + "/webhooks/" + strconv.FormatInt(h.ID, 10) + "/delete"})
	}
	s.render(w, code, "settings", v)
}

// settingsRefused answers a form the settings page must show again: input
// problems and conflicts go back to the form, anything else is an error page.
func (s *Server) settingsRefused(w http.ResponseWriter, r *http.Request, pc *pageCtx, v *uiSettings, err error, problem *string) {
	code, msg := s.errorOf(err)
	if code != http.StatusBadRequest && code != http.StatusConflict {
		s.errorPage(w, pc.caller, code, msg)
		return
	}
	*problem = msg
	s.renderSettings(w, r, pc, code, *v)
}

func (s *Server) settingsSavedRedirect(w http.ResponseWriter, r *http.Request, pc *pageCtx, note, anchor string) {
	http.Redirect(w, r, settingsURL(pc.project.Slug)+"?saved="+note+"#"+anchor, http.StatusSeeOther)
}

// memberSubmit adds a member or changes a member's role, by email.
func (s *Server) memberSubmit(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	v := s.settingsView(pc)
	v.Draft.Email = strings.TrimSpace(r.PostFormValue("email"))
	v.Draft.MemberRole = r.PostFormValue("role")
	role := store.Role(v.Draft.MemberRole)
	if !role.Valid() {
		s.settingsRefused(w, r, pc, &v, badInput("role %q: use viewer, editor or admin", role), &v.Problems.Member)
		return
	}
	if err := s.setMember(r.Context(), pc.name(), pc.project, v.Draft.Email, role); err != nil {
		s.settingsRefused(w, r, pc, &v, err, &v.Problems.Member)
		return
	}
	s.settingsSavedRedirect(w, r, pc, "member", "members")
}

func (s *Server) memberRemove(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	v := s.settingsView(pc)
	if err := s.setMember(r.Context(), pc.name(), pc.project, strings.TrimSpace(r.PostFormValue("email")), ""); err != nil {
		s.settingsRefused(w, r, pc, &v, err, &v.Problems.Member)
		return
	}
	s.settingsSavedRedirect(w, r, pc, "member-removed", "members")
}

// setMember sets a role by email, as the API's PUT members does; "" removes.
func (s *Server) setMember(ctx context.Context, actor string, p store.Project, email string, role store.Role) error {
	u, err := s.store.UserByEmail(ctx, strings.ToLower(email))
	if errors.Is(err, store.ErrNotFound) {
		return badInput("no account has the email %q; a site administrator creates accounts", email)
	}
	if err != nil {
		return err
	}
	return s.store.SetMember(ctx, actor, p.ID, u.ID, role)
}

// maxTokenDays bounds a token's lifetime as the form asks for it.
const maxTokenDays = 3650

// tokenSubmit makes an API token and shows its secret, this once.
func (s *Server) tokenSubmit(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	v := s.settingsView(pc)
	d := &v.Draft
	d.TokenName, d.TokenRole, d.TokenDays = strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("role"), strings.TrimSpace(r.PostFormValue("expires_in_days"))
	days := 0
	if d.TokenDays != "" {
		n, err := strconv.Atoi(d.TokenDays)
		if err != nil || n < 0 || n > maxTokenDays {
			s.settingsRefused(w, r, pc, &v, badInput("expiry %q: give a number of days from 0 (never) to %d", d.TokenDays, maxTokenDays), &v.Problems.Token)
			return
		}
		days = n
	}
	tok, secret, err := s.createToken(r.Context(), pc.name(), pc.project, d.TokenName, store.Role(d.TokenRole), days)
	if err != nil {
		s.settingsRefused(w, r, pc, &v, err, &v.Problems.Token)
		return
	}
	v = s.settingsView(pc)
	v.Secret = &uiSecret{Kind: "token", Name: tok.Name, Value: secret}
	s.renderSettings(w, r, pc, http.StatusOK, v)
}

// createToken validates and records a token as the API's POST tokens does,
// returning its secret.
func (s *Server) createToken(ctx context.Context, actor string, p store.Project, name string, role store.Role, days int) (store.Token, string, error) {
	if !role.Valid() {
		return store.Token{}, "", badInput("role %q: use viewer, editor or admin", role)
	}
	if name == "" || len(name) > 200 {
		return store.Token{}, "", badInput("name the token (what uses it, e.g. \"ci\") in at most 200 characters")
	}
	secret, hash, err := auth.NewToken(auth.TokenPrefix)
	if err != nil {
		return store.Token{}, "", err
	}
	tok := store.Token{Name: name, ProjectID: p.ID, Role: role, Hash: hash}
	if days > 0 {
		tok.ExpiresAt = s.cfg.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	tok, err = s.store.CreateToken(ctx, actor, tok)
	return tok, secret, err
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.failPage(w, pc.caller, badInput("token id %q is not a number", r.PathValue("id")))
		return
	}
	if err := s.store.DeleteToken(r.Context(), pc.name(), pc.project.ID, id); err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	s.settingsSavedRedirect(w, r, pc, "token-revoked", "tokens")
}

// webhookSubmit adds a webhook with a generated secret and shows the
// secret, this once.
func (s *Server) webhookSubmit(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	v := s.settingsView(pc)
	v.Draft.WebhookURL, v.Draft.MinSeverity = strings.TrimSpace(r.PostFormValue("url")), r.PostFormValue("min_severity")
	h, err := s.createWebhook(r.Context(), pc.name(), pc.project, newWebhook{URL: v.Draft.WebhookURL, MinSeverity: v.Draft.MinSeverity})
	if err != nil {
		s.settingsRefused(w, r, pc, &v, err, &v.Problems.Webhook)
		return
	}
	v = s.settingsView(pc)
	v.Secret = &uiSecret{Kind: "webhook", Name: h.URL, Value: h.Secret}
	s.renderSettings(w, r, pc, http.StatusOK, v)
}

// createWebhook validates and records a webhook as the API's POST webhooks
// does when it is sent no secret: the secret is generated.
func (s *Server) createWebhook(ctx context.Context, actor string, p store.Project, req newWebhook) (store.Webhook, error) {
	if err := checkWebhookURL(req.URL); err != nil {
		return store.Webhook{}, err
	}
	if req.MinSeverity == "" {
		req.MinSeverity = string(risk.High)
	}
	if !risk.Severity(req.MinSeverity).Valid() {
		return store.Webhook{}, badInput("minimum severity %q: use low, medium, high or critical", req.MinSeverity)
	}
	if req.Secret == "" {
		b := make([]byte, 32)
		if _, err := crand.Read(b); err != nil {
			return store.Webhook{}, err
		}
		req.Secret = "whsec_" + base64.RawURLEncoding.EncodeToString(b)
	} else if len(req.Secret) < 16 || len(req.Secret) > 200 {
		return store.Webhook{}, badInput("a webhook secret needs 16 to 200 characters; leave it out to have one generated")
	}
	h, err := s.store.CreateWebhook(ctx, actor, store.Webhook{ProjectID: p.ID, URL: req.URL, Secret: req.Secret, MinSeverity: req.MinSeverity})
	h.Secret = req.Secret
	return h, err
}

func (s *Server) webhookRemove(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	id, err := webhookID(r)
	if err == nil {
		err = s.store.DeleteWebhook(r.Context(), pc.name(), pc.project.ID, id)
	}
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	s.settingsSavedRedirect(w, r, pc, "webhook-deleted", "webhooks")
}
