package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/diff"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

var sprintf = fmt.Sprintf

func strconvCode(code int) string { return strconv.Itoa(code) }

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
		p, err := s.store.ProjectBySlug(r.Context(), slug)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.fail(w, err)
			return
		}
		role := store.Role("")
		if err == nil {
			if role, err = s.roleIn(r.Context(), c, p); err != nil {
				s.fail(w, err)
				return
			}
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

// --- session and accounts

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

// --- projects

type projectView struct {
	store.Project
	Role          store.Role     `json:"role"`
	LatestVersion int            `json:"latest_version"`
	Open          map[string]int `json:"open_by_severity"`
}

func (s *Server) projectViews(r *http.Request, c *caller) ([]projectView, error) {
	var ps []store.Project
	var err error
	switch {
	case c.token != nil:
		var all []store.Project
		all, err = s.store.Projects(r.Context(), 0, true)
		for _, p := range all {
			if p.ID == c.token.ProjectID {
				ps = append(ps, p)
			}
		}
	default:
		ps, err = s.store.Projects(r.Context(), c.user.ID, c.user.SiteAdmin)
	}
	if err != nil {
		return nil, err
	}
	out := []projectView{}
	for _, p := range ps {
		pv, err := s.viewOf(r, c, p)
		if err != nil {
			return nil, err
		}
		out = append(out, pv)
	}
	return out, nil
}

func (s *Server) viewOf(r *http.Request, c *caller, p store.Project) (projectView, error) {
	pv := projectView{Project: p, Open: map[string]int{}}
	var err error
	if pv.Role, err = s.roleIn(r.Context(), c, p); err != nil {
		return pv, err
	}
	v, err := s.store.VersionOf(r.Context(), p.ID, 0)
	if errors.Is(err, store.ErrNotFound) {
		return pv, nil
	}
	if err != nil {
		return pv, err
	}
	pv.LatestVersion = v.Seq
	pv.Open, err = s.store.OpenCounts(r.Context(), p.ID, v.ID)
	return pv, err
}

func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request, c *caller) {
	out, err := s.projectViews(r, c)
	s.reply(w, http.StatusOK, out, err)
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

func (s *Server) apiCreateProject(w http.ResponseWriter, r *http.Request, c *caller) {
	var req struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	}
	if err := readJSON(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	if !slugRE.MatchString(req.Slug) {
		s.fail(w, badInput("slug %q: use 1 to 63 lowercase letters, digits and dashes", req.Slug))
		return
	}
	if req.Name == "" {
		req.Name = req.Slug
	}
	p, err := s.store.CreateProject(r.Context(), c.name(), store.Project{Slug: req.Slug, Name: req.Name}, c.user.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiProject(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	pv, err := s.viewOf(r, c, p)
	s.reply(w, http.StatusOK, pv, err)
}

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	ms, err := s.store.Members(r.Context(), p.ID)
	s.reply(w, http.StatusOK, nonNil(ms), err)
}

func (s *Server) apiSetMember(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	var req struct {
		Email string     `json:"email"`
		Role  store.Role `json:"role"` // "" removes the member
	}
	if err := readJSON(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	if req.Role != "" && !req.Role.Valid() {
		s.fail(w, badInput("role %q: use viewer, editor or admin, or \"\" to remove", req.Role))
		return
	}
	if err := s.setMember(r.Context(), c.name(), p, req.Email, req.Role); err != nil {
		s.fail(w, err)
		return
	}
	s.apiMembers(w, r, c, p)
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	ts, err := s.store.Tokens(r.Context(), p.ID)
	s.reply(w, http.StatusOK, nonNil(ts), err)
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	var req struct {
		Name          string     `json:"name"`
		Role          store.Role `json:"role"`
		ExpiresInDays int        `json:"expires_in_days"`
	}
	if err := readJSON(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	if req.ExpiresInDays < 0 || req.ExpiresInDays > maxTokenDays {
		s.fail(w, badInput("expires_in_days %d: give 0 (never) to %d", req.ExpiresInDays, maxTokenDays))
		return
	}
	tok, secret, err := s.createToken(r.Context(), c.name(), p, req.Name, req.Role, req.ExpiresInDays)
	s.reply(w, http.StatusCreated, map[string]any{"token": tok, "secret": secret}, err)
}

func (s *Server) apiDeleteToken(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, badInput("token id %q is not a number", r.PathValue("id")))
		return
	}
	if err := s.store.DeleteToken(r.Context(), c.name(), p.ID, id); err != nil {
		s.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// --- versions

type versionView struct {
	store.Version
	Summary summary        `json:"summary"`
	Open    map[string]int `json:"open_by_severity"`
}

func (s *Server) apiVersions(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	vs, err := s.store.Versions(r.Context(), p.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	out := []versionView{}
	for _, v := range vs {
		out = append(out, versionView{Version: v, Summary: s.summaryOf(v)})
	}
	writeJSON(w, http.StatusOK, out)
}

// Upload stores and analyzes a new version from an upload's bytes; the
// API and the web form share it.
func (s *Server) upload(ctx context.Context, c *caller, p store.Project, body []byte, name, root, label string) (store.Version, *engine.Result, error) {
	fs, err := unpack(body, name, s.cfg.Limits)
	if err != nil {
		return store.Version{}, nil, err
	}
	if root, err = fs.rootOf(root); err != nil {
		return store.Version{}, nil, err
	}
	res, err := s.analyze(ctx, fs, root, s.cfg.Now())
	if err != nil {
		return store.Version{}, nil, err
	}
	archive, err := fs.pack()
	if err != nil {
		return store.Version{}, nil, err
	}
	sum, _ := json.Marshal(summarize(res))
	v, err := s.addVersion(ctx, p, c.name(), store.Version{ProjectID: p.ID, Label: label, Root: root, Archive: archive, Summary: string(sum)}, findingsOf(res))
	if err != nil {
		return v, nil, err
	}
	s.metrics.uploads.Inc()
	s.analyses.put(v.ID, res)
	return v, res, nil
}

func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail(w, err)
		return
	}
	q := r.URL.Query()
	v, _, err := s.upload(r.Context(), c, p, body, q.Get("name"), q.Get("root"), q.Get("label"))
	if err != nil {
		s.fail(w, err)
		return
	}
	open, err := s.store.OpenCounts(r.Context(), p.ID, v.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, versionView{Version: v, Summary: s.summaryOf(v), Open: open})
}

// versionOf reads the {version} path value: a number or "latest".
func (s *Server) versionOf(r *http.Request, p store.Project, raw string) (store.Version, error) {
	seq := 0
	if raw != "latest" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return store.Version{}, badInput("version %q: give a number or \"latest\"", raw)
		}
		seq = n
	}
	return s.store.VersionOf(r.Context(), p.ID, seq)
}

func (s *Server) apiVersion(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	v, err := s.versionOf(r, p, r.PathValue("version"))
	if err != nil {
		s.fail(w, err)
		return
	}
	open, err := s.store.OpenCounts(r.Context(), p.ID, v.ID)
	s.reply(w, http.StatusOK, versionView{Version: v, Summary: s.summaryOf(v), Open: open}, err)
}

// filterOf reads the threat table's filters from the query, refusing
// unknown values so a typo does not silently match nothing.
func filterOf(r *http.Request) (store.Filter, error) {
	q := r.URL.Query()
	f := store.Filter{Severity: q.Get("severity"), Stride: q.Get("stride"), Status: q.Get("status"), Feature: q.Get("feature"), Component: q.Get("component")}
	if f.Severity != "" && !risk.Severity(f.Severity).Valid() {
		return f, badInput("severity %q: use low, medium, high or critical", f.Severity)
	}
	if f.Stride != "" && !slices.Contains(model.Strides, model.Stride(f.Stride)) {
		return f, badInput("stride %q: use one of %v", f.Stride, model.Strides)
	}
	if f.Status != "" && !slices.Contains(engine.Statuses, engine.Status(f.Status)) {
		return f, badInput("status %q: use open, acceptance-expired, mitigation-planned, accepted or mitigated", f.Status)
	}
	for _, v := range []string{f.Feature, f.Component} {
		if strings.ContainsAny(v, "%_,") {
			return f, badInput("%q is not an element or feature id", v)
		}
	}
	return f, nil
}

func (s *Server) apiThreats(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	v, err := s.versionOf(r, p, r.PathValue("version"))
	if err != nil {
		s.fail(w, err)
		return
	}
	f, err := filterOf(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	// The table is read far more often than triage changes it: answers are
	// cached under the project's revision and today's date (acceptances
	// expire by date).
	rev, err := s.store.Revision(r.Context(), p.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	key := fmt.Sprintf("threats|%d|%d|%s|%+v", v.ID, rev, s.cfg.Now().UTC().Format(time.DateOnly), f)
	body, ok := s.answers.get(key)
	if !ok {
		fs, err := s.store.Findings(r.Context(), p.ID, v.ID, f)
		if err != nil {
			s.fail(w, err)
			return
		}
		if body, err = json.Marshal(nonNil(fs)); err != nil {
			s.fail(w, err)
			return
		}
		s.answers.put(key, body)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body) // a failed write is a reader gone; body is shared by the cache, never appended to
}

// contentTypes are the exports' media types.
var contentTypes = map[string]string{
	"json": "application/json", "markdown": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
	"csv": "text/csv; charset=utf-8", "sarif": "application/sarif+json", "pdf": "application/pdf",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "table": "text/plain; charset=utf-8",
}

var extensions = map[string]string{"markdown": "md", "table": "txt"}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	ctype, ok := contentTypes[format]
	if !ok || !slices.Contains(report.Formats(), format) {
		s.fail(w, badInput("format %q: use one of %s", format, strings.Join(report.Formats(), ", ")))
		return
	}
	v, res, err := s.versionResult(r, p)
	if err != nil {
		s.fail(w, err)
		return
	}
	if feat := r.URL.Query().Get("feature"); feat != "" {
		if res, err = res.ForFeature(feat); err != nil {
			s.fail(w, badInput("%v", err))
			return
		}
	}
	var buf strings.Builder
	if err := report.Write(&buf, format, res, report.Options{}); err != nil {
		s.fail(w, err)
		return
	}
	ext := extensions[format]
	if ext == "" {
		ext = format
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("%s-v%d.%s", p.Slug, v.Seq, ext)))
	// Exported HTML is served as an attachment under the API's strict
	// policy; its own CSP applies when it is opened.
	_, _ = io.WriteString(w, buf.String()) // a failed write is a reader gone, with nothing to tell
}

func (s *Server) apiDiagram(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	_, res, err := s.versionResult(r, p)
	if err != nil {
		s.fail(w, err)
		return
	}
	q := r.URL.Query()
	opt := diagram.Options{Feature: q.Get("feature"), Zone: q.Get("zone"), Summary: q.Get("summary") == "true"}
	svg, err := diagramSVG(r, res, opt)
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=60")
	//nolint:gosec // G705: our renderer's SVG, served under a CSP that runs no inline script.
	_, _ = w.Write(svg) // a failed write is a reader gone, with nothing to tell
}

// versionResult is the {version} path value's version and its analysis,
// triage applied.
func (s *Server) versionResult(r *http.Request, p store.Project) (store.Version, *engine.Result, error) {
	v, err := s.versionOf(r, p, r.PathValue("version"))
	if err != nil {
		return v, nil, err
	}
	res, err := s.resultOf(r.Context(), p, v)
	return v, res, err
}

// diagramSVG draws a result; a model too large for a whole picture is drawn
// as its zone summary instead.
func diagramSVG(r *http.Request, res *engine.Result, opt diagram.Options) ([]byte, error) {
	g, err := diagram.Build(res, opt)
	if errors.Is(err, diagram.ErrTooLarge) && opt == (diagram.Options{}) {
		g, err = diagram.Build(res, diagram.Options{Summary: true})
	}
	if err != nil {
		return nil, badInput("%v", err)
	}
	var buf strings.Builder
	if err := diagram.Render(r.Context(), g, diagram.SVG, &buf); err != nil {
		return nil, err
	}
	return []byte(buf.String()), nil
}

func (s *Server) apiCompliance(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	_, res, err := s.versionResult(r, p)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, nonNil(report.ComplianceOf(res)))
}

