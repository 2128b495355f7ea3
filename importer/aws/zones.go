package aws

import (
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// zoneTypes become zones, not components.
var zoneTypes = map[string]bool{
	"AWS::EC2::VPC":    true,
	"AWS::EC2::Subnet": true,
}

func (m *mapper) addZone(z *model.Zone) {
	m.Model.Zones = append(m.Model.Zones, z)
}

// networkZones makes a zone of each VPC and subnet. A subnet is public when
// it gives instances public addresses or routes to an internet gateway.
func (m *mapper) networkZones(resources []importer.Resource) {
	publicTables := map[string]bool{}
	for _, r := range resources {
		if r.Type != "AWS::EC2::Route" {
			continue
		}
		gw, ok := mapkit.Get(r.Props, "GatewayId").(importer.ResourceRef)
		table, tok := mapkit.Get(r.Props, "RouteTableId").(importer.ResourceRef)
		if ok && tok && m.typeOf(gw.ID) == "AWS::EC2::InternetGateway" {
			publicTables[table.ID] = true
		}
	}
	publicSubnets := map[string]bool{}
	for _, r := range resources {
		if r.Type != "AWS::EC2::SubnetRouteTableAssociation" {
			continue
		}
		subnet, ok := mapkit.Get(r.Props, "SubnetId").(importer.ResourceRef)
		table, tok := mapkit.Get(r.Props, "RouteTableId").(importer.ResourceRef)
		if ok && tok && publicTables[table.ID] {
			publicSubnets[subnet.ID] = true
		}
	}
	for _, r := range resources {
		if r.Type != "AWS::EC2::VPC" {
			continue
		}
		id := mapkit.ID(r.ID)
		m.zoneOf[r.ID] = id
		m.addZone(&model.Zone{ID: id, Name: "VPC " + r.ID, Trust: model.TrustHigh, Parent: model.Ref{ID: AccountZone}, Pos: r.Pos})
	}
	for _, r := range resources {
		if r.Type != "AWS::EC2::Subnet" {
			continue
		}
		parent := AccountZone
		if vpc, ok := mapkit.Get(r.Props, "VpcId").(importer.ResourceRef); ok && m.zoneOf[vpc.ID] != "" {
			parent = m.zoneOf[vpc.ID]
		}
		z := &model.Zone{ID: mapkit.ID(r.ID), Name: "Private subnet " + r.ID, Trust: model.TrustHigh, Parent: model.Ref{ID: parent}, Pos: r.Pos}
		mapPublic, _ := boolean(mapkit.Get(r.Props, "MapPublicIpOnLaunch"))
		if mapPublic || publicSubnets[r.ID] {
			z.Name, z.Trust = "Public subnet "+r.ID, model.TrustLow
		}
		m.zoneOf[r.ID] = z.ID
		m.addZone(z)
	}
}

func (m *mapper) typeOf(id string) string {
	if r := m.byID[id]; r != nil {
		return r.Type
	}
	return ""
}

// subnetPaths are where resources name the subnets or VPC they run in.
var subnetPaths = [][]string{
	{"SubnetId"}, {"Subnets"}, {"SubnetIds"}, {"VPCZoneIdentifier"},
	{"VpcConfig", "SubnetIds"}, {"VPCOptions", "SubnetIds"}, {"VpcOptions", "SubnetIds"},
	{"NetworkConfiguration", "AwsvpcConfiguration", "Subnets"},
	{"ResourcesVpcConfig", "SubnetIds"}, {"NetworkInterfaces"},
	{"DBSubnetGroupName"}, {"CacheSubnetGroupName"}, {"SubnetGroupName"}, {"ClusterSubnetGroupName"},
	{"BrokerNodeGroupInfo", "ClientSubnets"},
	{"VpcId"},
}

// placement is the zone a resource's network settings put it in: its
// first subnet's, else its VPC's, else the account's. A file system is
// where its first mount target is.
func (m *mapper) placement(r *importer.Resource) string {
	if r.Type == "AWS::EFS::FileSystem" {
		for _, mt := range m.mountTargetsOf(r.ID) {
			if z := m.placement(mt); z != AccountZone {
				return z
			}
		}
	}
	for _, path := range subnetPaths {
		for _, ref := range mapkit.Refs(mapkit.Get(r.Props, path...)) {
			if z := m.zoneOf[ref.ID]; z != "" {
				return z
			}
			// A subnet group names the subnets in turn.
			if g := m.byID[ref.ID]; g != nil && g != r {
				for _, sub := range mapkit.Refs(mapkit.Get(g.Props, "SubnetIds")) {
					if z := m.zoneOf[sub.ID]; z != "" {
						return z
					}
				}
			}
		}
	}
	return AccountZone
}
