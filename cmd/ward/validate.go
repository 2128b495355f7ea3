package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/engine"
)

func newValidate() *cobra.Command {
	var packs []string
	cmd := &cobra.Command{
		Use:   "validate PATH",
		Short: "Check a model for mistakes without printing threats",
		Long: `Validate reads the model at PATH and reports every problem at once — unknown
keys, dangling references, duplicate ids, bad values — each as
file:line:col: message. It exits 0 when the model is valid, 2 otherwise.`,
		Args: exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Analysis also checks references to rules and threats.
			res, err := loadAndAnalyze(args[0], packs, engine.Options{}, nil)
			if err != nil {
				return err
			}
			m := res.Model
			printWarnings(cmd.ErrOrStderr(), res.Warnings)
			fmt.Fprintf(cmd.ErrOrStderr(), "%s: valid (%s, %s, %s)\n", args[0], plural(len(m.Components), "component"), plural(len(m.Flows), "flow"), plural(len(m.Files), "file"))
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&packs, "rules", nil, "also load the rule pack in `DIR` (repeatable)")
	return cmd
}

// plural counts a noun: "1 file", "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
