// Package aws maps AWS resources, in CloudFormation's types and property
// shapes, to Ward components, zones and flows. Every AWS source —
// CloudFormation templates, Terraform plans, live accounts — feeds this one
// mapping, so a bucket means the same thing whichever road it came by.
package aws

import (
	"fmt"
	"slices"
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
		source:     source,
		byID:       map[string]*importer.Resource{},
		comps:      map[string]*model.Component{},
		resourceOf: map[*model.Component]string{},
		ids:        map[string]bool{},
		zoneOf:     map[string]string{},
		flows:      map[string]bool{},
		model:      &model.Model{},
	}
	for i := range resources {
		m.byID[resources[i].ID] = &resources[i]
	}
	m.run(resources)
	return &importer.Result{Model: m.model, Warnings: m.warnings}
}

type mapper struct {
	source string
	byID   map[string]*importer.Resource
	comps  map[string]*model.Component // by resource id
	// resourceOf is the resource id each component was made from.
	resourceOf   map[*model.Component]string
	ids          map[string]bool   // component ids taken
	zoneOf       map[string]string // subnet or VPC resource id → zone id
	flows        map[string]bool
	model        *model.Model
	warnings     model.Diagnostics
	unknown      []string // types not mapped, for one summary warning
	firstUnknown model.Pos
	internet     bool
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
	m.addZone(&model.Zone{ID: InternetZone, Name: "Internet", Trust: model.Untrusted})
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
			m.component(r, genericKind(r.Type))
			if len(m.unknown) == 0 {
				m.firstUnknown = r.Pos
			}
			if !slices.Contains(m.unknown, r.Type) {
				m.unknown = append(m.unknown, r.Type)
			}
		}
	}
	for i := range resources {
		r := &resources[i]
		if info, ok := types[r.Type]; ok && info.derive != nil {
			info.derive(m, r, m.comps[r.ID])
		}
	}
	if len(m.unknown) > 0 {
		slices.Sort(m.unknown)
		m.warnings = append(m.warnings, model.Diagnostic{Pos: m.firstUnknown,
			Message: fmt.Sprintf("%d resource type(s) not known to the AWS mapping, imported as generic components: %s",
				len(m.unknown), strings.Join(m.unknown, ", "))})
	}
	if m.internet {
		m.model.Components = slices.Insert(m.model.Components, 0, &model.Component{
			ID: InternetID, Name: "Internet", Kind: "external-entity",
			Zone: model.Ref{ID: InternetZone}, Pos: model.Pos{Source: m.source},
		})
	}
	mapkit.DropEmptyZones(m.model)
}

func (m *mapper) component(r *importer.Resource, kind model.Kind) *model.Component {
	id := mapkit.ID(r.ID)
	// Ids made safe may meet each other or the internet entity's.
	for n := 2; id == InternetID || m.ids[id]; n++ {
		id = fmt.Sprintf("%s-%d", mapkit.ID(r.ID), n)
	}
	m.ids[id] = true
	c := &model.Component{
		ID:   id,
		Name: r.Name,
		Kind: kind,
		Zone: model.Ref{ID: m.placement(r)},
		Pos:  r.Pos,
	}
	if c.Name == "" {
		c.Name = r.ID
	}
	m.comps[r.ID] = c
	m.resourceOf[c] = r.ID
	m.model.Components = append(m.model.Components, c)
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

func (m *mapper) warnf(r *importer.Resource, format string, args ...any) {
	m.warnings = append(m.warnings, model.Diagnostic{Pos: r.Pos, Message: r.ID + ": " + fmt.Sprintf(format, args...)})
}

// set records a property; an unknown value leaves it unset and warns.
func (m *mapper) set(r *importer.Resource, c *model.Component, name string, value any) {
	if c == nil {
		return
	}
	if u, ok := unknown(value); ok {
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

// setBool sets name from a CloudFormation boolean; absent uses def when
// def is non-nil, otherwise leaves it unset.
func (m *mapper) setBool(r *importer.Resource, c *model.Component, name string, v any, def *bool) {
	if u, ok := unknown(v); ok {
		m.set(r, c, name, u)
		return
	}
	if b, ok := boolean(v); ok {
		m.set(r, c, name, b)
		return
	}
	if v == nil && def != nil {
		m.set(r, c, name, *def)
		return
	}
	if v != nil {
		m.warnf(r, "%s left unset: value %v is not a boolean", name, v)
	}
}

func ptr(b bool) *bool { return &b }

// setPresent sets name to whether a setting is given; a setting not known
// statically leaves it unset.
func (m *mapper) setPresent(r *importer.Resource, c *model.Component, name, setting string, v any) {
	if _, ok := unknown(v); ok {
		m.set(r, c, name, importer.Unknown{Why: setting + " is not known statically"})
		return
	}
	m.set(r, c, name, v != nil)
}

// target returns the component a reference names, following folded
// resources (a Lambda alias, a target group) is left to the callers.
func (m *mapper) target(ref importer.ResourceRef) *model.Component {
	return m.comps[ref.ID]
}

// flow adds a flow between two components once.
func (m *mapper) flow(from, to *model.Component, protocol string, pos model.Pos) *model.Flow {
	if from == nil || to == nil || from == to {
		return nil
	}
	id := from.ID + "-to-" + to.ID
	if m.flows[id] {
		return nil
	}
	m.flows[id] = true
	f := &model.Flow{ID: id, From: model.Ref{ID: from.ID}, To: model.Ref{ID: to.ID}, Protocol: protocol, Pos: pos}
	if protocol == "https" {
		f.Encrypted = true
	}
	m.model.Flows = append(m.model.Flows, f)
	return f
}

// fromInternet adds the internet entity's flow into c.
func (m *mapper) fromInternet(c *model.Component, protocol string, pos model.Pos) {
	if c == nil {
		return
	}
	m.internet = true
	internet := &model.Component{ID: InternetID}
	m.flow(internet, c, protocol, pos)
}

// flowsTo adds a flow from c to every component v references.
func (m *mapper) flowsTo(c *model.Component, v any, protocol string, pos model.Pos) {
	for _, ref := range mapkit.Refs(v) {
		m.flow(c, m.target(ref), protocol, pos)
	}
}

// flowsFrom adds a flow from every component v references to c.
func (m *mapper) flowsFrom(v any, c *model.Component, protocol string, pos model.Pos) {
	for _, ref := range mapkit.Refs(v) {
		m.flow(m.target(ref), c, protocol, pos)
	}
}
