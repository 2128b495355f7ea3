package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/store"
)

// This file draws the project list and a project's versions.

// severityOrder is how pages list severities: most severe first.
var severityOrder = func() []string {
	out := make([]string, 0, len(risk.Severities))
	for _, sev := range slices.Backward(risk.Severities) {
		out = append(out, string(sev))
	}
	return out
}()

type sevCount struct {
	Severity string
	Count    int
}

// openCells lists open counts most severe first, every severity shown.
func openCells(open map[string]int) (cells []sevCount, total int) {
	for _, sev := range severityOrder {
		cells = append(cells, sevCount{Severity: sev, Count: open[sev]})
		total += open[sev]
	}
	return cells, total
}

type uiHome struct {
	chrome
	Projects []uiProjectRow
	Admin    bool
}

type uiProjectRow struct {
	Name, Slug, URL string
	Role            store.Role
	Latest          int
	LatestURL       string
	Open            []sevCount
	OpenTotal       int
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, c *caller) {
	pvs, err := s.projectViews(r, c)
	if err != nil {
		s.failPage(w, c, err)
		return
	}
	v := uiHome{chrome: s.chromeFor(c, "Projects"), Admin: c.siteAdmin()}
	for _, pv := range pvs {
		row := uiProjectRow{Name: pv.Name, Slug: pv.Slug, URL: projectURL(pv.Slug), Role: pv.Role, Latest: pv.LatestVersion}
		if pv.LatestVersion > 0 {
			row.LatestURL = versionURL(pv.Slug, pv.LatestVersion)
		}
		row.Open, row.OpenTotal = openCells(pv.Open)
		v.Projects = append(v.Projects, row)
	}
	s.render(w, http.StatusOK, "home", v)
}

type uiVersions struct {
	chrome
	Project  store.Project
	Role     store.Role
	CanEdit  bool
	Versions []uiVersionRow
	// Upload is the upload form's outcome when it failed: what to fix.
	Upload      string
	Label, Root string
	DiffURL     string
	From, To    int
	// ServerURL is this server's address for the ward push line: the
	// public URL when configured, else the address the page was asked at.
	ServerURL string
}

type uiVersionRow struct {
	Seq        int
	URL        string
	Label      string
	CreatedBy  string
	CreatedAt  string
	Title      string
	Components int
	Flows      int
	Threats    int
	Open       []sevCount
	OpenTotal  int
	Warnings   []string
	DiffURL    string // against the version before it
}

func (s *Server) versionsPage(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	s.versionsPageWith(w, r, pc, http.StatusOK, "")
}

// versionsPageWith draws the project page with code, showing problem at
// the upload form when it is not empty.
func (s *Server) versionsPageWith(w http.ResponseWriter, r *http.Request, pc *pageCtx, code int, problem string) {
	vs, err := s.store.Versions(r.Context(), pc.project.ID)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	v := uiVersions{chrome: s.pageChrome(pc, pc.project.Name), Project: pc.project, Role: pc.role, CanEdit: pc.canEdit(),
		Upload: problem, DiffURL: projectURL(pc.project.Slug) + "/diff", ServerURL: s.serverURL(r)}
	if problem != "" {
		v.Label, v.Root = r.PostFormValue("label"), r.PostFormValue("root")
	}
	for i, ver := range vs {
		sum := s.summaryOf(ver)
		open, err := s.store.OpenCounts(r.Context(), pc.project.ID, ver.ID)
		if err != nil {
			s.failPage(w, pc.caller, err)
			return
		}
		row := uiVersionRow{Seq: ver.Seq, URL: versionURL(pc.project.Slug, ver.Seq), Label: ver.Label, CreatedBy: ver.CreatedBy,
			CreatedAt: ver.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"), Title: sum.Title, Components: sum.Components,
			Flows: sum.Flows, Threats: sum.Threats, Warnings: sum.Warnings}
		row.Open, row.OpenTotal = openCells(open)
		if i+1 < len(vs) {
			row.DiffURL = fmt.Sprintf("%s?from=%d&to=%d", v.DiffURL, vs[i+1].Seq, ver.Seq)
		}
		v.Versions = append(v.Versions, row)
	}
	if len(vs) > 1 {
		v.From, v.To = vs[1].Seq, vs[0].Seq
	}
	s.render(w, code, "project", v)
}

// latestSeq is the project's newest version number, 0 when it has none.
func (s *Server) latestSeq(r *http.Request, p store.Project) (int, error) {
	v, err := s.store.VersionOf(r.Context(), p.ID, 0)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return v.Seq, err
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "-", " ")
}

// serverURL is the server's address as people reach it.
func (s *Server) serverURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "https"
	if r.TLS == nil && s.cfg.InsecureCookies {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}
