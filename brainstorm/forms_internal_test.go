package brainstorm

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/rules"
)

// The forms are driven two ways here: in their accessible mode, where each
// field reads one line, a script answers every question of a whole walk;
// in their full-screen mode, keys typed into a single form check what
// stops the brainstorm and how an element is picked. (Keys typed ahead
// into a form of several fields race with its moving between fields, so
// those are left to the accessible mode.)

func exampleSession(t *testing.T) *Session {
	t.Helper()
	data, err := os.ReadFile("../examples/ecommerce/acme.ward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "acme.ward.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	lib, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	res, err := engine.Analyze(m, lib, engine.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return New(res, lib, now)
}

// formsScript answers the accessible forms: pick order-api, add one
// spoofing threat, nothing else, finish, write.
func formsScript(t *testing.T, s *Session) []string {
	t.Helper()
	elems := s.Elements()
	pick := ""
	for i, e := range elems {
		if e.ID == "order-api" {
			pick = strconv.Itoa(i + 1)
		}
	}
	return []string{
		pick,
		"  Session tokens replayed  ", // title, trimmed
		"A kiosk; the next person orders as them.",
		"4",                // actors: none, then the model's; the third is external-adversary
		"",                 // likelihood: moderate
		"3",                // impact: severe
		"",                 // no more spoofing
		"", "", "", "", "", // the five other categories
		"",                 // element: the one after order-api is offered
		"",                 // order-service, spoofing: nothing
		"", "", "", "", "", // and its other categories
		strconv.Itoa(len(elems) + 2), // Done
		"y",
	}
}

func TestFormsAccessibleWalk(t *testing.T) {
	s := exampleSession(t)
	var out strings.Builder
	f := newForms(context.Background(), strings.NewReader(strings.Join(formsScript(t, s), "\n")+"\n"), &out, true)
	defer f.Close()
	added, ok, err := Walk(s, f, "")
	if err != nil || !ok {
		t.Fatalf("ok %v, err %v\n%s", ok, err, out.String())
	}
	want := []*model.Threat{{
		ID: "session-tokens-replayed", Title: "Session tokens replayed", Target: model.Ref{ID: "order-api"},
		Stride: []model.Stride{model.Spoofing}, Actor: model.Ref{ID: "external-adversary"},
		Scenario: "A kiosk; the next person orders as them.", Likelihood: risk.Moderate, Impact: risk.Severe,
	}}
	if diff := cmp.Diff(want, added); diff != "" {
		t.Errorf("added (-want +got):\n%s", diff)
	}
	shown := ansi.Strip(out.String())
	for _, w := range []string{
		"Element to brainstorm",
		"2. Order API (order-api, aws.api-gateway)  process",
		"Order API (order-api, aws.api-gateway): Spoofing (1/6)",
		"password-brute-force@order-api",                            // found by the library
		"How could a caller pretend to be another user or service?", // a general question
		"[process-missing-authentication]",                          // a library question, with its rule
		"4. External adversary (external-adversary), external",
		"added threat session-tokens-replayed",
		"Added here:\n  session-tokens-replayed  S  order-api  Session tokens replayed",
		"Order service (order-service, aws.lambda): Spoofing (1/6)", // the element offered next
		"1 new threat(s) for ",
		"Write them? [Y/n]",
	} {
		if !strings.Contains(shown, w) {
			t.Errorf("the forms do not show %q", w)
		}
	}
	if t.Failed() {
		t.Log(shown)
	}
}

func TestFormsAccessibleStops(t *testing.T) {
	s := exampleSession(t)
	script := formsScript(t, s)
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		// Each plain prompt takes its default at the end of the input; the
		// forms must not take that for an answer.
		{"input ends mid-threat", script[:3], "the input ended"},
		{"input ends before writing, whose default is yes", script[:len(script)-1], "the input ended"},
		{"no input", nil, "the input ended"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := exampleSession(t)
			f := newForms(context.Background(), strings.NewReader(strings.Join(tt.lines, "\n")), io.Discard, true)
			defer f.Close()
			_, ok, err := Walk(s, f, "")
			if !errors.Is(err, ErrStopped) || !strings.Contains(err.Error(), tt.want) || ok {
				t.Fatalf("ok %v, err %v; want ErrStopped, %q", ok, err, tt.want)
			}
		})
	}

	t.Run("interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		r, w := io.Pipe()
		defer w.Close()
		f := newForms(ctx, r, io.Discard, true)
		defer f.Close()
		time.AfterFunc(20*time.Millisecond, cancel)
		_, _, err := Walk(exampleSession(t), f, "order-api")
		if !errors.Is(err, ErrStopped) || !strings.Contains(err.Error(), "interrupted") {
			t.Fatalf("err %v, want interrupted", err)
		}
	})
}

func TestFormsKeys(t *testing.T) {
	t.Setenv("TERM", "xterm-256color") // a dumb one would turn the accessible mode on
	s := exampleSession(t)
	tests := []struct {
		name, keys string
		want       string // the element picked, or "" for stopped
	}{
		{"Esc stops", "\x1b", ""},
		{"Ctrl-C stops", "\x03", ""},
		{"Enter takes the first element", "\r", "customer-browser"},
		{"down twice", "jj\r", "order-service"},
		{"arrow down", "\x1b[B\r", "order-api"},
		{"filter", "/order-db\r", "order-db"},
		{"last options", "GG\r", ""}, // Done: nothing picked, not stopped
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A form waits for keys that never come at the end of the
			// input; the deadline turns that into a failure.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			f := newForms(ctx, strings.NewReader(tt.keys), io.Discard, false)
			defer f.Close()
			id, err := f.Element(s.Elements())
			if ctx.Err() != nil {
				t.Fatalf("the form did not end: %v", err)
			}
			stops := strings.Contains(tt.name, "stops")
			if stops != errors.Is(err, ErrStopped) || (!stops && err != nil) {
				t.Fatalf("err %v, want stopped %v", err, stops)
			}
			if id != tt.want {
				t.Errorf("picked %q, want %q", id, tt.want)
			}
		})
	}
}

func TestThreatAnswersDraft(t *testing.T) {
	a := newThreatAnswers()
	if d := a.draft(); d.Likelihood != risk.Moderate || d.Impact != risk.Problematic {
		t.Errorf("defaults %s, %s; want moderate, problematic as the plain prompts", d.Likelihood, d.Impact)
	}
	a.title, a.scenario, a.actor, a.likelihood, a.impact = " Forged totals \n", "\n First line\r\nsecond line \n", "apt", risk.Easy, risk.Severe
	want := &Draft{Title: "Forged totals", Scenario: "First line\nsecond line", Actor: "apt", Likelihood: risk.Easy, Impact: risk.Severe}
	if diff := cmp.Diff(want, a.draft()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestNoteText(t *testing.T) {
	text := "  high  open  no_auth@api  *All* `admin` routes \\ open\n"
	full := &Forms{}
	if got, want := full.noteText(text), "  high  open  no\\_auth@api  \\*All\\* \\`admin\\` routes \\\\ open\n"; got != want {
		t.Errorf("full screen: %q, want %q", got, want)
	}
	if got := (&Forms{accessible: true}).noteText(text); got != text {
		t.Errorf("accessible: %q, want the text as is", got)
	}
}
