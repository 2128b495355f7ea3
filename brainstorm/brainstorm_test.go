package brainstorm_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/brainstorm"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/modelfile"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/rules"
)

var now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// copyModel writes text to a model file in a fresh directory.
func copyModel(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "acme.ward.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func example(t *testing.T) (path, text string) {
	t.Helper()
	data, err := os.ReadFile("../examples/ecommerce/acme.ward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return copyModel(t, string(data)), string(data)
}

func analyze(t *testing.T, path string) (*engine.Result, *rules.Library) {
	t.Helper()
	lib, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Analyze(m, lib, engine.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res, lib
}

func session(t *testing.T, path string) *brainstorm.Session {
	t.Helper()
	res, lib := analyze(t, path)
	return brainstorm.New(res, lib, now)
}

// script answers the walk, one line per answer.
func script(lines ...string) *strings.Reader {
	return strings.NewReader(strings.Join(lines, "\n") + "\n")
}

// orderAPIScript brainstorms order-api: a spoofing and a disclosure
// threat, nothing in the other categories, then confirms.
var orderAPIScript = []string{
	// Spoofing
	"Session tokens replayed from a shared computer",
	"A customer leaves a kiosk; the next person reuses the token and orders as them.",
	"3", // external-adversary
	"",  // likelihood: moderate
	"severe",
	"", // no more spoofing
	"", // tampering
	"", // repudiation
	// Information disclosure
	"Order totals leak in error messages",
	"",
	"", // no actor
	"easy",
	"",
	"",
	"", // denial of service
	"", // elevation of privilege
	"y",
}

const orderAPIThreats = `
threats:
  - id: session-tokens-replayed-from-a-shared-computer
    title: Session tokens replayed from a shared computer
    target: order-api
    stride: [spoofing]
    actor: external-adversary
    scenario: A customer leaves a kiosk; the next person reuses the token and orders as them.
    likelihood: moderate
    impact: severe
  - id: order-totals-leak-in-error-messages
    title: Order totals leak in error messages
    target: order-api
    stride: [information-disclosure]
    likelihood: easy
    impact: problematic
`

func TestWalkWritesThreats(t *testing.T) {
	path, before := example(t)
	s := session(t, path)
	var out strings.Builder
	p := brainstorm.NewLines(context.Background(), script(orderAPIScript...), &out, true)
	defer p.Close()
	added, ok, err := brainstorm.Walk(s, p, "order-api")
	if err != nil || !ok || len(added) != 2 {
		t.Fatalf("walk: %d added, ok %v, err %v\n%s", len(added), ok, err, out.String())
	}
	edit, err := s.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	if err := edit.File.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The file is what it was, byte for byte, with the threats after it.
	if diff := cmp.Diff(before+orderAPIThreats, string(got)); diff != "" {
		t.Fatalf("file (-want +got):\n%s", diff)
	}
	if want := strings.Count(before, "\n") + 3; edit.Line != want {
		t.Errorf("first threat at line %d, want %d", edit.Line, want)
	}

	res, _ := analyze(t, path)
	hand := res.Model.HandThreat("session-tokens-replayed-from-a-shared-computer")
	if hand == nil || hand.Actor.ID != "external-adversary" || hand.Impact != risk.Severe || !slices.Equal(hand.Stride, []model.Stride{model.Spoofing}) {
		t.Fatalf("reloaded threat: %+v", hand)
	}
	var found []string
	for _, th := range res.Threats {
		if th.Rule == "" && th.Target == "order-api" {
			found = append(found, th.ID+" "+string(th.Severity))
		}
	}
	slices.Sort(found)
	if want := []string{"order-totals-leak-in-error-messages critical", "session-tokens-replayed-from-a-shared-computer critical"}; !slices.Equal(found, want) {
		t.Errorf("analysis finds %q, want %q", found, want)
	}
}

func TestWalkShowsWhatIsKnown(t *testing.T) {
	path, _ := example(t)
	s := session(t, path)
	var out strings.Builder
	p := brainstorm.NewLines(context.Background(), script(orderAPIScript...), &out, true)
	defer p.Close()
	if _, _, err := brainstorm.Walk(s, p, "order-api"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"== Order API (order-api, aws.api-gateway): Spoofing (1/6)",
		"password-brute-force@order-api",                                 // found by the library, in spoofing
		"How could a caller pretend to be another user or service?",      // general question
		"[process-missing-authentication]",                               // a library question, with its rule
		"Add a threat? Its title (empty for the next category): Session", // the answer echoed
		"added threat session-tokens-replayed-from-a-shared-computer",
		"== Order API (order-api, aws.api-gateway): Elevation of privilege (6/6)",
		"2 new threat(s) for " + path,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out.String())
	}
}

func TestStrides(t *testing.T) {
	letters := func(c model.Category) string {
		var b strings.Builder
		for _, s := range brainstorm.Strides(c) {
			b.WriteString(s.Letter())
		}
		return b.String()
	}
	for c, want := range map[model.Category]string{
		model.Process: "STRIDE", model.Datastore: "TRID", model.ExternalEntity: "SR", model.FlowCategory: "TID",
	} {
		if got := letters(c); got != want {
			t.Errorf("%s: %s, want %s", c, got, want)
		}
	}
}

func TestSteps(t *testing.T) {
	path, _ := example(t)
	s := session(t, path)
	flow, err := s.Element("order-service-to-order-db")
	if err != nil {
		t.Fatal(err)
	}
	steps := s.Steps(flow)
	if len(steps) != 3 || steps[0].Stride != model.Tampering {
		t.Fatalf("flow steps: %d, first %s", len(steps), steps[0].Stride)
	}
	for _, st := range steps {
		var general, library int
		seen := map[string]bool{}
		for _, q := range st.Questions {
			if seen[q.Text] {
				t.Errorf("%s: question %q twice", st.Stride, q.Text)
			}
			seen[q.Text] = true
			if q.Rule == "" {
				general++
			} else {
				library++
			}
		}
		if general == 0 || library == 0 {
			t.Errorf("%s: %d general and %d library questions; want both", st.Stride, general, library)
		}
	}

	db, err := s.Element("order-db")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range s.Steps(db) {
		for _, e := range st.Existing {
			if e.ID == "datastore-incorrect-restore@order-db" && e.Status != engine.Mitigated {
				t.Errorf("%s is %s, want mitigated", e.ID, e.Status)
			}
		}
	}
}

func TestWalkStops(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
	}{
		{"input ends mid-threat", orderAPIScript[:3]},
		{"input ends before confirming", orderAPIScript[:len(orderAPIScript)-1]},
		{"no input", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, _ := example(t)
			s := session(t, path)
			in := strings.NewReader(strings.Join(tt.lines, "\n"))
			p := brainstorm.NewLines(context.Background(), in, &strings.Builder{}, false)
			defer p.Close()
			_, _, err := brainstorm.Walk(s, p, "order-api")
			if !errors.Is(err, brainstorm.ErrStopped) {
				t.Fatalf("err %v, want ErrStopped", err)
			}
		})
	}
}

