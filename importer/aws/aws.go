// Package aws maps AWS resources, in CloudFormation's types and property
// shapes, to Ward components, zones and flows. Every AWS source —
// CloudFormation templates, Terraform plans, live accounts — feeds this one
// mapping, so a bucket means the same thing whichever road it came by.
package aws

import (
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// Zone ids the mapping creates.
const (
	InternetZone = mapkit.InternetZone
	AccountZone  = "aws-account"
	// InternetID is the component that stands for callers on the internet.
	InternetID = mapkit.InternetID
)

// Map turns resources into a model: one component per resource that is a
// node of the data-flow diagram, zones for the account, VPCs and subnets,
// and flows for the references that carry data. Resources that only
// configure another (a bucket policy, a security group rule) are folded
// into it. Types the mapping does not know become generic components and a
// warning names them.
func Map(resources []importer.Resource, source string) *importer.Result {
	m := &mapper{
		Builder:    mapkit.New(source),
		byID:       map[string]*importer.Resource{},
		resourceOf: map[*model.Component]string{},
		zoneOf:     map[string]string{},
	}
	for i := range resources {
		m.byID[resources[i].ID] = &resources[i]
	}
	m.run(resources)
	return m.Finish("AWS")
}

type mapper struct {
	*mapkit.Builder
	byID map[string]*importer.Resource
	// resourceOf is the resource id each component was made from.
	resourceOf map[*model.Component]string
	zoneOf     map[string]string // subnet or VPC resource id → zone id
	// attached indexes policy resources by the identities they name.
	attached map[string][]*importer.Resource
	// entries indexes network ACL entries by their ACL.
	entries map[string][]any
	// mountTargets indexes EFS mount targets by their file system.
	mountTargets map[string][]*importer.Resource
	// guards indexes components by the security groups attached to them.
	guards map[string][]*model.Component
	// additions indexes IAM group additions by user.
	additions map[string][]string
	// forwardTo indexes load balancers by the target groups they forward to.
	forwardTo map[string][]string
	// ingress indexes separate ingress rules by their security group.
	ingress map[string][]any
}

func (m *mapper) run(resources []importer.Resource) {
	m.addZone(&model.Zone{ID: AccountZone, Name: "AWS account", Trust: model.TrustMedium})
	m.networkZones(resources)
	// Components first, so the folding and flow passes can find them.
	for i := range resources {
		r := &resources[i]
		if info, ok := types[r.Type]; ok {
			if info.kind != "" {
				m.component(r, info.kind)
			}
			continue
		}
		if !zoneTypes[r.Type] {
			m.Unknown(r, genericKind(r.Type), m.placement(r))
			m.resourceOf[m.ComponentOf(r.ID)] = r.ID
		}
	}
	for i := range resources {
		r := &resources[i]
		if info, ok := types[r.Type]; ok && info.derive != nil {
			info.derive(m, r, m.ComponentOf(r.ID))
		}
	}
}

func (m *mapper) component(r *importer.Resource, kind model.Kind) *model.Component {
	c := m.Component(r, kind, m.placement(r))
	m.resourceOf[c] = r.ID
	return c
}

// genericKind picks a generic kind for a type the mapping does not know.
func genericKind(typ string) model.Kind {
	t := strings.ToLower(typ)
	switch {
	case strings.Contains(t, "bucket"), strings.Contains(t, "filesystem"):
		return "file-store"
	case strings.Contains(t, "table"), strings.Contains(t, "database"), strings.Contains(t, "cluster") && strings.Contains(t, "db"):
		return "database"
	case strings.Contains(t, "queue"):
		return "queue"
	case strings.Contains(t, "function"):
		return "function"
	}
	return "process"
}

// setBool is mapkit's SetBool for a CloudFormation boolean, which may be
// written as a string.
func (m *mapper) setBool(r *importer.Resource, c *model.Component, name string, v any, def *bool) {
	if b, ok := boolean(v); ok {
		v = b
	}
	m.SetBool(r, c, name, v, def, false)
}

// setPresent sets name to whether a setting is given; a setting not known
// statically leaves it unset.
func (m *mapper) setPresent(r *importer.Resource, c *model.Component, name, setting string, v any) {
	if _, ok := unknown(v); ok {
		m.Set(r, c, name, importer.Unknown{Why: setting + " is not known statically"})
		return
	}
	m.Set(r, c, name, v != nil)
}

// flowsTo adds a flow from c to every component v references.
func (m *mapper) flowsTo(c *model.Component, v any, protocol string, pos model.Pos) {
	for _, ref := range mapkit.Refs(v) {
		m.Flow(c, m.ComponentOf(ref.ID), protocol, pos)
	}
}

// flowsFrom adds a flow from every component v references to c.
func (m *mapper) flowsFrom(v any, c *model.Component, protocol string, pos model.Pos) {
	for _, ref := range mapkit.Refs(v) {
		m.Flow(m.ComponentOf(ref.ID), c, protocol, pos)
	}
}