// --- threats

type threatView struct {
	ID           string              `json:"id"`
	Rule         string              `json:"rule"`
	Title        string              `json:"title"`
	Description  string              `json:"description"`
	Scenario     string              `json:"scenario"`
	Severity     string              `json:"severity"`
	Likelihood   string              `json:"likelihood"`
	Impact       string              `json:"impact"`
	Stride       []model.Stride      `json:"stride"`
	Target       string              `json:"target"`
	TargetName   string              `json:"target_name"`
	TargetKind   string              `json:"target_kind"`
	Location     string              `json:"location"`
	Actor        string              `json:"actor"`
	Doomsday     []string            `json:"doomsday"`
	Rationale    []string            `json:"rationale"`
	Evidence     []string            `json:"evidence"`
	Requirements []string            `json:"requirements"`
	TestCases    []string            `json:"test_cases"`
	References   []string            `json:"references"`
	Compliance   map[string][]string `json:"compliance"`
	ModelStatus  string              `json:"model_status"`
	Status       string              `json:"status"`
	Version      int                 `json:"version"`
	Triage       *store.Triage       `json:"triage"`
	Comments     []store.Comment     `json:"comments"`
	History      []store.Entry       `json:"history"`
}

// threatDetail gathers one threat of a version with its triage, comments
// and history.
func (s *Server) threatDetail(r *http.Request, p store.Project, v store.Version, id string) (threatView, error) {
	res, err := s.analyses.get(r.Context(), v)
	if err != nil {
		return threatView{}, err
	}
	th := threatByID(res, id)
	if th == nil {
		return threatView{}, fmt.Errorf("threat %q in version %d: %w", id, v.Seq, store.ErrNotFound)
	}
	tv := threatView{ID: th.ID, Rule: th.Rule, Title: th.Title, Description: th.Description, Scenario: th.Scenario,
		Severity: string(th.Severity), Likelihood: string(th.Likelihood), Impact: string(th.Impact), Stride: th.Stride,
		Target: th.Target, TargetName: th.TargetName, TargetKind: th.TargetKind, Location: th.Location.String(), Actor: th.Actor,
		Doomsday: th.Doomsday, Rationale: th.Rationale, Evidence: th.Evidence, Requirements: th.Requirements, TestCases: th.TestCases,
		References: th.References, Compliance: th.Compliance, ModelStatus: string(th.Status), Status: string(th.Status), Version: v.Seq}
	fs, err := s.store.Findings(r.Context(), p.ID, v.ID, store.Filter{ThreatID: id})
	if err != nil {
		return tv, err
	}
	if len(fs) == 1 {
		tv.Status, tv.Triage = fs[0].Status, fs[0].Triage
	}
	if tv.Comments, err = s.store.Comments(r.Context(), p.ID, id); err != nil {
		return tv, err
	}
	tv.History, err = s.store.AuditOf(r.Context(), p.ID, "threat:"+id, 0)
	tv.Comments, tv.History = nonNil(tv.Comments), nonNil(tv.History)
	return tv, err
}

