// Package azure maps Azure resources, in Azure Resource Manager's types
// and property shapes, to Ward components, zones and flows. Every Azure
// source — Terraform configurations and plans, live subscriptions — feeds
// this one mapping, so a storage account means the same whichever road it
// came by.
//
// A Resource's Props hold the ARM resource body without its id and type:
// "kind", "identity", "sku" and "properties". A child resource (a subnet, a
// firewall rule) names its parent with a "parent" reference, or sits in its
// parent's properties under the name of ARM's child collection
// ("firewallRules", "queues", "configurations", "diagnosticSettings",
// "privateEndpointConnections").
package azure

import (
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// Zone ids the mapping creates.
const (
	InternetZone     = mapkit.InternetZone
	SubscriptionZone = "azure-subscription"
	// InternetID is the component that stands for callers on the internet.
	InternetID = mapkit.InternetID
)

// Map turns resources into a model: one component per resource that is a
// node of the data-flow diagram, zones for the subscription, virtual
// networks and subnets, and flows from the internet to what it reaches.
// Child resources (firewall rules, security rules, databases) are folded
// into their parent. Types the mapping does not know become generic
// components and a warning names them.
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
		m.byType[typeKey(r.Type)] = append(m.byType[typeKey(r.Type)], r)
	}
	m.indexHosts(resources)
	m.childrenOf = map[string][]*importer.Resource{}
	for i := range resources {
		if parent := m.parentOf(&resources[i]); parent != nil {
			m.childrenOf[parent.ID] = append(m.childrenOf[parent.ID], &resources[i])
		}
	}
	for _, list := range m.childrenOf {
		sortByID(list)
	}
	m.Model.Zones = append(m.Model.Zones, &model.Zone{ID: SubscriptionZone, Name: "Azure subscription", Trust: model.TrustMedium})
	m.networkZones(resources)
	for i := range resources {
		r := &resources[i]
		info, ok := types[typeKey(r.Type)]
		switch {
		case ok && info.kind != nil:
			m.Component(r, info.kind(r), m.placement(r))
		case ok, skipped[typeKey(r.Type)]:
		default:
			m.Unknown(r, genericKind(r.Type), m.placement(r))
		}
	}
	for i := range resources {
		r := &resources[i]
		if info, ok := types[typeKey(r.Type)]; ok && info.derive != nil {
			info.derive(m, r, m.ComponentOf(r.ID))
		}
		m.logging(r, m.ComponentOf(r.ID))
	}
	m.encryptFlows()
	return m.Finish("Azure")
}

type mapper struct {
	*mapkit.Builder
	byID   map[string]*importer.Resource
	byType map[string][]*importer.Resource // by typeKey, in input order
	zoneOf map[string]string               // network or subnet resource id → zone id
	hosts  map[string]*importer.Resource   // host name or storage account name → resource
	// childrenOf lists the resources naming each one as their parent, by id.
	childrenOf map[string][]*importer.Resource
	// usersOf lists the components each user-assigned identity is
	// attached to, by identity id; see identityUsers.
	usersOf map[string][]*model.Component
}

// typeKey is the lower-cased type: ARM type names are case-insensitive.
func typeKey(t string) string { return strings.ToLower(t) }

// genericKind picks a generic kind for a type the mapping does not know.
func genericKind(typ string) model.Kind {
	t := strings.ToLower(typ)
	switch {
	case strings.Contains(t, "storage"):
		return "file-store"
	case strings.Contains(t, "sql"), strings.Contains(t, "database"), strings.Contains(t, "db"):
		return "database"
	case strings.Contains(t, "queue"), strings.Contains(t, "eventhub"):
		return "queue"
	case strings.Contains(t, "function"):
		return "function"
	}
	return "process"
}
