package server

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/store"
)

// summary is what a version records about its analysis.
type summary struct {
	Title      string   `json:"title"`
	Components int      `json:"components"`
	Flows      int      `json:"flows"`
	Threats    int      `json:"threats"`
	Features   []string `json:"features"`
	Warnings   []string `json:"warnings"`
}

func summarize(res *engine.Result) summary {
	sum := summary{Title: res.Model.Title, Components: len(res.Model.Components), Flows: len(res.Model.Flows), Threats: len(res.Threats)}
	for _, f := range res.Model.Features {
		sum.Features = append(sum.Features, f.ID)
	}
	for _, w := range res.Warnings {
		sum.Warnings = append(sum.Warnings, w.String())
	}
	return sum
}

// findingsOf turns an analysis into the rows the threat table reads.
func findingsOf(res *engine.Result) []store.Finding {
	out := make([]store.Finding, 0, len(res.Threats))
	// Many threats share a target: its features are found once.
	featuresOf := map[string][]string{}
	for _, th := range res.Threats {
		f := store.Finding{ThreatID: th.ID, Rule: th.Rule, Title: th.Title, Severity: string(th.Severity), Rank: th.Severity.Rank(),
			Target: th.Target, TargetName: th.TargetName, TargetKind: th.TargetKind, ModelStatus: string(th.Status)}
		for _, st := range th.Stride {
			f.Stride = append(f.Stride, string(st))
		}
		feats, seen := featuresOf[th.Target]
		if !seen {
			for _, feat := range res.Model.Features {
				if feat.Touches(res.Model, th.Target) {
					feats = append(feats, feat.ID)
				}
			}
			featuresOf[th.Target] = feats
		}
		f.Features = feats
		out = append(out, f)
	}
	return out
}

// analyses caches recent versions' analyses: the threat page, exports,
// diagrams and diffs need the whole result, which is rebuilt from the
// stored files when it is not in memory. At most one rebuild per version
// runs at a time.
type analyses struct {
	mu      sync.Mutex
	max     int
	entries map[int64]*analysisEntry
	order   []int64 // least recently used first
	build   func(ctx context.Context, v store.Version) (*engine.Result, error)
}

type analysisEntry struct {
	done chan struct{}
	res  *engine.Result
	err  error
}

func newAnalyses(limit int, build func(context.Context, store.Version) (*engine.Result, error)) *analyses {
	return &analyses{max: limit, entries: map[int64]*analysisEntry{}, build: build}
}

func (a *analyses) get(ctx context.Context, v store.Version) (*engine.Result, error) {
	a.mu.Lock()
	e := a.entries[v.ID]
	if e == nil {
		e = &analysisEntry{done: make(chan struct{})}
		a.entries[v.ID] = e
		a.mu.Unlock()
		e.res, e.err = a.build(context.WithoutCancel(ctx), v)
		close(e.done)
		a.mu.Lock()
		if e.err != nil {
			delete(a.entries, v.ID) // a failure is not remembered
		}
	}
	a.touch(v.ID)
	a.mu.Unlock()
	select {
	case <-e.done:
		return e.res, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// touch marks id as just used and evicts beyond the cap; a.mu is held.
func (a *analyses) touch(id int64) {
	for i, x := range a.order {
		if x == id {
			a.order = append(a.order[:i], a.order[i+1:]...)
			break
		}
	}
	a.order = append(a.order, id)
	for len(a.order) > a.max {
		delete(a.entries, a.order[0])
		a.order = a.order[1:]
	}
}

// put stores a fresh analysis, so an upload's result is not rebuilt.
func (a *analyses) put(id int64, res *engine.Result) {
	e := &analysisEntry{done: make(chan struct{}), res: res}
	close(e.done)
	a.mu.Lock()
	a.entries[id] = e
	a.touch(id)
	a.mu.Unlock()
}

// reanalyze rebuilds a version's analysis from its stored files.
func (s *Server) reanalyze(ctx context.Context, v store.Version) (*engine.Result, error) {
	data, err := s.store.Archive(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	fs, err := unpack(data, "", s.cfg.Limits)
	if err != nil {
		return nil, fmt.Errorf("version %d's stored files: %w", v.Seq, err)
	}
	return s.analyze(ctx, fs, v.Root, v.CreatedAt)
}

// analyze runs one analysis in a CPU slot.
func (s *Server) analyze(ctx context.Context, fs files, root string, now time.Time) (*engine.Result, error) {
	var res *engine.Result
	err := s.inSlot(ctx, func() error {
		start := time.Now()
		var err error
		res, err = analyze(fs, root, s.lib, s.cfg.Limits, now)
		s.metrics.analysis.Observe(time.Since(start).Seconds())
		return err
	})
	return res, err
}

// inSlot runs CPU-bound work — analyses, exports — when a slot is free: at
// most one per CPU runs at a time, so a burst of uploads or large exports
// queues instead of starving every other request.
func (s *Server) inSlot(ctx context.Context, work func() error) error {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.slots }()
	return work()
}

// triaged applies the server's triage to an analysis: a copy of the result
// whose threats carry the statuses people set here.
func triaged(res *engine.Result, tri map[string]store.Triage, today string) *engine.Result {
	out := *res
	out.Threats = make([]*engine.Threat, len(res.Threats))
	for i, th := range res.Threats {
		t, ok := tri[th.ID]
		if !ok {
			out.Threats[i] = th
			continue
		}
		c := *th
		c.Status = engine.Status(t.StatusOn(today))
		out.Threats[i] = &c
	}
	return &out
}

// resultOf is a version's analysis with the project's triage applied.
func (s *Server) resultOf(ctx context.Context, p store.Project, v store.Version) (*engine.Result, error) {
	res, err := s.analyses.get(ctx, v)
	if err != nil {
		return nil, err
	}
	tri, err := s.store.TriageAll(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return triaged(res, tri, s.cfg.Now().UTC().Format(time.DateOnly)), nil
}

// summaryOf decodes the summary a version recorded. An unreadable one is
// logged and shown empty: the version itself is still served.
func (s *Server) summaryOf(v store.Version) summary {
	var sum summary
	if err := json.Unmarshal([]byte(v.Summary), &sum); err != nil {
		s.log.Error("version summary unreadable", "version", v.ID, "error", err)
	}
	return sum
}

// threatByID finds a threat in a result.
func threatByID(res *engine.Result, id string) *engine.Threat {
	for _, th := range res.Threats {
		if th.ID == id {
			return th
		}
	}
	return nil
}
