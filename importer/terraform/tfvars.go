package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// rootVar is a root module variable's value given outside its default:
// by a value file, or raw text from the command line, read as the
// variable's declared type asks.
type rootVar struct {
	value any
	raw   *string
	pos   model.Pos
	used  bool
}

// variables gathers the root module's variable values, later ones
// winning as Terraform applies them: terraform.tfvars,
// terraform.tfvars.json, *.auto.tfvars(.json) in name order, then the
// files given, then NAME=VALUE assignments.
func (s Source) variables(p *hclparse.Parser, dir string, isDir bool) (map[string]rootVar, error) {
	var files []string
	if isDir {
		auto, err := autoVarFiles(dir)
		if err != nil {
			return nil, err
		}
		files = auto
	}
	files = append(files, s.VarFiles...)
	vars := map[string]rootVar{}
	for _, f := range files {
		if err := readVarFile(p, f, vars); err != nil {
			return nil, err
		}
	}
	for _, kv := range s.Vars {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !hclsyntax.ValidIdentifier(name) {
			return nil, fmt.Errorf("%w: --var %q: want NAME=VALUE with NAME a variable name", model.ErrInvalid, kv)
		}
		vars[name] = rootVar{raw: &value, pos: model.Pos{File: "--var " + name, Source: Name}}
	}
	return vars, nil
}

// autoVarFiles lists the value files Terraform reads by itself.
func autoVarFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	var files, auto []string
	for _, name := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.Mode().IsRegular() {
			files = append(files, filepath.Join(dir, name))
		}
	}
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".auto.tfvars") || strings.HasSuffix(e.Name(), ".auto.tfvars.json")) {
			auto = append(auto, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(auto)
	return append(files, auto...), nil
}

// readVarFile reads one value file into vars. Values are constants:
// a reference or function call is an error at its position, as it is
// for Terraform.
func readVarFile(p *hclparse.Parser, file string, vars map[string]rootVar) error {
	data, err := importer.ReadLimited(file, MaxFileSize, Name)
	if err != nil {
		return err
	}
	return varFileBytes(p, file, data, vars)
}

// varFileBytes reads value file text already read from file.
func varFileBytes(p *hclparse.Parser, file string, data []byte, vars map[string]rootVar) error {
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(file, ".json") {
		if err := checkJSONNesting(file, data); err != nil {
			return err
		}
		f, diags = p.ParseJSON(data, file)
	} else {
		if err := checkNesting(file, data); err != nil {
			return err
		}
		f, diags = p.ParseHCL(data, file)
	}
	if diags.HasErrors() {
		return diagError(diags)
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() {
		return diagError(diags)
	}
	for name, a := range attrs {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() {
			return diagError(diags)
		}
		vars[name] = rootVar{value: fromCty(v), pos: posOf(a.NameRange)}
	}
	return nil
}

// resolve gives the variable's value. Command-line text is a string for
// a variable of primitive or no type, and an expression otherwise.
func (rv rootVar) resolve(name string, typ hclsyntax.Expression) (any, error) {
	if rv.raw == nil {
		return rv.value, nil
	}
	raw := *rv.raw
	switch typeName(typ) {
	case "", "string", "any":
		return raw, nil
	case "number":
		if n, err := strconv.ParseFloat(raw, 64); err == nil {
			return normalize(n, 0), nil
		}
		return nil, fmt.Errorf("%w: --var %s=%s: not a number", model.ErrInvalid, name, raw)
	case "bool":
		if b, err := strconv.ParseBool(raw); err == nil {
			return b, nil
		}
		return nil, fmt.Errorf("%w: --var %s=%s: not true or false", model.ErrInvalid, name, raw)
	}
	e, diags := hclsyntax.ParseExpression([]byte(raw), "--var "+name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	return fromCty(v), nil
}

// typeName names a variable's type: "" when it has none, the keyword of
// a primitive type, "complex" for collections and structures. The JSON
// form writes the type as a string.
func typeName(typ hclsyntax.Expression) string {
	if typ == nil {
		return ""
	}
	if kw := hcl.ExprAsKeyword(typ); kw != "" {
		return kw
	}
	if v, diags := typ.Value(nil); !diags.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		if s := strings.TrimSpace(v.AsString()); hclsyntax.ValidIdentifier(s) {
			return s
		}
	}
	return "complex"
}

// undeclared warns of values given for variables the root module does
// not declare, as they are likely misspelt.
func (l *loader) undeclared(root *module) {
	names := make([]string, 0, len(l.rootVars))
	for name, rv := range l.rootVars {
		if _, declared := root.vars[name]; !declared && !rv.used {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		l.warn(l.rootVars[name].pos, "a value is given for variable "+name+", which the root module does not declare")
	}
}
