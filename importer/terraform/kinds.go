package terraform

import (
	"strings"

	"github.com/wardsec/ward/importer"
)

// kinds is the translation table: Terraform type → CloudFormation type
// and property shape. "__name" carries a human name.
var kinds = map[string]kind{
	// Storage.
	"aws_s3_bucket":        {"AWS::S3::Bucket", s3Bucket},
	"aws_s3_bucket_policy": {"AWS::S3::BucketPolicy", s3BucketPolicy},
	"aws_db_instance":      {"AWS::RDS::DBInstance", dbInstance},
	"aws_rds_cluster_instance": {"AWS::RDS::DBInstance", func(tf map[string]any) map[string]any {
		return rename(tf, "identifier", "__name", "cluster_identifier", "DBClusterIdentifier", "publicly_accessible", "PubliclyAccessible",
			"db_subnet_group_name", "DBSubnetGroupName", "engine", "Engine")
	}},
	"aws_rds_cluster":     {"AWS::RDS::DBCluster", rdsCluster},
	"aws_db_subnet_group": {"AWS::RDS::DBSubnetGroup", renamer("name", "__name", "subnet_ids", "SubnetIds")},
	"aws_dynamodb_table":  {"AWS::DynamoDB::Table", dynamoTable},
	"aws_secretsmanager_secret": {"AWS::SecretsManager::Secret",
		renamer("name", "__name", "kms_key_id", "KmsKeyId")},
	"aws_secretsmanager_secret_rotation": {"AWS::SecretsManager::RotationSchedule", renamer("secret_id", "SecretId")},
	"aws_cloudwatch_log_group": {"AWS::Logs::LogGroup",
		renamer("name", "__name", "kms_key_id", "KmsKeyId", "retention_in_days", "RetentionInDays")},
	"aws_ecr_repository": {"AWS::ECR::Repository", func(tf map[string]any) map[string]any {
		out := rename(tf, "name", "__name", "image_tag_mutability", "ImageTagMutability")
		if b := block(tf, "image_scanning_configuration"); b != nil {
			out["ImageScanningConfiguration"] = rename(b, "scan_on_push", "ScanOnPush")
		}
		return out
	}},

	// Compute.
	"aws_lambda_function": {"AWS::Lambda::Function", lambdaFunction},
	"aws_lambda_event_source_mapping": {"AWS::Lambda::EventSourceMapping",
		renamer("event_source_arn", "EventSourceArn", "function_name", "FunctionName")},
	"aws_lambda_permission": {"AWS::Lambda::Permission",
		renamer("function_name", "FunctionName", "principal", "Principal", "source_arn", "SourceArn", "action", "Action")},
	"aws_instance":            {"AWS::EC2::Instance", ec2Instance},
	"aws_ecs_service":         {"AWS::ECS::Service", ecsService},
	"aws_ecs_task_definition": {"AWS::ECS::TaskDefinition", taskDefinition},
	"aws_ecs_cluster":         {"AWS::ECS::Cluster", renamer("name", "__name")},

	// Messaging.
	"aws_sqs_queue": {"AWS::SQS::Queue", func(tf map[string]any) map[string]any {
		out := rename(tf, "name", "__name", "kms_master_key_id", "KmsMasterKeyId", "sqs_managed_sse_enabled", "SqsManagedSseEnabled")
		setIf(out, "RedrivePolicy", document(tf["redrive_policy"]))
		return out
	}},
	"aws_sns_topic": {"AWS::SNS::Topic", renamer("name", "__name", "kms_master_key_id", "KmsMasterKeyId")},
	"aws_sns_topic_subscription": {"AWS::SNS::Subscription",
		renamer("topic_arn", "TopicArn", "endpoint", "Endpoint", "protocol", "Protocol")},

	// Edge and APIs.
	"aws_lb":               {"AWS::ElasticLoadBalancingV2::LoadBalancer", loadBalancer},
	"aws_alb":              {"AWS::ElasticLoadBalancingV2::LoadBalancer", loadBalancer},
	"aws_lb_listener":      {"AWS::ElasticLoadBalancingV2::Listener", listener},
	"aws_alb_listener":     {"AWS::ElasticLoadBalancingV2::Listener", listener},
	"aws_lb_target_group":  {"AWS::ElasticLoadBalancingV2::TargetGroup", targetGroup},
	"aws_alb_target_group": {"AWS::ElasticLoadBalancingV2::TargetGroup", targetGroup},
	"aws_api_gateway_rest_api": {"AWS::ApiGateway::RestApi", func(tf map[string]any) map[string]any {
		out := rename(tf, "name", "__name", "body", "Body")
		if b := block(tf, "endpoint_configuration"); b != nil {
			out["EndpointConfiguration"] = rename(b, "types", "Types")
		}
		return out
	}},
	"aws_api_gateway_method": {"AWS::ApiGateway::Method", renamer("rest_api_id", "RestApiId", "resource_id", "ResourceId",
		"http_method", "HttpMethod", "authorization", "AuthorizationType", "api_key_required", "ApiKeyRequired", "authorizer_id", "AuthorizerId")},
	"aws_api_gateway_stage": {"AWS::ApiGateway::Stage", func(tf map[string]any) map[string]any {
		out := rename(tf, "rest_api_id", "RestApiId", "stage_name", "StageName")
		if b := block(tf, "access_log_settings"); b != nil {
			out["AccessLogSetting"] = rename(b, "destination_arn", "DestinationArn", "format", "Format")
		}
		return out
	}},
	"aws_api_gateway_authorizer": {"AWS::ApiGateway::Authorizer",
		renamer("rest_api_id", "RestApiId", "type", "Type", "authorizer_uri", "AuthorizerUri")},
	"aws_apigatewayv2_integration": {"AWS::ApiGatewayV2::Integration",
		renamer("api_id", "ApiId", "integration_type", "IntegrationType", "integration_uri", "IntegrationUri")},
	"aws_apigatewayv2_route": {"AWS::ApiGatewayV2::Route",
		renamer("api_id", "ApiId", "route_key", "RouteKey", "authorization_type", "AuthorizationType", "target", "Target")},
	"aws_apigatewayv2_stage": {"AWS::ApiGatewayV2::Stage", func(tf map[string]any) map[string]any {
		out := rename(tf, "api_id", "ApiId", "name", "StageName")
		if b := block(tf, "access_log_settings"); b != nil {
			out["AccessLogSettings"] = rename(b, "destination_arn", "DestinationArn", "format", "Format")
		}
		if b := block(tf, "default_route_settings"); b != nil {
			out["DefaultRouteSettings"] = rename(b, "throttling_rate_limit", "ThrottlingRateLimit", "throttling_burst_limit", "ThrottlingBurstLimit")
		}
		return out
	}},
	"aws_apigatewayv2_authorizer": {"AWS::ApiGatewayV2::Authorizer",
		renamer("api_id", "ApiId", "authorizer_type", "AuthorizerType", "authorizer_uri", "AuthorizerUri")},
	"aws_apigatewayv2_api": {"AWS::ApiGatewayV2::Api",
		renamer("name", "__name", "protocol_type", "ProtocolType", "target", "Target", "body", "Body")},

	// Network.
	"aws_vpc": {"AWS::EC2::VPC", renamer("cidr_block", "CidrBlock")},
	"aws_subnet": {"AWS::EC2::Subnet",
		renamer("vpc_id", "VpcId", "cidr_block", "CidrBlock", "map_public_ip_on_launch", "MapPublicIpOnLaunch", "availability_zone", "AvailabilityZone")},
	"aws_internet_gateway": {"AWS::EC2::InternetGateway", func(map[string]any) map[string]any { return map[string]any{} }},
	"aws_nat_gateway":      {"AWS::EC2::NatGateway", renamer("subnet_id", "SubnetId", "allocation_id", "AllocationId")},
	"aws_eip":              {"AWS::EC2::EIP", func(map[string]any) map[string]any { return map[string]any{} }},
	"aws_route_table":      {"AWS::EC2::RouteTable", renamer("vpc_id", "VpcId")},
	"aws_route": {"AWS::EC2::Route",
		renamer("route_table_id", "RouteTableId", "gateway_id", "GatewayId", "nat_gateway_id", "NatGatewayId", "destination_cidr_block", "DestinationCidrBlock")},
	"aws_route_table_association": {"AWS::EC2::SubnetRouteTableAssociation",
		renamer("subnet_id", "SubnetId", "route_table_id", "RouteTableId")},
	"aws_security_group": {"AWS::EC2::SecurityGroup", securityGroup},
	"aws_security_group_rule": {"AWS::EC2::SecurityGroupIngress", func(tf map[string]any) map[string]any {
		rules := sgRules(tf)
		out := map[string]any{"GroupId": tf["security_group_id"]}
		if len(rules) > 0 {
			for k, v := range rules[0].(map[string]any) {
				out[k] = v
			}
		}
		return out
	}},
	"aws_vpc_security_group_ingress_rule": {"AWS::EC2::SecurityGroupIngress", func(tf map[string]any) map[string]any {
		out := vpcRule(tf)
		out["GroupId"] = tf["security_group_id"]
		return out
	}},

	// Identity, keys and audit.
	"aws_iam_role": {"AWS::IAM::Role", iamRole},
	"aws_iam_policy": {"AWS::IAM::ManagedPolicy", func(tf map[string]any) map[string]any {
		out := rename(tf, "name", "__name")
		setIf(out, "PolicyDocument", document(tf["policy"]))
		return out
	}},
	"aws_iam_role_policy": {"AWS::IAM::Policy", func(tf map[string]any) map[string]any {
		out := rename(tf, "name", "__name")
		setIf(out, "PolicyDocument", document(tf["policy"]))
		if tf["role"] != nil {
			out["Roles"] = []any{tf["role"]}
		}
		return out
	}},
	"aws_iam_user": {"AWS::IAM::User", renamer("name", "__name", "permissions_boundary", "PermissionsBoundary")},
	"aws_kms_key": {"AWS::KMS::Key", func(tf map[string]any) map[string]any {
		out := rename(tf, "description", "Description", "enable_key_rotation", "EnableKeyRotation")
		setIf(out, "KeyPolicy", document(tf["policy"]))
		return out
	}},
	"aws_kms_alias": {"AWS::KMS::Alias", renamer("name", "AliasName", "target_key_id", "TargetKeyId")},
	"aws_cloudtrail": {"AWS::CloudTrail::Trail", renamer("name", "__name", "is_multi_region_trail", "IsMultiRegionTrail",
		"enable_log_file_validation", "EnableLogFileValidation", "kms_key_id", "KMSKeyId", "s3_bucket_name", "S3BucketName",
		"cloud_watch_logs_group_arn", "CloudWatchLogsLogGroupArn")},

	"aws_iam_user_policy":      {"AWS::IAM::Policy", inlinePolicy("user", "Users")},
	"aws_iam_group_policy":     {"AWS::IAM::Policy", inlinePolicy("group", "Groups")},
	"aws_iam_group":            {"AWS::IAM::Group", renamer("name", "__name", "path", "Path")},
	"aws_iam_group_membership": {"AWS::IAM::UserToGroupAddition", renamer("group", "GroupName", "users", "Users")},
	"aws_iam_access_key":       {"AWS::IAM::AccessKey", renamer("user", "UserName", "status", "Status")},
	"aws_iam_instance_profile": {"AWS::IAM::InstanceProfile", func(tf map[string]any) map[string]any {
		out := rename(tf, "name", "__name")
		if tf["role"] != nil {
			out["Roles"] = []any{tf["role"]}
		}
		return out
	}},
	"aws_iam_openid_connect_provider": {"AWS::IAM::OIDCProvider", renamer("url", "Url", "client_id_list", "ClientIdList")},
	"aws_cognito_user_pool":           {"AWS::Cognito::UserPool", userPool},
	"aws_cognito_user_pool_client": {"AWS::Cognito::UserPoolClient",
		renamer("name", "__name", "user_pool_id", "UserPoolId", "write_attributes", "WriteAttributes")},
	"aws_cognito_identity_pool": {"AWS::Cognito::IdentityPool",
		renamer("identity_pool_name", "__name", "allow_unauthenticated_identities", "AllowUnauthenticatedIdentities")},
	"aws_cloudwatch_metric_alarm":       {"AWS::CloudWatch::Alarm", metricAlarm},
	"aws_guardduty_detector":            {"AWS::GuardDuty::Detector", renamer("enable", "Enable")},
	"aws_config_configuration_recorder": {"AWS::Config::ConfigurationRecorder", renamer("name", "__name", "role_arn", "RoleARN")},
	"aws_config_delivery_channel":       {"AWS::Config::DeliveryChannel", renamer("name", "__name", "s3_bucket_name", "S3BucketName")},
	"aws_securityhub_account":           {"AWS::SecurityHub::Hub", func(map[string]any) map[string]any { return map[string]any{} }},
	"aws_acm_certificate":               {"AWS::CertificateManager::Certificate", renamer("domain_name", "DomainName")},
	"aws_shield_protection":             {"AWS::Shield::Protection", renamer("name", "__name", "resource_arn", "ResourceArn")},

	// Events.
	"aws_cloudwatch_event_rule":       {"AWS::Events::Rule", eventRule},
	"aws_cloudwatch_event_bus":        {"AWS::Events::EventBus", renamer("name", "__name")},
	"aws_cloudwatch_event_bus_policy": {"AWS::Events::EventBusPolicy", eventBusPolicy},
	"aws_cloudwatch_event_permission": {"AWS::Events::EventBusPolicy", eventPermission},

	// Data stores and streams.
	"aws_elasticache_replication_group":    {"AWS::ElastiCache::ReplicationGroup", replicationGroup},
	"aws_elasticache_cluster":              {"AWS::ElastiCache::CacheCluster", cacheCluster},
	"aws_elasticache_subnet_group":         {"AWS::ElastiCache::SubnetGroup", renamer("name", "__name", "subnet_ids", "SubnetIds")},
	"aws_opensearch_domain":                {"AWS::OpenSearchService::Domain", searchDomain},
	"aws_elasticsearch_domain":             {"AWS::Elasticsearch::Domain", searchDomain},
	"aws_kinesis_stream":                   {"AWS::Kinesis::Stream", kinesisStream},
	"aws_kinesis_firehose_delivery_stream": {"AWS::KinesisFirehose::DeliveryStream", firehoseStream},
	"aws_msk_cluster":                      {"AWS::MSK::Cluster", mskCluster},
	"aws_redshift_cluster":                 {"AWS::Redshift::Cluster", redshiftCluster},
	"aws_redshift_subnet_group":            {"AWS::Redshift::ClusterSubnetGroup", renamer("name", "__name", "subnet_ids", "SubnetIds")},
	"aws_efs_file_system": {"AWS::EFS::FileSystem",
		renamer("creation_token", "__name", "encrypted", "Encrypted", "kms_key_id", "KmsKeyId")},
	"aws_efs_mount_target": {"AWS::EFS::MountTarget",
		renamer("file_system_id", "FileSystemId", "subnet_id", "SubnetId", "security_groups", "SecurityGroups")},
	"aws_efs_access_point": {"AWS::EFS::AccessPoint", renamer("file_system_id", "FileSystemId")},
	"aws_ssm_parameter":    {"AWS::SSM::Parameter", ssmParameter},
	"aws_backup_vault":     {"AWS::Backup::BackupVault", renamer("name", "__name", "kms_key_arn", "EncryptionKeyArn")},
	"aws_backup_plan": {"AWS::Backup::BackupPlan", func(tf map[string]any) map[string]any {
		out := rename(tf, "name", "__name")
		out["BackupPlan"] = rename(tf, "name", "BackupPlanName")
		return out
	}},
	"aws_backup_selection": {"AWS::Backup::BackupSelection", backupSelection},
	"aws_secretsmanager_secret_policy": {"AWS::SecretsManager::ResourcePolicy", func(tf map[string]any) map[string]any {
		out := rename(tf, "secret_arn", "SecretId")
		setIf(out, "ResourcePolicy", document(tf["policy"]))
		return out
	}},
	"aws_sqs_queue_policy": {"AWS::SQS::QueuePolicy", func(tf map[string]any) map[string]any {
		out := map[string]any{}
		if tf["queue_url"] != nil {
			out["Queues"] = []any{tf["queue_url"]}
		}
		setIf(out, "PolicyDocument", document(tf["policy"]))
		return out
	}},
	"aws_sns_topic_policy": {"AWS::SNS::TopicPolicy", func(tf map[string]any) map[string]any {
		out := map[string]any{}
		if tf["arn"] != nil {
			out["Topics"] = []any{tf["arn"]}
		}
		setIf(out, "PolicyDocument", document(tf["policy"]))
		return out
	}},

	// Compute, clusters and builds.
	"aws_eks_cluster":       {"AWS::EKS::Cluster", eksCluster},
	"aws_eks_node_group":    {"AWS::EKS::Nodegroup", eksNodeGroup},
	"aws_launch_template":   {"AWS::EC2::LaunchTemplate", launchTemplate},
	"aws_autoscaling_group": {"AWS::AutoScaling::AutoScalingGroup", autoScalingGroup},
	"aws_sfn_state_machine": {"AWS::StepFunctions::StateMachine", stateMachine},
	"aws_codebuild_project": {"AWS::CodeBuild::Project", codeBuildProject},
	"aws_codepipeline":      {"AWS::CodePipeline::Pipeline", renamer("name", "__name", "role_arn", "RoleArn")},
	"aws_lambda_function_url": {"AWS::Lambda::Url",
		renamer("function_name", "TargetFunctionArn", "authorization_type", "AuthType", "qualifier", "Qualifier")},
	"aws_lambda_alias":         {"AWS::Lambda::Alias", renamer("name", "__name", "function_name", "FunctionName")},
	"aws_lambda_layer_version": {"AWS::Lambda::LayerVersion", renamer("layer_name", "__name")},

	// Edge, firewalls and DNS.
	"aws_cloudfront_distribution": {"AWS::CloudFront::Distribution", cloudfrontDistribution},
	"aws_cloudfront_origin_access_control": {"AWS::CloudFront::OriginAccessControl",
		renamer("name", "__name", "signing_behavior", "SigningBehavior")},
	"aws_cloudfront_origin_access_identity": {"AWS::CloudFront::CloudFrontOriginAccessIdentity", renamer("comment", "Comment")},
	"aws_wafv2_web_acl":                     {"AWS::WAFv2::WebACL", webACL},
	"aws_wafv2_web_acl_association": {"AWS::WAFv2::WebACLAssociation",
		renamer("resource_arn", "ResourceArn", "web_acl_arn", "WebACLArn")},
	"aws_wafv2_ip_set":           {"AWS::WAFv2::IPSet", renamer("name", "__name", "scope", "Scope")},
	"aws_wafv2_rule_group":       {"AWS::WAFv2::RuleGroup", renamer("name", "__name", "scope", "Scope")},
	"aws_appsync_graphql_api":    {"AWS::AppSync::GraphQLApi", appSyncAPI},
	"aws_elb":                    {"AWS::ElasticLoadBalancing::LoadBalancer", classicELB},
	"aws_lb_listener_rule":       {"AWS::ElasticLoadBalancingV2::ListenerRule", listenerRule},
	"aws_alb_listener_rule":      {"AWS::ElasticLoadBalancingV2::ListenerRule", listenerRule},
	"aws_api_gateway_deployment": {"AWS::ApiGateway::Deployment", renamer("rest_api_id", "RestApiId")},
	"aws_api_gateway_resource": {"AWS::ApiGateway::Resource",
		renamer("rest_api_id", "RestApiId", "parent_id", "ParentId", "path_part", "PathPart")},
	"aws_api_gateway_usage_plan": {"AWS::ApiGateway::UsagePlan", usagePlan},
	"aws_route53_zone":           {"AWS::Route53::HostedZone", renamer("name", "__name")},
	"aws_route53_record":         {"AWS::Route53::RecordSet", renamer("zone_id", "HostedZoneId", "name", "__name", "type", "Type")},

	// Network.
	"aws_vpc_endpoint": {"AWS::EC2::VPCEndpoint", func(tf map[string]any) map[string]any {
		out := rename(tf, "vpc_id", "VpcId", "service_name", "ServiceName", "vpc_endpoint_type", "VpcEndpointType",
			"subnet_ids", "SubnetIds", "security_group_ids", "SecurityGroupIds")
		setIf(out, "PolicyDocument", document(tf["policy"]))
		return out
	}},
	"aws_flow_log":    {"AWS::EC2::FlowLog", renamer("vpc_id", "ResourceId", "log_destination", "LogDestination", "traffic_type", "TrafficType")},
	"aws_network_acl": {"AWS::EC2::NetworkAcl", renamer("vpc_id", "VpcId")},
	"aws_network_acl_rule": {"AWS::EC2::NetworkAclEntry", func(tf map[string]any) map[string]any {
		out := rename(tf, "network_acl_id", "NetworkAclId", "rule_number", "RuleNumber", "protocol", "Protocol",
			"rule_action", "RuleAction", "egress", "Egress", "cidr_block", "CidrBlock", "ipv6_cidr_block", "Ipv6CidrBlock")
		if tf["from_port"] != nil || tf["to_port"] != nil {
			out["PortRange"] = rename(tf, "from_port", "From", "to_port", "To")
		}
		return out
	}},
}

