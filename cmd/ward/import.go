package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/cloudformation"
	"github.com/wardsec/ward/importer/kubernetes"
	"github.com/wardsec/ward/importer/overlay"
	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/importer/threagile"
	"github.com/wardsec/ward/importer/threatdragon"
	"github.com/wardsec/ward/importer/yamlout"
	"github.com/wardsec/ward/model"
)

// importSources are the sources ward import and analyze --from know.
func importSources() []importer.Source {
	return []importer.Source{cloudformation.New(), kubernetes.New(), terraform.New(), threagile.New(), threatdragon.New()}
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
	var opt importOptions
	cmd := &cobra.Command{
		Use:   "import SOURCE PATH",
		Short: "Build a model from infrastructure code or another threat model",
		Long: `Import reads PATH with SOURCE and writes the Ward model it describes:
components, trust zones and data flows, each with a comment naming the file
and line it came from. Review it and keep it with the code; add assets,
actors and mitigations in an overlay (below), not in the generated file.

Sources: ` + strings.Join(sourceNames(importSources()), ", ") + `.

What a source cannot map (unknown resource types, values only known at
deployment) is reported as a warning on stderr and never guessed. With -o,
the file is replaced only when the import succeeds.

The generated file is rewritten by every import: what people know (names,
assets, actors, mitigations, accepted risks, extra flows) belongs in an
overlay, a model fragment whose components entries name imported
components by id. --overlay names it; by default ` + overlay.FileName + ` next
to the -o file is used. An overlay entry for a component the import no
longer has is a warning. Re-importing into a generated file reports the
resources new, removed and changed since the last import, and refuses to
replace a file edited by hand since it was written unless --force is given.

Terraform variables take their values as Terraform gives them: the
default, then terraform.tfvars, terraform.tfvars.json and *.auto.tfvars(.json)
in PATH, then each --var-file in order, then each --var. A variable left
without a value stays unknown, never guessed.`,
		Example: `  ward import cloudformation template.yaml -o model.ward.yaml
  ward import cloudformation infra/ -o infra.ward.yaml --overlay infra.overlay.yaml
  ward import terraform infra/ --var-file prod.tfvars --var region=eu-west-1
  ward analyze --from cloudformation template.yaml`,
		Args: exactArgs("SOURCE", "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, args[0], args[1], opt)
		},
	}
	cmd.Flags().StringVarP(&opt.output, "output", "o", "", "write the model to `FILE` instead of stdout")
	cmd.Flags().StringVar(&opt.overlay, "overlay", "", "merge the hand-written `FILE` onto the import (default: "+overlay.FileName+" next to the -o file)")
	cmd.Flags().BoolVar(&opt.force, "force", false, "replace the -o file even if it was edited by hand or not written by ward import")
	varFlags(cmd.Flags(), &opt.terraform)
	return cmd
}

type importOptions struct {
	output, overlay string
	force           bool
	// terraform carries --var-file and --var to the Terraform source.
	terraform terraform.Source
}

func runImport(cmd *cobra.Command, source, path string, opt importOptions) error {
	stderr := cmd.ErrOrStderr()
	previous, err := previousImport(opt.output, opt.force)
	if err != nil {
		return err
	}
	overlayPath, err := findOverlay(opt)
	if err != nil {
		return err
	}
	data, _, err := importedYAML(source, path, opt.terraform, overlayPath, stderr)
	if err != nil {
		return err
	}
	out, err := openOutput(opt.output, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out.w, bytes.NewReader(data)); err != nil {
		out.abort()
		return fmt.Errorf("write model: %w", err)
	}
	if err := out.commit(); err != nil {
		return err
	}
	// Reported once written, so it describes the file as it now is.
	if previous != nil {
		if m, err := model.ParseBytes(opt.output, data); err == nil {
			return overlay.Compare(previous, m).Write(stderr, opt.output)
		}
	}
	return nil
}

// importedYAML imports path with source, merges the overlay at
// overlayPath (if any) and returns the model as stamped YAML, checked to
// load: ward import writes it, ward push --from uploads it.
// The model it returns is that YAML read back (before the stamp), for
// analyze --from.
func importedYAML(source, path string, tf terraform.Source, overlayPath string, stderr io.Writer) ([]byte, *model.Model, error) {
	if err := checkVars(source, tf); err != nil {
		return nil, nil, err
	}
	res, err := importModel(source, path, tf)
	if err != nil {
		return nil, nil, err
	}
	printWarnings(stderr, res.Warnings)
	data, err := yamlout.Marshal(res.Model, source, path)
	if err != nil {
		return nil, nil, err
	}
	// What is written must load: check before touching the output.
	m, err := model.ParseBytes(path, data)
	if err != nil {
		return nil, nil, fmt.Errorf("imported model does not validate (a bug in the %s source): %w", source, err)
	}
	if overlayPath != "" {
		if data, m, err = applyOverlay(res.Model, overlayPath, source, path, stderr); err != nil {
			return nil, nil, err
		}
	}
	return overlay.Stamp(data), m, nil
}

