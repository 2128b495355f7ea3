package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
	"github.com/wardsec/ward/ruletest"
)

func newRules() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List, show and test threat library rules",
		Long: `The threat library is data: YAML rules embedded in Ward, plus packs you
load with --rules DIR. Each rule has a CEL condition over a component or flow
and its context; docs/rules.md describes the format.`,
	}
	cmd.AddCommand(newRulesList(), newRulesShow(), newRulesTest(), newRulesCoverage())
	return groupCommand(cmd)
}

func newRulesList() *cobra.Command {
	var packs []string
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the rules of the library",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			lib, err := library(packs)
			if err != nil {
				return err
			}
			switch format {
			case "table":
				return listRules(cmd.OutOrStdout(), lib.Rules())
			case "json":
				return writeJSON(cmd.OutOrStdout(), ruleSummaries(lib.Rules()))
			}
			return usagef("--format: unknown format %q (want table or json)", format)
		},
	}
	cmd.Flags().StringArrayVar(&packs, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, json")
	return cmd
}

type ruleSummary struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Stride    []string `json:"stride"`
	AppliesTo []string `json:"applies_to"`
	Location  string   `json:"location"`
}

func ruleSummaries(rs []*rules.Rule) []ruleSummary {
	out := make([]ruleSummary, 0, len(rs))
	for _, r := range rs {
		out = append(out, ruleSummary{ID: r.ID, Title: r.Title, Stride: strideNames(r.Stride), AppliesTo: r.AppliesTo, Location: r.Pos.String()})
	}
	return out
}

func listRules(w io.Writer, rs []*rules.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTRIDE\tAPPLIES TO\tTITLE")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, strideLetters(r.Stride), strings.Join(r.AppliesTo, ","), r.Title)
	}
	return tw.Flush()
}

func newRulesShow() *cobra.Command {
	var packs []string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one rule: condition, ratings, scenario, mitigations, references",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			lib, err := library(packs)
			if err != nil {
				return err
			}
			r := lib.Rule(args[0])
			if r == nil {
				ids := make([]string, 0, len(lib.Rules()))
				for _, x := range lib.Rules() {
					ids = append(ids, x.ID)
				}
				return fmt.Errorf("%w: unknown rule %q%s (see `ward rules list`)", model.ErrInvalid, args[0], model.DidYouMean(args[0], ids))
			}
			showRule(cmd.OutOrStdout(), r)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&packs, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	return cmd
}

func showRule(w io.Writer, r *rules.Rule) {
	fmt.Fprintf(w, "%s — %s\n", r.ID, r.Title)
	fmt.Fprintf(w, "defined at  %s\n", r.Pos)
	fmt.Fprintf(w, "STRIDE      %s\n", strings.Join(strideNames(r.Stride), ", "))
	fmt.Fprintf(w, "applies to  %s\n", strings.Join(r.AppliesTo, ", "))
	when := r.When.Value
	if when == "" {
		when = "(always)"
	}
	fmt.Fprintf(w, "when        %s\n", strings.Join(strings.Fields(when), " "))
	actors := make([]string, len(r.Actors))
	for i, a := range r.Actors {
		actors[i] = string(a)
	}
	fmt.Fprintf(w, "actors      %s\n", strings.Join(actors, ", "))
	fmt.Fprintf(w, "likelihood  %s — %s\n", r.Likelihood.Level, r.Likelihood.Rationale)
	for _, a := range r.Likelihood.Adjust {
		fmt.Fprintf(w, "            %s when %s (%s)\n", a.Level, a.When.Value, a.Because)
	}
	fmt.Fprintf(w, "impact      %s — %s\n", r.Impact.Level, r.Impact.Rationale)
	for _, a := range r.Impact.Adjust {
		fmt.Fprintf(w, "            %s when %s (%s)\n", a.Level, a.When.Value, a.Because)
	}
	if r.Description != "" {
		fmt.Fprintf(w, "\n%s\n", strings.Join(strings.Fields(r.Description), " "))
	}
	fmt.Fprintf(w, "\nScenario\n  %s\n", strings.Join(strings.Fields(r.Scenario), " "))
	section := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for _, it := range items {
			fmt.Fprintf(w, "  - %s\n", strings.Join(strings.Fields(it), " "))
		}
	}
	mits := make([]string, len(r.Mitigations))
	for i, m := range r.Mitigations {
		mits[i] = fmt.Sprintf("[%s] %s", m.Kind, m.Title)
	}
	section("Mitigations", mits)
	section("Security requirements", r.Requirements)
	section("Test cases", r.TestCases)
	section("References", r.References.All())
	var comp []string
	for fw, ids := range r.Compliance {
		comp = append(comp, fw+": "+strings.Join(ids, ", "))
	}
	section("Compliance", comp)
	section("Realms of cloud security services", r.Realms)
	section("Supersedes", r.Supersedes)
	section("Questions for brainstorming", r.Questions)
}

