package brainstorm

import (
	"context"
	"errors"
	"io"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// screen shows forms one at a time in one terminal program kept running
// for the whole brainstorm. A program per form would not do: each leaves
// behind a reader of the terminal that takes the first keys meant for the
// next one.
type screen struct {
	ctx   context.Context
	in    io.Reader
	out   io.Writer
	prog  *tea.Program  // started with the first form
	ended chan struct{} // closed once the program ended and the terminal is restored
	err   error         // why it ended; set before ended is closed
}

// errScreenEnded is returned by show when the program ended before the
// form was submitted: interrupted, or closed.
var errScreenEnded = errors.New("the terminal program ended")

func newScreen(ctx context.Context, in io.Reader, out io.Writer) *screen {
	return &screen{ctx: ctx, in: in, out: out, ended: make(chan struct{})}
}

// show shows form until the person submits it (nil) or stops it
// (huh.ErrUserAborted), or the program ends (errScreenEnded).
func (s *screen) show(form *huh.Form) error {
	done := make(chan error, 1)
	if s.prog == nil {
		// The first form is there from the start, so that it gets
		// every key typed.
		s.prog = tea.NewProgram(&host{form: form, done: done}, tea.WithContext(s.ctx), tea.WithInput(s.in), tea.WithOutput(s.out))
		go func() {
			defer close(s.ended)
			_, s.err = s.prog.Run()
		}()
	} else {
		s.prog.Send(showForm{form: form, done: done})
	}
	select {
	case err := <-done:
		return err
	case <-s.ended:
		return errScreenEnded
	}
}

// println prints line above the forms, where it stays; nothing before
// the first form.
func (s *screen) println(line string) {
	if s.prog != nil {
		s.prog.Send(printLine(line))
	}
}

// close ends the program, restoring the terminal, and returns why it
// ended when that was not close.
func (s *screen) close() error {
	if s.prog == nil {
		return nil
	}
	s.prog.Quit()
	<-s.ended
	return s.err
}

// showForm asks the host to show form and to say on done how it ended.
type showForm struct {
	form *huh.Form
	done chan<- error
}

type printLine string

// host is the program's model: the form showing, if any. Keys pressed
// between two forms are dropped rather than given to the next form,
// which the person has not seen yet.
type host struct {
	form *huh.Form
	done chan<- error
}

func (h *host) Init() tea.Cmd {
	if h.form == nil {
		return nil
	}
	return h.form.Init()
}

func (h *host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case showForm:
		h.form, h.done = msg.form, msg.done
		return h, h.form.Init()
	case printLine:
		return h, tea.Println(string(msg))
	}
	if h.form == nil {
		return h, nil
	}
	m, cmd := h.form.Update(msg)
	h.form = m.(*huh.Form)
	switch h.form.State {
	case huh.StateCompleted:
		h.finish(nil)
	case huh.StateAborted:
		h.finish(huh.ErrUserAborted)
	}
	return h, cmd
}

func (h *host) finish(err error) {
	h.done <- err
	h.form, h.done = nil, nil
}

func (h *host) View() tea.View {
	if h.form == nil {
		return tea.NewView("")
	}
	return tea.NewView(h.form.View())
}
