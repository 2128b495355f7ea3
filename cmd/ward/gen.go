package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/synth"
)

func newGen() *cobra.Command {
	var opt synth.Options
	var outPath, dir string
	cmd := &cobra.Command{
		Use:   "gen --components N",
		Short: "Write a synthetic model of any size, for benchmarks and demos",
		Long: `Gen writes a realistic synthetic model: N components of mixed generic and
cloud kinds in nested zones, about three flows each, assets, actors,
mitigations and accepted risks. The same --seed gives the same model. Write
one file (-o FILE, or stdout) or, with --dir, a directory of *.ward.yaml files
as large models usually are.`,
		Example: `  ward gen --components 10000 -o big.ward.yaml
  ward gen --components 100000 --dir big/ && ward analyze big/ --format json -o /dev/null`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.Components < 1 {
				return usagef("--components must be at least 1")
			}
			if dir != "" {
				if outPath != "" {
					return usagef("give -o or --dir, not both")
				}
				if err := synth.Dir(dir, opt); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote a %d-component model to %s\n", opt.Components, dir)
				return nil
			}
			return writeOutput(outPath, cmd.OutOrStdout(), func(out *output) error {
				return synth.Model(out.w, opt)
			})
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&opt.Components, "components", "n", 0, "number of components")
	fl.IntVar(&opt.FlowsPerComponent, "flows", 3, "flows leaving each component, on average")
	fl.Uint64Var(&opt.Seed, "seed", 1, "seed: the same seed gives the same model")
	fl.StringVarP(&outPath, "output", "o", "", "write the model to `FILE` instead of stdout")
	fl.StringVar(&dir, "dir", "", "write the model as several files into `DIR`")
	return cmd
}