func TestWalkInterrupted(t *testing.T) {
	path, _ := example(t)
	s := session(t, path)
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	defer w.Close()
	p := brainstorm.NewLines(ctx, r, &strings.Builder{}, false)
	defer p.Close()
	time.AfterFunc(20*time.Millisecond, cancel)
	_, _, err := brainstorm.Walk(s, p, "order-api")
	if !errors.Is(err, brainstorm.ErrStopped) || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err %v, want interrupted", err)
	}
}

func TestWalkUnknownElement(t *testing.T) {
	path, _ := example(t)
	s := session(t, path)
	p := brainstorm.NewLines(context.Background(), script(), &strings.Builder{}, false)
	defer p.Close()
	_, _, err := brainstorm.Walk(s, p, "order-apj")
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), `did you mean "order-api"?`) {
		t.Fatalf("err %v", err)
	}
}

func TestWalkPicksElements(t *testing.T) {
	path, _ := example(t)
	s := session(t, path)
	var out strings.Builder
	lines := []string{
		"customer-brouser",                     // a typo: asked again
		"1",                                    // customer-browser: spoofing, repudiation
		"Phished customer", "", "", "", "", "", // one spoofing threat
		"",                                                       // repudiation
		"order-service-to-order-db",                              // a flow: tampering, disclosure, denial of service
		"Phished customer", "", "external-adversary", "", "", "", // same title, another element
		"", "",
		"", // finish
		"y",
	}
	p := brainstorm.NewLines(context.Background(), script(lines...), &out, true)
	defer p.Close()
	added, ok, err := brainstorm.Walk(s, p, "")
	if err != nil || !ok {
		t.Fatalf("ok %v, err %v\n%s", ok, err, out.String())
	}
	var got []string
	for _, th := range added {
		got = append(got, th.ID+" "+th.Target.ID+" "+string(th.Stride[0]))
	}
	want := []string{"phished-customer customer-browser spoofing", "phished-customer-2 order-service-to-order-db tampering"}
	if !slices.Equal(got, want) {
		t.Errorf("added %q, want %q", got, want)
	}
	if !strings.Contains(out.String(), `the model has no component or flow "customer-brouser" (did you mean "customer-browser"?)`) {
		t.Errorf("typo not caught:\n%s", out.String())
	}
}

