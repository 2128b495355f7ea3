// Package terraform imports Terraform source directories (*.tf), and
// plan or state JSON as printed by show -json, into Ward models. The
// configuration is read statically: variables take their defaults, locals
// and references are resolved, count and for_each are expanded where
// known, and local modules are read in turn. aws_* resources are
// translated into CloudFormation-shaped resources and fed to the one AWS
// mapping, azurerm_* resources into ARM-shaped ones for the one Azure
// mapping, google_* resources into Cloud Asset Inventory-shaped ones for
// the one Google Cloud mapping, so a bucket means the same whichever road
// it came by.
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
	// MaxFileSize is the largest .tf file read.
	MaxFileSize = 50 << 20
	// MaxModuleDepth bounds module calls within module calls.
	MaxModuleDepth = 16
	// MaxInstances bounds one resource's count or for_each.
	MaxInstances = 1000
)

// Source imports a Terraform root module directory, or one .tf file.
type Source struct{}

// New returns the Terraform source.
func New() importer.Source { return Source{} }

// Name implements importer.Source.
func (Source) Name() string { return Name }

// Import implements importer.Source.
func (Source) Import(path string) (*importer.Result, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	if !info.IsDir() && strings.HasSuffix(path, ".json") {
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
			return nil, fmt.Errorf("%w: no Terraform files (*.tf) in %s", model.ErrInvalid, path)
		}
	}
	l.seen[filepath.Clean(dir)] = true
	root, err := l.load(files, dir, "", nil, 0)
	if err != nil {
		return nil, err
	}
	resources := l.expand(root)
	res := mapResources(resources, l.warn)
	res.Warnings = append(l.warnings, res.Warnings...)
	res.Model.Title = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return res, nil
}

// tfFiles lists the .tf files of one directory; modules are read through
// their calls, not by walking.
func tfFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".tf") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(files)
	return files, nil
}

type loader struct {
	parser   *hclparse.Parser
	warnings model.Diagnostics
	seen     map[string]bool // module directories being read, against cycles
}

func (l *loader) warn(pos model.Pos, msg string) {
	l.warnings = append(l.warnings, model.Diagnostic{Pos: pos, Message: msg})
}

// parse reads one file into its body.
func (l *loader) parse(file string) (*hclsyntax.Body, error) {
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
	return parseBytes(l.parser, file, data)
}

// parseBytes parses native-syntax configuration text.
func parseBytes(p *hclparse.Parser, file string, data []byte) (*hclsyntax.Body, error) {
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
