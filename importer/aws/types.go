package aws

import (
	"maps"
	"slices"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// typeInfo says what a resource type becomes: a component of kind (none
// when kind is "": the resource configures another) and how its
// properties and flows are derived.
type typeInfo struct {
	kind   model.Kind
	derive func(m *mapper, r *importer.Resource, c *model.Component)
}

// types is the mapping of CloudFormation resource types.
var types = map[string]typeInfo{
	// Storage.
	"AWS::S3::Bucket":                       {"aws.s3", s3Bucket},
	"AWS::S3::BucketPolicy":                 {"", s3BucketPolicy},
	"AWS::DynamoDB::Table":                  {"aws.dynamodb", dynamoTable},
	"AWS::DynamoDB::GlobalTable":            {"aws.dynamodb", dynamoTable},
	"AWS::RDS::DBInstance":                  {"aws.rds", rdsInstance},
	"AWS::RDS::DBCluster":                   {"aws.aurora", rdsInstance},
	"AWS::RDS::DBSubnetGroup":               {"", nil},
	"AWS::EFS::FileSystem":                  {"aws.efs", encryptedFlag("Encrypted")},
	"AWS::EFS::MountTarget":                 {"", nil},
	"AWS::EFS::AccessPoint":                 {"", nil},
	"AWS::ElastiCache::CacheCluster":        {"aws.elasticache", cacheCluster},
	"AWS::ElastiCache::ReplicationGroup":    {"aws.elasticache", elasticache},
	"AWS::ElastiCache::SubnetGroup":         {"", nil},
	"AWS::OpenSearchService::Domain":        {"aws.opensearch", opensearch},
	"AWS::Elasticsearch::Domain":            {"aws.opensearch", opensearch},
	"AWS::Redshift::Cluster":                {"aws.redshift", redshift},
	"AWS::Kinesis::Stream":                  {"aws.kinesis", kinesis},
	"AWS::Redshift::ClusterSubnetGroup":     {"", nil},
	"AWS::KinesisFirehose::DeliveryStream":  {"aws.kinesis", firehose},
	"AWS::MSK::Cluster":                     {"aws.msk", mskCluster},
	"AWS::SSM::Parameter":                   {"datastore", ssmParameter},
	"AWS::Backup::BackupVault":              {"", nil},
	"AWS::Backup::BackupPlan":               {"", nil},
	"AWS::Backup::BackupSelection":          {"", backupSelection},
	"AWS::ECR::Repository":                  {"aws.ecr", ecr},
	"AWS::Logs::LogGroup":                   {"aws.cloudwatch-logs", logGroup},
	"AWS::SecretsManager::Secret":           {"aws.secrets-manager", secret},
	"AWS::SecretsManager::RotationSchedule": {"", secretRotation},
	"AWS::SecretsManager::ResourcePolicy":   {"", resourcePolicy("SecretId", "ResourcePolicy")},

	// Compute.
	"AWS::Lambda::Function":              {"aws.lambda", lambdaFunction},
	"AWS::Lambda::Permission":            {"", lambdaPermission},
	"AWS::Lambda::EventSourceMapping":    {"", eventSourceMapping},
	"AWS::Lambda::Url":                   {"", lambdaURL},
	"AWS::Lambda::Alias":                 {"", nil},
	"AWS::Lambda::Version":               {"", nil},
	"AWS::Lambda::LayerVersion":          {"", nil},
	"AWS::EC2::Instance":                 {"aws.ec2", ec2Instance},
	"AWS::EC2::LaunchTemplate":           {"", nil},
	"AWS::AutoScaling::AutoScalingGroup": {"aws.ec2", autoScalingGroup},
	"AWS::ECS::Service":                  {"aws.ecs", ecsService},
	"AWS::ECS::TaskDefinition":           {"", nil},
	"AWS::ECS::Cluster":                  {"", nil},
	"AWS::EKS::Cluster":                  {"aws.eks", eksCluster},
	"AWS::EKS::Nodegroup":                {"", nil},
	"AWS::StepFunctions::StateMachine":   {"aws.step-functions", stateMachine},
	"AWS::CodeBuild::Project":            {"aws.codebuild", codeBuild},
	"AWS::CodePipeline::Pipeline":        {"aws.codepipeline", nil},

	// Messaging.
	"AWS::SQS::Queue":             {"aws.sqs", sqsQueue},
	"AWS::SQS::QueuePolicy":       {"", resourcePolicy("Queues", "PolicyDocument")},
	"AWS::SNS::Topic":             {"aws.sns", snsTopic},
	"AWS::SNS::TopicPolicy":       {"", resourcePolicy("Topics", "PolicyDocument")},
	"AWS::SNS::Subscription":      {"", snsSubscription},
	"AWS::Events::Rule":           {"aws.eventbridge", eventsRule},
	"AWS::Events::EventBus":       {"aws.eventbridge", nil},
	"AWS::Events::EventBusPolicy": {"", eventBusPolicy},

	// Edge and APIs.
	"AWS::ApiGateway::RestApi":                        {"aws.api-gateway", restAPI},
	"AWS::ApiGateway::Method":                         {"", apiMethod},
	"AWS::ApiGateway::Stage":                          {"", apiStage},
	"AWS::ApiGateway::Resource":                       {"", nil},
	"AWS::ApiGateway::Deployment":                     {"", nil},
	"AWS::ApiGateway::Authorizer":                     {"", apiAuthorizer},
	"AWS::ApiGateway::UsagePlan":                      {"", usagePlan},
	"AWS::ApiGateway::DomainName":                     {"", nil},
	"AWS::ApiGatewayV2::DomainName":                   {"", nil},
	"AWS::ApiGatewayV2::Api":                          {"aws.api-gateway", httpAPI},
	"AWS::ApiGatewayV2::Integration":                  {"", httpIntegration},
	"AWS::ApiGatewayV2::Route":                        {"", httpRoute},
	"AWS::ApiGatewayV2::Stage":                        {"", apiStage},
	"AWS::ApiGatewayV2::Authorizer":                   {"", apiAuthorizer},
	"AWS::AppSync::GraphQLApi":                        {"aws.appsync", appSync},
	"AWS::CloudFront::Distribution":                   {"aws.cloudfront", cloudfront},
	"AWS::CloudFront::OriginAccessControl":            {"", nil},
	"AWS::CloudFront::CloudFrontOriginAccessIdentity": {"", nil},
	"AWS::WAFv2::WebACL":                              {"aws.waf", webACL},
	"AWS::WAFv2::WebACLAssociation":                   {"", webACLAssociation},
	"AWS::WAFv2::IPSet":                               {"", nil},
	"AWS::WAFv2::RuleGroup":                           {"", nil},
	"AWS::Shield::Protection":                         {"", shieldProtection},
	"AWS::CertificateManager::Certificate":            {"", nil},
	"AWS::ElasticLoadBalancingV2::LoadBalancer":       {"aws.alb", loadBalancer},
	"AWS::ElasticLoadBalancingV2::Listener":           {"", listener},
	"AWS::ElasticLoadBalancingV2::ListenerRule":       {"", listenerRule},
	"AWS::ElasticLoadBalancingV2::TargetGroup":        {"", nil},
	"AWS::ElasticLoadBalancing::LoadBalancer":         {"aws.elb", classicLoadBalancer},
	"AWS::Route53::HostedZone":                        {"aws.route53", nil},
	"AWS::Route53::RecordSet":                         {"", nil},

	// Network.
	"AWS::EC2::SecurityGroup":               {"aws.security-group", securityGroup},
	"AWS::EC2::SecurityGroupIngress":        {"", securityGroupIngress},
	"AWS::EC2::SecurityGroupEgress":         {"", nil},
	"AWS::EC2::NatGateway":                  {"aws.nat-gateway", nil},
	"AWS::EC2::NetworkAcl":                  {"aws.nacl", networkACL},
	"AWS::EC2::NetworkAclEntry":             {"", nil},
	"AWS::EC2::InternetGateway":             {"", nil},
	"AWS::EC2::VPCGatewayAttachment":        {"", nil},
	"AWS::EC2::RouteTable":                  {"", nil},
	"AWS::EC2::Route":                       {"", nil},
	"AWS::EC2::SubnetRouteTableAssociation": {"", nil},
	"AWS::EC2::EIP":                         {"", nil},
	"AWS::EC2::VPCEndpoint":                 {"", nil},
	"AWS::EC2::FlowLog":                     {"", nil},

	// Identity, keys and audit.
	"AWS::IAM::Role":                {"aws.iam-role", iamRole},
	"AWS::IAM::Policy":              {"aws.iam-policy", iamPolicy},
	"AWS::IAM::ManagedPolicy":       {"aws.iam-policy", iamPolicy},
	"AWS::IAM::User":                {"aws.iam-user", iamUser},
	"AWS::IAM::AccessKey":           {"", accessKey},
	"AWS::IAM::InstanceProfile":     {"", nil},
	"AWS::IAM::Group":               {"", nil},
	"AWS::IAM::UserToGroupAddition": {"", nil},
	"AWS::IAM::OIDCProvider":        {"", nil},
	"AWS::KMS::Key":                 {"aws.kms", kmsKey},
	"AWS::KMS::Alias":               {"", nil},
	"AWS::Cognito::UserPool":        {"aws.cognito", userPool},
	"AWS::Cognito::UserPoolClient":  {"", nil},
	"AWS::Cognito::IdentityPool":    {"aws.cognito", identityPool},
	"AWS::CloudTrail::Trail":        {"aws.cloudtrail", trail},
	"AWS::CloudWatch::Alarm":        {"", alarm},
	// Account-wide detectors and recorders guard no one component.
	"AWS::GuardDuty::Detector":           {"", nil},
	"AWS::Config::ConfigurationRecorder": {"", nil},
	"AWS::Config::DeliveryChannel":       {"", nil},
	"AWS::SecurityHub::Hub":              {"", nil},
}

// Types lists the resource types the mapping knows.
func Types() []string {
	out := slices.Collect(maps.Keys(types))
	for t := range zoneTypes {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