func newRulesTest() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "test DIR",
		Short: "Prove a rule pack with its fixtures",
		Long: `Test loads the rule pack in DIR and its fixtures (*.tests.yaml files under
DIR): each names a rule, a small model and a target, and says whether the
rule must fire on it. Every rule of the pack needs a positive and a negative
fixture. Exit 0 when all pass, 1 when one fails, 2 on bad input.`,
		Args: exactArgs("DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			pack, err := rules.LoadDir(args[0])
			if err != nil {
				return err
			}
			lib, err := library(nil)
			if err != nil {
				return err
			}
			lib = lib.Clone()
			if err := lib.Merge(pack); err != nil {
				return err
			}
			cases, err := ruletest.LoadDir(args[0])
			if err != nil {
				return err
			}
			rep := ruletest.Run(lib, cases, pack.Rules())
			w := cmd.OutOrStdout()
			failed := 0
			for _, o := range rep.Outcomes {
				if o.Err != nil {
					failed++
					fmt.Fprintf(w, "FAIL %s\n", o.Err)
				} else {
					fmt.Fprintf(w, "ok   %s: %s\n", o.Case.Rule, o.Case.Name)
				}
			}
			for _, u := range rep.Uncovered {
				fmt.Fprintf(w, "FAIL %s\n", u)
			}
			fmt.Fprintf(w, "%d rules, %d fixtures, %d failed, %d rules not covered\n", len(pack.Rules()), len(rep.Outcomes), failed, len(rep.Uncovered))
			if rep.Failed() {
				return gateError{count: failed + len(rep.Uncovered)}
			}
			return nil
		},
	}
	return cmd
}

func strideNames(ss []model.Stride) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name()
	}
	return out
}

func strideLetters(ss []model.Stride) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.Letter())
	}
	return b.String()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newRulesCoverage() *cobra.Command {
	var packs []string
	var format string
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "Show what the library covers: CSA top threats, realms, STRIDE per element type",
		Long: `Coverage lists, for the Cloud Security Alliance's eleven top threats to cloud
computing and its ten realms of cloud security services, the rules that fall
under each, then how many rules cover each STRIDE category per element type
and provider. An empty row is a gap.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			lib, err := library(packs)
			if err != nil {
				return err
			}
			cov := rules.Cover(lib)
			switch format {
			case "table":
				return coverageTable(cmd.OutOrStdout(), cov)
			case "json":
				return writeJSON(cmd.OutOrStdout(), cov)
			case "markdown":
				return coverageMarkdown(cmd.OutOrStdout(), cov, len(lib.Rules()))
			}
			return usagef("--format: unknown format %q (want table, json or markdown)", format)
		},
	}
	cmd.Flags().StringArrayVar(&packs, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, json, markdown")
	return cmd
}

func coverageMarkdown(w io.Writer, cov rules.Coverage, total int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# What the threat library covers\n\nGenerated by `ward rules coverage --format markdown`; do not edit by hand. The built-in library holds %d rules.\n", total)
	section := func(title string, buckets []rules.Bucket) {
		fmt.Fprintf(&b, "\n## %s\n\n| | | rules |\n| --- | --- | --- |\n", title)
		for _, bk := range buckets {
			ids := make([]string, len(bk.Rules))
			for i, id := range bk.Rules {
				ids[i] = "`" + id + "`"
			}
			fmt.Fprintf(&b, "| %s | %s (%d) | %s |\n", bk.ID, bk.Title, len(bk.Rules), strings.Join(ids, ", "))
		}
	}
	section("Cloud Security Alliance top threats to cloud computing (2022)", cov.CSA)
	section("Realms of cloud security services", cov.Realms)
	b.WriteString("\n## STRIDE rules per element type\n\n| element type | S | T | R | I | D | E |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, row := range cov.Stride {
		fmt.Fprintf(&b, "| %s |", row.Target)
		for _, l := range []string{"S", "T", "R", "I", "D", "E"} {
			fmt.Fprintf(&b, " %d |", row.Counts[l])
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func coverageTable(w io.Writer, cov rules.Coverage) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	section := func(title string, buckets []rules.Bucket) {
		fmt.Fprintf(tw, "%s\n", title)
		for _, b := range buckets {
			ids := strings.Join(b.Rules, ", ")
			if ids == "" {
				ids = "(none)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\n", b.ID, b.Title, len(b.Rules), ids)
		}
		fmt.Fprintln(tw)
	}
	section("CSA top threats to cloud computing (2022)", cov.CSA)
	section("Realms of cloud security services", cov.Realms)
	fmt.Fprintln(tw, "STRIDE rules per element type\tS\tT\tR\tI\tD\tE")
	for _, row := range cov.Stride {
		fmt.Fprintf(tw, "  %s", row.Target)
		for _, l := range []string{"S", "T", "R", "I", "D", "E"} {
			fmt.Fprintf(tw, "\t%d", row.Counts[l])
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
