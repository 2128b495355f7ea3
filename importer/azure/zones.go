package azure

import (
	"github.com/wardsec/ward/importer"
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
		id := ID(r.ID)
		m.zoneOf[r.ID] = id
		m.model.Zones = append(m.model.Zones, &model.Zone{ID: id, Name: "VNet " + r.ID, Trust: model.TrustHigh,
			Parent: model.Ref{ID: SubscriptionZone}, Pos: r.Pos})
		for _, s := range list(prop(r, "subnets")) {
			name, _ := get(s, "name").(string)
			if name == "" {
				continue
			}
			sub := r.ID + "/subnets/" + name
			m.zoneOf[sub] = ID(sub)
			m.model.Zones = append(m.model.Zones, &model.Zone{ID: ID(sub), Name: "Subnet " + sub, Trust: model.TrustHigh,
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
		m.zoneOf[r.ID] = ID(r.ID)
		m.model.Zones = append(m.model.Zones, &model.Zone{ID: ID(r.ID), Name: "Subnet " + r.ID, Trust: model.TrustHigh,
			Parent: model.Ref{ID: parent}, Pos: r.Pos})
	}
}

// placement is the zone of the first subnet or network a resource's
// properties reference, else the subscription's.
func (m *mapper) placement(r *importer.Resource) string {
	for _, ref := range refs(r.Props["properties"]) {
		if z := m.zoneOf[ref.ID]; z != "" {
			return z
		}
	}
	return SubscriptionZone
}

// dropEmptyZones removes zones nothing is in, keeping the parents of used
// ones.
func (m *mapper) dropEmptyZones() {
	used := map[string]bool{}
	for _, c := range m.model.Components {
		used[c.Zone.ID] = true
	}
	parent := map[string]string{}
	for _, z := range m.model.Zones {
		parent[z.ID] = z.Parent.ID
	}
	for id := range used {
		for p := parent[id]; p != "" && !used[p]; p = parent[p] {
			used[p] = true
		}
	}
	zones := m.model.Zones[:0]
	for _, z := range m.model.Zones {
		if used[z.ID] {
			zones = append(zones, z)
		}
	}
	m.model.Zones = zones
}
