package server

import (
	"cmp"
	"fmt"
	"net/http"

	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/store"
)

// This file draws a version's compliance view: the frameworks its threats'
// rules cite, each requirement with the threats that answer it and where
// their triage stands today.

type uiComplianceView struct {
	chrome
	Project    store.Project
	Seq        int
	VersionURL string
	Frameworks []uiFramework
}

type uiFramework struct {
	Name         string
	Open         int
	Requirements []uiRequirement
}

type uiRequirement struct {
	ID      string
	Open    int
	Threats []uiComplianceThreat
}

type uiComplianceThreat struct {
	ID, Title, URL, Component, Severity, Status string
}

func (s *Server) compliancePage(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	ver, err := s.versionOf(r, pc.project, r.PathValue("version"))
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	res, err := s.resultOf(r.Context(), pc.project, ver)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	slug := pc.project.Slug
	title := fmt.Sprintf("Version %d", ver.Seq)
	v := uiComplianceView{chrome: s.pageChrome(pc, "Compliance · "+title, crumb{Text: title, URL: versionURL(slug, ver.Seq)}, crumb{Text: "Compliance"}),
		Project: pc.project, Seq: ver.Seq, VersionURL: versionURL(slug, ver.Seq)}
	for _, fw := range report.ComplianceOf(res) {
		f := uiFramework{Name: fw.Name, Open: fw.Open}
		for _, req := range fw.Requirements {
			rq := uiRequirement{ID: req.ID, Open: req.Open}
			for _, th := range req.Threats {
				rq.Threats = append(rq.Threats, uiComplianceThreat{ID: th.ID, Title: th.Title, URL: threatURL(slug, th.ID, ver.Seq),
					Component: cmp.Or(th.TargetName, th.Target), Severity: string(th.Severity), Status: string(th.Status)})
			}
			f.Requirements = append(f.Requirements, rq)
		}
		v.Frameworks = append(v.Frameworks, f)
	}
	s.render(w, http.StatusOK, "compliance", v)
}
