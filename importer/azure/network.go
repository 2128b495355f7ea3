package azure

import (
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

const (
	nicType      = "microsoft.network/networkinterfaces"
	publicIPType = "microsoft.network/publicipaddresses"
	nsgType      = "microsoft.network/networksecuritygroups"
)

// internetSources are the source prefixes that mean anyone.
var internetSources = map[string]bool{"*": true, "Internet": true, "0.0.0.0/0": true, "Any": true, "::/0": true}

// adminPorts are the ports of remote administration.
var adminPorts = map[string]bool{"22": true, "3389": true, "*": true}

// nsgOpen reports whether a security group admits anyone on the internet,
// and the remote administration ports it opens to them.
func (m *mapper) nsgOpen(r *importer.Resource) (bool, []string) {
	rules := mapkit.List(prop(r, "securityRules"))
	for _, child := range m.children(r, "microsoft.network/networksecuritygroups/securityrules") {
		rules = append(rules, child.Props)
	}
	open := false
	var admin []string
	for _, rule := range rules {
		p := mapkit.Get(rule, "properties")
		if mapkit.Get(p, "direction") != "Inbound" || mapkit.Get(p, "access") != "Allow" {
			continue
		}
		sources := mapkit.List(mapkit.Get(p, "sourceAddressPrefixes"))
		sources = append(sources, mapkit.List(mapkit.Get(p, "sourceAddressPrefix"))...)
		fromAnyone := false
		for _, s := range sources {
			if s, ok := s.(string); ok && internetSources[s] {
				fromAnyone = true
			}
		}
		if !fromAnyone {
			continue
		}
		open = true
		ports := mapkit.List(mapkit.Get(p, "destinationPortRanges"))
		ports = append(ports, mapkit.List(mapkit.Get(p, "destinationPortRange"))...)
		for _, port := range ports {
			if s, ok := port.(string); ok && adminPorts[s] {
				admin = append(admin, s)
			}
		}
	}
	return open, admin
}

// resolve is the resource a reference or {"id": reference} names, or nil.
func (m *mapper) resolve(v any) *importer.Resource {
	if id := mapkit.Get(v, "id"); id != nil {
		v = id
	}
	if ref, ok := v.(importer.ResourceRef); ok {
		return m.byID[ref.ID]
	}
	return nil
}

// subnetGroup is the security group associated with a subnet: named by
// the subnet itself, or naming the subnet among its own.
func (m *mapper) subnetGroup(subnet any) *importer.Resource {
	ref, ok := mapkit.Get(subnet, "id").(importer.ResourceRef)
	if !ok {
		return nil
	}
	if s := m.byID[ref.ID]; s != nil {
		if g := m.resolve(prop(s, "networkSecurityGroup")); g != nil {
			return g
		}
	}
	for _, g := range m.byType[nsgType] {
		for _, s := range mapkit.List(prop(g, "subnets")) {
			if other, ok := mapkit.Get(s, "id").(importer.ResourceRef); ok && other.ID == ref.ID {
				return g
			}
		}
	}
	return nil
}

func virtualMachine(m *mapper, r *importer.Resource, c *model.Component) {
	switch v := prop(r, "osProfile", "linuxConfiguration", "disablePasswordAuthentication").(type) {
	case bool:
		if v {
			m.Set(r, c, "authentication", "certificate")
		} else {
			m.Set(r, c, "authentication", "password")
		}
	case importer.Unknown:
		m.Set(r, c, "authentication", v)
	}
	if prop(r, "osProfile", "windowsConfiguration") != nil {
		m.Set(r, c, "authentication", "password")
	}
	m.exposure(r, c)
}

// exposure sets public_ip from the machine's network interfaces and, for
// one with a public address, whether the security groups of the interface
// and of its subnet both admit the internet. With no group at all, a
// Standard public address is closed and a Basic one open.
func (m *mapper) exposure(r *importer.Resource, c *model.Component) {
	var nics []*importer.Resource
	for _, ref := range mapkit.Refs(prop(r, "networkProfile")) {
		if nic := m.byID[ref.ID]; nic != nil && typeKey(nic.Type) == nicType {
			nics = append(nics, nic)
		}
	}
	if len(nics) == 0 {
		return
	}
	publicIP := false
	var reachable any = false
	for _, nic := range nics {
		for _, conf := range mapkit.List(prop(nic, "ipConfigurations")) {
			pip := mapkit.Get(conf, "properties", "publicIPAddress")
			if pip == nil {
				continue
			}
			publicIP = true
			var groups []*importer.Resource
			if g := m.resolve(prop(nic, "networkSecurityGroup")); g != nil {
				groups = append(groups, g)
			}
			if g := m.subnetGroup(mapkit.Get(conf, "properties", "subnet")); g != nil {
				groups = append(groups, g)
			}
			open := m.groupsAdmit(groups, m.resolve(pip))
			if open == true {
				reachable = true
			} else if u, ok := open.(importer.Unknown); ok && reachable == false {
				reachable = u
			}
		}
	}
	m.Set(r, c, "public_ip", publicIP)
	if !publicIP {
		return
	}
	switch v := reachable.(type) {
	case bool:
		m.Set(r, c, "network_restricted", !v)
		if v {
			m.Set(r, c, "public", true)
			m.FromInternet(c, "tcp", r.Pos)
		}
	case importer.Unknown:
		m.Set(r, c, "network_restricted", v)
	}
}

// groupsAdmit tells whether traffic from the internet passes every group
// in its way to a public address: true, false or an Unknown.
func (m *mapper) groupsAdmit(groups []*importer.Resource, pip *importer.Resource) any {
	if len(groups) == 0 {
		if pip == nil {
			return importer.Unknown{Why: "its public IP address is not in this configuration, so its SKU is unknown"}
		}
		switch sku := mapkit.Get(pip.Props, "sku", "name").(type) {
		case string:
			return sku == "Basic"
		case importer.Unknown:
			return sku
		}
		return importer.Unknown{Why: "no security group guards it and " + pip.ID + " names no SKU (Basic is open, Standard closed)"}
	}
	for _, g := range groups {
		if open, _ := m.nsgOpen(g); !open {
			return false
		}
	}
	return true
}
