// Package overlay keeps what people know about an imported system across
// re-imports. An overlay file (ward.overlay.yaml) is a model fragment in
// *.ward.yaml syntax: assets, actors, zones, flows, threats, mitigations,
// accepted risks, features and doomsday scenarios to add, and a components
// list naming imported components by id (the resource address the source
// used) with the names, assets, tags and properties people give them. The
// generated model is rewritten on every import; the overlay never is.
package overlay

import (
	"fmt"
	"os"
	"slices"

	"github.com/wardsec/ward/model"
)

// FileName is the overlay ward import picks up next to its output.
const FileName = "ward.overlay.yaml"

// File is an overlay as written.
type File struct {
	Title       string              `yaml:"title"`
	Scope       model.Scope         `yaml:"scope"`
	Authors     []string            `yaml:"authors"`
	Assets      []*model.Asset      `yaml:"assets"`
	Actors      []*model.Actor      `yaml:"actors"`
	Zones       []*model.Zone       `yaml:"zones"`
	Components  []*Component        `yaml:"components"`
	Flows       []*model.Flow       `yaml:"flows"`
	Threats     []*model.Threat     `yaml:"threats"`
	Mitigations []*model.Mitigation `yaml:"mitigations"`
	Accepted    []*model.Acceptance `yaml:"accepted"`
	Doomsday    []*model.Doomsday   `yaml:"doomsday"`
	Features    []*model.Feature    `yaml:"features"`
}

// Component is what people add to one imported component. Name and
// description replace the imported ones, properties replace those of the
// same name, and stores, processes and tags are added.
type Component struct {
	ID          string           `yaml:"id,required"`
	Name        string           `yaml:"name"`
	Description string           `yaml:"description"`
	Properties  model.Properties `yaml:"properties"`
	Stores      []model.Ref      `yaml:"stores"`
	Processes   []model.Ref      `yaml:"processes"`
	Tags        []string         `yaml:"tags"`
	Pos         model.Pos
}

// Load reads an overlay file; its problems carry file:line:col.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: overlay: %w", model.ErrInvalid, err)
	}
	return Parse(path, data)
}

// Parse decodes an overlay held in memory.
func Parse(path string, data []byte) (*File, error) {
	var f File
	if err := model.Decode(path, data, &f, model.DefaultLimits); err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	return &f, nil
}

// Apply merges f onto the imported model m; f wins for what it sets.
// Elements whose id the import already has replace the imported ones.
// Overlay components naming a component the import no longer has are
// returned as warnings, not errors: a renamed resource must not break the
// build, only say where the overlay needs updating.
func Apply(m *model.Model, f *File) model.Diagnostics {
	if f.Title != "" {
		m.Title = f.Title
	}
	if f.Scope.Statement != "" {
		m.Scope.Statement = f.Scope.Statement
	}
	if f.Scope.Covers != "" {
		m.Scope.Covers = f.Scope.Covers
	}
	if len(f.Authors) > 0 {
		m.Authors = f.Authors
	}
	m.Assets = upsert(m.Assets, f.Assets, func(a *model.Asset) string { return a.ID })
	m.Actors = upsert(m.Actors, f.Actors, func(a *model.Actor) string { return a.ID })
	m.Zones = upsert(m.Zones, f.Zones, func(z *model.Zone) string { return z.ID })
	m.Flows = upsert(m.Flows, f.Flows, func(fl *model.Flow) string { return fl.ID })
	m.Threats = upsert(m.Threats, f.Threats, func(t *model.Threat) string { return t.ID })
	m.Mitigations = upsert(m.Mitigations, f.Mitigations, func(mi *model.Mitigation) string { return mi.ID })
	m.Accepted = upsert(m.Accepted, f.Accepted, func(a *model.Acceptance) string { return a.Threat.ID })
	m.Doomsday = upsert(m.Doomsday, f.Doomsday, func(d *model.Doomsday) string { return d.ID })
	m.Features = upsert(m.Features, f.Features, func(fe *model.Feature) string { return fe.ID })

	byID := make(map[string]*model.Component, len(m.Components))
	for _, c := range m.Components {
		byID[c.ID] = c
	}
	var warnings model.Diagnostics
	for _, oc := range f.Components {
		c := byID[oc.ID]
		if c == nil {
			warnings = append(warnings, model.Diagnostic{
				Pos:     oc.Pos,
				Message: fmt.Sprintf("overlay names component %q, which the import no longer has; update or remove the entry%s", oc.ID, model.DidYouMean(oc.ID, componentIDs(m))),
			})
			continue
		}
		patch(c, oc)
	}
	return warnings
}

func patch(c *model.Component, oc *Component) {
	if oc.Name != "" {
		c.Name = oc.Name
	}
	if oc.Description != "" {
		c.Description = oc.Description
	}
	for _, p := range oc.Properties {
		if i := slices.IndexFunc(c.Properties, func(q model.Property) bool { return q.Name == p.Name }); i >= 0 {
			c.Properties[i] = p
		} else {
			c.Properties = append(c.Properties, p)
		}
	}
	c.Stores = addRefs(c.Stores, oc.Stores)
	c.Processes = addRefs(c.Processes, oc.Processes)
	for _, t := range oc.Tags {
		if !slices.Contains(c.Tags, t) {
			c.Tags = append(c.Tags, t)
		}
	}
}

func addRefs(have, add []model.Ref) []model.Ref {
	for _, r := range add {
		if !slices.ContainsFunc(have, func(h model.Ref) bool { return h.ID == r.ID }) {
			have = append(have, r)
		}
	}
	return have
}

// upsert replaces the elements of base whose id add also has and appends
// the rest, keeping base's order.
func upsert[T any](base, add []T, id func(T) string) []T {
	for _, a := range add {
		if i := slices.IndexFunc(base, func(b T) bool { return id(b) == id(a) }); i >= 0 {
			base[i] = a
		} else {
			base = append(base, a)
		}
	}
	return base
}

func componentIDs(m *model.Model) []string {
	ids := make([]string, len(m.Components))
	for i, c := range m.Components {
		ids[i] = c.ID
	}
	return ids
}