// previousImport reads the model an earlier import wrote to output, to
// report what changed. It refuses, unless forced, to replace a file that
// people wrote or edited: their work belongs in the overlay.
func previousImport(output string, force bool) (*model.Model, error) {
	if output == "" || output == "-" {
		return nil, nil
	}
	st, err := os.Stat(output)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && (!st.Mode().IsRegular() || st.Size() == 0)) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	data, err := os.ReadFile(output)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	if !force {
		if err := overlay.Guard(output, data); err != nil {
			return nil, err
		}
	}
	m, err := model.ParseBytes(output, data)
	if err != nil {
		return nil, nil // nothing to compare with; it is replaced all the same
	}
	return m, nil
}

// findOverlay returns the overlay to merge: the one named, else
// ward.overlay.yaml next to the output when it exists, else none.
func findOverlay(opt importOptions) (string, error) {
	if opt.overlay != "" {
		return opt.overlay, nil
	}
	if opt.output == "" || opt.output == "-" {
		return "", nil
	}
	path := filepath.Join(filepath.Dir(opt.output), overlay.FileName)
	switch _, err := os.Stat(path); {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case err != nil:
		// Never drop people's knowledge silently.
		return "", fmt.Errorf("%w: overlay: %w", model.ErrInvalid, err)
	}
	return path, nil
}

// applyOverlay merges the overlay onto m and returns the merged model as
// YAML and as read back from it: an overlay mistake is the user's, with its
// position.
func applyOverlay(m *model.Model, overlayPath, source, path string, stderr io.Writer) ([]byte, *model.Model, error) {
	f, err := overlay.Load(overlayPath)
	if err != nil {
		return nil, nil, err
	}
	printWarnings(stderr, overlay.Apply(m, f))
	// Validated in memory first, so problems point into the overlay.
	if err := m.Validate().Err(); err != nil {
		return nil, nil, fmt.Errorf("model with overlay %s does not validate: %w", overlayPath, err)
	}
	data, err := yamlout.Marshal(m, source, path)
	if err != nil {
		return nil, nil, err
	}
	merged, err := model.ParseBytes(path, data)
	if err != nil {
		return nil, nil, fmt.Errorf("model with overlay %s does not validate: %w", overlayPath, err)
	}
	return data, merged, nil
}

// importModel imports path with the named source; tf carries the
// Terraform source's variable values.
func importModel(source, path string, tf terraform.Source) (*importer.Result, error) {
	src, err := findSource(source, importSources())
	if err != nil {
		return nil, err
	}
	if source == terraform.Name {
		src = tf
	}
	res, err := src.Import(path)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// checkVars refuses Terraform variables given for another source and
// values not written NAME=VALUE.
func checkVars(source string, tf terraform.Source) error {
	if source != terraform.Name && (len(tf.VarFiles) > 0 || len(tf.Vars) > 0) {
		return usagef("--var-file and --var are for the terraform source, not %s", source)
	}
	for _, kv := range tf.Vars {
		if name, _, ok := strings.Cut(kv, "="); !ok || name == "" {
			return usagef("--var %q: want NAME=VALUE", kv)
		}
	}
	return nil
}

// varFlags registers --var-file and --var; import and analyze --from share
// them.
func varFlags(fl *pflag.FlagSet, tf *terraform.Source) {
	fl.StringArrayVar(&tf.VarFiles, "var-file", nil, "terraform: read variable values from `FILE` (.tfvars or .tfvars.json; repeatable)")
	fl.StringArrayVar(&tf.Vars, "var", nil, "terraform: set a variable to a value, `NAME=VALUE` (repeatable; applied after every --var-file)")
}

// importLoader loads a model through a source, for analyze --from. The
// model is written and read back, so it is checked like a file.
func importLoader(source string, tf terraform.Source, stderr io.Writer) func(string) (*model.Model, error) {
	return func(path string) (*model.Model, error) {
		_, m, err := importedYAML(source, path, tf, "", stderr)
		return m, err
	}
}
