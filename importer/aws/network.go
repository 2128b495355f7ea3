package aws

import (
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// securityGroupPaths are where resources name their security groups.
var securityGroupPaths = [][]string{
	{"SecurityGroupIds"}, {"SecurityGroups"}, {"VpcSecurityGroupIds"},
	{"NetworkConfiguration", "AwsvpcConfiguration", "SecurityGroups"},
	{"VpcConfig", "SecurityGroupIds"}, {"VPCOptions", "SecurityGroupIds"},
	{"ResourcesVpcConfig", "SecurityGroupIds"}, {"SecurityGroupIdList"},
	{"VPCSecurityGroups"}, {"BrokerNodeGroupInfo", "SecurityGroups"},
	{"LaunchTemplateData", "SecurityGroupIds"},
}

func securityGroup(m *mapper, r *importer.Resource, c *model.Component) {
	rules := append(mapkit.List(mapkit.Get(r.Props, "SecurityGroupIngress")), m.ingressRules()[r.ID]...)
	m.peerFlows(r, rules)
	public, adminOpen, known := false, false, true
	var ports []int
	for _, rule := range rules {
		if _, ok := unknown(mapkit.Get(rule, "CidrIp")); ok {
			known = false
			continue
		}
		if !isWorldCIDR(mapkit.Get(rule, "CidrIp")) && !isWorldCIDR(mapkit.Get(rule, "CidrIpv6")) {
			continue
		}
		public = true
		proto, _ := str(mapkit.Get(rule, "IpProtocol"))
		from, fok := number(mapkit.Get(rule, "FromPort"))
		to, tok := number(mapkit.Get(rule, "ToPort"))
		switch {
		case proto == "-1" || proto == "all":
			from, to = 0, 65535
		case !fok || !tok:
			known = false
			continue
		}
		if isAdminPort(from, to) {
			adminOpen = true
		}
		ports = append(ports, from)
		if isAdminPort(from, to) {
			ports[len(ports)-1] = adminPortIn(from, to)
		}
	}
	if !known && !public {
		m.Warnf(r, "ingress rules are not known statically; public and aws_admin_ports_closed left unset")
		return
	}
	m.Set(r, c, "public", public)
	switch {
	case adminOpen:
		m.Set(r, c, "aws_admin_ports_closed", false)
	case known:
		m.Set(r, c, "aws_admin_ports_closed", true)
	default:
		m.Warnf(r, "some ingress ports are not known statically; aws_admin_ports_closed left unset")
	}
	if !public {
		return
	}
	// The internet reaches what the group protects.
	for _, user := range m.guardedBy(r.ID) {
		for _, port := range ports {
			m.FromInternet(user, protocolOf(port), r.Pos)
		}
	}
}

func adminPortIn(from, to int) int {
	if from <= 22 && 22 <= to {
		return 22
	}
	return 3389
}

// guardedBy lists the components a security group is attached to. The
// index is built once, when the first group asks: by then every component
// exists, and asking each group to scan every component would make a large
// import quadratic.
func (m *mapper) guardedBy(sg string) []*model.Component {
	if m.guards == nil {
		m.guards = map[string][]*model.Component{}
		for _, c := range m.Model.Components {
			res := m.byID[m.resourceOf[c]]
			if res == nil {
				continue
			}
			seen := map[string]bool{}
			for _, g := range m.securityGroupsOf(res) {
				if !seen[g] {
					seen[g] = true
					m.guards[g] = append(m.guards[g], c)
				}
			}
		}
	}
	return m.guards[sg]
}

// securityGroupsOf lists the security groups attached to a resource: directly, on
// its network interfaces, its launch template, or (a file system) its mount
// targets.
func (m *mapper) securityGroupsOf(r *importer.Resource) []string {
	var out []string
	add := func(v any) {
		for _, ref := range mapkit.Refs(v) {
			out = append(out, ref.ID)
		}
	}
	for _, iface := range mapkit.List(mapkit.Get(r.Props, "NetworkInterfaces")) {
		add(mapkit.Get(iface, "GroupSet"))
	}
	for _, mt := range m.mountTargetsOf(r.ID) {
		out = append(out, m.securityGroupsOf(mt)...)
	}
	if tmpl := m.launchTemplateOf(r); tmpl != nil {
		out = append(out, m.securityGroupsOf(&importer.Resource{ID: r.ID, Props: map[string]any{"LaunchTemplateData": tmpl}})...)
	}
	for _, path := range securityGroupPaths {
		add(mapkit.Get(r.Props, path...))
	}
	return out
}

func securityGroupIngress(*mapper, *importer.Resource, *model.Component) {
	// Folded into its group by securityGroup.
}

// networkACL reads the ACL's inbound allow entries, as a security group's
// rules: open to the world, and to administration ports.
func networkACL(m *mapper, r *importer.Resource, c *model.Component) {
	public, adminOpen, known := false, false, true
	for _, e := range m.aclEntries(r.ID) {
		egress, _ := boolean(mapkit.Get(e, "Egress"))
		action, _ := str(mapkit.Get(e, "RuleAction"))
		if egress || strings.ToLower(action) != "allow" {
			continue
		}
		if _, unsure := unknown(mapkit.Get(e, "CidrBlock")); unsure {
			known = false
			continue
		}
		if !isWorldCIDR(mapkit.Get(e, "CidrBlock")) && !isWorldCIDR(mapkit.Get(e, "Ipv6CidrBlock")) {
			continue
		}
		public = true
		proto, _ := str(mapkit.Get(e, "Protocol"))
		from, fok := number(mapkit.Get(e, "PortRange", "From"))
		to, tok := number(mapkit.Get(e, "PortRange", "To"))
		if proto == "-1" || proto == "all" || !fok || !tok {
			from, to = 0, 65535
		}
		adminOpen = adminOpen || isAdminPort(from, to)
	}
	if !known && !adminOpen {
		m.Warnf(r, "entries are not known statically; public and aws_admin_ports_closed left unset")
		return
	}
	m.Set(r, c, "public", public)
	m.Set(r, c, "aws_admin_ports_closed", !adminOpen)
}

// aclEntries lists the entries of a network ACL, indexed once.
func (m *mapper) aclEntries(acl string) []any {
	if m.entries == nil {
		m.entries = map[string][]any{}
		for _, r := range m.byID {
			if r.Type != "AWS::EC2::NetworkAclEntry" {
				continue
			}
			for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "NetworkAclId")) {
				m.entries[ref.ID] = append(m.entries[ref.ID], r.Props)
			}
		}
	}
	return m.entries[acl]
}

