package azure

import (
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

const (
	vnetType   = "microsoft.network/virtualnetworks"
	subnetType = "microsoft.network/virtualnetworks/subnets"
)

// networkZones makes a zone of each virtual network and subnet, whether
// the subnet is a child resource or written inside its network.
func (m *mapper) networkZones(resources []importer.Resource) {
	for i := range resources {
		r := &resources[i]
		if typeKey(r.Type) != vnetType {
			continue
		}
		id := mapkit.ID(r.ID)
		m.zoneOf[r.ID] = id
		m.Model.Zones = append(m.Model.Zones, &model.Zone{ID: id, Name: "VNet " + r.ID, Trust: model.TrustHigh,
			Parent: model.Ref{ID: SubscriptionZone}, Pos: r.Pos})
		for _, s := range mapkit.List(prop(r, "subnets")) {
			name, _ := mapkit.Get(s, "name").(string)
			if name == "" {
				continue
			}
			sub := r.ID + "/subnets/" + name
			m.zoneOf[sub] = mapkit.ID(sub)
			m.Model.Zones = append(m.Model.Zones, &model.Zone{ID: mapkit.ID(sub), Name: "Subnet " + sub, Trust: model.TrustHigh,
				Parent: model.Ref{ID: id}, Pos: r.Pos})
		}
	}
	for i := range resources {
		r := &resources[i]
		if typeKey(r.Type) != subnetType {
			continue
		}
		parent := SubscriptionZone
		if p := m.parentOf(r); p != nil && m.zoneOf[p.ID] != "" {
			parent = m.zoneOf[p.ID]
		}
		m.zoneOf[r.ID] = mapkit.ID(r.ID)
		m.Model.Zones = append(m.Model.Zones, &model.Zone{ID: mapkit.ID(r.ID), Name: "Subnet " + r.ID, Trust: model.TrustHigh,
			Parent: model.Ref{ID: parent}, Pos: r.Pos})
	}
}

// placement is the zone of the first subnet or network a resource's
// properties reference, directly or through a network interface, else the
// subscription's.
func (m *mapper) placement(r *importer.Resource) string {
	for _, ref := range mapkit.Refs(r.Props["properties"]) {
		if z := m.zoneOf[ref.ID]; z != "" {
			return z
		}
		if nic := m.byID[ref.ID]; nic != nil && nic != r && typeKey(nic.Type) == nicType {
			if z := m.placement(nic); z != SubscriptionZone {
				return z
			}
		}
	}
	return SubscriptionZone
}
