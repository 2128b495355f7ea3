package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/store"
)

// The API's version endpoints: uploads, the threat table, exports,
// diagrams and compliance.

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
	limit, offset, err := pageOf(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	key := fmt.Sprintf("threats|%d|%d|%s|%+v|%d|%d", v.ID, rev, s.cfg.Now().UTC().Format(time.DateOnly), f, limit, offset)
	body, total, ok := s.answers.get(key)
	if !ok {
		fs, err := s.store.Findings(r.Context(), p.ID, v.ID, f)
		if err != nil {
			s.fail(w, err)
			return
		}
		total = len(fs)
		fs = fs[min(offset, total):]
		if limit > 0 {
			fs = fs[:min(limit, len(fs))]
		}
		if body, err = json.Marshal(nonNil(fs)); err != nil {
			s.fail(w, err)
			return
		}
		s.answers.put(key, body, total)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	_, _ = w.Write(body) // a failed write is a reader gone; body is shared by the cache, never appended to
}

// pageOf reads ?limit= (1 to 10,000; none means all) and ?offset= (from 0).
func pageOf(r *http.Request) (limit, offset int, err error) {
	q := r.URL.Query()
	if raw := q.Get("limit"); raw != "" {
		if limit, err = strconv.Atoi(raw); err != nil || limit < 1 || limit > 10000 {
			return 0, 0, badInput("limit %q: give a number from 1 to 10000", raw)
		}
	}
	if raw := q.Get("offset"); raw != "" {
		if offset, err = strconv.Atoi(raw); err != nil || offset < 0 {
			return 0, 0, badInput("offset %q: give a number from 0", raw)
		}
	}
	return limit, offset, nil
}

// maxPDFThreats bounds a PDF export: a document of thousands of pages helps
// no one and costs the server a minute of CPU.
const maxPDFThreats = 5000

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
	if format == "pdf" && len(res.Threats) > maxPDFThreats {
		s.fail(w, badInput("%d threats are too many for a PDF (at most %d, about %d pages): export xlsx or csv, or one feature with &feature=",
			len(res.Threats), maxPDFThreats, maxPDFThreats*3/4))
		return
	}
	var buf bytes.Buffer
	err = s.inSlot(r.Context(), func() error { return report.Write(&buf, format, res, report.Options{}) })
	if err != nil {
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
	_, _ = w.Write(buf.Bytes()) // a failed write is a reader gone, with nothing to tell
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

// diagramSVG draws a result. A whole model too large to lay out is drawn
// as its zone summary instead; a zone or feature too large is refused with
// the reason.
func diagramSVG(r *http.Request, res *engine.Result, opt diagram.Options) ([]byte, error) {
	svg, err := renderSVG(r, res, opt)
	if errors.Is(err, diagram.ErrTooLarge) && opt == (diagram.Options{}) {
		svg, err = renderSVG(r, res, diagram.Options{Summary: true})
	}
	if errors.Is(err, diagram.ErrTooLarge) {
		return nil, badInput("%v", err)
	}
	return svg, err
}

func renderSVG(r *http.Request, res *engine.Result, opt diagram.Options) ([]byte, error) {
	g, err := diagram.Build(res, opt)
	if err != nil {
		return nil, badInput("%v", err)
	}
	var buf bytes.Buffer
	if err := diagram.Render(r.Context(), g, diagram.SVG, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *Server) apiCompliance(w http.ResponseWriter, r *http.Request, _ *caller, p store.Project) {
	_, res, err := s.versionResult(r, p)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, nonNil(report.ComplianceOf(res)))
}
