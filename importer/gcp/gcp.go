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
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// Zone ids the mapping creates.
const (
	InternetZone = mapkit.InternetZone
	ProjectZone  = "gcp-project"
	// InternetID is the component that stands for callers on the internet.
	InternetID = mapkit.InternetID
)

// Map turns resources into a model: one component per resource that is a
// node of the data-flow diagram, zones for the project, VPC networks and
// subnetworks, and flows from the internet to what it reaches. Types the
// mapping does not know become generic components and a warning names
// them.
func Map(resources []importer.Resource, source string) *importer.Result {
	m := &mapper{
		Builder: mapkit.New(source),
		byID:    map[string]*importer.Resource{},
		byType:  map[string][]*importer.Resource{},
		zoneOf:  map[string]string{},
	}
	for i := range resources {
		r := &resources[i]
		m.byID[r.ID] = r
		m.byType[r.Type] = append(m.byType[r.Type], r)
	}
	m.Model.Zones = append(m.Model.Zones, &model.Zone{ID: ProjectZone, Name: "Google Cloud project", Trust: model.TrustMedium})
	m.networkZones(resources)
	for i := range resources {
		r := &resources[i]
		info, ok := types[r.Type]
		switch {
		case ok && info.kind != "":
			m.Component(r, info.kind, m.placement(r))
		case ok:
		case skipped[r.Type]:
		default:
			m.Unknown(r, genericKind(r.Type), m.placement(r))
		}
	}
	for i := range resources {
		r := &resources[i]
		if info, ok := types[r.Type]; ok && info.derive != nil {
			info.derive(m, r, m.ComponentOf(r.ID))
		}
	}
	return m.Finish("Google Cloud")
}

type mapper struct {
	*mapkit.Builder
	byID   map[string]*importer.Resource
	byType map[string][]*importer.Resource // in input order
	zoneOf map[string]string               // network or subnet resource id → zone id
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