func renamer(pairs ...string) conversion {
	return func(tf map[string]any) map[string]any { return rename(tf, pairs...) }
}

var s3ACLs = map[string]string{
	"private": "Private", "public-read": "PublicRead", "public-read-write": "PublicReadWrite",
	"authenticated-read": "AuthenticatedRead", "log-delivery-write": "LogDeliveryWrite",
}

func s3ACL(v any) any {
	if s, ok := v.(string); ok {
		if acl, known := s3ACLs[s]; known {
			return acl
		}
	}
	return v
}

func s3Bucket(tf map[string]any) map[string]any {
	out := rename(tf, "bucket", "__name", "object_lock_enabled", "ObjectLockEnabled")
	if tf["bucket"] != nil {
		out["BucketName"] = tf["bucket"]
	}
	setIf(out, "AccessControl", s3ACL(tf["acl"]))
	if b := block(tf, "versioning"); b != nil {
		out["VersioningConfiguration"] = map[string]any{"Status": onOff(b["enabled"], "Enabled", "Suspended")}
	}
	if b := block(tf, "server_side_encryption_configuration"); b != nil {
		out["BucketEncryption"] = bucketEncryption(b)
	}
	if b := block(tf, "logging"); b != nil {
		out["LoggingConfiguration"] = rename(b, "target_bucket", "DestinationBucketName", "target_prefix", "LogFilePrefix")
	}
	if b := block(tf, "website"); b != nil {
		out["WebsiteConfiguration"] = rename(b, "index_document", "IndexDocument")
	}
	return out
}

