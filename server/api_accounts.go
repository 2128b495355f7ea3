package server

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// The API's sign-in and account endpoints.

type signInRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) apiSignIn(w http.ResponseWriter, r *http.Request) {
	var req signInRequest
	if err := readJSON(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	u, err := s.checkPassword(r, req.Email, req.Password)
	if err != nil {
		s.fail(w, err)
		return
	}
	sess, err := s.startSession(r.Context(), w, u)
	s.reply(w, http.StatusOK, map[string]any{"user": u, "csrf_token": sess.CSRF}, err)
}

func (s *Server) apiSignOut(w http.ResponseWriter, r *http.Request, c *caller) {
	if err := s.endSession(r.Context(), w, c); err != nil {
		s.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiMe(w http.ResponseWriter, _ *http.Request, c *caller) {
	if c.token != nil {
		writeJSON(w, http.StatusOK, map[string]any{"token": c.token})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": c.user, "csrf_token": c.session.CSRF})
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, _ *caller) {
	us, err := s.store.Users(r.Context())
	s.reply(w, http.StatusOK, nonNil(us), err)
}

// NewUser is an account to create.
type NewUser struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	Password  string `json:"password"`
	SiteAdmin bool   `json:"site_admin"`
}

// CreateUser validates and adds an account; `ward admin create-user` and
// the API share it.
func (s *Server) CreateUser(ctx context.Context, actor string, nu NewUser) (store.User, error) {
	if !emailRE.MatchString(nu.Email) {
		return store.User{}, badInput("email %q is not an email address", nu.Email)
	}
	if len(nu.Password) < auth.MinPasswordLength {
		return store.User{}, badInput("the password must have at least %d characters", auth.MinPasswordLength)
	}
	hash, err := auth.HashPassword(nu.Password, s.cfg.Passwords)
	if err != nil {
		return store.User{}, err
	}
	name := nu.Name
	if name == "" {
		name, _, _ = strings.Cut(nu.Email, "@")
	}
	return s.store.CreateUser(ctx, actor, store.User{Email: strings.ToLower(nu.Email), Name: name, PasswordHash: hash, SiteAdmin: nu.SiteAdmin})
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, c *caller) {
	var nu NewUser
	if err := readJSON(r, &nu); err != nil {
		s.fail(w, err)
		return
	}
	u, err := s.CreateUser(r.Context(), c.name(), nu)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}
