package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/wardsec/ward/store"
)

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /healthz", s.healthz)
	m.Handle("GET /metrics", s.metricsHandler())
	m.HandleFunc("GET /openapi.json", serveOpenAPI)

	m.HandleFunc("POST /api/session", s.apiSignIn)
	m.HandleFunc("DELETE /api/session", s.signedIn(s.apiSignOut))
	m.HandleFunc("GET /api/me", s.signedIn(s.apiMe))
	m.HandleFunc("GET /api/users", s.signedIn(s.siteAdmin(s.apiUsers)))
	m.HandleFunc("POST /api/users", s.signedIn(s.siteAdmin(s.apiCreateUser)))
	m.HandleFunc("GET /api/projects", s.signedIn(s.apiProjects))
	m.HandleFunc("POST /api/projects", s.signedIn(s.siteAdmin(s.apiCreateProject)))

	p := "/api/projects/{project}"
	m.HandleFunc("GET "+p, s.project(store.Viewer, s.apiProject))
	m.HandleFunc("GET "+p+"/members", s.project(store.Viewer, s.apiMembers))
	m.HandleFunc("PUT "+p+"/members", s.project(store.Admin, s.apiSetMember))
	m.HandleFunc("GET "+p+"/tokens", s.project(store.Admin, s.apiTokens))
	m.HandleFunc("POST "+p+"/tokens", s.project(store.Admin, s.apiCreateToken))
	m.HandleFunc("DELETE "+p+"/tokens/{id}", s.project(store.Admin, s.apiDeleteToken))
	m.HandleFunc("GET "+p+"/versions", s.project(store.Viewer, s.apiVersions))
	m.HandleFunc("POST "+p+"/versions", s.project(store.Editor, s.apiUpload))
	m.HandleFunc("GET "+p+"/versions/{version}", s.project(store.Viewer, s.apiVersion))
	m.HandleFunc("GET "+p+"/versions/{version}/threats", s.project(store.Viewer, s.apiThreats))
	m.HandleFunc("GET "+p+"/versions/{version}/report", s.project(store.Viewer, s.apiReport))
	m.HandleFunc("GET "+p+"/versions/{version}/diagram", s.project(store.Viewer, s.apiDiagram))
	m.HandleFunc("GET "+p+"/versions/{version}/compliance", s.project(store.Viewer, s.apiCompliance))
	m.HandleFunc("GET "+p+"/threats/{threat}", s.project(store.Viewer, s.apiThreat))
	m.HandleFunc("PUT "+p+"/threats/{threat}/triage", s.project(store.Editor, s.apiTriage))
	m.HandleFunc("POST "+p+"/threats/{threat}/comments", s.project(store.Editor, s.apiComment))
	m.HandleFunc("GET "+p+"/diff", s.project(store.Viewer, s.apiDiff))
	m.HandleFunc("GET "+p+"/audit", s.project(store.Admin, s.apiAudit))
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint: %s %s", r.Method, r.URL.Path)
	})
	s.webhookRoutes()
	s.oidcRoutes()
	s.uiRoutes()
}

// signedIn admits any authenticated caller; state-changing calls made
// with a session cookie must carry its CSRF token.
func (s *Server) signedIn(h func(http.ResponseWriter, *http.Request, *caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.identify(r)
		if err != nil {
			s.fail(w, err)
			return
		}
		if c == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ward"`)
			writeError(w, http.StatusUnauthorized, "sign in, or send an API token as Authorization: Bearer TOKEN")
			return
		}
		if !csrfOK(r, c) {
			writeError(w, http.StatusForbidden, "missing or wrong CSRF token (send the X-CSRF-Token header)")
			return
		}
		h(w, r, c)
	}
}

func (s *Server) siteAdmin(h func(http.ResponseWriter, *http.Request, *caller)) func(http.ResponseWriter, *http.Request, *caller) {
	return func(w http.ResponseWriter, r *http.Request, c *caller) {
		if !c.siteAdmin() {
			writeError(w, http.StatusForbidden, "only site administrators may do this")
			return
		}
		h(w, r, c)
	}
}

// project admits callers with at least role need in the path's project.
// A project the caller has no role in is reported as missing, so names of
// other teams' projects do not leak.
func (s *Server) project(need store.Role, h func(http.ResponseWriter, *http.Request, *caller, store.Project)) http.HandlerFunc {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request, c *caller) {
		slug := r.PathValue("project")
		p, role, err := s.projectRole(r.Context(), c, slug)
		if err != nil {
			s.fail(w, err)
			return
		}
		switch {
		case role == "":
			writeError(w, http.StatusNotFound, "project %q not found", slug)
		case role.Rank() < need.Rank():
			writeError(w, http.StatusForbidden, "this needs the %s role in project %q; you are %s", need, slug, role)
		default:
			h(w, r, c, p)
		}
	})
}

// projectRole finds a project by slug and the caller's role in it; the
// role is "" when the project does not exist or the caller has none there.
func (s *Server) projectRole(ctx context.Context, c *caller, slug string) (store.Project, store.Role, error) {
	p, err := s.store.ProjectBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return p, "", nil
	}
	if err != nil {
		return p, "", err
	}
	role, err := s.roleIn(ctx, c, p)
	return p, role, err
}

// fail answers an error with the status its kind calls for; unexpected
// errors are logged and answered without detail.
func (s *Server) fail(w http.ResponseWriter, err error) {
	var mbe *http.MaxBytesError
	var rl *rateLimited
	switch {
	case errors.As(err, &rl):
		w.Header().Set("Retry-After", strconv.Itoa(int(rl.wait.Seconds())+1))
		writeError(w, http.StatusTooManyRequests, "%s", err)
	case errors.Is(err, errBadLogin):
		writeError(w, http.StatusUnauthorized, "%s", err)
	case errors.As(err, &mbe), errors.Is(err, errTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "%s", err)
	case errors.Is(err, errUpload), errors.Is(err, errInput):
		writeError(w, http.StatusBadRequest, "%s", strings.TrimPrefix(strings.TrimPrefix(err.Error(), errUpload.Error()+": "), errInput.Error()+": "))
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "%s", err)
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, "%s", strings.SplitN(err.Error(), ":", 2)[0]+": already exists")
	default:
		s.log.Error("internal error", "error", err)
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}

var errInput = errors.New("bad request")

// readJSON decodes a request body strictly: unknown fields are errors, so
// a misspelt field is not silently ignored.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return fmt.Errorf("%w: the body is not the expected JSON: %v", errInput, err)
	}
	return nil
}

func badInput(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errInput, fmt.Sprintf(format, args...))
}

// reply answers v with code, or the error when there is one.
func (s *Server) reply(w http.ResponseWriter, code int, v any, err error) {
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, code, v)
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
