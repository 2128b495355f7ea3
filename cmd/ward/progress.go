package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress reports a long analysis on stderr, only when stderr is a
// terminal and only once the work has taken long enough to notice, so
// scripts and small models see nothing.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  time.Time
	shown bool
}

const (
	progressDelay = 500 * time.Millisecond
	progressEvery = 200 * time.Millisecond
)

// newProgress returns nil when stderr is not a terminal.
func newProgress(stderr io.Writer) *progress {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: stderr, start: time.Now()}
}

func (p *progress) say(format string, args ...any) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < progressDelay || now.Sub(p.last) < progressEvery {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\r\x1b[K"+format, args...)
}

// analysing is an engine.Options.Progress callback, or nil.
func (p *progress) analysing() func(done, total int) {
	if p == nil {
		return nil
	}
	return func(done, total int) {
		p.say("analysing: %d of %d elements (%d%%)", done, total, done*100/max(total, 1))
	}
}

// while shows a message if a step without its own progress (loading) is
// still going after the delay; call the returned func when the step ends.
func (p *progress) while(format string, args ...any) (stop func()) {
	if p == nil {
		return func() {}
	}
	t := time.AfterFunc(progressDelay, func() { p.say(format, args...) })
	return func() { t.Stop() }
}

// done clears the progress line.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