func bucketEncryption(b map[string]any) map[string]any {
	var rules []any
	for _, rule := range blocks(b, "rule") {
		d := block(rule, "apply_server_side_encryption_by_default")
		rules = append(rules, map[string]any{
			"ServerSideEncryptionByDefault": rename(d, "sse_algorithm", "SSEAlgorithm", "kms_master_key_id", "KMSMasterKeyID"),
		})
	}
	return map[string]any{"ServerSideEncryptionConfiguration": rules}
}

func s3BucketPolicy(tf map[string]any) map[string]any {
	out := rename(tf, "bucket", "Bucket")
	setIf(out, "PolicyDocument", document(tf["policy"]))
	return out
}

func dbInstance(tf map[string]any) map[string]any {
	out := rename(tf, "identifier", "__name", "engine", "Engine", "storage_encrypted", "StorageEncrypted",
		"publicly_accessible", "PubliclyAccessible", "deletion_protection", "DeletionProtection", "multi_az", "MultiAZ",
		"backup_retention_period", "BackupRetentionPeriod", "kms_key_id", "KmsKeyId",
		"iam_database_authentication_enabled", "EnableIAMDatabaseAuthentication",
		"manage_master_user_password", "ManageMasterUserPassword",
		"enabled_cloudwatch_logs_exports", "EnableCloudwatchLogsExports",
		"vpc_security_group_ids", "VPCSecurityGroups", "db_subnet_group_name", "DBSubnetGroupName",
		"cluster_identifier", "DBClusterIdentifier")
	if _, ok := out["StorageEncrypted"]; !ok && tf["kms_key_id"] != nil {
		out["StorageEncrypted"] = true
	}
	return out
}

