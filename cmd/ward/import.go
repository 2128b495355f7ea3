package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/cloudformation"
	"github.com/wardsec/ward/importer/kubernetes"
	"github.com/wardsec/ward/importer/threagile"
	"github.com/wardsec/ward/importer/threatdragon"
	"github.com/wardsec/ward/importer/yamlout"
	"github.com/wardsec/ward/model"
)

// importSources are the sources ward import and analyze --from know.
func importSources() []importer.Source {
	return []importer.Source{cloudformation.New(), kubernetes.New(), threagile.New(), threatdragon.New()}
}

func sourceNames(sources []importer.Source) []string {
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = s.Name()
	}
	slices.Sort(names)
	return names
}

// findSource looks a source up by name; an unknown name is a usage error
// listing the known ones.
func findSource(name string, sources []importer.Source) (importer.Source, error) {
	for _, s := range sources {
		if s.Name() == name {
			return s, nil
		}
	}
	return nil, usagef("unknown import source %q (want one of %s)", name, strings.Join(sourceNames(sources), ", "))
}

func newImport() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "import SOURCE PATH",
		Short: "Build a model from infrastructure code or another threat model",
		Long: `Import reads PATH with SOURCE and writes the Ward model it describes:
components, trust zones and data flows, each with a comment naming the file
and line it came from. Review it, add assets and actors, and keep it with
the code.

Sources: ` + strings.Join(sourceNames(importSources()), ", ") + `.

What a source cannot map (unknown resource types, values only known at
deployment) is reported as a warning on stderr and never guessed. With -o,
the file is replaced only when the import succeeds.`,
		Example: `  ward import cloudformation template.yaml -o model.ward.yaml
  ward import cloudformation infra/ -o infra.ward.yaml
  ward analyze --from cloudformation template.yaml`,
		Args: exactArgs("SOURCE", "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, args[0], args[1], output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the model to `FILE` instead of stdout")
	return cmd
}

func runImport(cmd *cobra.Command, source, path, output string) error {
	res, err := importModel(source, path)
	if err != nil {
		return err
	}
	printWarnings(cmd.ErrOrStderr(), res.Warnings)
	data, err := yamlout.Marshal(res.Model, source, path)
	if err != nil {
		return err
	}
	// What is written must load: check before touching the output.
	if _, err := model.ParseBytes(path, data); err != nil {
		return fmt.Errorf("imported model does not validate (a bug in the %s source): %w", source, err)
	}
	out, err := openOutput(output, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out.w, bytes.NewReader(data)); err != nil {
		out.abort()
		return fmt.Errorf("write model: %w", err)
	}
	return out.commit()
}

func importModel(source, path string) (*importer.Result, error) {
	src, err := findSource(source, importSources())
	if err != nil {
		return nil, err
	}
	res, err := src.Import(path)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// importLoader loads a model through a source, for analyze --from. The
// model is written and read back, so it is checked like a file.
func importLoader(source string, stderr io.Writer) func(string) (*model.Model, error) {
	return func(path string) (*model.Model, error) {
		res, err := importModel(source, path)
		if err != nil {
			return nil, err
		}
		printWarnings(stderr, res.Warnings)
		data, err := yamlout.Marshal(res.Model, source, path)
		if err != nil {
			return nil, err
		}
		return model.ParseBytes(path, data)
	}
}
