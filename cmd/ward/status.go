package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/review"
)

type statusFlags struct {
	format, output, today string
	rules                 []string
	failOnOverdue         bool
}

func newStatus() *cobra.Command {
	var f statusFlags
	cmd := &cobra.Command{
		Use:   "status PATH...",
		Short: "List what models need now: reviews due, expiring risks, late mitigations, unanswered threats",
		Long: `Status reads each model at PATH (a file, or a directory of *.ward.yaml
files) and lists what needs its owners' attention:

  review-overdue       updated + review_every has passed
  acceptance-expired   an accepted risk's date has passed
  acceptance-expiring  an accepted risk expires within 30 days
  mitigation-overdue   a proposed or planned mitigation is past its due date
  unanswered-threat    an unresolved threat with no mitigation in the model

With --fail-on-overdue it exits 1 when a review, an acceptance or a
mitigation is overdue, so a scheduled CI job can nag.`,
		Example: `  ward status examples/ecommerce
  ward status models/* --today 2027-01-01
  ward status . --format json -o status.json --fail-on-overdue`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("want at least 1 argument: PATH...")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return status(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "", "output `FORMAT`: table or json (default: from -o's extension, else table)")
	fl.StringVarP(&f.output, "output", "o", "", "write the status to `FILE` instead of stdout")
	fl.BoolVar(&f.failOnOverdue, "fail-on-overdue", false, "exit 1 when a review, an accepted risk or a mitigation is overdue")
	fl.StringArrayVar(&f.rules, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	fl.StringVar(&f.today, "today", "", "judge dates as of `DATE` (YYYY-MM-DD; default today)")
	return cmd
}

func status(cmd *cobra.Command, paths []string, f statusFlags) error {
	format, err := tableOrJSON(f.format, f.output)
	if err != nil {
		return err
	}
	now, err := parseToday(f.today)
	if err != nil {
		return err
	}
	// One library for every model: packs are read and compiled once.
	lib, err := library(f.rules)
	if err != nil {
		return err
	}
	var all []pathStatus
	for _, path := range paths {
		m, err := model.Load(path)
		if err != nil {
			return err
		}
		res, err := engine.Analyze(m, lib, engine.Options{Now: now})
		if err != nil {
			return err
		}
		printWarnings(cmd.ErrOrStderr(), res.Warnings)
		all = append(all, pathStatus{path, review.Of(res, now)})
	}
	write := writeStatusTable
	if format == "json" {
		write = writeStatusJSON
	}
	err = writeOutput(f.output, cmd.OutOrStdout(), func(out *output) error {
		if err := write(out.w, all); err != nil {
			return fmt.Errorf("write status: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !f.failOnOverdue {
		return nil
	}
	var overdue []string
	for _, s := range all {
		if s.Overdue() {
			overdue = append(overdue, s.path)
		}
	}
	if len(overdue) == 0 {
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "ward: overdue: %s\n", strings.Join(overdue, ", "))
	return gateError{count: len(overdue)}
}

// tableOrJSON is the format of a command that writes a table or JSON:
// --format, or -o's extension, or a table.
func tableOrJSON(format, output string) (string, error) {
	switch {
	case format == "" && strings.HasSuffix(strings.ToLower(output), ".json"):
		return "json", nil
	case format == "":
		return "table", nil
	case format == "table" || format == "json":
		return format, nil
	}
	return "", usagef("--format: unknown format %q (want table or json)", format)
}

type pathStatus struct {
	path string
	review.Status
}

// maxUnanswered is how many unanswered threats the table lists per model.
const maxUnanswered = 10

func writeStatusTable(w io.Writer, all []pathStatus) error {
	var b strings.Builder
	for i, s := range all {
		if i > 0 {
			b.WriteString("\n")
		}
		title := s.Model.Title
		if title == "" {
			title = s.path
		}
		fmt.Fprintf(&b, "%s (%s)\n", title, s.path)
		if len(s.Findings) == 0 {
			b.WriteString("  nothing needs attention\n")
			continue
		}
		unanswered := 0
		for _, f := range s.Findings {
			if f.Kind == review.Unanswered {
				unanswered++
				if unanswered > maxUnanswered {
					continue
				}
			}
			fmt.Fprintf(&b, "  %-19s %s  %s: %s\n", f.Kind, position(f.Pos), f.Subject, f.Message)
		}
		if unanswered > maxUnanswered {
			fmt.Fprintf(&b, "  ... and %d more unanswered threats (--format json lists them all)\n", unanswered-maxUnanswered)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func position(p model.Pos) string {
	if p.File == "" {
		return "-"
	}
	return p.String()
}

// statusJSON is the shape of `ward status --format json`: one entry per
// PATH.
type statusJSON struct {
	Path     string              `json:"path"`
	Title    string              `json:"title"`
	Overdue  bool                `json:"overdue"`
	Counts   map[review.Kind]int `json:"counts"`
	Findings []findingJSON       `json:"findings"`
}

type findingJSON struct {
	Kind     review.Kind `json:"kind"`
	Subject  string      `json:"subject"`
	Message  string      `json:"message"`
	Date     string      `json:"date,omitempty"`
	Location string      `json:"location,omitempty"`
}

func writeStatusJSON(w io.Writer, all []pathStatus) error {
	docs := make([]statusJSON, 0, len(all))
	for _, s := range all {
		d := statusJSON{Path: s.path, Title: s.Model.Title, Overdue: s.Overdue(), Counts: map[review.Kind]int{}, Findings: []findingJSON{}}
		for _, k := range review.Kinds {
			d.Counts[k] = s.Count(k)
		}
		for _, f := range s.Findings {
			fj := findingJSON{Kind: f.Kind, Subject: f.Subject, Message: f.Message}
			if !f.Date.IsZero() {
				fj.Date = f.Date.Format(model.DateLayout)
			}
			if f.Pos.File != "" {
				fj.Location = f.Pos.String()
			}
			d.Findings = append(d.Findings, fj)
		}
		docs = append(docs, d)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(docs)
}