func rdsCluster(tf map[string]any) map[string]any {
	return rename(tf, "cluster_identifier", "__name", "engine", "Engine", "storage_encrypted", "StorageEncrypted",
		"deletion_protection", "DeletionProtection", "backup_retention_period", "BackupRetentionPeriod",
		"kms_key_id", "KmsKeyId", "iam_database_authentication_enabled", "EnableIAMDatabaseAuthentication",
		"manage_master_user_password", "ManageMasterUserPassword",
		"enabled_cloudwatch_logs_exports", "EnableCloudwatchLogsExports",
		"vpc_security_group_ids", "VpcSecurityGroupIds", "db_subnet_group_name", "DBSubnetGroupName")
}

func dynamoTable(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "deletion_protection_enabled", "DeletionProtectionEnabled")
	if tf["name"] != nil {
		out["TableName"] = tf["name"]
	}
	if b := block(tf, "server_side_encryption"); b != nil {
		out["SSESpecification"] = rename(b, "enabled", "SSEEnabled", "kms_key_arn", "KMSMasterKeyId")
	}
	if b := block(tf, "point_in_time_recovery"); b != nil {
		out["PointInTimeRecoverySpecification"] = rename(b, "enabled", "PointInTimeRecoveryEnabled")
	}
	return out
}

