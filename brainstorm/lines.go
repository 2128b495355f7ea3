package brainstorm

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Lines is a Prompter that writes plain text and reads one answer per
// line, so a person at a terminal and a script feeding its input drive it
// the same way.
type Lines struct {
	ctx    context.Context
	out    io.Writer
	in     *feed
	echo   bool
	listed bool          // the element list has been shown
	told   map[*Step]int // how many of a step's added threats were reported
}

var _ Prompter = (*Lines)(nil)

// NewLines returns a Prompter reading answers from in and writing to out.
// With echo set it writes each answer after its question, so that the
// output of a scripted run reads as a transcript. It stops with ErrStopped
// when in ends or ctx is done (Ctrl-C at a terminal). Close it when done.
func NewLines(ctx context.Context, in io.Reader, out io.Writer, echo bool) *Lines {
	return &Lines{ctx: ctx, out: out, in: newFeed(in), echo: echo, told: map[*Step]int{}}
}

// Close stops reading the input. A read already waiting for a line keeps
// waiting until that line arrives, then ends.
func (l *Lines) Close() { l.in.close() }

// ask writes question and returns the answer, trimmed.
func (l *Lines) ask(question string) (string, error) {
	l.printf("%s ", question)
	a, err := l.in.next(l.ctx)
	if err != nil {
		l.printf("\n")
		return "", err
	}
	if l.echo {
		l.printf("%s\n", a)
	}
	return strings.TrimSpace(a), nil
}

// printf writes to the output; a failed write shows up as the person
// seeing nothing, and the input still decides what happens.
func (l *Lines) printf(format string, args ...any) {
	_, _ = fmt.Fprintf(l.out, format, args...) //nolint:errcheck // see above
}

// choose asks for one of values, by number or by name; def is taken on an
// empty answer.
func choose[T ~string](l *Lines, question string, values []T, def T) (T, error) {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	for {
		a, err := l.ask(fmt.Sprintf("%s (%s) [%s]:", question, strings.Join(names, ", "), def))
		if err != nil {
			return "", err
		}
		if a == "" {
			return def, nil
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(values) {
			return values[n-1], nil
		}
		if i := slices.Index(names, strings.ToLower(a)); i >= 0 {
			return values[i], nil
		}
		l.printf("  %q is not one of them%s; try again\n", a, model.DidYouMean(a, names))
	}
}

// Element implements Prompter.
func (l *Lines) Element(elems []Element) (string, error) {
	question := "Next element (number or id, * for all, ? to list them, empty to finish):"
	if !l.listed {
		l.listElements(elems)
		question = "Element to brainstorm (number or id, * for all, empty to finish):"
	}
	for {
		a, err := l.ask(question)
		switch {
		case err != nil:
			return "", err
		case a == "", a == AllElements:
			return a, nil
		case a == "?":
			l.listElements(elems)
			continue
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(elems) {
			return elems[n-1].ID, nil
		}
		ids := make([]string, len(elems))
		for i, e := range elems {
			if e.ID == a {
				return a, nil
			}
			ids[i] = e.ID
		}
		l.printf("  the model has no component or flow %q%s; try again\n", a, model.DidYouMean(a, ids))
	}
}

func (l *Lines) listElements(elems []Element) {
	l.listed = true
	l.printf("Elements of the model:\n")
	tw := tabwriter.NewWriter(l.out, 0, 0, 2, ' ', 0)
	for i, e := range elems {
		fmt.Fprintf(tw, "  %d\t%s\t%s\n", i+1, e.Label(), e.Category)
	}
	_ = tw.Flush() //nolint:errcheck // as printf: the input decides what happens
}

// Threat implements Prompter.
func (l *Lines) Threat(step *Step, actors []*model.Actor) (*Draft, error) {
	for _, t := range step.Added[l.told[step]:] {
		l.printf("  added threat %s\n", t.ID)
	}
	question := "Another threat? Its title (empty for the next category):"
	if l.told[step] == 0 && len(step.Added) == 0 {
		l.showStep(step)
		question = "Add a threat? Its title (empty for the next category):"
	}
	l.told[step] = len(step.Added)
	title, err := l.ask(question)
	if err != nil || title == "" {
		return nil, err
	}
	d := &Draft{Title: title}
	if d.Scenario, err = l.ask("Scenario: what does the attacker do, and what does it cost? (optional):"); err != nil {
		return nil, err
	}
	if d.Actor, err = l.actor(actors); err != nil {
		return nil, err
	}
	if d.Likelihood, err = choose(l, "Likelihood", risk.Likelihoods, risk.Moderate); err != nil {
		return nil, err
	}
	if d.Impact, err = choose(l, "Impact", risk.Impacts, risk.Problematic); err != nil {
		return nil, err
	}
	return d, nil
}

// showStep prints what the step is about: the threats already found and
// the questions to think about.
func (l *Lines) showStep(step *Step) {
	l.printf("\n== %s\n%s", stepHeading(step), stepBody(step))
}

// actor asks for one of actors by number or id; "" for none.
func (l *Lines) actor(actors []*model.Actor) (string, error) {
	if len(actors) == 0 {
		return "", nil
	}
	ids := make([]string, len(actors))
	var list []string
	for i, a := range actors {
		ids[i] = a.ID
		list = append(list, fmt.Sprintf("%d %s", i+1, a.ID))
	}
	for {
		a, err := l.ask(fmt.Sprintf("Actor (%s; empty for none):", strings.Join(list, ", ")))
		if err != nil || a == "" {
			return "", err
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(actors) {
			return actors[n-1].ID, nil
		}
		if slices.Contains(ids, a) {
			return a, nil
		}
		l.printf("  the model has no actor %q%s; try again\n", a, model.DidYouMean(a, ids))
	}
}

// Confirm implements Prompter.
func (l *Lines) Confirm(threats []*model.Threat, file string) (bool, error) {
	l.printf("\n%d new threat(s) for %s:\n%s", len(threats), file, threatTable(threats))
	for {
		a, err := l.ask("Write them? [Y/n]:")
		if err != nil {
			return false, err
		}
		switch strings.ToLower(a) {
		case "", "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		l.printf("  answer y or n\n")
	}
}
