// Package cloudformation imports AWS CloudFormation templates, JSON or
// YAML, serverless (SAM) ones included, into Ward models through the AWS
// mapping.
package cloudformation

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/aws"
	"github.com/wardsec/ward/model"
)

// Name is the source's name on the command line.
const Name = "cloudformation"

// Source imports a template file, or every template in a directory.
type Source struct{}

// New returns the CloudFormation source.
func New() importer.Source { return Source{} }

// Name implements importer.Source.
func (Source) Name() string { return Name }

// Import implements importer.Source.
func (Source) Import(path string) (*importer.Result, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	files := []string{path}
	if info.IsDir() {
		if files, err = templateFiles(path); err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%w: no templates (*.yaml, *.yml, *.json, *.template) in %s", model.ErrInvalid, path)
		}
	}
	l := &loader{seen: map[string]bool{}, outputs: map[string]importer.ResourceRef{}}
	for _, f := range files {
		if err := l.loadFile(f, nil, "", 0); err != nil {
			if info.IsDir() && errorsIsNotTemplate(err) {
				continue
			}
			return nil, err
		}
	}
	res := aws.Map(l.resources, Name)
	res.Warnings = append(l.warnings, res.Warnings...)
	m := res.Model
	m.Title = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if l.description != "" {
		m.Scope.Statement = l.description
	}
	return res, nil
}

// notTemplate is a YAML or JSON file in a directory that is not a
// template; it is skipped.
type notTemplate struct{ file string }

func (e notTemplate) Error() string { return e.file + ": not a CloudFormation template (no Resources)" }

// Unwrap makes a file that is not a template a user error.
func (e notTemplate) Unwrap() error { return model.ErrInvalid }

func errorsIsNotTemplate(err error) bool {
	var nt notTemplate
	return errors.As(err, &nt)
}

func templateFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json", ".template":
			if !d.IsDir() {
				files = append(files, p)
			}
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

type loader struct {
	resources   []importer.Resource
	warnings    model.Diagnostics
	description string
	seen        map[string]bool
	// outputs are the nested stacks' outputs that name a resource, by
	// "Stack.Output".
	outputs map[string]importer.ResourceRef
}

// loadFile reads one template; nested stacks with a local TemplateURL are
// read in turn, their resources' ids prefixed with the stack's.
func (l *loader) loadFile(file string, params map[string]any, prefix string, depth int) error {
	if depth > MaxStackDepth {
		return fmt.Errorf("%w: %s: nested stacks deeper than %d", model.ErrInvalid, file, MaxStackDepth)
	}
	info, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	if info.Size() > MaxFileSize {
		return fmt.Errorf("%w: %s is %d bytes, over the %d-byte limit", model.ErrInvalid, file, info.Size(), MaxFileSize)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("read template: %w", err)
	}
	t, err := parseTemplate(file, data)
	if err != nil {
		return err
	}
	if t.resources == nil {
		return notTemplate{file}
	}
	if depth == 0 && l.description == "" {
		l.description = strings.TrimSpace(t.description)
	}
	resources := l.resolveAll(t, params, prefix, file, depth)
	for i := range resources {
		resources[i].Props, _ = l.stackOutputs(resources[i].Props, 0).(map[string]any)
	}
	if prefix != "" {
		r := newResolver(t, params, prefix)
		for name, out := range t.outputs {
			if ref, ok := r.resolve(asMap(out)["Value"], 0).(importer.ResourceRef); ok {
				l.outputs[prefix+name] = ref
			}
		}
	}
	if slices.Contains(t.transforms, SAMTransform) {
		resources = expandSAM(resources, t.globals, l.warn)
	}
	l.resources = append(l.resources, resources...)
	return nil
}

// resolveAll resolves the resources of a template. Nested stacks are
// loaded from beside file; with file "" they are kept as resources.
func (l *loader) resolveAll(t *template, params map[string]any, prefix, file string, depth int) []importer.Resource {
	r := newResolver(t, params, prefix)
	var resources []importer.Resource
	for _, raw := range t.resources {
		props, _ := r.resolve(raw.props, 0).(map[string]any)
		res := importer.Resource{Type: raw.typ, ID: prefix + raw.id, Props: props, Pos: raw.pos}
		res.Pos.Source = Name
		if raw.condition != "" {
			l.warn(res, "created only when condition "+raw.condition+" holds; imported as if it does")
		}
		if raw.typ == "AWS::CloudFormation::Stack" && file != "" && l.nested(res, file, depth) {
			continue
		}
		resources = append(resources, res)
	}
	return resources
}

// nested loads a nested stack from a local path, reporting whether it did.
func (l *loader) nested(stack importer.Resource, parent string, depth int) bool {
	url, ok := stack.Props["TemplateURL"].(string)
	if !ok || strings.Contains(url, "://") {
		l.warn(stack, "nested stack's TemplateURL is not a local path; its resources are not imported")
		return false
	}
	path := url
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(parent), url)
	}
	if l.seen[path] {
		l.warn(stack, "nested stack "+url+" includes itself; not imported again")
		return false
	}
	l.seen[path] = true
	defer delete(l.seen, path)
	params, _ := stack.Props["Parameters"].(map[string]any)
	if err := l.loadFile(path, params, stack.ID+".", depth+1); err != nil {
		l.warn(stack, "nested stack not imported: "+err.Error())
		return false
	}
	return true
}

// stackOutputs replaces references to a nested stack's outputs
// (Fn::GetAtt Stack.Outputs.Name) with the resources they name.
func (l *loader) stackOutputs(v any, depth int) any {
	if depth > MaxDepth {
		return v
	}
	switch v := v.(type) {
	case importer.ResourceRef:
		if name, ok := strings.CutPrefix(v.Attr, "Outputs."); ok {
			if ref, found := l.outputs[v.ID+"."+name]; found {
				return ref
			}
		}
	case map[string]any:
		for k, e := range v {
			v[k] = l.stackOutputs(e, depth+1)
		}
	case []any:
		for i, e := range v {
			v[i] = l.stackOutputs(e, depth+1)
		}
	}
	return v
}

func (l *loader) warn(r importer.Resource, msg string) {
	l.warnings = append(l.warnings, model.Diagnostic{Pos: r.Pos, Message: r.ID + ": " + msg})
}