func TestWalkDeclined(t *testing.T) {
	path, _ := example(t)
	s := session(t, path)
	lines := slices.Clone(orderAPIScript)
	lines[len(lines)-1] = "n"
	p := brainstorm.NewLines(context.Background(), script(lines...), &strings.Builder{}, false)
	defer p.Close()
	added, ok, err := brainstorm.Walk(s, p, "order-api")
	if err != nil || ok || len(added) != 2 {
		t.Fatalf("added %d, ok %v, err %v; want 2 added, not confirmed", len(added), ok, err)
	}
}

func TestCommitRefusesChangedFile(t *testing.T) {
	path, before := example(t)
	s := session(t, path)
	if err := s.AddAnswers("answers.yaml", []byte("threats:\n  - title: Replayed orders\n    stride: [tampering]\n"), "order-api"); err != nil {
		t.Fatal(err)
	}
	edit, err := s.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	changed := before + "# edited meanwhile\n"
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := edit.File.Commit(); !errors.Is(err, modelfile.ErrChanged) {
		t.Fatalf("commit: %v, want ErrChanged", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != changed {
		t.Fatal("commit wrote over a changed file")
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestAddAnswers(t *testing.T) {
	path, before := example(t)
	s := session(t, path)
	answers := `threats:
  - title: Replayed order confirmations
    stride: [tampering, repudiation]
    actor: external-adversary
    requirements: [Each confirmation carries a nonce]
  - id: warehouse-impostor
    title: Someone poses as the warehouse
    target: fulfillment-queue-to-warehouse
    stride: [tampering]
    likelihood: difficult
    impact: severe
`
	if err := s.AddAnswers("answers.yaml", []byte(answers), "order-api"); err != nil {
		t.Fatal(err)
	}
	edit, err := s.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	const want = `
threats:
  - id: replayed-order-confirmations
    title: Replayed order confirmations
    target: order-api
    stride: [tampering, repudiation]
    actor: external-adversary
    likelihood: moderate
    impact: problematic
    requirements:
      - Each confirmation carries a nonce
  - id: warehouse-impostor
    title: Someone poses as the warehouse
    target: fulfillment-queue-to-warehouse
    stride: [tampering]
    likelihood: difficult
    impact: severe
`
	if diff := cmp.Diff(before+want, string(edit.File.Bytes())); diff != "" {
		t.Fatalf("the example followed by the threats (-want +got):\n%s", diff)
	}
	if got, _ := os.ReadFile(path); string(got) != before {
		t.Fatal("Prepare wrote the file")
	}
}

func TestAddAnswersReportsEveryProblem(t *testing.T) {
	path, _ := example(t)
	s := session(t, path)
	answers := `threats:
  - title: Fine on its own
    stride: [tampering]
  - title: Unknown target
    target: order-apj
    stride: [tampering]
  - title: Unknown actor
    stride: [spoofing]
    actor: martian
  - id: fine-on-its-own
    title: Taken id
    stride: [tampering]
`
	err := s.AddAnswers("answers.yaml", []byte(answers), "order-api")
	if !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("err %v, want ErrInvalid", err)
	}
	for _, want := range []string{
		`answers.yaml:4:5: the model has no component or flow "order-apj" (did you mean "order-api"?)`,
		`answers.yaml:7:5: the model has no actor "martian"`,
		`answers.yaml:10:5: threat id "fine-on-its-own" is already taken`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if len(s.Added()) != 0 {
		t.Errorf("%d threats kept after a failed answers file", len(s.Added()))
	}

	err = s.AddAnswers("answers.yaml", []byte("threats:\n  - title: Bad stride\n    stride: [sneezing]\n"), "order-api")
	if want := `answers.yaml:3:14: unknown STRIDE category "sneezing"`; !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), want) {
		t.Errorf("err %v, want %q", err, want)
	}
}

func TestDirectoryModelWritesWhereThreatsAre(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a-system.ward.yaml":  "title: Shop\ncomponents:\n  - id: api\n    kind: process\n",
		"b-threats.ward.yaml": "# Hand-written threats.\nthreats:\n  - id: old\n    title: Old\n    target: api\n    stride: [spoofing]\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := session(t, dir)
	if err := s.AddAnswers("answers.yaml", []byte("threats:\n  - title: New\n    stride: [tampering]\n"), "api"); err != nil {
		t.Fatal(err)
	}
	edit, err := s.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	if err := edit.File.Commit(); err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "b-threats.ward.yaml"); edit.File.Path != want || edit.Line != 7 {
		t.Errorf("wrote %s:%d, want %s:7", edit.File.Path, edit.Line, want)
	}
	res, _ := analyze(t, dir)
	if res.Model.HandThreat("new") == nil {
		t.Error("the directory model lacks the new threat")
	}
	got, err := os.ReadFile(filepath.Join(dir, "a-system.ward.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != files["a-system.ward.yaml"] {
		t.Error("the file without threats changed")
	}
}