func lambdaFunction(tf map[string]any) map[string]any {
	out := rename(tf, "function_name", "__name", "role", "Role", "runtime", "Runtime", "handler", "Handler", "kms_key_arn", "KmsKeyArn")
	if tf["function_name"] != nil {
		out["FunctionName"] = tf["function_name"]
	}
	if b := block(tf, "environment"); b != nil {
		out["Environment"] = rename(b, "variables", "Variables")
	}
	if b := block(tf, "dead_letter_config"); b != nil {
		out["DeadLetterConfig"] = rename(b, "target_arn", "TargetArn")
	}
	if b := block(tf, "vpc_config"); b != nil {
		out["VpcConfig"] = rename(b, "subnet_ids", "SubnetIds", "security_group_ids", "SecurityGroupIds")
	}
	return out
}

func ec2Instance(tf map[string]any) map[string]any {
	out := rename(tf, "ami", "ImageId", "instance_type", "InstanceType", "iam_instance_profile", "IamInstanceProfile")
	if public, ok := tf["associate_public_ip_address"]; ok {
		iface := rename(tf, "subnet_id", "SubnetId", "vpc_security_group_ids", "GroupSet")
		iface["AssociatePublicIpAddress"] = public
		iface["DeviceIndex"] = "0"
		out["NetworkInterfaces"] = []any{iface}
	} else {
		for k, v := range rename(tf, "subnet_id", "SubnetId", "vpc_security_group_ids", "SecurityGroupIds") {
			out[k] = v
		}
	}
	if b := block(tf, "metadata_options"); b != nil {
		out["MetadataOptions"] = rename(b, "http_tokens", "HttpTokens")
	}
	var devices []any
	for _, name := range []string{"root_block_device", "ebs_block_device"} {
		for _, d := range blocks(tf, name) {
			enc := d["encrypted"]
			if enc == nil {
				enc = false
			}
			devices = append(devices, map[string]any{"Ebs": map[string]any{"Encrypted": enc}})
		}
	}
	if devices != nil {
		out["BlockDeviceMappings"] = devices
	}
	return out
}

