package aws_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/aws"
	"github.com/wardsec/ward/model"
)

func prop(t *testing.T, m *model.Model, id, name string) (any, bool) {
	t.Helper()
	for _, c := range m.Components {
		if c.ID == id {
			p, ok := c.Properties.Get(name)
			return p.Value, ok
		}
	}
	t.Fatalf("no component %s", id)
	return nil, false
}

func TestProperties(t *testing.T) {
	ref := func(id string) importer.ResourceRef { return importer.ResourceRef{ID: id} }
	cases := []struct {
		name      string
		resources []importer.Resource
		id, prop  string
		want      any // nil: left unset
	}{
		{"bucket blocked by default", []importer.Resource{
			{Type: "AWS::S3::Bucket", ID: "B", Props: map[string]any{"AccessControl": "PublicRead"}},
		}, "B", "public", nil},
		{"bucket public by policy", []importer.Resource{
			{Type: "AWS::S3::Bucket", ID: "B", Props: map[string]any{"PublicAccessBlockConfiguration": map[string]any{"BlockPublicPolicy": false}}},
			{Type: "AWS::S3::BucketPolicy", ID: "P", Props: map[string]any{"Bucket": ref("B"), "PolicyDocument": map[string]any{
				"Statement": []any{map[string]any{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}}}},
		}, "B", "public", true},
		{"bucket policy with condition is not public", []importer.Resource{
			{Type: "AWS::S3::Bucket", ID: "B", Props: map[string]any{"PublicAccessBlockConfiguration": map[string]any{}}},
			{Type: "AWS::S3::BucketPolicy", ID: "P", Props: map[string]any{"Bucket": ref("B"), "PolicyDocument": map[string]any{
				"Statement": []any{map[string]any{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": map[string]any{}}}}}},
		}, "B", "public", nil},
		{"bucket versioning off by default", []importer.Resource{
			{Type: "AWS::S3::Bucket", ID: "B"},
		}, "B", "versioning", false},
		{"rds unencrypted by default", []importer.Resource{
			{Type: "AWS::RDS::DBInstance", ID: "D"},
		}, "D", "encrypted_at_rest", false},
		{"rds encrypted as string", []importer.Resource{
			{Type: "AWS::RDS::DBInstance", ID: "D", Props: map[string]any{"StorageEncrypted": "true"}},
		}, "D", "encrypted_at_rest", true},
		{"rds unknown encryption left unset", []importer.Resource{
			{Type: "AWS::RDS::DBInstance", ID: "D", Props: map[string]any{"StorageEncrypted": importer.Unknown{Why: "x"}}},
		}, "D", "encrypted_at_rest", nil},
		{"rds backups off", []importer.Resource{
			{Type: "AWS::RDS::DBInstance", ID: "D", Props: map[string]any{"BackupRetentionPeriod": 0}},
		}, "D", "backups", false},
		{"sg rdp open", []importer.Resource{
			{Type: "AWS::EC2::SecurityGroup", ID: "G", Props: map[string]any{"SecurityGroupIngress": []any{
				map[string]any{"IpProtocol": "tcp", "FromPort": 3000, "ToPort": 4000, "CidrIpv6": "::/0"}}}},
		}, "G", "aws_admin_ports_closed", false},
		{"sg https open", []importer.Resource{
			{Type: "AWS::EC2::SecurityGroup", ID: "G", Props: map[string]any{"SecurityGroupIngress": []any{
				map[string]any{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}}}},
		}, "G", "aws_admin_ports_closed", true},
		{"sg rule as its own resource", []importer.Resource{
			{Type: "AWS::EC2::SecurityGroup", ID: "G"},
			{Type: "AWS::EC2::SecurityGroupIngress", ID: "I", Props: map[string]any{"GroupId": ref("G"), "IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}},
		}, "G", "aws_admin_ports_closed", false},
		{"role wildcard action", []importer.Resource{
			{Type: "AWS::IAM::Role", ID: "R", Props: map[string]any{"Policies": []any{map[string]any{"PolicyDocument": map[string]any{
				"Statement": map[string]any{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b"}}}}}},
		}, "R", "iam_wildcards", true},
		{"deny wildcard is no grant", []importer.Resource{
			{Type: "AWS::IAM::ManagedPolicy", ID: "P", Props: map[string]any{"PolicyDocument": map[string]any{
				"Statement": []any{map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*"}}}}},
		}, "P", "iam_wildcards", false},
		{"role open trust", []importer.Resource{
			{Type: "AWS::IAM::Role", ID: "R", Props: map[string]any{"AssumeRolePolicyDocument": map[string]any{
				"Statement": []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "sts:AssumeRole"}}}}},
		}, "R", "public", true},
		{"internal load balancer", []importer.Resource{
			{Type: "AWS::ElasticLoadBalancingV2::LoadBalancer", ID: "L", Props: map[string]any{"Scheme": "internal"}},
		}, "L", "public", false},
		{"eks endpoint public by default", []importer.Resource{
			{Type: "AWS::EKS::Cluster", ID: "K"},
		}, "K", "public", true},
		{"lambda url without auth", []importer.Resource{
			{Type: "AWS::Lambda::Function", ID: "F"},
			{Type: "AWS::Lambda::Url", ID: "U", Props: map[string]any{"TargetFunctionArn": ref("F"), "AuthType": "NONE"}},
		}, "F", "aws_lambda_function_url", true},
		{"sqs encrypted by default", []importer.Resource{
			{Type: "AWS::SQS::Queue", ID: "Q"},
		}, "Q", "encrypted_at_rest", true},
		{"user pool optional mfa", []importer.Resource{
			{Type: "AWS::Cognito::UserPool", ID: "U", Props: map[string]any{"MfaConfiguration": "OPTIONAL"}},
		}, "U", "mfa", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := aws.Map(tc.resources, "test")
			got, ok := prop(t, res.Model, tc.id, tc.prop)
			switch {
			case tc.want == nil && ok:
				t.Errorf("%s = %v, want it unset", tc.prop, got)
			case tc.want != nil && got != tc.want:
				t.Errorf("%s = %v (set %v), want %v; warnings: %v", tc.prop, got, ok, tc.want, res.Warnings)
			}
		})
	}
}

func TestFlows(t *testing.T) {
	ref := func(id, attr string) importer.ResourceRef { return importer.ResourceRef{ID: id, Attr: attr} }
	res := aws.Map([]importer.Resource{
		{Type: "AWS::SQS::Queue", ID: "Q"},
		{Type: "AWS::SNS::Topic", ID: "T"},
		{Type: "AWS::Lambda::Function", ID: "F"},
		{Type: "AWS::Lambda::Function", ID: "G"},
		{Type: "AWS::Lambda::EventSourceMapping", ID: "M", Props: map[string]any{"EventSourceArn": ref("Q", "Arn"), "FunctionName": ref("F", "")}},
		{Type: "AWS::SNS::Subscription", ID: "S", Props: map[string]any{"TopicArn": ref("T", ""), "Endpoint": ref("Q", "Arn"), "Protocol": "sqs"}},
		{Type: "AWS::Events::Rule", ID: "E", Props: map[string]any{"Targets": []any{map[string]any{"Arn": ref("G", "Arn")}}}},
		{Type: "AWS::ApiGatewayV2::Api", ID: "A"},
		{Type: "AWS::ApiGatewayV2::Integration", ID: "I", Props: map[string]any{"ApiId": ref("A", ""), "IntegrationUri": ref("G", "Arn")}},
		{Type: "AWS::EC2::Instance", ID: "VM", Props: map[string]any{"SecurityGroupIds": []any{ref("SG", "GroupId")}}},
		{Type: "AWS::EC2::SecurityGroup", ID: "SG", Props: map[string]any{"SecurityGroupIngress": []any{
			map[string]any{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}}}},
	}, "test")
	var got []string
	for _, f := range res.Model.Flows {
		got = append(got, f.From.ID+"->"+f.To.ID+":"+f.Protocol)
	}
	joined := strings.Join(got, " ")
	for _, want := range []string{"Q->F:https", "T->Q:https", "E->G:https", "A->G:https", "internet->A:https", "internet->VM:ssh"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no flow %s; got %s", want, joined)
		}
	}
}

func TestZones(t *testing.T) {
	ref := func(id string) importer.ResourceRef { return importer.ResourceRef{ID: id} }
	res := aws.Map([]importer.Resource{
		{Type: "AWS::EC2::VPC", ID: "V"},
		{Type: "AWS::EC2::InternetGateway", ID: "IGW"},
		{Type: "AWS::EC2::Subnet", ID: "Pub", Props: map[string]any{"VpcId": ref("V")}},
		{Type: "AWS::EC2::Subnet", ID: "Priv", Props: map[string]any{"VpcId": ref("V")}},
		{Type: "AWS::EC2::RouteTable", ID: "RT"},
		{Type: "AWS::EC2::Route", ID: "R", Props: map[string]any{"RouteTableId": ref("RT"), "GatewayId": ref("IGW"), "DestinationCidrBlock": "0.0.0.0/0"}},
		{Type: "AWS::EC2::SubnetRouteTableAssociation", ID: "A", Props: map[string]any{"SubnetId": ref("Pub"), "RouteTableId": ref("RT")}},
		{Type: "AWS::EC2::Instance", ID: "Web", Props: map[string]any{"SubnetId": ref("Pub")}},
		{Type: "AWS::RDS::DBInstance", ID: "Db", Props: map[string]any{"DBSubnetGroupName": ref("G")}},
		{Type: "AWS::RDS::DBSubnetGroup", ID: "G", Props: map[string]any{"SubnetIds": []any{ref("Priv")}}},
		{Type: "AWS::Lambda::Function", ID: "F"},
	}, "test")
	zone := map[string]string{}
	for _, c := range res.Model.Components {
		zone[c.ID] = c.Zone.ID
	}
	trust := map[string]model.Trust{}
	for _, z := range res.Model.Zones {
		trust[z.ID] = z.Trust
	}
	if zone["Web"] != "Pub" || trust["Pub"] != model.TrustLow {
		t.Errorf("Web in %s (trust %s), want the public subnet Pub (low)", zone["Web"], trust["Pub"])
	}
	if zone["Db"] != "Priv" || trust["Priv"] != model.TrustHigh {
		t.Errorf("Db in %s (trust %s), want the private subnet Priv (high)", zone["Db"], trust["Priv"])
	}
	if zone["F"] != aws.AccountZone {
		t.Errorf("F in %s, want %s", zone["F"], aws.AccountZone)
	}
}

func TestUnknownTypesKept(t *testing.T) {
	res := aws.Map([]importer.Resource{
		{Type: "AWS::Foo::Bar", ID: "X", Pos: model.Pos{File: "t.yaml", Line: 3, Col: 3}},
		{Type: "AWS::Foo::Baz", ID: "Y"},
	}, "test")
	if len(res.Model.Components) != 2 {
		t.Fatalf("got %d components, want both unknown resources kept", len(res.Model.Components))
	}
	w := res.Warnings.Error()
	if !strings.Contains(w, "t.yaml:3:3") || !strings.Contains(w, "AWS::Foo::Bar, AWS::Foo::Baz") {
		t.Errorf("warning does not list the unknown types at the first one: %s", w)
	}
}

func TestTypesCount(t *testing.T) {
	if n := len(aws.Types()); n < 40 {
		t.Errorf("the mapping knows %d types, want at least 40", n)
	}
}

func TestIDsUnique(t *testing.T) {
	res := aws.Map([]importer.Resource{
		{Type: "AWS::SQS::Queue", ID: "internet"},
		{Type: "AWS::SQS::Queue", ID: "arn:aws:sqs:eu-west-1:1:q"},
		{Type: "AWS::SQS::Queue", ID: "arn-aws-sqs-eu-west-1-1-q"},
	}, "test")
	var ids []string
	for _, c := range res.Model.Components {
		ids = append(ids, c.ID)
	}
	if got := strings.Join(ids, " "); got != "internet-2 arn-aws-sqs-eu-west-1-1-q arn-aws-sqs-eu-west-1-1-q-2" {
		t.Errorf("ids = %s", got)
	}
}

// An unknown encryption setting is never guessed either way.
func TestSQSUnknownEncryption(t *testing.T) {
	res := aws.Map([]importer.Resource{{Type: "AWS::SQS::Queue", ID: "Jobs",
		Props: map[string]any{"SqsManagedSseEnabled": importer.Unknown{Why: "var.sse has no default"}}}}, "test")
	c := res.Model.Component("Jobs")
	if c == nil {
		t.Fatal("queue not mapped")
	}
	if _, set := c.Properties.Get("encrypted_at_rest"); set {
		t.Errorf("encrypted_at_rest guessed from an unknown value: %v", c.Properties)
	}
	if len(res.Warnings) == 0 {
		t.Error("no warning about the unknown value")
	}
}
