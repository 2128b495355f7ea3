package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// MaxJSONSize is the largest plan or state JSON file read.
const MaxJSONSize = 256 << 20

// afterApply is why a planned value is not known.
const afterApply = "value is known only after apply"

// jsonProbe tells a plan from a state by its top-level keys.
type jsonProbe struct {
	FormatVersion string          `json:"format_version"`
	PlannedValues json.RawMessage `json:"planned_values"`
	Values        json.RawMessage `json:"values"`
}

// importJSON reads plan or state JSON as printed by `show -json`. Values
// are already evaluated, so resources go straight to the translation
// table; references are recovered from ids and ARNs.
func importJSON(path string, size int64) (*importer.Result, error) {
	if size > MaxJSONSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, over the %d-byte limit", model.ErrInvalid, path, size, MaxJSONSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return importJSONBytes(path, data)
}

// importJSONBytes imports plan or state JSON already read from path.
func importJSONBytes(path string, data []byte) (*importer.Result, error) {
	var probe jsonProbe
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, jsonError(path, data, err)
	}
	var resources []importer.Resource
	switch {
	case probe.FormatVersion == "":
		return nil, fmt.Errorf("%w: %s: no \"format_version\"; expected plan or state JSON from show -json", model.ErrInvalid, path)
	case probe.PlannedValues != nil:
		var plan tfjson.Plan
		if err := json.Unmarshal(data, &plan); err != nil {
			return nil, jsonError(path, data, err)
		}
		resources = planResources(&plan)
		configReferences(&plan, resources)
	case probe.Values != nil:
		var state tfjson.State
		if err := json.Unmarshal(data, &state); err != nil {
			return nil, jsonError(path, data, err)
		}
		if state.Values != nil {
			resources = moduleResources(state.Values.RootModule, nil, 0)
		}
	default:
		return nil, fmt.Errorf("%w: %s: neither \"planned_values\" nor \"values\"; expected plan or state JSON from show -json", model.ErrInvalid, path)
	}
	linkReferences(resources)
	lines := addressLines(data)
	for i := range resources {
		at := lines[resources[i].ID]
		resources[i].Pos = model.Pos{File: filepath.ToSlash(path), Line: at[0], Col: at[1], Source: Name}
	}
	var warnings model.Diagnostics
	warn := func(pos model.Pos, msg string) {
		warnings = append(warnings, model.Diagnostic{Pos: pos, Message: msg})
	}
	res := mapResources(resources, warn)
	res.Warnings = append(warnings, res.Warnings...)
	res.Model.Title = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return res, nil
}

// jsonError places a decoding error at its line and column.
func jsonError(path string, data []byte, err error) error {
	var offset int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if offset < 0 || offset > int64(len(data)) {
		return fmt.Errorf("%w: %s: %w", model.ErrInvalid, path, err)
	}
	if offset > 0 {
		offset-- // the offset counts the bytes read, the culprit included
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Errorf("%w: %s:%d:%d: %w", model.ErrInvalid, path, line, col, err)
}

// planResources reads the planned values, marking what after_unknown
// says is decided at apply.
func planResources(plan *tfjson.Plan) []importer.Resource {
	if plan.PlannedValues == nil {
		return nil
	}
	unknown := map[string]any{}
	for _, rc := range plan.ResourceChanges {
		if rc.Change != nil && rc.Change.AfterUnknown != nil {
			unknown[rc.Address] = rc.Change.AfterUnknown
		}
	}
	return moduleResources(plan.PlannedValues.RootModule, unknown, 0)
}

// moduleResources lists a module's managed resources, then its children's.
func moduleResources(m *tfjson.StateModule, unknown map[string]any, depth int) []importer.Resource {
	if m == nil || depth > MaxModuleDepth {
		return nil
	}
	var out []importer.Resource
	for _, r := range m.Resources {
		if r == nil || r.Mode != tfjson.ManagedResourceMode {
			continue
		}
		props, _ := normalize(r.AttributeValues, 0).(map[string]any)
		if props == nil {
			props = map[string]any{}
		}
		if u, ok := unknown[r.Address]; ok {
			props, _ = markUnknown(props, u, 0).(map[string]any)
		}
		out = append(out, importer.Resource{Type: r.Type, ID: r.Address, Props: props})
	}
	for _, child := range m.ChildModules {
		out = append(out, moduleResources(child, unknown, depth+1)...)
	}
	return out
}

// markUnknown overlays after_unknown on planned values: true marks a
// value (or a whole block) unknown.
func markUnknown(v, unknown any, depth int) any {
	if depth > maxDepth {
		return v
	}
	switch u := unknown.(type) {
	case bool:
		if u {
			return importer.Unknown{Why: afterApply}
		}
	case map[string]any:
		m, _ := v.(map[string]any)
		for k, e := range u {
			if mark := markUnknown(m[k], e, depth+1); mark != nil {
				if m == nil {
					m = map[string]any{}
				}
				m[k] = mark
			}
		}
		if m == nil {
			return v
		}
		return m
	case []any:
		l, _ := v.([]any)
		for i, e := range u {
			if i >= len(l) {
				break
			}
			l[i] = markUnknown(l[i], e, depth+1)
		}
		return l
	}
	return v
}

// linkReferences replaces ids and ARNs of other resources with references
// to them, as the mapping follows references to draw flows. Where several
// resources share an id (a bucket and its policy both carry the bucket
// name), the one with an ARN of its own wins: that is the resource the
// others configure.
func linkReferences(resources []importer.Resource) {
	index := map[string]importer.ResourceRef{}
	withARN := map[string]bool{} // values claimed by a resource with an ARN
	for _, r := range resources {
		_, hasARN := r.Props["arn"].(string)
		for _, attr := range []string{"id", "arn"} {
			v, _ := r.Props[attr].(string)
			if v == "" {
				continue
			}
			if _, taken := index[v]; taken && (withARN[v] || !hasARN) {
				continue
			}
			index[v] = importer.ResourceRef{ID: r.ID, Attr: attr}
			withARN[v] = hasARN
		}
	}
	for _, r := range resources {
		for k, v := range r.Props {
			if k != "id" && k != "arn" {
				r.Props[k] = link(v, r.ID, index, 0)
			}
		}
	}
}

// link resolves the strings of v found in index, leaving self-references.
func link(v any, self string, index map[string]importer.ResourceRef, depth int) any {
	if depth > maxDepth {
		return v
	}
	switch v := v.(type) {
	case string:
		if ref, ok := index[v]; ok && ref.ID != self {
			return ref
		}
	case []any:
		for i, e := range v {
			v[i] = link(e, self, index, depth+1)
		}
	case map[string]any:
		for k, e := range v {
			v[k] = link(e, self, index, depth+1)
		}
	}
	return v
}