func ecsService(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "cluster", "Cluster", "task_definition", "TaskDefinition", "launch_type", "LaunchType")
	if b := block(tf, "network_configuration"); b != nil {
		vpc := rename(b, "subnets", "Subnets", "security_groups", "SecurityGroups")
		setIf(vpc, "AssignPublicIp", onOff(b["assign_public_ip"], "ENABLED", "DISABLED"))
		out["NetworkConfiguration"] = map[string]any{"AwsvpcConfiguration": vpc}
	}
	var lbs []any
	for _, lb := range blocks(tf, "load_balancer") {
		lbs = append(lbs, rename(lb, "target_group_arn", "TargetGroupArn", "container_name", "ContainerName", "container_port", "ContainerPort"))
	}
	if lbs != nil {
		out["LoadBalancers"] = lbs
	}
	return out
}

func taskDefinition(tf map[string]any) map[string]any {
	out := rename(tf, "family", "Family", "task_role_arn", "TaskRoleArn", "execution_role_arn", "ExecutionRoleArn",
		"network_mode", "NetworkMode", "requires_compatibilities", "RequiresCompatibilities")
	setIf(out, "ContainerDefinitions", pascal(document(tf["container_definitions"]), 0))
	return out
}

// pascal capitalizes keys: container definitions are camelCase in
// Terraform's JSON and PascalCase in CloudFormation.
func pascal(v any, depth int) any {
	if depth > maxDepth {
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if k != "" {
				k = strings.ToUpper(k[:1]) + k[1:]
			}
			out[k] = pascal(e, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = pascal(e, depth+1)
		}
		return out
	}
	return v
}

