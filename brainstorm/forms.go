package brainstorm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Forms is a Prompter for a person at a terminal: each question is a form
// filled in with the arrow keys, typing and Enter, and "/" filters the
// list of elements. Ctrl-C or Esc stops the brainstorm with ErrStopped.
type Forms struct {
	ctx context.Context
	in  io.Reader
	out io.Writer
	// accessible asks with plain prompts, one answer per line, as the
	// forms do on a dumb terminal; feed then reads in.
	accessible bool
	feed       *feed
	screen     *screen       // where the forms show; nil in accessible mode
	next       int           // the element offered first: the one after the last picked
	told       map[*Step]int // how many of a step's added threats were reported
}

var _ Prompter = (*Forms)(nil)

// NewForms returns a Prompter showing forms on out, a terminal, and
// reading keys from in, a terminal too. It stops with ErrStopped when the
// person presses Ctrl-C or Esc or ctx is done. Close it when done.
func NewForms(ctx context.Context, in io.Reader, out io.Writer) *Forms {
	return newForms(ctx, in, out, os.Getenv("TERM") == "dumb")
}

func newForms(ctx context.Context, in io.Reader, out io.Writer, accessible bool) *Forms {
	f := &Forms{ctx: ctx, in: in, out: out, accessible: accessible, told: map[*Step]int{}}
	if accessible {
		f.feed = newFeed(in)
	} else {
		f.screen = newScreen(ctx, in, out)
	}
	return f
}

// Close ends the forms, giving the terminal back as it was, and stops
// reading the input. Call it before writing to the terminal.
func (f *Forms) Close() {
	if f.feed != nil {
		f.feed.close()
	}
	if f.screen != nil {
		_ = f.screen.close() //nolint:errcheck // why the forms ended was told by the form that saw it
	}
}

// keys are the forms' usual keys, with Esc stopping as Ctrl-C does.
func keys() *huh.KeyMap {
	k := huh.NewDefaultKeyMap()
	k.Quit = key.NewBinding(key.WithKeys("ctrl+c", "esc"), key.WithHelp("esc", "stop"))
	return k
}

// run shows a form of groups until the person submits it.
func (f *Forms) run(groups ...*huh.Group) error {
	form := huh.NewForm(groups...).WithKeyMap(keys())
	if f.accessible {
		// Each plain prompt reads through a scanner of its own and takes
		// a default when the input ends, so the end shows only here.
		in := &lineReader{ctx: f.ctx, f: f.feed}
		err := form.WithAccessible(true).WithInput(in).WithOutput(f.out).RunWithContext(f.ctx)
		if in.err != nil {
			return in.err
		}
		if err != nil {
			return fmt.Errorf("show the form: %w", err)
		}
		return nil
	}
	err := f.screen.show(form)
	if errors.Is(err, errScreenEnded) && f.ctx.Err() == nil && f.screen.err != nil && !errors.Is(f.screen.err, tea.ErrInterrupted) {
		return fmt.Errorf("show the form: %w", f.screen.err)
	}
	if err != nil {
		return fmt.Errorf("interrupted: %w", ErrStopped)
	}
	return nil
}

// println writes line above the forms, where it stays; a failed write
// shows up as the person seeing nothing, and the forms still decide what
// happens.
func (f *Forms) println(line string) {
	if f.accessible {
		_, _ = fmt.Fprintln(f.out, line) //nolint:errcheck // see above
		return
	}
	if f.screen != nil {
		f.screen.println(line)
	}
}

// Element implements Prompter. It offers first the element after the
// last one picked.
func (f *Forms) Element(elems []Element) (string, error) {
	opts := make([]huh.Option[string], 0, len(elems)+2)
	for _, e := range elems {
		opts = append(opts, huh.NewOption(e.Label()+"  "+string(e.Category), e.ID))
	}
	opts = append(opts,
		huh.NewOption("Every element, one after the other", AllElements),
		huh.NewOption("Done", ""))
	id := ""
	if f.next < len(elems) {
		id = elems[f.next].ID
	}
	sel := huh.NewSelect[string]().
		Title("Element to brainstorm").
		Description("/ filters the list; Esc stops without writing anything").
		Options(opts...).
		Value(&id)
	if err := f.run(huh.NewGroup(sel)); err != nil {
		return "", err
	}
	if i := slices.IndexFunc(elems, func(e Element) bool { return e.ID == id }); i >= 0 {
		f.next = i + 1
	}
	return id, nil
}

