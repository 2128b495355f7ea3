package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/backlog"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

func newExport() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Hand the threat assessment to other tools",
	}
	cmd.AddCommand(newExportBacklog())
	return groupCommand(cmd)
}

type backlogFlags struct {
	format      string
	output      string
	rules       []string
	feature     string
	minSeverity string
	today       string
	create      bool
	dryRun      bool
	repo        string
	project     string
	apiURL      string
	timeout     time.Duration
}

func newExportBacklog() *cobra.Command {
	var f backlogFlags
	cmd := &cobra.Command{
		Use:   "backlog PATH",
		Short: "Put every open threat in the team's backlog: GitHub or GitLab issues, or a Jira CSV",
		Long: `Backlog analyzes the model at PATH and makes one work item per unresolved
threat (open, mitigation planned, or acceptance expired): a title with the
severity, the scenario, where the component is written, likelihood × impact,
evidence, mitigations, the security requirements and test cases as
checklists, and references. Each item carries the threat's id in a hidden
marker, so exporting again does not duplicate it.

Without --create it writes the items to stdout (or -o FILE):
  github     a JSON array of GitHub create-issue requests {title, body, labels}
  gitlab     a JSON array of GitLab new-issue requests {title, description, labels}
  jira-csv   a CSV for Jira's importer: Summary, Description, Priority,
             Labels, External ID (the threat id)

With --create it opens the issues itself: GitHub with --repo OWNER/NAME and
GITHUB_TOKEN, GitLab with --project ID-OR-PATH and GITLAB_TOKEN. It first
lists the issues labelled "ward", open or closed, and skips threats that
already have one. --dry-run says what it would create.

Exit codes: 0 success, 2 bad input or usage, 3 the tracker's API failed.`,
		Example: `  ward export backlog . --format jira-csv -o threats.csv
  ward export backlog . --min-severity high --format gitlab
  GITHUB_TOKEN=... ward export backlog . --create --repo acme/shop --dry-run
  GITLAB_TOKEN=... ward export backlog . --create --project acme/shop --feature checkout`,
		Args: exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return exportBacklog(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "", "output `FORMAT`: "+strings.Join(backlog.Formats(), ", ")+" (default github, or gitlab with --project)")
	fl.StringVarP(&f.output, "output", "o", "", "write the items to `FILE` instead of stdout")
	fl.StringArrayVar(&f.rules, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	fl.StringVar(&f.feature, "feature", "", "only the threats of the components and flows of `FEATURE`")
	fl.StringVar(&f.minSeverity, "min-severity", string(risk.Low), "only threats at or above `SEVERITY` (low, medium, high, critical)")
	fl.StringVar(&f.today, "today", "", "judge accepted risks' expiry as of `DATE` (YYYY-MM-DD; default today)")
	fl.BoolVar(&f.create, "create", false, "create the issues through the API instead of printing them")
	fl.BoolVar(&f.dryRun, "dry-run", false, "with --create, list what would be created without creating it")
	fl.StringVar(&f.repo, "repo", "", "with --create, the GitHub repository `OWNER/NAME`")
	fl.StringVar(&f.project, "project", "", "with --create, the GitLab project `ID-OR-PATH`")
	fl.StringVar(&f.apiURL, "api-url", "", "with --create, the API's root `URL` (default "+backlog.GitHubAPI+" or "+backlog.GitLabAPI+")")
	fl.DurationVar(&f.timeout, "timeout", time.Minute, "with --create, give up on the API after `DURATION`")
	return cmd
}

func exportBacklog(cmd *cobra.Command, path string, f backlogFlags) error {
	if f.format == "" {
		f.format = backlog.GitHubFormat
		if f.project != "" && f.repo == "" {
			f.format = backlog.GitLabFormat
		}
	}
	if !slices.Contains(backlog.Formats(), f.format) {
		return usagef("--format: unknown format %q (want one of %s)", f.format, strings.Join(backlog.Formats(), ", "))
	}
	floor, err := risk.ParseSeverity(f.minSeverity)
	if err != nil {
		return usagef("--min-severity: %s", err)
	}
	now, err := parseToday(f.today)
	if err != nil {
		return err
	}
	var tracker backlog.Tracker
	if f.create {
		if tracker, err = trackerOf(f); err != nil {
			return err
		}
	} else if err := noCreateFlags(cmd); err != nil {
		return err
	}

	prog := newProgress(cmd.ErrOrStderr())
	res, err := loadAndAnalyze(path, f.rules, engine.Options{Now: now, Progress: prog.analysing()}, prog)
	prog.done()
	if err != nil {
		return err
	}
	if f.feature != "" {
		if res, err = res.ForFeature(f.feature); err != nil {
			return usagef("--feature: %s", err)
		}
	}
	printWarnings(cmd.ErrOrStderr(), res.Warnings)
	items := backlog.Items(res.Threats, floor)

	if tracker == nil {
		return writeOutput(f.output, cmd.OutOrStdout(), func(out *output) error {
			return backlog.Write(out.w, f.format, items)
		})
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout)
	defer cancel()
	done, err := backlog.Sync(ctx, tracker, items, f.dryRun)
	printOutcome(cmd.ErrOrStderr(), done, f.dryRun)
	if err != nil {
		return apiHint(err, f)
	}
	return nil
}

// noCreateFlags refuses the flags that only mean something with --create.
func noCreateFlags(cmd *cobra.Command) error {
	for _, name := range []string{"dry-run", "repo", "project", "api-url", "timeout"} {
		if cmd.Flags().Changed(name) {
			return usagef("--%s needs --create", name)
		}
	}
	return nil
}

// trackerOf checks the --create flags and the token, and reaches the
// tracker the format names.
func trackerOf(f backlogFlags) (backlog.Tracker, error) {
	if f.output != "" {
		return nil, usagef("-o and --create do not go together: --create writes to the tracker")
	}
	if f.timeout <= 0 {
		return nil, usagef("--timeout: want a positive duration such as 30s")
	}
	opt := backlog.Options{BaseURL: f.apiURL}
	switch f.format {
	case backlog.GitHubFormat:
		if f.repo == "" || f.project != "" {
			return nil, usagef("--create with GitHub needs --repo OWNER/NAME (--project is for GitLab)")
		}
		token, err := tokenFrom("GITHUB_TOKEN", "a GitHub token allowed to read and write the repository's issues")
		if err != nil {
			return nil, err
		}
		gh, err := backlog.NewGitHub(f.repo, token, opt)
		if err != nil {
			return nil, usagef("--repo or --api-url: %s", err)
		}
		return gh, nil
	case backlog.GitLabFormat:
		if f.project == "" || f.repo != "" {
			return nil, usagef("--create with GitLab needs --project ID-OR-PATH (--repo is for GitHub)")
		}
		token, err := tokenFrom("GITLAB_TOKEN", "a GitLab token with the api scope")
		if err != nil {
			return nil, err
		}
		gl, err := backlog.NewGitLab(f.project, token, opt)
		if err != nil {
			return nil, usagef("--project or --api-url: %s", err)
		}
		return gl, nil
	}
	return nil, usagef("--create works with --format github or gitlab; import a %s file by hand", f.format)
}

func tokenFrom(name, what string) (string, error) {
	token := strings.TrimSpace(os.Getenv(name))
	if token == "" {
		return "", usagef("--create needs %s set to %s", name, what)
	}
	return token, nil
}

// printOutcome says what Sync did, also when it stopped early.
func printOutcome(w io.Writer, o backlog.Outcome, dryRun bool) {
	for _, c := range o.Created {
		fmt.Fprintf(w, "created %s  %s\n", c.URL, c.Item.Title)
	}
	for _, it := range o.Pending {
		fmt.Fprintf(w, "would create %s  %s\n", it.ThreatID, it.Title)
	}
	if dryRun {
		fmt.Fprintf(w, "would create %d, skipped %d already in the backlog\n", len(o.Pending), len(o.Skipped))
		return
	}
	fmt.Fprintf(w, "created %d, skipped %d already in the backlog\n", len(o.Created), len(o.Skipped))
}

// apiHint adds what to check to the API errors a user can fix.
func apiHint(err error, f backlogFlags) error {
	envVar, where := "GITHUB_TOKEN", "--repo "+f.repo
	if f.format == backlog.GitLabFormat {
		envVar, where = "GITLAB_TOKEN", "--project "+f.project
	}
	var api *backlog.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w (raise --timeout, now %s)", err, f.timeout)
	case errors.Is(err, backlog.ErrRateLimited):
		return err
	case !errors.As(err, &api):
		return err
	case api.Status == http.StatusUnauthorized:
		return fmt.Errorf("%w (check %s: it was refused)", err, envVar)
	case api.Status == http.StatusForbidden:
		return fmt.Errorf("%w (check that %s may write issues)", err, envVar)
	case api.Status == http.StatusNotFound:
		return fmt.Errorf("%w (check %s, and that %s can see it)", err, where, envVar)
	}
	return err
}