func loadBalancer(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "load_balancer_type", "Type", "subnets", "Subnets", "security_groups", "SecurityGroups")
	if v, ok := tf["internal"]; ok {
		setIf(out, "Scheme", onOff(v, "internal", "internet-facing"))
	}
	var attrs []any
	attr := func(key string, v any) {
		if v != nil {
			attrs = append(attrs, map[string]any{"Key": key, "Value": v})
		}
	}
	attr("routing.http.drop_invalid_header_fields.enabled", tf["drop_invalid_header_fields"])
	attr("deletion_protection.enabled", tf["enable_deletion_protection"])
	if b := block(tf, "access_logs"); b != nil {
		enabled := b["enabled"]
		if enabled == nil {
			enabled = true
		}
		attr("access_logs.s3.enabled", enabled)
	}
	if attrs != nil {
		out["LoadBalancerAttributes"] = attrs
	}
	return out
}

func listener(tf map[string]any) map[string]any {
	out := rename(tf, "load_balancer_arn", "LoadBalancerArn", "protocol", "Protocol", "port", "Port")
	if c := tf["certificate_arn"]; c != nil {
		out["Certificates"] = []any{map[string]any{"CertificateArn": c}}
	}
	var actions []any
	for _, a := range blocks(tf, "default_action") {
		actions = append(actions, rename(a, "type", "Type", "target_group_arn", "TargetGroupArn"))
	}
	if actions != nil {
		out["DefaultActions"] = actions
	}
	return out
}