func (s *Server) versionParam(r *http.Request, p store.Project) (store.Version, error) {
	raw := r.URL.Query().Get("version")
	if raw == "" {
		raw = "latest"
	}
	return s.versionOf(r, p, raw)
}

func (s *Server) apiThreat(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	v, err := s.versionParam(r, p)
	if err != nil {
		s.fail(w, err)
		return
	}
	tv, err := s.threatDetail(r, p, v, r.PathValue("threat"))
	s.reply(w, http.StatusOK, tv, err)
}

// triageRequest is a triage decision; Comment explains it.
type triageRequest struct {
	Status        string `json:"status"`
	Owner         string `json:"owner"`
	Ticket        string `json:"ticket"`
	AcceptedUntil string `json:"accepted_until"`
	Comment       string `json:"comment"`
}

// triageStatuses are the statuses people set; "acceptance-expired" follows
// from the date.
var triageStatuses = []string{string(engine.Open), string(engine.MitigationPlanned), string(engine.Mitigated), string(engine.Accepted)}

// setTriage validates and records a triage decision on a threat the
// project's latest version has; the API and the web form share it.
func (s *Server) setTriage(r *http.Request, c *caller, p store.Project, id string, req triageRequest) (store.Triage, error) {
	if !slices.Contains(triageStatuses, req.Status) {
		return store.Triage{}, badInput("status %q: use %s", req.Status, strings.Join(triageStatuses, ", "))
	}
	if req.AcceptedUntil != "" {
		if _, err := time.Parse(time.DateOnly, req.AcceptedUntil); err != nil {
			return store.Triage{}, badInput("accepted_until %q: use YYYY-MM-DD", req.AcceptedUntil)
		}
	}
	if req.Status == string(engine.Accepted) && req.AcceptedUntil == "" {
		return store.Triage{}, badInput("an accepted risk needs accepted_until, the date it must be reviewed by")
	}
	if len(req.Comment) > 10000 || len(req.Owner) > 200 || len(req.Ticket) > 500 {
		return store.Triage{}, badInput("comment, owner or ticket is too long")
	}
	v, err := s.store.VersionOf(r.Context(), p.ID, 0)
	if err != nil {
		return store.Triage{}, err
	}
	fs, err := s.store.Findings(r.Context(), p.ID, v.ID, store.Filter{ThreatID: id})
	if err != nil {
		return store.Triage{}, err
	}
	if len(fs) == 0 {
		return store.Triage{}, fmt.Errorf("threat %q in the latest version: %w", id, store.ErrNotFound)
	}
	return s.store.SetTriage(r.Context(), c.name(), p.ID, store.Triage{ThreatID: id, Status: req.Status, Owner: req.Owner,
		Ticket: req.Ticket, AcceptedUntil: req.AcceptedUntil}, strings.TrimSpace(req.Comment))
}

