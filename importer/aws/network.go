package aws

import (
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
}

func securityGroup(m *mapper, r *importer.Resource, c *model.Component) {
	rules := mapkit.List(mapkit.Get(r.Props, "SecurityGroupIngress"))
	for _, other := range m.byID {
		if other.Type != "AWS::EC2::SecurityGroupIngress" {
			continue
		}
		for _, ref := range mapkit.Refs(mapkit.Get(other.Props, "GroupId")) {
			if ref.ID == r.ID {
				rules = append(rules, other.Props)
			}
		}
	}
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
		m.warnf(r, "ingress rules are not known statically; public and aws_admin_ports_closed left unset")
		return
	}
	m.set(r, c, "public", public)
	switch {
	case adminOpen:
		m.set(r, c, "aws_admin_ports_closed", false)
	case known:
		m.set(r, c, "aws_admin_ports_closed", true)
	default:
		m.warnf(r, "some ingress ports are not known statically; aws_admin_ports_closed left unset")
	}
	if !public {
		return
	}
	// The internet reaches what the group protects.
	for _, user := range m.guardedBy(r.ID) {
		for _, port := range ports {
			m.fromInternet(user, protocolOf(port), r.Pos)
		}
	}
}

func adminPortIn(from, to int) int {
	if from <= 22 && 22 <= to {
		return 22
	}
	return 3389
}

// guardedBy lists the components a security group is attached to.
func (m *mapper) guardedBy(sg string) []*model.Component {
	var out []*model.Component
	for _, c := range m.model.Components {
		if res := m.byID[m.resourceOf[c]]; res != nil && m.usesGroup(res, sg) {
			out = append(out, c)
		}
	}
	return out
}

func (m *mapper) usesGroup(r *importer.Resource, sg string) bool {
	paths := securityGroupPaths
	for _, iface := range mapkit.List(mapkit.Get(r.Props, "NetworkInterfaces")) {
		for _, ref := range mapkit.Refs(mapkit.Get(iface, "GroupSet")) {
			if ref.ID == sg {
				return true
			}
		}
	}
	for _, path := range paths {
		for _, ref := range mapkit.Refs(mapkit.Get(r.Props, path...)) {
			if ref.ID == sg {
				return true
			}
		}
	}
	return false
}

func securityGroupIngress(*mapper, *importer.Resource, *model.Component) {
	// Folded into its group by securityGroup.
}