func targetGroup(tf map[string]any) map[string]any {
	return rename(tf, "name", "__name", "port", "Port", "protocol", "Protocol", "vpc_id", "VpcId", "target_type", "TargetType")
}

func iamRole(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "permissions_boundary", "PermissionsBoundary", "managed_policy_arns", "ManagedPolicyArns")
	if tf["name"] != nil {
		out["RoleName"] = tf["name"]
	}
	setIf(out, "AssumeRolePolicyDocument", document(tf["assume_role_policy"]))
	var policies []any
	for _, p := range blocks(tf, "inline_policy") {
		policies = append(policies, map[string]any{"PolicyName": p["name"], "PolicyDocument": document(p["policy"])})
	}
	if policies != nil {
		out["Policies"] = policies
	}
	return out
}

func securityGroup(tf map[string]any) map[string]any {
	out := rename(tf, "name", "GroupName", "description", "GroupDescription", "vpc_id", "VpcId")
	if ingress := sgRules(map[string]any{"ingress": tf["ingress"]}); ingress != nil {
		out["SecurityGroupIngress"] = ingress
	}
	var egress []any
	for _, b := range blocks(tf, "egress") {
		egress = append(egress, ruleEntries(b)...)
	}
	if egress != nil {
		out["SecurityGroupEgress"] = egress
	}
	if u, ok := tf["ingress"].(importer.Unknown); ok {
		out["SecurityGroupIngress"] = []any{map[string]any{"CidrIp": u}}
	}
	return out
}

// sgRules reads inline ingress blocks, or one aws_security_group_rule.
func sgRules(tf map[string]any) []any {
	if _, ok := tf["type"]; ok {
		return ruleEntries(tf)
	}
	var out []any
	for _, b := range blocks(tf, "ingress") {
		out = append(out, ruleEntries(b)...)
	}
	return out
}

// ruleEntries makes one CloudFormation rule per CIDR block.
func ruleEntries(b map[string]any) []any {
	base := rename(b, "protocol", "IpProtocol", "from_port", "FromPort", "to_port", "ToPort", "description", "Description")
	var out []any
	add := func(key string, cidrs any) {
		if u, ok := cidrs.(importer.Unknown); ok {
			e := copyMap(base)
			e[key] = u
			out = append(out, e)
			return
		}
		list, _ := cidrs.([]any)
		for _, c := range list {
			e := copyMap(base)
			e[key] = c
			out = append(out, e)
		}
	}
	add("CidrIp", b["cidr_blocks"])
	add("CidrIpv6", b["ipv6_cidr_blocks"])
	for _, sg := range asList(b["security_groups"]) {
		e := copyMap(base)
		e["SourceSecurityGroupId"] = sg
		out = append(out, e)
	}
	if sg := b["source_security_group_id"]; sg != nil {
		e := copyMap(base)
		e["SourceSecurityGroupId"] = sg
		out = append(out, e)
	}
	if out == nil {
		out = append(out, base)
	}
	return out
}

func vpcRule(tf map[string]any) map[string]any {
	return rename(tf, "ip_protocol", "IpProtocol", "from_port", "FromPort", "to_port", "ToPort", "cidr_ipv4", "CidrIp",
		"cidr_ipv6", "CidrIpv6", "referenced_security_group_id", "SourceSecurityGroupId", "description", "Description")
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
