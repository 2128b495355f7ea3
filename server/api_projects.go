package server

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"

	"github.com/wardsec/ward/store"
)

// The API's project, member and token endpoints.

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
	p, err := s.createProject(r.Context(), c, req.Slug, req.Name)
	s.reply(w, http.StatusCreated, p, err)
}

// createProject checks the slug and records a project, named by its slug
// when no name is given; its creator becomes its administrator. The API
// and the administration page share it.
// CheckSlug accepts a project slug: what appears in every address of the
// project. The API, the admin page and `ward admin create-project` share it.
func CheckSlug(slug string) error {
	if !slugRE.MatchString(slug) {
		return badInput("slug %q: use 1 to 63 lowercase letters, digits and dashes", slug)
	}
	return nil
}

func (s *Server) createProject(ctx context.Context, c *caller, slug, name string) (store.Project, error) {
	if err := CheckSlug(slug); err != nil {
		return store.Project{}, err
	}
	if name == "" {
		name = slug
	}
	return s.store.CreateProject(ctx, c.name(), store.Project{Slug: slug, Name: name}, c.user.ID)
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
