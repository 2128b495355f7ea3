package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wardsec/ward/brainstorm"
	"github.com/wardsec/ward/model"
)

type brainstormFlags struct {
	editFlags
	element, answers string
	plain            bool
}

func newBrainstorm() *cobra.Command {
	var f brainstormFlags
	cmd := &cobra.Command{
		Use:   "brainstorm PATH",
		Short: "Think like an attacker, element by element, and write down the threats",
		Long: `Brainstorm walks you through the model one element at a time and, for each
STRIDE category that threatens it, shows the threats already found and the
questions an attacker would ask (from the threat library and general ones).
What you think of becomes hand-written threats in the model file: a title,
a scenario, the actor, likelihood and impact (moderate and problematic
unless you say otherwise), and an id made from the title.

A process is asked about all six categories; a data store about tampering,
repudiation (of the logs it may hold), information disclosure and denial of
service; an external entity about spoofing and repudiation; a flow about
tampering, information disclosure and denial of service.

At a terminal each question is a form: arrow keys and Enter pick, "/"
filters the list of elements, Esc or Ctrl-C stops. Otherwise, or with
--plain, answers are read one per line, so a script can feed them on
stdin. At the end all new threats are written at once, after the file's
last threat (or in a new threats list at its end); comments and formatting
stay as they were. Before writing, Ward checks the whole model as it will
be. The file is replaced atomically, and not at all if it changed
meanwhile. Stopping before the end (Esc, Ctrl-C, or the input ending)
writes nothing and exits 2. When the threats cannot be written, they are
printed on stdout so that nothing typed is lost.

--answers FILE adds the threats listed in FILE without asking, as a CI job
would: a YAML file with a threats list written as in a model, where id
(made from the title) and target (the --element) may be left out.`,
		Example: `  ward brainstorm examples/ecommerce
  ward brainstorm examples/ecommerce --element order-api
  ward brainstorm examples/ecommerce --plain
  ward brainstorm examples/ecommerce --element order-api --answers threats.yaml --dry-run`,
		Args: exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return brainstormModel(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.element, "element", "", "brainstorm only the component or flow with this `ID`")
	fl.StringVar(&f.answers, "answers", "", "add the threats listed in `FILE` (YAML) without asking")
	fl.BoolVar(&f.plain, "plain", false, "ask plain questions, one answer per line, even at a terminal")
	f.register(cmd)
	return cmd
}

func brainstormModel(cmd *cobra.Command, path string, f brainstormFlags) error {
	e, err := loadForEdit(cmd, path, f.editFlags)
	if err != nil {
		return err
	}
	lib, err := library(f.rules)
	if err != nil {
		return err
	}
	s := brainstorm.New(e.res, lib, e.now)
	if f.element != "" {
		if _, err := s.Element(f.element); err != nil {
			return err
		}
	}
	stderr := cmd.ErrOrStderr()
	if f.answers != "" {
		data, err := os.ReadFile(f.answers)
		if err != nil {
			return fmt.Errorf("%w: --answers: %w", model.ErrInvalid, err)
		}
		if err := s.AddAnswers(f.answers, data, f.element); err != nil {
			return err
		}
	} else {
		p := prompter(cmd, f.plain)
		added, ok, err := brainstorm.Walk(s, p, f.element)
		p.Close() // gives the terminal back before anything else is written to it
		switch {
		case errors.Is(err, brainstorm.ErrStopped):
			return stoppedError{err}
		case err != nil:
			return err
		case len(added) == 0:
			fmt.Fprintln(stderr, "no threats added; nothing was written")
			return nil
		case !ok:
			fmt.Fprintln(stderr, "nothing was written")
			return nil
		}
	}
	edit, err := s.Prepare()
	if err != nil {
		return keepTyped(cmd, s, f, err)
	}
	ids := make([]string, len(s.Added()))
	for i, t := range s.Added() {
		ids[i] = t.ID
	}
	done := fmt.Sprintf("%d threat(s) in %s:%d: %s", len(ids), edit.File.Path, edit.Line, strings.Join(ids, ", "))
	if f.dryRun {
		if _, err := io.WriteString(cmd.OutOrStdout(), edit.File.Diff()); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "dry run, %s not written: would add %s\n", edit.File.Path, done)
		return nil
	}
	if err := edit.File.Commit(); err != nil {
		return keepTyped(cmd, s, f, err)
	}
	fmt.Fprintf(stderr, "added %s\n", done)
	return nil
}

// keepTyped prints the threats a person typed on stdout when they cannot
// be written, so that the brainstorm is not lost, and returns err.
func keepTyped(cmd *cobra.Command, s *brainstorm.Session, f brainstormFlags, err error) error {
	if f.answers != "" {
		return err // they are in the answers file
	}
	text, rerr := s.Render()
	if rerr != nil {
		return err
	}
	if _, werr := io.WriteString(cmd.OutOrStdout(), text); werr != nil {
		return err
	}
	return fmt.Errorf("%w\nthe threats you entered are printed on stdout: add them to the model by hand", err)
}

// stoppedError is a brainstorm the person stopped before its end: like bad
// input, it exits 2, and its message stands alone.
type stoppedError struct{ error }

func (e stoppedError) Unwrap() []error { return []error{e.error, model.ErrInvalid} }

// prompter asks with forms when a person is at a terminal — stdin,
// stdout and stderr, where the forms draw, all terminals — and else, or
// when plain, with plain questions on stderr, echoing the answers when
// they come from a pipe so that the output reads as a transcript.
func prompter(cmd *cobra.Command, plain bool) interface {
	brainstorm.Prompter
	Close()
} {
	in, out := cmd.InOrStdin(), cmd.ErrOrStderr()
	if !plain && isTerminal(in) && isTerminal(cmd.OutOrStdout()) && isTerminal(out) {
		return brainstorm.NewForms(cmd.Context(), in, out)
	}
	return brainstorm.NewLines(cmd.Context(), in, out, !isTerminal(in))
}

// isTerminal reports whether v, a command's input or output, is a
// terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
