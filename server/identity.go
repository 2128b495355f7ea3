package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// sessionCookie holds a signed-in browser's session token.
const sessionCookie = "ward_session"

// caller is who sent a request: a signed-in user (with a session) or an
// API token, which acts in one project only.
type caller struct {
	user    *store.User
	session *store.Session
	token   *store.Token
}

// name is how the audit log and triage records name the caller.
func (c *caller) name() string {
	if c.token != nil {
		return fmt.Sprintf("token:%s#%d", c.token.Name, c.token.ID)
	}
	return "user:" + c.user.Email
}

// siteAdmin reports whether the caller may manage users and projects.
func (c *caller) siteAdmin() bool { return c.user != nil && c.user.SiteAdmin }

// identify finds the caller from a bearer token or the session cookie; nil
// means anonymous. A bad or expired credential is anonymous too: the
// handler then answers 401.
func (s *Server) identify(r *http.Request) (*caller, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, nil
		}
		tok, err := s.store.TokenByHash(r.Context(), auth.HashToken(strings.TrimSpace(secret)))
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &caller{token: &tok}, nil
	}
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	sess, u, err := s.store.SessionUser(r.Context(), auth.HashToken(ck.Value))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &caller{user: &u, session: &sess}, nil
}

// csrfOK checks a state-changing request made with a session cookie
// carries the session's CSRF token, in the X-CSRF-Token header or the csrf
// form field. Token callers send no cookies, so they need none.
func csrfOK(r *http.Request, c *caller) bool {
	if c.session == nil {
		return true
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && auth.Equal(got, c.session.CSRF)
}

// roleIn is the caller's role in a project: a token's own role in its
// project, a site administrator's admin everywhere, else the membership.
func (s *Server) roleIn(ctx context.Context, c *caller, p store.Project) (store.Role, error) {
	switch {
	case c.token != nil:
		if c.token.ProjectID == p.ID {
			return c.token.Role, nil
		}
		return "", nil
	case c.user.SiteAdmin:
		return store.Admin, nil
	}
	return s.store.RoleOf(ctx, p.ID, c.user.ID)
}

// startSession signs a user in: a random token in an HttpOnly cookie, its
// hash and a CSRF token in the database.
func (s *Server) startSession(ctx context.Context, w http.ResponseWriter, u store.User) (store.Session, error) {
	secret, hash, err := auth.NewToken("")
	if err != nil {
		return store.Session{}, err
	}
	csrf, _, err := auth.NewToken("")
	if err != nil {
		return store.Session{}, err
	}
	sess := store.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, ExpiresAt: s.cfg.Now().Add(s.cfg.SessionTTL)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return sess, err
	}
	//nolint:gosec // G124: Secure is dropped only when the operator asks for plain HTTP.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: !s.cfg.InsecureCookies, SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	return sess, nil
}

func (s *Server) endSession(ctx context.Context, w http.ResponseWriter, c *caller) error {
	// Expires the session cookie at once.
	//nolint:gosec // G124: Secure is dropped only when the operator asks for plain HTTP.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: !s.cfg.InsecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	if c == nil || c.session == nil {
		return nil
	}
	return s.store.DeleteSession(ctx, c.session.TokenHash)
}

// checkPassword signs in by email and password, rate limited per client
// address and per account so guessing is slow from one place or many.
// The error is deliberately the same for an unknown email and a wrong
// password.
func (s *Server) checkPassword(r *http.Request, email, password string) (store.User, error) {
	if err := allowSignIn(s.signIn, r, "email:"+strings.ToLower(email)); err != nil {
		return store.User{}, err
	}
	// Accounts are stored with lowercase emails.
	u, err := s.store.UserByEmail(r.Context(), strings.ToLower(email))
	if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check, so timing does not tell
		// which emails have accounts.
		_ = auth.CheckPassword(s.dummyHash, password) // only the time it takes matters
		return store.User{}, errBadLogin
	}
	if err != nil {
		return u, err
	}
	if auth.CheckPassword(u.PasswordHash, password) != nil {
		return store.User{}, errBadLogin
	}
	return u, nil
}

// allowSignIn takes an attempt from the client address's budget in l and
// from each of keys', or says how long to wait.
func allowSignIn(l *auth.Limiter, r *http.Request, keys ...string) error {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	for _, key := range append([]string{"addr:" + host}, keys...) {
		if ok, wait := l.Allow(key); !ok {
			return &rateLimited{wait}
		}
	}
	return nil
}

var errBadLogin = errors.New("wrong email or password")

type rateLimited struct{ wait time.Duration }

func (e *rateLimited) Error() string {
	return fmt.Sprintf("too many sign-in attempts; try again in %s", e.wait.Round(time.Second))
}
