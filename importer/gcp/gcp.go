// Package gcp maps Google Cloud resources, in Cloud Asset Inventory's types
// and resource shapes, to Ward components, zones and flows. Every Google
// Cloud source — Terraform configurations and plans, live projects — feeds
// this one mapping.
//
// A Resource's Props hold the asset's resource data ("settings",
// "ingress", "sourceRanges", ...) and, when the resource has one, its IAM
// policy under "iamPolicy" as {"bindings": [{"role", "members"}]}.
package gcp

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// Zone ids the mapping creates.
const (
	InternetZone = "internet"
	ProjectZone  = "gcp-project"
	// InternetID is the component that stands for callers on the internet.
	InternetID = "internet"
)

// Map turns resources into a model: one component per resource that is a
// node of the data-flow diagram, zones for the project, VPC networks and
// subnetworks, and flows from the internet to what it reaches. Types the
// mapping does not know become generic components and a warning names
// them.
func Map(resources []importer.Resource, source string) *importer.Result {
	m := &mapper{
		source: source,
		byID:   map[string]*importer.Resource{},
		comps:  map[string]*model.Component{},
		ids:    map[string]bool{},
		zoneOf: map[string]string{},
		model:  &model.Model{},
	}
	for i := range resources {
		m.byID[resources[i].ID] = &resources[i]
	}
	m.run(resources)
	return &importer.Result{Model: m.model, Warnings: m.warnings}
}

type mapper struct {
	source   string
	byID     map[string]*importer.Resource
	comps    map[string]*model.Component // by resource id
	ids      map[string]bool             // component ids taken
	zoneOf   map[string]string           // network or subnetwork resource id → zone id
	model    *model.Model
	warnings model.Diagnostics
	internet bool
}

func (m *mapper) run(resources []importer.Resource) {
	m.model.Zones = append(m.model.Zones,
		&model.Zone{ID: InternetZone, Name: "Internet", Trust: model.Untrusted},
		&model.Zone{ID: ProjectZone, Name: "Google Cloud project", Trust: model.TrustMedium})
	m.networkZones(resources)
	var unknownTypes []string
	var firstUnknown model.Pos
	for i := range resources {
		r := &resources[i]
		info, ok := types[r.Type]
		switch {
		case ok:
			m.component(r, info.kind)
		case skipped[r.Type]:
		default:
			m.component(r, genericKind(r.Type))
			if len(unknownTypes) == 0 {
				firstUnknown = r.Pos
			}
			if !slices.Contains(unknownTypes, r.Type) {
				unknownTypes = append(unknownTypes, r.Type)
			}
		}
	}
	for i := range resources {
		r := &resources[i]
		if info, ok := types[r.Type]; ok && info.derive != nil {
			info.derive(m, r, m.comps[r.ID])
		}
	}
	if len(unknownTypes) > 0 {
		slices.Sort(unknownTypes)
		m.warnings = append(m.warnings, model.Diagnostic{Pos: firstUnknown,
			Message: fmt.Sprintf("%d resource type(s) not known to the Google Cloud mapping, imported as generic components: %s",
				len(unknownTypes), strings.Join(unknownTypes, ", "))})
	}
	if m.internet {
		m.model.Components = slices.Insert(m.model.Components, 0, &model.Component{
			ID: InternetID, Name: "Internet", Kind: "external-entity",
			Zone: model.Ref{ID: InternetZone}, Pos: model.Pos{Source: m.source},
		})
	}
	m.dropEmptyZones()
}

var unsafeID = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// ID makes a resource address safe as a model id.
func ID(resourceID string) string {
	id := strings.Trim(unsafeID.ReplaceAllString(resourceID, "-"), "-._")
	if id == "" {
		return "resource"
	}
	return id
}

func (m *mapper) component(r *importer.Resource, kind model.Kind) *model.Component {
	id := ID(r.ID)
	for n := 2; id == InternetID || m.ids[id]; n++ {
		id = fmt.Sprintf("%s-%d", ID(r.ID), n)
	}
	m.ids[id] = true
	c := &model.Component{ID: id, Name: r.Name, Kind: kind, Zone: model.Ref{ID: m.placement(r)}, Pos: r.Pos}
	if c.Name == "" {
		c.Name = r.ID
	}
	m.comps[r.ID] = c
	m.model.Components = append(m.model.Components, c)
	return c
}

// genericKind picks a generic kind for a type the mapping does not know.
func genericKind(typ string) model.Kind {
	t := strings.ToLower(typ)
	switch {
	case strings.Contains(t, "storage"):
		return "file-store"
	case strings.Contains(t, "sql"), strings.Contains(t, "database"), strings.Contains(t, "firestore"):
		return "database"
	case strings.Contains(t, "pubsub"), strings.Contains(t, "queue"):
		return "queue"
	case strings.Contains(t, "function"):
		return "function"
	}
	return "process"
}

func (m *mapper) warnf(r *importer.Resource, format string, args ...any) {
	m.warnings = append(m.warnings, model.Diagnostic{Pos: r.Pos, Message: r.ID + ": " + fmt.Sprintf(format, args...)})
}

// set records a property; an unknown value leaves it unset and warns.
func (m *mapper) set(r *importer.Resource, c *model.Component, name string, value any) {
	if c == nil {
		return
	}
	if u, ok := value.(importer.Unknown); ok {
		m.warnf(r, "%s left unset: %s", name, u.Why)
		return
	}
	for i, p := range c.Properties {
		if p.Name == name {
			c.Properties[i].Value = value
			return
		}
	}
	c.Properties = append(c.Properties, model.Property{Name: name, Value: value, Pos: r.Pos})
}

// setBool sets name from a boolean; absent uses def when def is non-nil,
// otherwise leaves it unset.
func (m *mapper) setBool(r *importer.Resource, c *model.Component, name string, v any, def *bool) {
	switch b := v.(type) {
	case importer.Unknown:
		m.set(r, c, name, b)
	case bool:
		m.set(r, c, name, b)
	case nil:
		if def != nil {
			m.set(r, c, name, *def)
		}
	default:
		m.warnf(r, "%s left unset: value %v is not a boolean", name, v)
	}
}

func ptr(b bool) *bool { return &b }

// fromInternet adds a flow from the internet entity into c.
func (m *mapper) fromInternet(c *model.Component, protocol string, pos model.Pos) {
	if c == nil {
		return
	}
	m.internet = true
	id := InternetID + "-to-" + c.ID
	for _, f := range m.model.Flows {
		if f.ID == id {
			return
		}
	}
	m.model.Flows = append(m.model.Flows, &model.Flow{ID: id, From: model.Ref{ID: InternetID}, To: model.Ref{ID: c.ID},
		Protocol: protocol, Encrypted: protocol == "https", Pos: pos})
}
