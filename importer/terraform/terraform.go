// Package terraform imports Terraform source directories (*.tf and
// *.tf.json, override files merged over the rest), and plan or state JSON
// as printed by show -json, into Ward models. The configuration is read
// statically: variables take their values from tfvars files and the
// command line, else their defaults; locals and references are resolved,
// count and for_each (on resources and module calls) and dynamic blocks
// are expanded where known, and local modules are read in turn. aws_*
// resources are translated into CloudFormation-shaped resources and fed
// to the one AWS mapping, azurerm_* resources into ARM-shaped ones for
// the one Azure mapping, google_* resources into Cloud Asset
// Inventory-shaped ones for the one Google Cloud mapping, so a bucket
// means the same whichever road it came by.
package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// Name is the source's name on the command line.
const Name = "terraform"

// Limits on what is read.
const (
	// MaxFileSize is the largest .tf, .tf.json or .tfvars file read.
	MaxFileSize = 50 << 20
	// MaxModuleDepth bounds module calls within module calls.
	MaxModuleDepth = 16
	// MaxInstances bounds one resource's count or for_each, one dynamic
	// block's, and the module instances of a configuration in all.
	MaxInstances = 1000
)

// Source imports a Terraform root module directory, or one .tf or
// .tf.json file.
type Source struct {
	// VarFiles are variable files (.tfvars, .tfvars.json) read, in order,
	// after the root module's terraform.tfvars and *.auto.tfvars.
	VarFiles []string
	// Vars are NAME=VALUE assignments applied last, over every file.
	Vars []string
}

// New returns the Terraform source.
func New() importer.Source { return Source{} }

// Name implements importer.Source.
func (Source) Name() string { return Name }

// Import implements importer.Source.
func (s Source) Import(path string) (*importer.Result, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	if !info.IsDir() && strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, ".tf.json") {
		return importJSON(path, info.Size())
	}
	l := &loader{parser: hclparse.NewParser(), seen: map[string]bool{}}
	files := []string{path}
	dir := filepath.Dir(path)
	if info.IsDir() {
		dir = path
		if files, err = tfFiles(path); err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%w: no Terraform files (*.tf, *.tf.json) in %s", model.ErrInvalid, path)
		}
	}
	if l.rootVars, err = s.variables(l.parser, dir, info.IsDir()); err != nil {
		return nil, err
	}
	l.seen[filepath.Clean(dir)] = true
	root, err := l.load(files, dir, "", nil, 0)
	if err != nil {
		return nil, err
	}
	l.undeclared(root)
	resources := l.expand(root)
	res := mapResources(resources, l.warn)
	res.Warnings = append(l.warnings, res.Warnings...)
	res.Model.Title = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return res, nil
}

// tfFiles lists the .tf and .tf.json files of one directory, override
// files last as they apply over the others; modules are read through
// their calls, not by walking.
func tfFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json")) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	slices.SortStableFunc(files, func(a, b string) int {
		if oa, ob := isOverride(a), isOverride(b); oa != ob {
			if oa {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	return files, nil
}

// isOverride tells override files, merged over the others' blocks.
func isOverride(file string) bool {
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(file), ".json"), ".tf")
	return base == "override" || strings.HasSuffix(base, "_override")
}

type loader struct {
	parser   *hclparse.Parser
	warnings model.Diagnostics
	seen     map[string]bool // module directories being read, against cycles
	// rootVars are the root module's variable values from files and the
	// command line, over the defaults.
	rootVars map[string]rootVar
	// instances counts module instances read, against fan-out bombs.
	instances int
	// expanded counts resource instances and dynamic blocks made, against
	// expansions multiplying through modules and nested dynamic blocks.
	expanded int
	overflow bool // the expansion warning was given
	// bodies are the files parsed, by name: each instance of a module
	// call reads the module's files again.
	bodies map[string]*hclsyntax.Body
}

// maxExpanded bounds the resource instances and dynamic blocks one
// import makes in all.
const maxExpanded = 200 * MaxInstances

func (l *loader) warn(pos model.Pos, msg string) {
	l.warnings = append(l.warnings, model.Diagnostic{Pos: pos, Message: msg})
}

// parse reads one file into its body, once.
func (l *loader) parse(file string) (*hclsyntax.Body, error) {
	if body, ok := l.bodies[file]; ok {
		return body, nil
	}
	body, err := l.read(file)
	if err != nil {
		return nil, err
	}
	if l.bodies == nil {
		l.bodies = map[string]*hclsyntax.Body{}
	}
	l.bodies[file] = body
	return body, nil
}

func (l *loader) read(file string) (*hclsyntax.Body, error) {
	info, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, over the %d-byte limit", model.ErrInvalid, file, info.Size(), MaxFileSize)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if strings.HasSuffix(file, ".json") {
		return parseJSONBytes(l.parser, file, data)
	}
	return parseBytes(l.parser, file, data)
}

// parseBytes parses native-syntax configuration text.
func parseBytes(p *hclparse.Parser, file string, data []byte) (*hclsyntax.Body, error) {
	if _, parsed := p.Files()[file]; !parsed {
		if err := checkNesting(file, data); err != nil {
			return nil, err
		}
	}
	f, diags := p.ParseHCL(data, file)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("%w: %s: not native Terraform syntax", model.ErrInvalid, file)
	}
	return body, nil
}

// diagError turns the first error diagnostic into a user error.
func diagError(diags hcl.Diagnostics) error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject != nil {
			return fmt.Errorf("%w: %s:%d:%d: %s", model.ErrInvalid, d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, msg)
		}
		return fmt.Errorf("%w: %s", model.ErrInvalid, msg)
	}
	return fmt.Errorf("%w: %s", model.ErrInvalid, diags.Error())
}

func posOf(r hcl.Range) model.Pos {
	return model.Pos{File: filepath.ToSlash(r.Filename), Line: r.Start.Line, Col: r.Start.Column, Source: Name}
}
