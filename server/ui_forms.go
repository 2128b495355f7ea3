package server

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// This file handles the UI's forms: sign-in and sign-out, uploads, triage
// and comments. Each answers a POST with a redirect to a page (so reloading
// does not send it again), or with the form's page and what to fix.

type loginView struct {
	chrome
	Email, Next, Error string
	// SSO is the address that signs in through the identity provider, when
	// the server has one.
	SSO string
}

func (s *Server) loginView(email, next, problem string) loginView {
	v := loginView{chrome: s.chromeFor(nil, "Sign in"), Email: email, Next: next, Error: problem}
	if s.cfg.OIDC != nil {
		v.SSO = "/login/oidc?next=" + url.QueryEscape(next)
	}
	return v
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	c, err := s.identify(r)
	if err != nil {
		s.failPage(w, nil, err)
		return
	}
	if c != nil && c.session != nil {
		http.Redirect(w, r, next, http.StatusSeeOther) //nolint:gosec // localPath keeps next on this site
		return
	}
	s.render(w, http.StatusOK, "login", s.loginView("", next, ""))
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	// Without a session there is no CSRF token yet; a form posted from
	// another site, which could sign a victim in as the attacker, carries
	// that site's Sec-Fetch-Site or Origin.
	if err := http.NewCrossOriginProtection().Check(r); err != nil {
		s.errorPage(w, nil, http.StatusForbidden, "Sign in from this server's own sign-in page.")
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	next := localPath(r.PostFormValue("next"))
	u, err := s.checkPassword(r, email, r.PostFormValue("password"))
	if err == nil {
		_, err = s.startSession(r.Context(), w, u)
	}
	if err != nil {
		code, msg := s.errorOf(err)
		var rl *rateLimited
		if errors.As(err, &rl) {
			w.Header().Set("Retry-After", strconv.Itoa(int(rl.wait.Seconds())+1))
		}
		s.render(w, code, "login", s.loginView(email, next, msg))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther) //nolint:gosec // localPath keeps next on this site
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request, c *caller) {
	if err := s.endSession(r.Context(), w, c); err != nil {
		s.failPage(w, c, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// uploadSubmit stores a version sent from the project page's form. A model
// that does not load comes back to the form with its file:line errors.
func (s *Server) uploadSubmit(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	f, hdr, err := r.FormFile("model")
	if errors.Is(err, http.ErrMissingFile) {
		s.versionsPageWith(w, r, pc, http.StatusBadRequest, "Choose a model file, or a .tar.gz or .zip of the model's directory.")
		return
	}
	if err != nil {
		s.uploadFailed(w, r, pc, err)
		return
	}
	body, err := io.ReadAll(f)
	_ = f.Close() // read whole; the server removes the form's temporary files
	if err != nil {
		s.uploadFailed(w, r, pc, err)
		return
	}
	label := strings.TrimSpace(r.PostFormValue("label"))
	root := strings.TrimSpace(r.PostFormValue("root"))
	v, _, err := s.upload(r.Context(), pc.caller, pc.project, body, hdr.Filename, root, label)
	if err != nil {
		s.uploadFailed(w, r, pc, err)
		return
	}
	http.Redirect(w, r, versionURL(pc.project.Slug, v.Seq), http.StatusSeeOther)
}

func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, pc *pageCtx, err error) {
	code, msg := s.errorOf(err)
	if code == http.StatusInternalServerError {
		s.errorPage(w, pc.caller, code, msg)
		return
	}
	s.versionsPageWith(w, r, pc, code, msg)
}

// triageSubmit records a decision from the threat page's form.
func (s *Server) triageSubmit(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	id := r.PathValue("threat")
	req := triageRequest{
		Status:        r.PostFormValue("status"),
		Owner:         strings.TrimSpace(r.PostFormValue("owner")),
		Ticket:        strings.TrimSpace(r.PostFormValue("ticket")),
		AcceptedUntil: strings.TrimSpace(r.PostFormValue("accepted_until")),
		Comment:       r.PostFormValue("comment"),
	}
	if _, err := s.setTriage(r, pc.caller, pc.project, id, req); err != nil {
		code, msg := s.errorOf(err)
		if code == http.StatusBadRequest {
			s.threatPageWith(w, r, pc, code, formProblem{Triage: msg, Draft: req})
			return
		}
		s.errorPage(w, pc.caller, code, msg)
		return
	}
	// The threat id came through the path and is escaped back into it.
	http.Redirect(w, r, threatURL(pc.project.Slug, id, 0)+"?saved=triage#triage", http.StatusSeeOther) //nolint:gosec // a path on this site
}

// commentSubmit adds to a threat's discussion.
func (s *Server) commentSubmit(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	id := r.PathValue("threat")
	body := strings.TrimSpace(r.PostFormValue("body"))
	if body == "" || len(body) > 10000 {
		s.threatPageWith(w, r, pc, http.StatusBadRequest, formProblem{Comment: "A comment needs 1 to 10,000 characters.", Draft: triageRequest{Comment: body}})
		return
	}
	if _, err := s.addComment(r.Context(), pc.caller, pc.project, id, body); err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	http.Redirect(w, r, threatURL(pc.project.Slug, id, 0)+"?saved=comment#discussion", http.StatusSeeOther) //nolint:gosec // a path on this site
}
