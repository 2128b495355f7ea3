package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// This file handles the site's administration page: accounts and new
// projects, for site administrators only. To everyone else the page does
// not exist, as the catch-all answers any other unknown address.

// siteAdminPage admits site administrators; anyone else is told there is
// no such page.
func (s *Server) siteAdminPage(h func(http.ResponseWriter, *http.Request, *caller)) func(http.ResponseWriter, *http.Request, *caller) {
	return func(w http.ResponseWriter, r *http.Request, c *caller) {
		if !c.siteAdmin() {
			s.errorPage(w, c, http.StatusNotFound, "There is no page at "+r.URL.Path+".")
			return
		}
		h(w, r, c)
	}
}

var adminSaved = map[string]string{
	"user": "Account created. Add it to projects from each project's settings.",
}

type uiAdmin struct {
	chrome
	Users       []store.User
	Projects    []uiAdminProject
	MinPassword int
	Saved       string
	Problems    struct{ User, Project string }
	Draft       struct {
		Email, Name string
		SiteAdmin   bool
		Slug, Title string
	}
}

type uiAdminProject struct {
	Name, Slug, URL, SettingsURL string
}

func (s *Server) adminView(c *caller) uiAdmin {
	return uiAdmin{chrome: s.chromeFor(c, "Administration", crumb{Text: "Administration"}), MinPassword: auth.MinPasswordLength}
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, c *caller) {
	v := s.adminView(c)
	v.Saved = adminSaved[r.URL.Query().Get("saved")]
	s.renderAdmin(w, r, c, http.StatusOK, v)
}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, c *caller, code int, v uiAdmin) {
	var err error
	if v.Users, err = s.store.Users(r.Context()); err != nil {
		s.failPage(w, c, err)
		return
	}
	ps, err := s.store.Projects(r.Context(), 0, true)
	if err != nil {
		s.failPage(w, c, err)
		return
	}
	for _, p := range ps {
		v.Projects = append(v.Projects, uiAdminProject{Name: p.Name, Slug: p.Slug, URL: projectURL(p.Slug), SettingsURL: settingsURL(p.Slug)})
	}
	s.render(w, code, "admin", v)
}

// adminRefused sends a form's input problem back to it, saying conflict
// when the name is taken; anything else is an error page.
func (s *Server) adminRefused(w http.ResponseWriter, r *http.Request, c *caller, v *uiAdmin, err error, conflict string, problem *string) {
	code, msg := s.errorOf(err)
	if errors.Is(err, store.ErrConflict) {
		msg = conflict
	}
	if code != http.StatusBadRequest && code != http.StatusConflict {
		s.errorPage(w, c, code, msg)
		return
	}
	*problem = msg
	s.renderAdmin(w, r, c, code, *v)
}

// userSubmit creates an account through CreateUser, as the API and
// `ward admin create-user` do.
func (s *Server) userSubmit(w http.ResponseWriter, r *http.Request, c *caller) {
	v := s.adminView(c)
	v.Draft.Email, v.Draft.Name = strings.TrimSpace(r.PostFormValue("email")), strings.TrimSpace(r.PostFormValue("name"))
	v.Draft.SiteAdmin = r.PostFormValue("site_admin") != ""
	_, err := s.CreateUser(r.Context(), c.name(), NewUser{Email: v.Draft.Email, Name: v.Draft.Name, Password: r.PostFormValue("password"), SiteAdmin: v.Draft.SiteAdmin})
	if err != nil {
		s.adminRefused(w, r, c, &v, err, "An account with the email "+v.Draft.Email+" already exists.", &v.Problems.User)
		return
	}
	http.Redirect(w, r, "/admin?saved=user#accounts", http.StatusSeeOther)
}

// projectSubmit creates a project through createProject, as the API does;
// its creator lands on its settings to add members.
func (s *Server) projectSubmit(w http.ResponseWriter, r *http.Request, c *caller) {
	v := s.adminView(c)
	v.Draft.Slug, v.Draft.Title = strings.TrimSpace(r.PostFormValue("slug")), strings.TrimSpace(r.PostFormValue("name"))
	p, err := s.createProject(r.Context(), c, v.Draft.Slug, v.Draft.Title)
	if err != nil {
		s.adminRefused(w, r, c, &v, err, "A project with the slug "+v.Draft.Slug+" already exists.", &v.Problems.Project)
		return
	}
	http.Redirect(w, r, settingsURL(p.Slug)+"?saved=project", http.StatusSeeOther) //nolint:gosec // a path on this site
}
