package server

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/report"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/store"
)

// This file draws a version: its diagram, heat map and threat table. The
// table is filtered and sorted here, from the query, so it works without
// JavaScript; the page's script does the same in place as one types.

type uiVersion struct {
	chrome
	Project    store.Project
	Seq        int
	Label      string
	Title      string
	CreatedBy  string
	CreatedAt  string
	Latest     int
	Summary    summary
	DiagramURL string
	Cards      []uiCard
	Total      int // threats in the version
	Open       int
	HeatMap    uiHeatMap
	Exports    []uiLink
	Table      uiTable
}

type uiCard struct {
	Severity    string
	Open, Total int
}

type uiLink struct{ Text, URL string }

type uiHeatMap struct {
	Likelihoods []string
	Rows        []uiHeatRow
}

type uiHeatRow struct {
	Impact string
	Cells  []sevCount
}

// uiTable is the threat table with its filter form.
type uiTable struct {
	Action   string // the form's address: this page
	Query    string // the text filter
	Filter   store.Filter
	Filtered bool // rows were left out by the query's filters
	// Truncated is how many matching rows were not sent, past tableLimit:
	// the server sorts and filters such a table.
	Truncated int
	Rows      []uiRow
	Headers   []uiHeader
	Options   uiOptions
	All       int // rows before filtering
}

type uiOptions struct {
	Severities, Statuses []string
	Strides              []uiOption
	Features, Components []uiOption
}

type uiOption struct{ Value, Text string }

type uiHeader struct {
	Text, Key, URL string
	Sort           string // "ascending", "descending" or ""
	Numeric        bool   // sorted by rank, most severe or least resolved first
}

// uiRow is one threat in the table. Ranks are the sort keys of the
// severity and status columns.
type uiRow struct {
	ID, URL, Title                     string
	Component, Kind                    string
	Target                             string
	Stride, StrideLetters, StrideNames string
	Severity                           string
	SeverityRank                       int
	Status                             string
	StatusRank                         int
	Owner                              string
	Features                           string
	Search                             string
}

// exportNames are the report formats' names as the export links say them.
var exportNames = map[string]string{"json": "JSON", "markdown": "Markdown", "html": "HTML", "pdf": "PDF", "xlsx": "Excel",
	"csv": "CSV", "sarif": "SARIF", "table": "Text"}

func (s *Server) versionPage(w http.ResponseWriter, r *http.Request, pc *pageCtx) {
	ver, err := s.versionOf(r, pc.project, r.PathValue("version"))
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	f, err := filterOf(r)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	res, err := s.resultOf(r.Context(), pc.project, ver)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	all, err := s.store.Findings(r.Context(), pc.project.ID, ver.ID, store.Filter{})
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	shown := all
	if f != (store.Filter{}) {
		if shown, err = s.store.Findings(r.Context(), pc.project.ID, ver.ID, f); err != nil {
			s.failPage(w, pc.caller, err)
			return
		}
	}
	latest, err := s.latestSeq(r, pc.project)
	if err != nil {
		s.failPage(w, pc.caller, err)
		return
	}
	slug := pc.project.Slug
	api := fmt.Sprintf("/api/projects/%s/versions/%d", url.PathEscape(slug), ver.Seq)
	v := uiVersion{chrome: s.pageChrome(pc, fmt.Sprintf("Version %d", ver.Seq), crumb{Text: fmt.Sprintf("Version %d", ver.Seq)}),
		Project: pc.project, Seq: ver.Seq, Label: ver.Label, CreatedBy: ver.CreatedBy, CreatedAt: ver.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"),
		Latest: latest, Summary: s.summaryOf(ver), Title: res.Model.Title, DiagramURL: api + "/diagram", HeatMap: heatMapOf(res)}
	v.Wide = true
	sum := report.Summarize(res)
	v.Total, v.Open = sum.Total, sum.Open
	for _, sev := range severityOrder {
		v.Cards = append(v.Cards, uiCard{Severity: sev, Open: sum.OpenBySeverity[risk.Severity(sev)], Total: sum.BySeverity[risk.Severity(sev)]})
	}
	for _, format := range report.Formats() {
		v.Exports = append(v.Exports, uiLink{Text: cmp.Or(exportNames[format], format), URL: api + "/report?format=" + url.QueryEscape(format)})
	}
	v.Table = tableOf(r, res, slug, ver.Seq, all, shown, f)
	s.render(w, http.StatusOK, "version", v)
}

