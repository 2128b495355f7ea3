package gcp

import (
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

const (
	networkType    = "compute.googleapis.com/Network"
	subnetworkType = "compute.googleapis.com/Subnetwork"
)

// networkZones makes a zone of each VPC network and subnetwork.
func (m *mapper) networkZones(resources []importer.Resource) {
	for i := range resources {
		r := &resources[i]
		if r.Type != networkType {
			continue
		}
		m.zoneOf[r.ID] = mapkit.ID(r.ID)
		m.Model.Zones = append(m.Model.Zones, &model.Zone{ID: mapkit.ID(r.ID), Name: "VPC network " + r.ID, Trust: model.TrustHigh,
			Parent: model.Ref{ID: ProjectZone}, Pos: r.Pos})
	}
	for i := range resources {
		r := &resources[i]
		if r.Type != subnetworkType {
			continue
		}
		parent := ProjectZone
		if ref, ok := prop(r, "network").(importer.ResourceRef); ok && m.zoneOf[ref.ID] != "" {
			parent = m.zoneOf[ref.ID]
		}
		m.zoneOf[r.ID] = mapkit.ID(r.ID)
		m.Model.Zones = append(m.Model.Zones, &model.Zone{ID: mapkit.ID(r.ID), Name: "Subnetwork " + r.ID, Trust: model.TrustHigh,
			Parent: model.Ref{ID: parent}, Pos: r.Pos})
	}
}

// placement is the zone of the subnetwork a resource references, else of
// its network, else the project's.
func (m *mapper) placement(r *importer.Resource) string {
	zone := ""
	for _, ref := range mapkit.Refs(r.Props) {
		z := m.zoneOf[ref.ID]
		if z == "" {
			continue
		}
		if m.byID[ref.ID] != nil && m.byID[ref.ID].Type == subnetworkType {
			return z
		}
		if zone == "" {
			zone = z
		}
	}
	if zone != "" {
		return zone
	}
	return ProjectZone
}
