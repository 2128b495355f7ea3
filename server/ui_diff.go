package server

import (
	"cmp"
	"fmt"
	"net/http"

	"github.com/wardsec/ward/diff"
	"github.com/wardsec/ward/store"
)

// This file draws the comparison of two versions.

type uiDiff struct {
	chrome
	Project  store.Project
	Action   string
	Versions []int
	From, To string
	// D is nil until two versions are chosen.
	D       *diff.Diff
	Summary string
	Threats []uiDiffGroup
	Status  []uiDiffThreat
	Mitig   []diff.MitigationStatus
	Changes []uiElement
	// FromURL and ToURL open the two versions.
	FromURL, ToURL string
}

type uiDiffGroup struct {
	Title, Kind string // Kind: new, resolved, reranked
	Rows        []uiDiffThreat
}

type uiDiffThreat struct {
	ID, Title, Component, URL string
	Old, New                  *diff.State
	Raised                    bool
}

type uiElement struct {
	diff.Element
	Pos string
}

func (s *Server) diffPage(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	vs, err := s.store.Versions(r.Context(), pc.project.ID)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	slug := pc.project.Slug
	q := r.URL.Query()
	v := uiDiff{chrome: s.pageChrome(pc, "Compare versions", crumb{Text: "Compare versions"}), Project: pc.project,
		Action: projectURL(slug) + "/diff", From: q.Get("from"), To: q.Get("to")}
	v.Wide = true
	for _, ver := range vs {
		v.Versions = append(v.Versions, ver.Seq)
	}
	if len(vs) > 1 {
		v.From, v.To = cmp.Or(v.From, fmt.Sprint(vs[1].Seq)), cmp.Or(v.To, fmt.Sprint(vs[0].Seq))
	}
	if v.From == "" || v.To == "" {
		s.render(w, http.StatusOK, "diff", v)
		return
	}
	from, to, d, err := s.compare(r, pc.project, v.From, v.To)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	v.FromURL, v.ToURL = versionURL(slug, from.Seq), versionURL(slug, to.Seq)
	v.D, v.Summary = d, d.Summary().String()
	rows := func(ts []diff.Threat, seq int) []uiDiffThreat {
		var out []uiDiffThreat
		for _, t := range ts {
			out = append(out, uiDiffThreat{ID: t.ID, Title: t.Title, Component: cmp.Or(t.TargetName, t.Target),
				URL: threatURL(slug, t.ID, seq), Old: t.Old, New: t.New, Raised: t.Raised()})
		}
		return out
	}
	for _, g := range []uiDiffGroup{
		{Title: "New threats", Kind: "new", Rows: rows(d.NewThreats, to.Seq)},
		{Title: "Resolved threats", Kind: "resolved", Rows: rows(d.Resolved, from.Seq)},
		{Title: "Re-ranked threats", Kind: "reranked", Rows: rows(d.Reranked, to.Seq)},
	} {
		if len(g.Rows) > 0 {
			v.Threats = append(v.Threats, g)
		}
	}
	v.Status = rows(d.StatusChanged, to.Seq)
	v.Mitig = d.MitigationStatuses
	for _, e := range d.Elements {
		ue := uiElement{Element: e}
		if e.Pos.File != "" {
			ue.Pos = e.Pos.String()
		}
		v.Changes = append(v.Changes, ue)
	}
	s.render(w, http.StatusOK, "diff", v)
}
