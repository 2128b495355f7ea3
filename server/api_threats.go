package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/wardsec/ward/diff"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/store"
)

// The API's threat endpoints: details, triage, comments, diffs and the
// audit log.

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
	if err := s.inLatest(r.Context(), p, id); err != nil {
		return store.Triage{}, err
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
	cm, err := s.addComment(r.Context(), c, p, r.PathValue("threat"), req.Body)
	s.reply(w, http.StatusCreated, cm, err)
}

// addComment validates and records a comment on a threat of the project's
// latest version; the API and the threat page share it.
func (s *Server) addComment(ctx context.Context, c *caller, p store.Project, id, body string) (store.Comment, error) {
	body = strings.TrimSpace(body)
	if body == "" || len(body) > maxComment {
		return store.Comment{}, badInput("a comment needs 1 to %d characters", maxComment)
	}
	if err := s.inLatest(ctx, p, id); err != nil {
		return store.Comment{}, err
	}
	return s.store.AddComment(ctx, c.name(), p.ID, id, body)
}

// maxComment bounds a comment, in bytes.
const maxComment = 10000

// inLatest checks the threat is one of the project's latest version: people
// triage and discuss the threats the model has now.
func (s *Server) inLatest(ctx context.Context, p store.Project, id string) error {
	v, err := s.store.VersionOf(ctx, p.ID, 0)
	if err != nil {
		return err
	}
	fs, err := s.store.Findings(ctx, p.ID, v.ID, store.Filter{ThreatID: id})
	if err != nil {
		return err
	}
	if len(fs) == 0 {
		return fmt.Errorf("threat %q in the latest version: %w", id, store.ErrNotFound)
	}
	return nil
}

// compare diffs two versions of a project, with today's triage applied to
// both; it returns the versions it read with the diff.
func (s *Server) compare(r *http.Request, p store.Project, from, to string) (a, b store.Version, d *diff.Diff, err error) {
	if a, err = s.versionOf(r, p, from); err != nil {
		return a, b, nil, err
	}
	if b, err = s.versionOf(r, p, to); err != nil {
		return a, b, nil, err
	}
	ra, err := s.resultOf(r.Context(), p, a)
	if err != nil {
		return a, b, nil, err
	}
	rb, err := s.resultOf(r.Context(), p, b)
	if err != nil {
		return a, b, nil, err
	}
	return a, b, diff.Compare(ra, rb), nil
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
	_, _, d, err := s.compare(r, p, q.Get("from"), q.Get("to"))
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
