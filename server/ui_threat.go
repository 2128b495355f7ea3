package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/store"
)

// This file draws one threat with its triage, discussion and history, and
// for editors the forms that change them.

type uiThreat struct {
	chrome
	Project     store.Project
	T           threatView
	StrideNames string
	Compliance  []uiCompliance
	History     []uiEvent
	VersionURL  string
	// CanEdit shows the forms; Triageable is false when the page shows an
	// older version than the latest, where triage is set.
	CanEdit    bool
	Triageable bool
	LatestURL  string
	Statuses   []string
	Draft      triageRequest
	Problem    formProblem
	Saved      string
	TriageURL  string
	CommentURL string
}

type uiCompliance struct {
	Framework    string
	Requirements string
}

type uiEvent struct {
	At, Actor, What string
	Changes         []string
}

// formProblem is what a form sent back must fix, and what it held.
type formProblem struct {
	Triage, Comment string
	Draft           triageRequest
}

func (s *Server) threatPage(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	s.threatPageWith(w, r, pc, http.StatusOK, formProblem{})
}

func (s *Server) threatPageWith(w http.ResponseWriter, r *http.Request, pc *pageCtx, code int, problem formProblem) {
	ver, err := s.versionParam(r, pc.project)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	id := r.PathValue("threat")
	tv, err := s.threatDetail(r, pc.project, ver, id)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	latest, err := s.latestSeq(r, pc.project)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	slug := pc.project.Slug
	v := uiThreat{chrome: s.pageChrome(pc, tv.Title, crumb{Text: fmt.Sprintf("Version %d", ver.Seq), URL: versionURL(slug, ver.Seq)}, crumb{Text: tv.Title}),
		Project: pc.project, T: tv, VersionURL: versionURL(slug, ver.Seq), CanEdit: pc.canEdit(), Triageable: ver.Seq == latest,
		LatestURL: threatURL(slug, id, 0), Statuses: triageStatuses, Problem: problem, Saved: r.URL.Query().Get("saved"),
		TriageURL: threatURL(slug, id, 0) + "/triage", CommentURL: threatURL(slug, id, 0) + "/comments"}
	var names []string
	for _, st := range tv.Stride {
		names = append(names, model.Stride(st).Name())
	}
	v.StrideNames = strings.Join(names, ", ")
	v.Draft = problem.Draft
	if problem == (formProblem{}) {
		v.Draft = triageRequest{Status: tv.Status}
		if tv.Triage != nil {
			v.Draft = triageRequest{Status: tv.Triage.Status, Owner: tv.Triage.Owner, Ticket: tv.Triage.Ticket, AcceptedUntil: tv.Triage.AcceptedUntil}
		}
		if !slices.Contains(triageStatuses, v.Draft.Status) {
			v.Draft.Status = "accepted" // acceptance-expired: renew or change it
		}
	}
	frameworks := make([]string, 0, len(tv.Compliance))
	for f := range tv.Compliance {
		frameworks = append(frameworks, f)
	}
	slices.Sort(frameworks)
	for _, f := range frameworks {
		v.Compliance = append(v.Compliance, uiCompliance{Framework: f, Requirements: strings.Join(tv.Compliance[f], ", ")})
	}
	for _, e := range tv.History {
		v.History = append(v.History, eventOf(e))
	}
	s.render(w, code, "threat", v)
}

// eventOf says what an audit entry did to a threat, field by field.
func eventOf(e store.Entry) uiEvent {
	ev := uiEvent{At: e.At.UTC().Format("2006-01-02 15:04 UTC"), Actor: e.Actor, What: e.Action}
	before, after := objectOf(e.Before), objectOf(e.After)
	switch e.Action {
	case "threat.triage":
		ev.What = "triaged"
		for _, k := range []string{"status", "owner", "ticket", "accepted_until"} {
			old, now := fmt.Sprint(orEmpty(before[k])), fmt.Sprint(orEmpty(after[k]))
			if old != now {
				ev.Changes = append(ev.Changes, fmt.Sprintf("%s: %s → %s", strings.ReplaceAll(k, "_", " "), orDash(old), orDash(now)))
			}
		}
	case "threat.comment":
		ev.What = "commented"
	}
	return ev
}

// objectOf reads an audit entry's state; "" (no state) reads as nil.
func objectOf(state string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(state), &m); err != nil {
		return nil
	}
	return m
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
