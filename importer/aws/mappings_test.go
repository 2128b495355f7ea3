package aws_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/aws"
)

// TestNewMappings checks what each mapped type derives, including the
// defaults when a setting is absent.
func TestNewMappings(t *testing.T) {
	ref := func(id string) importer.ResourceRef { return importer.ResourceRef{ID: id} }
	doc := func(action, resource any) map[string]any {
		return map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": action, "Resource": resource}}}
	}
	cases := []struct {
		name      string
		resources []importer.Resource
		id, prop  string
		want      any // nil: left unset
	}{
		{"replication group without transit encryption", []importer.Resource{
			{Type: "AWS::ElastiCache::ReplicationGroup", ID: "C"},
		}, "C", "encrypted_in_transit", false},
		{"replication group with failover is redundant", []importer.Resource{
			{Type: "AWS::ElastiCache::ReplicationGroup", ID: "C", Props: map[string]any{"AutomaticFailoverEnabled": true}},
		}, "C", "redundancy", true},
		{"replication group snapshots", []importer.Resource{
			{Type: "AWS::ElastiCache::ReplicationGroup", ID: "C", Props: map[string]any{"SnapshotRetentionLimit": 5}},
		}, "C", "backups", true},
		{"cache cluster member takes its group's settings", []importer.Resource{
			{Type: "AWS::ElastiCache::CacheCluster", ID: "C", Props: map[string]any{"ReplicationGroupId": "g"}},
		}, "C", "encrypted_in_transit", nil},
		{"cache cluster cannot encrypt at rest", []importer.Resource{
			{Type: "AWS::ElastiCache::CacheCluster", ID: "C"},
		}, "C", "encrypted_at_rest", false},
		{"opensearch TLS policy", []importer.Resource{
			{Type: "AWS::OpenSearchService::Domain", ID: "D", Props: map[string]any{"DomainEndpointOptions": map[string]any{
				"EnforceHTTPS": true, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"}}},
		}, "D", "tls_min_version", "1.2"},
		{"opensearch fine-grained access control", []importer.Resource{
			{Type: "AWS::OpenSearchService::Domain", ID: "D", Props: map[string]any{"AdvancedSecurityOptions": map[string]any{"Enabled": true}}},
		}, "D", "authorization", true},
		{"kinesis default retention", []importer.Resource{
			{Type: "AWS::Kinesis::Stream", ID: "S"},
		}, "S", "aws_extended_retention", false},
		{"kinesis week retention", []importer.Resource{
			{Type: "AWS::Kinesis::Stream", ID: "S", Props: map[string]any{"RetentionPeriodHours": 168}},
		}, "S", "aws_extended_retention", true},
		{"kinesis unknown retention left unset", []importer.Resource{
			{Type: "AWS::Kinesis::Stream", ID: "S", Props: map[string]any{"RetentionPeriodHours": importer.Unknown{Why: "x"}}},
		}, "S", "aws_extended_retention", nil},
		{"firehose with customer key", []importer.Resource{
			{Type: "AWS::KinesisFirehose::DeliveryStream", ID: "F", Props: map[string]any{
				"DeliveryStreamEncryptionConfigurationInput": map[string]any{"KeyType": "CUSTOMER_MANAGED_CMK"}}},
		}, "F", "customer_managed_keys", true},
		{"msk plaintext clients", []importer.Resource{
			{Type: "AWS::MSK::Cluster", ID: "K", Props: map[string]any{"EncryptionInfo": map[string]any{
				"EncryptionInTransit": map[string]any{"ClientBroker": "TLS_PLAINTEXT"}}}},
		}, "K", "encrypted_in_transit", false},
		{"msk TLS by default", []importer.Resource{
			{Type: "AWS::MSK::Cluster", ID: "K"},
		}, "K", "encrypted_in_transit", true},
		{"msk IAM clients", []importer.Resource{
			{Type: "AWS::MSK::Cluster", ID: "K", Props: map[string]any{"ClientAuthentication": map[string]any{
				"Sasl": map[string]any{"Iam": map[string]any{"Enabled": true}}}}},
		}, "K", "authentication", "iam"},
		{"msk without client authentication", []importer.Resource{
			{Type: "AWS::MSK::Cluster", ID: "K"},
		}, "K", "authentication", "none"},
		{"redshift default snapshots", []importer.Resource{
			{Type: "AWS::Redshift::Cluster", ID: "R"},
		}, "R", "backups", true},
		{"eks endpoint limited to listed networks", []importer.Resource{
			{Type: "AWS::EKS::Cluster", ID: "K", Props: map[string]any{"ResourcesVpcConfig": map[string]any{
				"PublicAccessCidrs": []any{"203.0.113.0/24"}}}},
		}, "K", "network_restricted", true},
		{"eks endpoint open to the world", []importer.Resource{
			{Type: "AWS::EKS::Cluster", ID: "K", Props: map[string]any{"ResourcesVpcConfig": map[string]any{
				"PublicAccessCidrs": []any{"0.0.0.0/0"}}}},
		}, "K", "network_restricted", false},
		{"state machine with logging off", []importer.Resource{
			{Type: "AWS::StepFunctions::StateMachine", ID: "M", Props: map[string]any{"LoggingConfiguration": map[string]any{"Level": "OFF"}}},
		}, "M", "logging", false},
		{"state machine customer key", []importer.Resource{
			{Type: "AWS::StepFunctions::StateMachine", ID: "M", Props: map[string]any{"EncryptionConfiguration": map[string]any{
				"Type": "CUSTOMER_MANAGED_KMS_KEY", "KmsKeyId": "k"}}},
		}, "M", "customer_managed_keys", true},
		{"web acl counting only", []importer.Resource{
			{Type: "AWS::WAFv2::WebACL", ID: "W", Props: map[string]any{"DefaultAction": map[string]any{"Allow": map[string]any{}},
				"Rules": []any{map[string]any{"Action": map[string]any{"Count": map[string]any{}}}}}},
		}, "W", "aws_waf_blocking", false},
		{"web acl rate-based rule", []importer.Resource{
			{Type: "AWS::WAFv2::WebACL", ID: "W", Props: map[string]any{"Rules": []any{map[string]any{
				"Action": map[string]any{"Block": map[string]any{}}, "Statement": map[string]any{"RateBasedStatement": map[string]any{"Limit": 100}}}}}},
		}, "W", "rate_limiting", true},
		{"waf association guards the load balancer", []importer.Resource{
			{Type: "AWS::ElasticLoadBalancingV2::LoadBalancer", ID: "L"},
			{Type: "AWS::WAFv2::WebACLAssociation", ID: "A", Props: map[string]any{"ResourceArn": ref("L"), "WebACLArn": ref("W")}},
		}, "L", "waf", true},
		{"cloudfront plain HTTP on one path", []importer.Resource{
			{Type: "AWS::CloudFront::Distribution", ID: "C", Props: map[string]any{"DistributionConfig": map[string]any{
				"DefaultCacheBehavior": map[string]any{"ViewerProtocolPolicy": "redirect-to-https"},
				"CacheBehaviors":       []any{map[string]any{"ViewerProtocolPolicy": "allow-all"}}}}},
		}, "C", "encrypted_in_transit", false},
		{"cloudfront default certificate", []importer.Resource{
			{Type: "AWS::CloudFront::Distribution", ID: "C", Props: map[string]any{"DistributionConfig": map[string]any{
				"ViewerCertificate": map[string]any{"CloudFrontDefaultCertificate": true}}}},
		}, "C", "tls_min_version", "1.0"},
		{"appsync api key", []importer.Resource{
			{Type: "AWS::AppSync::GraphQLApi", ID: "G", Props: map[string]any{"AuthenticationType": "AWS_IAM",
				"AdditionalAuthenticationProviders": []any{map[string]any{"AuthenticationType": "API_KEY"}}}},
		}, "G", "authentication", "api-key"},
		{"http api route without authorization", []importer.Resource{
			{Type: "AWS::ApiGatewayV2::Api", ID: "A"},
			{Type: "AWS::ApiGatewayV2::Route", ID: "R", Props: map[string]any{"ApiId": ref("A"), "AuthorizationType": "NONE"}},
			{Type: "AWS::ApiGatewayV2::Route", ID: "R2", Props: map[string]any{"ApiId": ref("A"), "AuthorizationType": "JWT"}},
		}, "A", "authentication", "none"},
		{"usage plan throttles its APIs", []importer.Resource{
			{Type: "AWS::ApiGateway::RestApi", ID: "A"},
			{Type: "AWS::ApiGateway::UsagePlan", ID: "P", Props: map[string]any{"ApiStages": []any{map[string]any{"ApiId": ref("A")}},
				"Throttle": map[string]any{"RateLimit": 10}}},
		}, "A", "aws_api_stage_throttling", true},
		{"classic load balancer with an HTTP listener", []importer.Resource{
			{Type: "AWS::ElasticLoadBalancing::LoadBalancer", ID: "E", Props: map[string]any{"Listeners": []any{
				map[string]any{"Protocol": "HTTPS"}, map[string]any{"Protocol": "HTTP"}}}},
		}, "E", "encrypted_in_transit", false},
		{"shield protection", []importer.Resource{
			{Type: "AWS::CloudFront::Distribution", ID: "C"},
			{Type: "AWS::Shield::Protection", ID: "S", Props: map[string]any{"ResourceArn": ref("C")}},
		}, "C", "ddos_protection", true},
		{"backup selection backs up a table", []importer.Resource{
			{Type: "AWS::DynamoDB::Table", ID: "T"},
			{Type: "AWS::Backup::BackupSelection", ID: "S", Props: map[string]any{"BackupSelection": map[string]any{"Resources": []any{ref("T")}}}},
		}, "T", "backups", true},
		{"secure string parameter with customer key", []importer.Resource{
			{Type: "AWS::SSM::Parameter", ID: "P", Props: map[string]any{"Type": "SecureString", "KeyId": ref("K")}},
		}, "P", "customer_managed_keys", true},
		{"alarm with actions monitors its function", []importer.Resource{
			{Type: "AWS::Lambda::Function", ID: "F"},
			{Type: "AWS::CloudWatch::Alarm", ID: "A", Props: map[string]any{"AlarmActions": []any{"arn:sns"},
				"Dimensions": []any{map[string]any{"Name": "FunctionName", "Value": ref("F")}}}},
		}, "F", "monitoring", true},
		{"alarm without actions monitors nothing", []importer.Resource{
			{Type: "AWS::Lambda::Function", ID: "F"},
			{Type: "AWS::CloudWatch::Alarm", ID: "A", Props: map[string]any{"Dimensions": []any{map[string]any{"Name": "FunctionName", "Value": ref("F")}}}},
		}, "F", "monitoring", nil},
		{"event bus open to everyone", []importer.Resource{
			{Type: "AWS::Events::EventBus", ID: "B"},
			{Type: "AWS::Events::EventBusPolicy", ID: "P", Props: map[string]any{"EventBusName": ref("B"), "Principal": "*", "Action": "events:PutEvents"}},
		}, "B", "public", true},
		{"rule targets without dead-letter queue", []importer.Resource{
			{Type: "AWS::Events::Rule", ID: "R", Props: map[string]any{"Targets": []any{
				map[string]any{"Arn": "a", "DeadLetterConfig": map[string]any{"Arn": "q"}}, map[string]any{"Arn": "b"}}}},
		}, "R", "dead_letter_queue", false},
		{"secret open to everyone", []importer.Resource{
			{Type: "AWS::SecretsManager::Secret", ID: "S"},
			{Type: "AWS::SecretsManager::ResourcePolicy", ID: "P", Props: map[string]any{"SecretId": ref("S"), "ResourcePolicy": map[string]any{
				"Statement": []any{map[string]any{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue"}}}}},
		}, "S", "public", true},
		{"bucket owner enforced ignores a public ACL", []importer.Resource{
			{Type: "AWS::S3::Bucket", ID: "B", Props: map[string]any{"AccessControl": "PublicRead",
				"PublicAccessBlockConfiguration": map[string]any{},
				"OwnershipControls":              map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}}}},
		}, "B", "public", nil},
		{"network acl open to SSH", []importer.Resource{
			{Type: "AWS::EC2::NetworkAcl", ID: "N"},
			{Type: "AWS::EC2::NetworkAclEntry", ID: "E", Props: map[string]any{"NetworkAclId": ref("N"), "RuleAction": "allow",
				"Protocol": "6", "CidrBlock": "0.0.0.0/0", "PortRange": map[string]any{"From": 22, "To": 22}}},
		}, "N", "aws_admin_ports_closed", false},
		{"codebuild privileged mode", []importer.Resource{
			{Type: "AWS::CodeBuild::Project", ID: "P", Props: map[string]any{"Environment": map[string]any{"PrivilegedMode": true}}},
		}, "P", "privileged", true},
		{"auto scaling group reads its launch template", []importer.Resource{
			{Type: "AWS::EC2::LaunchTemplate", ID: "T", Props: map[string]any{"LaunchTemplateData": map[string]any{
				"MetadataOptions": map[string]any{"HttpTokens": "optional"}}}},
			{Type: "AWS::AutoScaling::AutoScalingGroup", ID: "G", Props: map[string]any{"LaunchTemplate": map[string]any{"LaunchTemplateId": ref("T")}}},
		}, "G", "aws_imdsv2", false},

		// Values not known statically are never guessed.
		{"kinesis unknown encryption left unset", []importer.Resource{
			{Type: "AWS::Kinesis::Stream", ID: "S", Props: map[string]any{"StreamEncryption": importer.Unknown{Why: "x"}}},
		}, "S", "encrypted_at_rest", nil},
		{"eks unknown networks left unset", []importer.Resource{
			{Type: "AWS::EKS::Cluster", ID: "K", Props: map[string]any{"ResourcesVpcConfig": map[string]any{
				"PublicAccessCidrs": importer.Unknown{Why: "x"}}}},
		}, "K", "network_restricted", nil},
		{"parameter of unknown type left unset", []importer.Resource{
			{Type: "AWS::SSM::Parameter", ID: "P", Props: map[string]any{"Type": importer.Unknown{Why: "x"}}},
		}, "P", "encrypted_at_rest", nil},
		{"web acl with unknown rules left unset", []importer.Resource{
			{Type: "AWS::WAFv2::WebACL", ID: "W", Props: map[string]any{"Rules": importer.Unknown{Why: "x"}}},
		}, "W", "aws_waf_blocking", nil},
		{"replication group unknown failover left unset", []importer.Resource{
			{Type: "AWS::ElastiCache::ReplicationGroup", ID: "C", Props: map[string]any{"AutomaticFailoverEnabled": importer.Unknown{Why: "x"}}},
		}, "C", "redundancy", nil},
		{"state machine unknown log level left unset", []importer.Resource{
			{Type: "AWS::StepFunctions::StateMachine", ID: "M", Props: map[string]any{"LoggingConfiguration": map[string]any{
				"Level": importer.Unknown{Why: "x"}}}},
		}, "M", "logging", nil},

		// Managed policies.
		{"AWS-managed admin policy is a wildcard grant", []importer.Resource{
			{Type: "AWS::IAM::Role", ID: "R", Props: map[string]any{"ManagedPolicyArns": []any{"arn:aws:iam::aws:policy/AdministratorAccess"}}},
		}, "R", "iam_wildcards", true},
		{"AWS-managed full-access policy is a wildcard grant", []importer.Resource{
			{Type: "AWS::IAM::Role", ID: "R", Props: map[string]any{"ManagedPolicyArns": []any{"arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess"}}},
		}, "R", "iam_wildcards", true},
		{"AWS-managed read-only policy is not", []importer.Resource{
			{Type: "AWS::IAM::Role", ID: "R", Props: map[string]any{"ManagedPolicyArns": []any{"arn:aws:iam::aws:policy/ReadOnlyAccess"}}},
		}, "R", "iam_wildcards", nil},
		{"IAM full access is privileged", []importer.Resource{
			{Type: "AWS::IAM::User", ID: "U", Props: map[string]any{"ManagedPolicyArns": []any{"arn:aws:iam::aws:policy/IAMFullAccess"}}},
		}, "U", "privileged", true},
		{"customer policy named in ManagedPolicyArns", []importer.Resource{
			{Type: "AWS::IAM::ManagedPolicy", ID: "P", Props: map[string]any{"PolicyDocument": doc("s3:*", "arn:aws:s3:::b")}},
			{Type: "AWS::IAM::Role", ID: "R", Props: map[string]any{"ManagedPolicyArns": []any{ref("P")}}},
		}, "R", "iam_wildcards", true},
		{"customer policy naming the role", []importer.Resource{
			{Type: "AWS::IAM::ManagedPolicy", ID: "P", Props: map[string]any{"Roles": []any{ref("R")}, "PolicyDocument": doc("*", "*")}},
			{Type: "AWS::IAM::Role", ID: "R"},
		}, "R", "iam_wildcards", true},
		{"group policy applies to its users", []importer.Resource{
			{Type: "AWS::IAM::Group", ID: "G", Props: map[string]any{"ManagedPolicyArns": []any{"arn:aws:iam::aws:policy/PowerUserAccess"}}},
			{Type: "AWS::IAM::User", ID: "U"},
			{Type: "AWS::IAM::UserToGroupAddition", ID: "M", Props: map[string]any{"GroupName": ref("G"), "Users": []any{ref("U")}}},
		}, "U", "iam_wildcards", true},
		{"function inherits its role's managed grants", []importer.Resource{
			{Type: "AWS::IAM::Role", ID: "R", Props: map[string]any{"ManagedPolicyArns": []any{"arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"}}},
			{Type: "AWS::Lambda::Function", ID: "F", Props: map[string]any{"Role": ref("R")}},
		}, "F", "iam_wildcards", true},
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

// TestNewFlows checks the flows the new mappings derive.
func TestNewFlows(t *testing.T) {
	ref := func(id string) importer.ResourceRef { return importer.ResourceRef{ID: id} }
	res := aws.Map([]importer.Resource{
		// RDS names its groups in VPCSecurityGroups.
		{Type: "AWS::RDS::DBInstance", ID: "Db", Props: map[string]any{"VPCSecurityGroups": []any{ref("DbSG")}}},
		{Type: "AWS::EC2::SecurityGroup", ID: "DbSG", Props: map[string]any{"SecurityGroupIngress": []any{
			map[string]any{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "0.0.0.0/0"},
			map[string]any{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "SourceSecurityGroupId": ref("AppSG")}}}},
		{Type: "AWS::EC2::SecurityGroup", ID: "AppSG"},
		{Type: "AWS::EC2::Instance", ID: "App", Props: map[string]any{"SecurityGroupIds": []any{ref("AppSG")}, "IamInstanceProfile": ref("Profile")}},
		{Type: "AWS::IAM::InstanceProfile", ID: "Profile", Props: map[string]any{"Roles": []any{ref("Role")}}},
		{Type: "AWS::IAM::Role", ID: "Role"},
		{Type: "AWS::IAM::ManagedPolicy", ID: "Pol", Props: map[string]any{"Roles": []any{ref("Role")},
			"PolicyDocument": map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": ref("Q")}}}},
		{Type: "AWS::SQS::Queue", ID: "Q"},
		{Type: "AWS::Kinesis::Stream", ID: "Stream"},
		{Type: "AWS::S3::Bucket", ID: "Lake"},
		{Type: "AWS::KinesisFirehose::DeliveryStream", ID: "Hose", Props: map[string]any{
			"KinesisStreamSourceConfiguration":   map[string]any{"KinesisStreamARN": ref("Stream")},
			"ExtendedS3DestinationConfiguration": map[string]any{"BucketARN": ref("Lake")}}},
		{Type: "AWS::Lambda::Function", ID: "Fn"},
		{Type: "AWS::StepFunctions::StateMachine", ID: "Flow", Props: map[string]any{"Definition": map[string]any{
			"States": map[string]any{"Call": map[string]any{"Parameters": map[string]any{"FunctionName": ref("Fn")}}}}}},
		{Type: "AWS::ElasticLoadBalancingV2::LoadBalancer", ID: "Alb"},
		{Type: "AWS::ElasticLoadBalancingV2::Listener", ID: "L", Props: map[string]any{"LoadBalancerArn": ref("Alb")}},
		{Type: "AWS::ElasticLoadBalancingV2::TargetGroup", ID: "TG"},
		{Type: "AWS::ElasticLoadBalancingV2::ListenerRule", ID: "LR", Props: map[string]any{"ListenerArn": ref("L"),
			"Actions": []any{map[string]any{"Type": "forward", "TargetGroupArn": ref("TG")}}}},
		{Type: "AWS::AutoScaling::AutoScalingGroup", ID: "Asg", Props: map[string]any{"TargetGroupARNs": []any{ref("TG")}}},
		{Type: "AWS::CloudFront::Distribution", ID: "Cdn", Props: map[string]any{"DistributionConfig": map[string]any{
			"Origins": []any{map[string]any{"DomainName": ref("Alb"), "CustomOriginConfig": map[string]any{"OriginProtocolPolicy": "http-only"}}}}}},
	}, "test")
	var got []string
	for _, f := range res.Model.Flows {
		got = append(got, f.From.ID+"->"+f.To.ID+":"+f.Protocol)
	}
	joined := strings.Join(got, " ")
	for _, want := range []string{"internet->Db:tcp", "App->Db:tcp", "App->Q:https", "Stream->Hose:https", "Hose->Lake:https",
		"Flow->Fn:https", "Alb->Asg:https", "Cdn->Alb:http"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no flow %s; got %s", want, joined)
		}
	}
}

// TestFileSystemThroughMountTargets: a file system sits in its mount
// targets' subnet and is reached through their security groups.
func TestFileSystemThroughMountTargets(t *testing.T) {
	ref := func(id string) importer.ResourceRef { return importer.ResourceRef{ID: id} }
	res := aws.Map([]importer.Resource{
		{Type: "AWS::EC2::Subnet", ID: "Priv"},
		{Type: "AWS::EFS::FileSystem", ID: "Fs"},
		{Type: "AWS::EFS::MountTarget", ID: "Mt", Props: map[string]any{"FileSystemId": ref("Fs"), "SubnetId": ref("Priv"),
			"SecurityGroups": []any{ref("FsSG")}}},
		{Type: "AWS::EC2::SecurityGroup", ID: "FsSG", Props: map[string]any{"SecurityGroupIngress": []any{
			map[string]any{"IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049, "SourceSecurityGroupId": ref("AppSG")}}}},
		{Type: "AWS::EC2::SecurityGroup", ID: "AppSG"},
		{Type: "AWS::EC2::Instance", ID: "App", Props: map[string]any{"SecurityGroupIds": []any{ref("AppSG")}}},
	}, "test")
	if c := res.Model.Component("Fs"); c == nil || c.Zone.ID != "Priv" {
		t.Errorf("file system not placed in its mount target's subnet: %+v", c)
	}
	found := false
	for _, f := range res.Model.Flows {
		found = found || f.From.ID == "App" && f.To.ID == "Fs"
	}
	if !found {
		t.Errorf("no flow App -> Fs through the mount target's group; flows %v", res.Model.Flows)
	}
}