func heatMapOf(res *engine.Result) uiHeatMap {
	h := report.HeatMapOf(res)
	var v uiHeatMap
	for _, l := range h.Likelihoods {
		v.Likelihoods = append(v.Likelihoods, titleCase(string(l)))
	}
	for i, imp := range h.Impacts {
		row := uiHeatRow{Impact: titleCase(string(imp))}
		for j := range h.Likelihoods {
			row.Cells = append(row.Cells, sevCount{Severity: string(h.Severity[i][j]), Count: h.Counts[i][j]})
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// tableOf builds the threat table: the filter's options from every finding,
// the rows from those the filter kept, narrowed by the text query and
// sorted as the query asks.
func tableOf(r *http.Request, res *engine.Result, slug string, seq int, all, shown []store.Finding, f store.Filter) uiTable {
	q := r.URL.Query()
	t := uiTable{Action: versionURL(slug, seq), Query: strings.TrimSpace(q.Get("q")), Filter: f, All: len(all)}
	t.Options = optionsOf(res, all)
	needle := strings.ToLower(t.Query)
	for _, fd := range shown {
		row := uiRow{ID: fd.ThreatID, URL: threatURL(slug, fd.ThreatID, seq), Title: fd.Title, Component: cmp.Or(fd.TargetName, fd.Target),
			Kind: fd.TargetKind, Target: fd.Target, Severity: fd.Severity, SeverityRank: risk.Severity(fd.Severity).Rank() + 1,
			Status: fd.Status, StatusRank: statusRank[fd.Status], Stride: strings.Join(fd.Stride, " "), Features: strings.Join(fd.Features, " ")}
		var letters, names []string
		for _, st := range fd.Stride {
			letters = append(letters, model.Stride(st).Letter())
			names = append(names, model.Stride(st).Name())
		}
		row.StrideLetters, row.StrideNames = strings.Join(letters, ""), strings.Join(names, ", ")
		if fd.Triage != nil {
			row.Owner = fd.Triage.Owner
		}
		row.Search = strings.ToLower(strings.Join([]string{row.Title, row.Component, row.Kind, row.ID, row.StrideNames, row.Severity, row.Status, row.Owner, row.Features}, " "))
		if needle != "" && !strings.Contains(row.Search, needle) {
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	t.Filtered = len(t.Rows) < len(all)
	t.Headers = sortRows(q, t.Action, t.Rows)
	if len(t.Rows) > tableLimit {
		t.Truncated = len(t.Rows) - tableLimit
		t.Rows = t.Rows[:tableLimit]
	}
	return t
}

// statusRank orders statuses for sorting: the least resolved ranks highest.
var statusRank = func() map[string]int {
	out := map[string]int{}
	for i, st := range engine.Statuses {
		out[string(st)] = len(engine.Statuses) - i
	}
	return out
}()

// tableLimit bounds the rows a page carries, so a model with tens of
// thousands of threats still gives a page a browser can hold.
var tableLimit = 2000

func optionsOf(res *engine.Result, all []store.Finding) uiOptions {
	var o uiOptions
	o.Severities = severityOrder
	for _, st := range engine.Statuses {
		o.Statuses = append(o.Statuses, string(st))
	}
	for _, st := range model.Strides {
		o.Strides = append(o.Strides, uiOption{Value: string(st), Text: st.Letter() + " · " + st.Name()})
	}
	for _, feat := range res.Model.Features {
		o.Features = append(o.Features, uiOption{Value: feat.ID, Text: cmp.Or(feat.Name, feat.ID)})
	}
	seen := map[string]bool{}
	for _, fd := range all {
		if !seen[fd.Target] {
			seen[fd.Target] = true
			o.Components = append(o.Components, uiOption{Value: fd.Target, Text: cmp.Or(fd.TargetName, fd.Target)})
		}
	}
	slices.SortFunc(o.Components, func(a, b uiOption) int { return cmp.Compare(strings.ToLower(a.Text), strings.ToLower(b.Text)) })
	return o
}

// columns are the table's sortable columns; rank columns start with the
// most severe or least resolved, text columns from A.
var columns = []struct {
	key, text string
	numeric   bool
	value     func(uiRow) string
	rank      func(uiRow) int
}{
	{key: "severity", text: "Severity", numeric: true, rank: func(r uiRow) int { return r.SeverityRank }},
	{key: "threat", text: "Threat", value: func(r uiRow) string { return r.Title }},
	{key: "component", text: "Component", value: func(r uiRow) string { return r.Component }},
	{key: "stride", text: "STRIDE", value: func(r uiRow) string { return r.StrideLetters }},
	{key: "status", text: "Status", numeric: true, rank: func(r uiRow) int { return r.StatusRank }},
	{key: "owner", text: "Owner", value: func(r uiRow) string { return r.Owner }},
}

// sortRows sorts rows by the query's sort and dir, and returns the headers
// with links that sort by each column (the other way for the current one).
func sortRows(q url.Values, action string, rows []uiRow) []uiHeader {
	key, dir := q.Get("sort"), q.Get("dir")
	var hs []uiHeader
	for _, c := range columns {
		first := "ascending"
		if c.numeric {
			first = "descending"
		}
		h := uiHeader{Text: c.text, Key: c.key, Numeric: c.numeric}
		next := first
		if c.key == key {
			h.Sort = first
			if dir == "asc" || dir == "desc" {
				h.Sort = map[string]string{"asc": "ascending", "desc": "descending"}[dir]
			}
			if h.Sort == first {
				next = map[string]string{"ascending": "descending", "descending": "ascending"}[first]
			}
			slices.SortStableFunc(rows, func(a, b uiRow) int {
				var d int
				if c.numeric {
					d = cmp.Compare(c.rank(a), c.rank(b))
				} else {
					d = cmp.Compare(strings.ToLower(c.value(a)), strings.ToLower(c.value(b)))
				}
				if h.Sort == "descending" {
					d = -d
				}
				return d
			})
		}
		link := cloneValues(q)
		link.Set("sort", c.key)
		link.Set("dir", map[string]string{"ascending": "asc", "descending": "desc"}[next])
		h.URL = action + "?" + link.Encode() + "#threats"
		hs = append(hs, h)
	}
	return hs
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if vs[0] != "" {
			out[k] = slices.Clone(vs)
		}
	}
	return out
}
