package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/model"
)

// Exit codes scripts can rely on.
const (
	exitOK       = 0
	exitGate     = 1 // a --fail-on gate found threats at or above the threshold
	exitInvalid  = 2 // bad input or usage
	exitInternal = 3 // Ward itself failed (I/O, a bug)
)

// gateError reports that a gate tripped; its message is already printed.
type gateError struct{ count int }

func (e gateError) Error() string { return fmt.Sprintf("%d threats at or above the gate", e.count) }

// usageError is a command-line mistake.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runWithInput(ctx, args, nil, stdout, stderr)
}

// runWithInput is run reading answers (ward brainstorm) from stdin; nil
// means the process's own.
func runWithInput(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	if stdin != nil {
		root.SetIn(stdin)
	}
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var gate gateError
	var usage usageError
	switch {
	case errors.As(err, &gate):
		return exitGate
	case errors.Is(err, model.ErrInvalid):
		fmt.Fprintln(stderr, err)
		return exitInvalid
	case errors.As(err, &usage), isCobraUsage(err):
		fmt.Fprintf(stderr, "ward: %s\nRun 'ward --help' for usage.\n", err)
		return exitInvalid
	default:
		fmt.Fprintf(stderr, "ward: %s\n", err)
		return exitInternal
	}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "ward",
		Short: "Threat modeling as code for cloud systems",
		Long: `Ward finds the threats of a system described in YAML, ranks them by
likelihood and impact, tracks their mitigations and gates CI on the open ones.

Start with:
  ward init                                    write a commented starter model
  ward import terraform infra/ -o m.ward.yaml  or build one from infrastructure code
  ward analyze model.ward.yaml                 print its threat assessment
  ward report model.ward.yaml -o report.html   the assessment as a document
  ward diagram model.ward.yaml -o dfd.svg      draw its data-flow diagram
  ward check DIR --feature checkout            exit 1 if that feature has open high threats
  ward serve --demo examples/ecommerce         the team server: versions, triage, audit, web UI
  ward push DIR --server URL --project P       upload a model there from CI

Exit codes: 0 success, 1 a gate tripped (--fail-on, check, --fail-on-new,
--fail-on-overdue), 2 bad input or usage, 3 Ward itself failed.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.AddCommand(newAnalyze(), newReport(), newCheck(), newStatus(), newDiff(), newValidate(), newMitigate(), newAccept(), newInit(), newRules(), newKinds(), newGen(), newExport(), newBrainstorm())
	root.AddCommand(newDiagram(), newImport(), newServe(), newAdmin(), newPush())
	return root
}

// isCobraUsage recognises cobra's own usage errors, which are plain.
func isCobraUsage(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command")
}

// exactArgs is cobra.ExactArgs with a usage error naming what is missing.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) == len(names):
			return nil
		case len(names) == 0:
			return usagef("takes no arguments; got %q", args)
		}
		return usagef("want %d argument(s): %s; got %d", len(names), strings.Join(names, " "), len(args))
	}
}

// maxArgs is cobra.MaximumNArgs with a usage error.
func maxArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("takes at most %d argument(s); got %d", n, len(args))
		}
		return nil
	}
}

// groupCommand is a command that only holds subcommands: bare, it prints
// its help; with an unknown subcommand, it is a usage error.
func groupCommand(cmd *cobra.Command) *cobra.Command {
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
		}
		return cmd.Help()
	}
	return cmd
}
