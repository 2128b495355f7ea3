package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wardsec/ward/store"
)

// The web UI: server-rendered pages over the same store and the same access
// rules as the API. Pages answer errors as HTML, never JSON, and send
// anonymous readers to the sign-in form.

func (s *Server) uiRoutes() {
	m := s.mux
	m.HandleFunc("GET /static/{file}", serveStatic)
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.loginSubmit)
	m.HandleFunc("POST /logout", s.signedInPage(s.logoutSubmit))
	m.HandleFunc("GET /{$}", s.signedInPage(s.homePage))

	p := "/p/{project}"
	m.HandleFunc("GET "+p, s.projectPage(store.Viewer, s.versionsPage))
	m.HandleFunc("POST "+p+"/versions", s.projectPage(store.Editor, s.uploadSubmit))
	m.HandleFunc("GET "+p+"/v/{version}", s.projectPage(store.Viewer, s.versionPage))
	m.HandleFunc("GET "+p+"/v/{version}/compliance", s.projectPage(store.Viewer, s.compliancePage))
	m.HandleFunc("GET "+p+"/t/{threat}", s.projectPage(store.Viewer, s.threatPage))
	m.HandleFunc("POST "+p+"/t/{threat}/triage", s.projectPage(store.Editor, s.triageSubmit))
	m.HandleFunc("POST "+p+"/t/{threat}/comments", s.projectPage(store.Editor, s.commentSubmit))
	m.HandleFunc("GET "+p+"/diff", s.projectPage(store.Viewer, s.diffPage))
	s.adminRoutes()
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, nil, http.StatusNotFound, "There is no page at "+r.URL.Path+".")
	})
}

// signedInPage is signedIn for pages: anonymous readers are sent to the
// sign-in form and come back afterwards; a form posted without the
// session's CSRF token is refused.
func (s *Server) signedInPage(h func(http.ResponseWriter, *http.Request, *caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.identify(r)
		if err != nil {
			s.failPage(w, nil, err)
			return
		}
		if c == nil {
			next := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				// The form's answer is a page; come back to the page.
				next = r.Referer()
				if u, err := url.Parse(next); err == nil {
					next = u.RequestURI()
				}
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(localPath(next)), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			if err := parseForm(r); err != nil {
				s.failPage(w, c, err)
				return
			}
		}
		if !csrfOK(r, c) {
			s.errorPage(w, c, http.StatusForbidden, "The form was sent without this session's security token. Reload the page and try again.")
			return
		}
		h(w, r, c)
	}
}

// projectPage is project for pages: a project the caller has no role in
// is not found, one where the role is too low is forbidden.
func (s *Server) projectPage(need store.Role, h func(http.ResponseWriter, *http.Request, *pageCtx)) http.HandlerFunc {
	return s.signedInPage(func(w http.ResponseWriter, r *http.Request, c *caller) {
		slug := r.PathValue("project")
		p, role, err := s.projectRole(r.Context(), c, slug)
		if err != nil {
			s.failPage(w, c, err)
			return
		}
		switch {
		case role == "":
			s.errorPage(w, c, http.StatusNotFound, "There is no project "+strconv.Quote(slug)+", or you are not one of its members.")
		case role.Rank() < need.Rank():
			s.errorPage(w, c, http.StatusForbidden, "This needs the "+string(need)+" role in "+p.Name+"; you are a "+string(role)+".")
		default:
			h(w, r, &pageCtx{caller: c, project: p, role: role})
		}
	})
}

// parseForm reads a posted form, so an upload over the size limit is told
// so rather than taken for a form without its CSRF token. Files past 1 MiB
// go to temporary files; secure bounds the whole body at Limits.MaxBody.
func parseForm(r *http.Request) error {
	err := r.ParseMultipartForm(1 << 20) //nolint:gosec // the body is bounded, see above
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	if err != nil {
		return badInput("the form could not be read: %v", err)
	}
	return nil
}

// pageCtx is who asks for a project page and in which project.
type pageCtx struct {
	*caller
	project store.Project
	role    store.Role
}

// canEdit says whether the caller may upload, triage and comment.
func (pc *pageCtx) canEdit() bool { return pc.role.Rank() >= store.Editor.Rank() }

// localPath keeps a sign-in's return address on this server: a path starting with
// one slash. Anything else, including "//host" and "/\host" which browsers
// read as another host, becomes "/".
func localPath(next string) string {
	if len(next) == 0 || len(next) > 1024 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, r := range next {
		// Browsers drop tabs and newlines and read "\" as "/".
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// isPageRequest says whether a request is the web UI's, to be answered with
// a page: everything but the API and the machine endpoints is.
func isPageRequest(r *http.Request) bool {
	p := r.URL.Path
	return !strings.HasPrefix(p, "/api/") && p != "/healthz" && p != "/metrics" && p != "/openapi.json"
}

// internalError answers a request whose handler panicked.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request) {
	if isPageRequest(r) {
		s.errorPage(w, nil, http.StatusInternalServerError, "Something went wrong on the server; the error is in its log.")
		return
	}
	writeError(w, http.StatusInternalServerError, "internal error")
}

// bodyTooLarge refuses a request over the body limit, before it is
// routed: with a page for the UI's forms, with JSON for the API.
func (s *Server) bodyTooLarge(w http.ResponseWriter, r *http.Request) {
	if isPageRequest(r) {
		s.errorPage(w, nil, http.StatusRequestEntityTooLarge, "The upload is over the server's limit of "+strconv.FormatInt(s.cfg.Limits.MaxBody, 10)+" bytes.")
		return
	}
	writeError(w, http.StatusRequestEntityTooLarge, "the request is over %d bytes", s.cfg.Limits.MaxBody)
}

// failPage answers an error with the page its kind calls for, as fail does
// for the API; unexpected errors are logged and shown without detail.
func (s *Server) failPage(w http.ResponseWriter, c *caller, err error) {
	code, msg := s.errorOf(err)
	s.errorPage(w, c, code, msg)
}

// errorOf maps an error to a status and what the reader is told.
func (s *Server) errorOf(err error) (int, string) {
	var mbe *http.MaxBytesError
	var rl *rateLimited
	switch {
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, err.Error()
	case errors.Is(err, errBadLogin):
		return http.StatusUnauthorized, err.Error()
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "The upload is over the server's limit of " + strconv.FormatInt(mbe.Limit, 10) + " bytes."
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge, strings.TrimPrefix(err.Error(), errTooLarge.Error()+": ")
	case errors.Is(err, errUpload), errors.Is(err, errInput):
		return http.StatusBadRequest, strings.TrimPrefix(strings.TrimPrefix(err.Error(), errUpload.Error()+": "), errInput.Error()+": ")
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "Not found: " + err.Error() + "."
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, "That already exists."
	}
	s.log.Error("internal error", "error", err)
	return http.StatusInternalServerError, "Something went wrong on the server; the error is in its log."
}