func (s *Server) apiTriage(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	var req triageRequest
	if err := readJSON(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	tr, err := s.setTriage(r, c, p, r.PathValue("threat"), req)
	s.reply(w, http.StatusOK, tr, err)
}

func (s *Server) apiComment(w http.ResponseWriter, r *http.Request, c *caller, p store.Project) {
	var req struct {
		Body string `json:"body"`
	}
	if err := readJSON(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	body := strings.TrimSpace(req.Body)
	if body == "" || len(body) > 10000 {
		s.fail(w, badInput("a comment needs 1 to 10000 characters"))
		return
	}
	cm, err := s.store.AddComment(r.Context(), c.name(), p.ID, r.PathValue("threat"), body)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, cm)
}

// compare diffs two versions of a project, with today's triage applied to
// both.
func (s *Server) compare(r *http.Request, p store.Project, from, to string) (*diff.Diff, error) {
	a, err := s.versionOf(r, p, from)
	if err != nil {
		return nil, err
	}
	b, err := s.versionOf(r, p, to)
	if err != nil {
		return nil, err
	}
	ra, err := s.resultOf(r.Context(), p, a)
	if err != nil {
		return nil, err
	}
	rb, err := s.resultOf(r.Context(), p, b)
	if err != nil {
		return nil, err
	}
	return diff.Compare(ra, rb), nil
}

func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = diff.JSON
	}
	if !slices.Contains(diff.Formats(), format) {
		s.fail(w, badInput("format %q: use one of %s", format, strings.Join(diff.Formats(), ", ")))
		return
	}
	if q.Get("from") == "" || q.Get("to") == "" {
		s.fail(w, badInput("name the versions to compare: ?from=N&to=M"))
		return
	}
	d, err := s.compare(r, p, q.Get("from"), q.Get("to"))
	if err != nil {
		s.fail(w, err)
		return
	}
	ctype := contentTypes[format]
	if ctype == "" {
		ctype = "text/plain; charset=utf-8"
	}
	// Written whole first, so a failure is answered as one.
	var buf strings.Builder
	if err := diff.Write(&buf, format, d, diff.Options{}); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = io.WriteString(w, buf.String()) // a failed write is a reader gone, with nothing to tell
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	es, err := s.store.AuditOf(r.Context(), p.ID, r.URL.Query().Get("object"), 0)
	s.reply(w, http.StatusOK, nonNil(es), err)
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