// Threat implements Prompter: a form shows the step and asks for a title;
// when there is one, a second asks for the rest.
func (f *Forms) Threat(step *Step, actors []*model.Actor) (*Draft, error) {
	for _, t := range step.Added[f.told[step]:] {
		f.println("added threat " + t.ID)
	}
	f.told[step] = len(step.Added)
	a := newThreatAnswers()
	note := huh.NewNote().Title(stepHeading(step)).Description(f.noteText(stepBody(step) + addedText(step)))
	title := huh.NewInput().Title("A threat? Its title").Description("Empty for the next category").Value(&a.title)
	if err := f.run(huh.NewGroup(note, title)); err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.title) == "" {
		return nil, nil
	}
	fields := []huh.Field{
		huh.NewText().Title("Scenario").Description("What does the attacker do, and what does it cost? (optional)").Lines(3).Value(&a.scenario),
	}
	if len(actors) > 0 {
		fields = append(fields, huh.NewSelect[string]().Title("Actor").Options(actorOptions(actors)...).Value(&a.actor))
	}
	fields = append(fields,
		huh.NewSelect[risk.Likelihood]().Title("Likelihood").Options(huh.NewOptions(risk.Likelihoods...)...).Value(&a.likelihood),
		huh.NewSelect[risk.Impact]().Title("Impact").Options(huh.NewOptions(risk.Impacts...)...).Value(&a.impact))
	if err := f.run(huh.NewGroup(fields...).Title(strings.TrimSpace(a.title))); err != nil {
		return nil, err
	}
	return a.draft(), nil
}

// Confirm implements Prompter.
func (f *Forms) Confirm(threats []*model.Threat, file string) (bool, error) {
	ok := true
	note := huh.NewNote().Title(fmt.Sprintf("%d new threat(s) for %s", len(threats), file)).Description(f.noteText(threatTable(threats)))
	confirm := huh.NewConfirm().Title("Write them?").Affirmative("Write").Negative("Discard").Value(&ok)
	if err := f.run(huh.NewGroup(note, confirm)); err != nil {
		return false, err
	}
	return ok, nil
}

// threatAnswers are the values of a threat's form fields.
type threatAnswers struct {
	title, scenario, actor string
	likelihood             risk.Likelihood
	impact                 risk.Impact
}

// newThreatAnswers starts with the defaults the plain prompts have too.
func newThreatAnswers() *threatAnswers {
	return &threatAnswers{likelihood: risk.Moderate, impact: risk.Problematic}
}

// draft is the threat the answers describe; the session checks it.
func (a *threatAnswers) draft() *Draft {
	return &Draft{
		Title:    strings.TrimSpace(a.title),
		Scenario: strings.TrimSpace(strings.ReplaceAll(a.scenario, "\r\n", "\n")),
		Actor:    a.actor, Likelihood: a.likelihood, Impact: a.impact,
	}
}

// actorOptions offers no actor, then each of actors by name.
func actorOptions(actors []*model.Actor) []huh.Option[string] {
	opts := []huh.Option[string]{huh.NewOption("none", "")}
	for _, a := range actors {
		label := a.ID
		if a.Name != "" && a.Name != a.ID {
			label = fmt.Sprintf("%s (%s)", a.Name, a.ID)
		}
		opts = append(opts, huh.NewOption(fmt.Sprintf("%s, %s", label, a.Kind), a.ID))
	}
	return opts
}

// addedText lists the threats already added in the step.
func addedText(step *Step) string {
	if len(step.Added) == 0 {
		return ""
	}
	return "Added here:\n" + threatTable(step.Added)
}

// noteText keeps the characters a note's description reads as markup
// (_italic_, *bold*, `code`) as they are; plain prompts show text as is.
func (f *Forms) noteText(s string) string {
	if f.accessible {
		return s
	}
	return noteEscaper.Replace(s)
}

var noteEscaper = strings.NewReplacer(`\`, `\\`, "_", `\_`, "*", `\*`, "`", "\\`")