// peerFlows adds a flow for each rule admitting another group: from what
// that group guards to what this one guards.
func (m *mapper) peerFlows(r *importer.Resource, rules []any) {
	var guarded []*model.Component
	for _, rule := range rules {
		for _, src := range mapkit.Refs(mapkit.Get(rule, "SourceSecurityGroupId")) {
			if src.ID == r.ID {
				continue
			}
			if guarded == nil {
				guarded = m.guardedBy(r.ID)
			}
			port, _ := number(mapkit.Get(rule, "FromPort"))
			for _, from := range m.guardedBy(src.ID) {
				for _, to := range guarded {
					if to.Kind == "aws.lambda" {
						continue // functions accept no connections
					}
					m.Flow(from, to, protocolOf(port), r.Pos)
				}
			}
		}
	}
}

// mountTargetsOf lists the mount targets of a file system, indexed once.
func (m *mapper) mountTargetsOf(fs string) []*importer.Resource {
	if m.mountTargets == nil {
		m.mountTargets = map[string][]*importer.Resource{}
		for _, r := range m.byID {
			if r.Type != "AWS::EFS::MountTarget" {
				continue
			}
			for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "FileSystemId")) {
				m.mountTargets[ref.ID] = append(m.mountTargets[ref.ID], r)
			}
		}
		for _, list := range m.mountTargets {
			slices.SortFunc(list, func(a, b *importer.Resource) int { return strings.Compare(a.ID, b.ID) })
		}
	}
	return m.mountTargets[fs]
}

// ingressRules indexes, once, the separate ingress rule resources by the
// group they open, in resource id order.
func (m *mapper) ingressRules() map[string][]any {
	if m.ingress != nil {
		return m.ingress
	}
	m.ingress = map[string][]any{}
	ids := make([]string, 0, len(m.byID))
	for id, r := range m.byID {
		if r.Type == "AWS::EC2::SecurityGroupIngress" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		r := m.byID[id]
		for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "GroupId")) {
			m.ingress[ref.ID] = append(m.ingress[ref.ID], r.Props)
		}
	}
	return m.ingress
}
