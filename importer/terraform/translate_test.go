package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/importer"
)

// TestTranslate checks each Terraform type's CloudFormation type and
// properties.
func TestTranslate(t *testing.T) {
	ref := func(id, attr string) importer.ResourceRef { return importer.ResourceRef{ID: id, Attr: attr} }
	cases := []struct {
		name, src, id, typ string
		want               map[string]any
	}{
		{"s3 bucket with split resources", `
resource "aws_s3_bucket" "b" {
  bucket = "data"
}
resource "aws_s3_bucket_public_access_block" "b" {
  bucket              = aws_s3_bucket.b.id
  block_public_acls   = false
  block_public_policy = true
}
resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
resource "aws_s3_bucket_logging" "b" {
  bucket        = aws_s3_bucket.b.id
  target_bucket = "logs"
}
resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  acl    = "public-read"
}`, "aws_s3_bucket.b", "AWS::S3::Bucket", map[string]any{
			"BucketName":                     "data",
			"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": false, "BlockPublicPolicy": true},
			"VersioningConfiguration":        map[string]any{"Status": "Enabled"},
			"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{
				map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}},
			"LoggingConfiguration": map[string]any{"DestinationBucketName": "logs"},
			"AccessControl":        "PublicRead",
		}},
		{"s3 inline settings", `
resource "aws_s3_bucket" "b" {
  acl = "public-read-write"
  versioning {
    enabled = false
  }
}`, "aws_s3_bucket.b", "AWS::S3::Bucket", map[string]any{
			"AccessControl": "PublicReadWrite", "VersioningConfiguration": map[string]any{"Status": "Suspended"},
		}},
		{"s3 bucket policy", `
resource "aws_s3_bucket" "b" {}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = <<POLICY
{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
POLICY
}`, "aws_s3_bucket_policy.p", "AWS::S3::BucketPolicy", map[string]any{
			"Bucket": ref("aws_s3_bucket.b", "id"),
			"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}},
		}},
		{"db instance", `
resource "aws_db_instance" "d" {
  identifier              = "db"
  storage_encrypted       = false
  publicly_accessible     = true
  backup_retention_period = 0
  vpc_security_group_ids  = [aws_security_group.s.id]
}
resource "aws_security_group" "s" {}`, "aws_db_instance.d", "AWS::RDS::DBInstance", map[string]any{
			"StorageEncrypted": false, "PubliclyAccessible": true, "BackupRetentionPeriod": 0,
			"VPCSecurityGroups": []any{ref("aws_security_group.s", "id")},
		}},
		{"rds cluster", `
resource "aws_rds_cluster" "c" {
  cluster_identifier  = "c"
  storage_encrypted   = true
  deletion_protection = true
}`, "aws_rds_cluster.c", "AWS::RDS::DBCluster", map[string]any{"StorageEncrypted": true, "DeletionProtection": true}},
		{"dynamodb table", `
resource "aws_dynamodb_table" "t" {
  name = "orders"
  server_side_encryption {
    enabled     = true
    kms_key_arn = "arn:aws:kms:k"
  }
  point_in_time_recovery {
    enabled = true
  }
}`, "aws_dynamodb_table.t", "AWS::DynamoDB::Table", map[string]any{
			"TableName":                        "orders",
			"SSESpecification":                 map[string]any{"SSEEnabled": true, "KMSMasterKeyId": "arn:aws:kms:k"},
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
		}},
		{"lambda function", `
resource "aws_iam_role" "r" {}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
  environment {
    variables = { A = "b" }
  }
  vpc_config {
    subnet_ids         = ["s"]
    security_group_ids = ["g"]
  }
}`, "aws_lambda_function.f", "AWS::Lambda::Function", map[string]any{
			"FunctionName": "f", "Role": ref("aws_iam_role.r", "arn"),
			"Environment": map[string]any{"Variables": map[string]any{"A": "b"}},
			"VpcConfig":   map[string]any{"SubnetIds": []any{"s"}, "SecurityGroupIds": []any{"g"}},
		}},
		{"event source mapping", `
resource "aws_sqs_queue" "q" {}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = "f"
}`, "aws_lambda_event_source_mapping.m", "AWS::Lambda::EventSourceMapping", map[string]any{
			"EventSourceArn": ref("aws_sqs_queue.q", "arn"), "FunctionName": "f",
		}},
		{"sqs queue", `
resource "aws_sqs_queue" "q" {
  kms_master_key_id = "k"
  redrive_policy    = jsonencode({ deadLetterTargetArn = "arn", maxReceiveCount = 3 })
}`, "aws_sqs_queue.q", "AWS::SQS::Queue", map[string]any{
			"KmsMasterKeyId": "k", "RedrivePolicy": map[string]any{"deadLetterTargetArn": "arn", "maxReceiveCount": 3},
		}},
		{"sns subscription", `
resource "aws_sns_topic" "t" {}
resource "aws_sns_topic_subscription" "s" {
  topic_arn = aws_sns_topic.t.arn
  protocol  = "sqs"
  endpoint  = "arn:q"
}`, "aws_sns_topic_subscription.s", "AWS::SNS::Subscription", map[string]any{
			"TopicArn": ref("aws_sns_topic.t", "arn"), "Protocol": "sqs", "Endpoint": "arn:q",
		}},
		{"security group with rules folded", `
resource "aws_security_group" "g" {
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0", "10.0.0.0/8"]
  }
}
resource "aws_security_group_rule" "r" {
  type              = "ingress"
  security_group_id = aws_security_group.g.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}
resource "aws_vpc_security_group_ingress_rule" "v" {
  security_group_id = aws_security_group.g.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv6         = "::/0"
}`, "aws_security_group.g", "AWS::EC2::SecurityGroup", map[string]any{
			"SecurityGroupIngress": []any{
				map[string]any{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"},
				map[string]any{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"},
				map[string]any{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
				map[string]any{"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "CidrIpv6": "::/0"},
			},
		}},
		{"instance", `
resource "aws_instance" "i" {
  ami                         = "ami-1"
  subnet_id                   = "s"
  associate_public_ip_address = true
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = true
  }
}`, "aws_instance.i", "AWS::EC2::Instance", map[string]any{
			"ImageId":             "ami-1",
			"NetworkInterfaces":   []any{map[string]any{"SubnetId": "s", "AssociatePublicIpAddress": true, "DeviceIndex": "0"}},
			"MetadataOptions":     map[string]any{"HttpTokens": "required"},
			"BlockDeviceMappings": []any{map[string]any{"Ebs": map[string]any{"Encrypted": true}}},
		}},
		{"vpc", `resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}`, "aws_vpc.v", "AWS::EC2::VPC", map[string]any{"CidrBlock": "10.0.0.0/16"}},
		{"subnet", `
resource "aws_vpc" "v" {}
resource "aws_subnet" "s" {
  vpc_id                  = aws_vpc.v.id
  map_public_ip_on_launch = true
}`, "aws_subnet.s", "AWS::EC2::Subnet", map[string]any{"VpcId": ref("aws_vpc.v", "id"), "MapPublicIpOnLaunch": true}},
		{"internet gateway", `resource "aws_internet_gateway" "g" {}`, "aws_internet_gateway.g", "AWS::EC2::InternetGateway", map[string]any{}},
		{"route table inline route", `
resource "aws_internet_gateway" "g" {}
resource "aws_route_table" "t" {
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g.id
  }
}`, "aws_route_table.t.route[0]", "AWS::EC2::Route", map[string]any{
			"RouteTableId": ref("aws_route_table.t", ""), "GatewayId": ref("aws_internet_gateway.g", "id"), "DestinationCidrBlock": "0.0.0.0/0",
		}},
		{"route table association", `
resource "aws_route_table_association" "a" {
  subnet_id      = "s"
  route_table_id = "t"
}`, "aws_route_table_association.a", "AWS::EC2::SubnetRouteTableAssociation", map[string]any{"SubnetId": "s", "RouteTableId": "t"}},
		{"load balancer", `
resource "aws_lb" "l" {
  internal                   = true
  subnets                    = ["a"]
  drop_invalid_header_fields = true
}`, "aws_lb.l", "AWS::ElasticLoadBalancingV2::LoadBalancer", map[string]any{
			"Scheme": "internal", "Subnets": []any{"a"},
			"LoadBalancerAttributes": []any{map[string]any{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": true}},
		}},
		{"listener", `
resource "aws_lb" "l" {}
resource "aws_lb_target_group" "t" {}
resource "aws_lb_listener" "h" {
  load_balancer_arn = aws_lb.l.arn
  protocol          = "HTTP"
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.t.arn
  }
}`, "aws_lb_listener.h", "AWS::ElasticLoadBalancingV2::Listener", map[string]any{
			"LoadBalancerArn": ref("aws_lb.l", "arn"), "Protocol": "HTTP", "Port": 80,
			"DefaultActions": []any{map[string]any{"Type": "forward", "TargetGroupArn": ref("aws_lb_target_group.t", "arn")}},
		}},
		{"target group", `resource "aws_lb_target_group" "t" {
  port     = 80
  protocol = "HTTP"
}`, "aws_lb_target_group.t", "AWS::ElasticLoadBalancingV2::TargetGroup", map[string]any{"Port": 80, "Protocol": "HTTP"}},
		{"ecs service", `
resource "aws_ecs_service" "s" {
  launch_type = "FARGATE"
  network_configuration {
    subnets          = ["a"]
    assign_public_ip = true
  }
  load_balancer {
    target_group_arn = "tg"
  }
}`, "aws_ecs_service.s", "AWS::ECS::Service", map[string]any{
			"LaunchType":           "FARGATE",
			"NetworkConfiguration": map[string]any{"AwsvpcConfiguration": map[string]any{"Subnets": []any{"a"}, "AssignPublicIp": "ENABLED"}},
			"LoadBalancers":        []any{map[string]any{"TargetGroupArn": "tg"}},
		}},
		{"ecs task definition", `
resource "aws_ecs_task_definition" "t" {
  container_definitions = jsonencode([{ name = "app", privileged = true, environment = [{ name = "A", value = "b" }] }])
}`, "aws_ecs_task_definition.t", "AWS::ECS::TaskDefinition", map[string]any{
			"ContainerDefinitions": []any{map[string]any{"Name": "app", "Privileged": true,
				"Environment": []any{map[string]any{"Name": "A", "Value": "b"}}}},
		}},
		{"iam role", `
resource "aws_iam_role" "r" {
  assume_role_policy  = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}`, "aws_iam_role.r", "AWS::IAM::Role", map[string]any{
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}}}},
			"ManagedPolicyArns":        []any{"arn:aws:iam::aws:policy/AdministratorAccess"},
		}},
		{"iam policy", `
resource "aws_iam_policy" "p" {
  policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"
}`, "aws_iam_policy.p", "AWS::IAM::ManagedPolicy", map[string]any{
			"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}}},
		}},
		{"iam role policy", `
resource "aws_iam_role" "r" {}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = jsonencode({ Statement = [] })
}`, "aws_iam_role_policy.p", "AWS::IAM::Policy", map[string]any{
			"Roles": []any{ref("aws_iam_role.r", "id")}, "PolicyDocument": map[string]any{"Statement": []any{}},
		}},
		{"kms key", `resource "aws_kms_key" "k" {
  enable_key_rotation = true
}`, "aws_kms_key.k", "AWS::KMS::Key", map[string]any{"EnableKeyRotation": true}},
		{"secret", `resource "aws_secretsmanager_secret" "s" {
  kms_key_id = "k"
}`, "aws_secretsmanager_secret.s", "AWS::SecretsManager::Secret", map[string]any{"KmsKeyId": "k"}},
		{"cloudtrail", `
resource "aws_cloudtrail" "t" {
  is_multi_region_trail      = true
  enable_log_file_validation = false
  s3_bucket_name             = "logs"
}`, "aws_cloudtrail.t", "AWS::CloudTrail::Trail", map[string]any{
			"IsMultiRegionTrail": true, "EnableLogFileValidation": false, "S3BucketName": "logs",
		}},
		{"rest api", `
resource "aws_api_gateway_rest_api" "a" {
  name = "api"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}`, "aws_api_gateway_rest_api.a", "AWS::ApiGateway::RestApi", map[string]any{"EndpointConfiguration": map[string]any{"Types": []any{"PRIVATE"}}}},
		{"rest api method with integration", `
resource "aws_api_gateway_rest_api" "a" {}
resource "aws_lambda_function" "f" {}
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.a.id
  resource_id   = aws_api_gateway_rest_api.a.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}
resource "aws_api_gateway_integration" "get" {
  rest_api_id = aws_api_gateway_rest_api.a.id
  resource_id = aws_api_gateway_rest_api.a.root_resource_id
  http_method = "GET"
  type        = "AWS_PROXY"
  uri         = aws_lambda_function.f.invoke_arn
}`, "aws_api_gateway_method.get", "AWS::ApiGateway::Method", map[string]any{
			"RestApiId": ref("aws_api_gateway_rest_api.a", "id"), "ResourceId": ref("aws_api_gateway_rest_api.a", "root_resource_id"),
			"HttpMethod": "GET", "AuthorizationType": "NONE",
			"Integration": map[string]any{"Type": "AWS_PROXY", "Uri": ref("aws_lambda_function.f", "invoke_arn")},
		}},
		{"http api stage", `
resource "aws_apigatewayv2_api" "a" {}
resource "aws_apigatewayv2_stage" "s" {
  api_id = aws_apigatewayv2_api.a.id
  default_route_settings {
    throttling_rate_limit = 100
  }
}`, "aws_apigatewayv2_stage.s", "AWS::ApiGatewayV2::Stage", map[string]any{
			"ApiId": ref("aws_apigatewayv2_api.a", "id"), "DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 100},
		}},
		{"http api integration", `
resource "aws_apigatewayv2_integration" "i" {
  api_id           = "a"
  integration_type = "AWS_PROXY"
  integration_uri  = "arn:f"
}`, "aws_apigatewayv2_integration.i", "AWS::ApiGatewayV2::Integration", map[string]any{
			"ApiId": "a", "IntegrationType": "AWS_PROXY", "IntegrationUri": "arn:f",
		}},
		{"http api", `resource "aws_apigatewayv2_api" "a" {
  protocol_type = "HTTP"
}`, "aws_apigatewayv2_api.a", "AWS::ApiGatewayV2::Api", map[string]any{"ProtocolType": "HTTP"}},
		{"cloudfront distribution", `
resource "aws_wafv2_web_acl" "w" {}
resource "aws_lb" "l" {}
resource "aws_cloudfront_distribution" "d" {
  web_acl_id = aws_wafv2_web_acl.w.arn
  origin {
    origin_id   = "app"
    domain_name = aws_lb.l.dns_name
    custom_origin_config {
      origin_protocol_policy = "https-only"
    }
  }
  default_cache_behavior {
    viewer_protocol_policy = "redirect-to-https"
  }
  viewer_certificate {
    minimum_protocol_version = "TLSv1.2_2021"
  }
  logging_config {
    bucket = "logs"
  }
}`, "aws_cloudfront_distribution.d", "AWS::CloudFront::Distribution", map[string]any{"DistributionConfig": map[string]any{
			"WebACLId": ref("aws_wafv2_web_acl.w", "arn"),
			"Origins": []any{map[string]any{"Id": "app", "DomainName": ref("aws_lb.l", "dns_name"),
				"CustomOriginConfig": map[string]any{"OriginProtocolPolicy": "https-only"}}},
			"DefaultCacheBehavior": map[string]any{"ViewerProtocolPolicy": "redirect-to-https"},
			"ViewerCertificate":    map[string]any{"MinimumProtocolVersion": "TLSv1.2_2021"},
			"Logging":              map[string]any{"Bucket": "logs"},
		}}},
		{"web acl", `
resource "aws_wafv2_web_acl" "w" {
  name  = "edge"
  scope = "CLOUDFRONT"
  default_action {
    block {}
  }
  rule {
    name     = "common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }
  }
}`, "aws_wafv2_web_acl.w", "AWS::WAFv2::WebACL", map[string]any{
			"Name": "edge", "Scope": "CLOUDFRONT", "DefaultAction": map[string]any{"Block": map[string]any{}},
			"Rules": []any{map[string]any{"Name": "common", "Priority": 1, "OverrideAction": map[string]any{"None": map[string]any{}},
				"Statement": map[string]any{"ManagedRuleGroupStatement": map[string]any{"Name": "AWSManagedRulesCommonRuleSet", "VendorName": "AWS"}}}},
		}},
		{"web acl association", `
resource "aws_lb" "l" {}
resource "aws_wafv2_web_acl" "w" {}
resource "aws_wafv2_web_acl_association" "a" {
  resource_arn = aws_lb.l.arn
  web_acl_arn  = aws_wafv2_web_acl.w.arn
}`, "aws_wafv2_web_acl_association.a", "AWS::WAFv2::WebACLAssociation", map[string]any{
			"ResourceArn": ref("aws_lb.l", "arn"), "WebACLArn": ref("aws_wafv2_web_acl.w", "arn"),
		}},
		{"elasticache replication group", `
resource "aws_elasticache_replication_group" "r" {
  replication_group_id       = "sessions"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = false
  auth_token                 = "t"
  snapshot_retention_limit   = 3
  security_group_ids         = ["sg"]
}`, "aws_elasticache_replication_group.r", "AWS::ElastiCache::ReplicationGroup", map[string]any{
			"ReplicationGroupId": "sessions", "AtRestEncryptionEnabled": true, "TransitEncryptionEnabled": false,
			"AuthToken": "t", "SnapshotRetentionLimit": 3, "SecurityGroupIds": []any{"sg"},
		}},
		{"eks cluster", `
resource "aws_eks_cluster" "k" {
  name     = "k"
  role_arn = "r"
  vpc_config {
    subnet_ids             = ["a"]
    endpoint_public_access = false
  }
  enabled_cluster_log_types = ["api", "audit"]
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "k"
    }
  }
}`, "aws_eks_cluster.k", "AWS::EKS::Cluster", map[string]any{
			"Name": "k", "RoleArn": "r",
			"ResourcesVpcConfig": map[string]any{"SubnetIds": []any{"a"}, "EndpointPublicAccess": false},
			"Logging":            map[string]any{"ClusterLogging": map[string]any{"EnabledTypes": []any{map[string]any{"Type": "api"}, map[string]any{"Type": "audit"}}}},
			"EncryptionConfig":   []any{map[string]any{"Resources": []any{"secrets"}, "Provider": map[string]any{"KeyArn": "k"}}},
		}},
		{"opensearch domain", `
resource "aws_opensearch_domain" "d" {
  domain_name = "search"
  encrypt_at_rest {
    enabled = true
  }
  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }
}`, "aws_opensearch_domain.d", "AWS::OpenSearchService::Domain", map[string]any{
			"DomainName": "search", "EncryptionAtRestOptions": map[string]any{"Enabled": true},
			"DomainEndpointOptions": map[string]any{"EnforceHTTPS": true, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
		}},
		{"kinesis stream", `
resource "aws_kinesis_stream" "s" {
  name             = "events"
  retention_period = 48
  encryption_type  = "KMS"
  kms_key_id       = "alias/aws/kinesis"
}`, "aws_kinesis_stream.s", "AWS::Kinesis::Stream", map[string]any{
			"Name": "events", "RetentionPeriodHours": 48,
			"StreamEncryption": map[string]any{"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
		}},
		{"msk cluster", `
resource "aws_msk_cluster" "m" {
  cluster_name = "m"
  encryption_info {
    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT"
    }
  }
  client_authentication {
    unauthenticated = true
  }
}`, "aws_msk_cluster.m", "AWS::MSK::Cluster", map[string]any{
			"ClusterName":          "m",
			"EncryptionInfo":       map[string]any{"EncryptionInTransit": map[string]any{"ClientBroker": "TLS_PLAINTEXT"}},
			"ClientAuthentication": map[string]any{"Unauthenticated": map[string]any{"Enabled": true}},
		}},
		{"state machine", `
resource "aws_lambda_function" "f" {}
resource "aws_sfn_state_machine" "m" {
  name     = "m"
  role_arn = "r"
  definition = jsonencode({ States = { Call = { Resource = aws_lambda_function.f.arn } } })
  logging_configuration {
    level = "ALL"
  }
}`, "aws_sfn_state_machine.m", "AWS::StepFunctions::StateMachine", map[string]any{
			"StateMachineName": "m", "RoleArn": "r",
			"Definition":           map[string]any{"States": map[string]any{"Call": map[string]any{"Resource": ref("aws_lambda_function.f", "arn")}}},
			"LoggingConfiguration": map[string]any{"Level": "ALL"},
		}},
		{"event rule with target", `
resource "aws_sqs_queue" "dlq" {}
resource "aws_lambda_function" "f" {}
resource "aws_cloudwatch_event_rule" "r" {
  name                = "nightly"
  schedule_expression = "rate(1 day)"
}
resource "aws_cloudwatch_event_target" "t" {
  rule = aws_cloudwatch_event_rule.r.name
  arn  = aws_lambda_function.f.arn
  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }
}`, "aws_cloudwatch_event_rule.r", "AWS::Events::Rule", map[string]any{
			"Name": "nightly", "ScheduleExpression": "rate(1 day)",
			"Targets": []any{map[string]any{"Arn": ref("aws_lambda_function.f", "arn"),
				"DeadLetterConfig": map[string]any{"Arn": ref("aws_sqs_queue.dlq", "arn")}}},
		}},
		{"user with managed and group policies", `
resource "aws_iam_user" "u" {
  name = "ci"
}
resource "aws_iam_group" "g" {
  name = "deployers"
}
resource "aws_iam_user_policy_attachment" "a" {
  user       = aws_iam_user.u.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_user_group_membership" "m" {
  user   = aws_iam_user.u.name
  groups = [aws_iam_group.g.name]
}
resource "aws_iam_user_login_profile" "p" {
  user = aws_iam_user.u.name
}`, "aws_iam_user.u", "AWS::IAM::User", map[string]any{
			"ManagedPolicyArns": []any{"arn:aws:iam::aws:policy/AdministratorAccess"},
			"Groups":            []any{ref("aws_iam_group.g", "name")},
			"LoginProfile":      map[string]any{},
		}},
		{"group attachment of a customer policy", `
resource "aws_iam_group" "g" {}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_iam_group_policy_attachment" "a" {
  group      = aws_iam_group.g.name
  policy_arn = aws_iam_policy.p.arn
}`, "aws_iam_policy.p", "AWS::IAM::ManagedPolicy", map[string]any{
			"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}}},
			"Groups":         []any{ref("aws_iam_group.g", "name")},
		}},
		{"s3 notification", `
resource "aws_s3_bucket" "b" {}
resource "aws_sqs_queue" "q" {}
resource "aws_s3_bucket_notification" "n" {
  bucket = aws_s3_bucket.b.id
  queue {
    queue_arn = aws_sqs_queue.q.arn
    events    = ["s3:ObjectCreated:*"]
  }
}`, "aws_s3_bucket.b", "AWS::S3::Bucket", map[string]any{
			"NotificationConfiguration": map[string]any{"QueueConfigurations": []any{
				map[string]any{"Queue": ref("aws_sqs_queue.q", "arn"), "Event": []any{"s3:ObjectCreated:*"}}}},
		}},
		{"launch template", `
resource "aws_launch_template" "t" {
  name = "web"
  metadata_options {
    http_tokens = "required"
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted = true
    }
  }
}`, "aws_launch_template.t", "AWS::EC2::LaunchTemplate", map[string]any{
			"LaunchTemplateName": "web",
			"LaunchTemplateData": map[string]any{"MetadataOptions": map[string]any{"HttpTokens": "required"},
				"BlockDeviceMappings": []any{map[string]any{"DeviceName": "/dev/xvda", "Ebs": map[string]any{"Encrypted": true}}}},
		}},
		{"metric alarm", `
resource "aws_lambda_function" "f" {
  function_name = "f"
}
resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name    = "errors"
  alarm_actions = ["arn:sns"]
  dimensions = {
    FunctionName = aws_lambda_function.f.function_name
  }
}`, "aws_cloudwatch_metric_alarm.a", "AWS::CloudWatch::Alarm", map[string]any{
			"AlarmName": "errors", "AlarmActions": []any{"arn:sns"},
			"Dimensions": []any{map[string]any{"Name": "FunctionName", "Value": ref("aws_lambda_function.f", "function_name")}},
		}},
		{"ssm parameter value left out", `
resource "aws_ssm_parameter" "p" {
  name  = "/db/password"
  type  = "SecureString"
  value = "hunter2"
}`, "aws_ssm_parameter.p", "AWS::SSM::Parameter", map[string]any{"Name": "/db/password", "Type": "SecureString"}},
		{"unknown type kept", `resource "aws_unheard_of" "x" {
  a = 1
}`, "aws_unheard_of.x", "aws_unheard_of", map[string]any{"a": 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resources, err := resourcesOf([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			var got *importer.Resource
			for i := range resources {
				if resources[i].ID == tc.id {
					got = &resources[i]
				}
			}
			if got == nil {
				t.Fatalf("no resource %s in %+v", tc.id, resources)
			}
			if got.Type != tc.typ {
				t.Errorf("type %s, want %s", got.Type, tc.typ)
			}
			if diff := cmp.Diff(tc.want, got.Props); diff != "" {
				t.Errorf("props (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFoldedResourcesGone: split resources that found their target are
// not also kept on their own.
func TestFoldedResourcesGone(t *testing.T) {
	resources, err := resourcesOf([]byte(`
resource "aws_s3_bucket" "b" {}
resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_versioning" "orphan" {
  bucket = "elsewhere"
}`))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range resources {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"aws_s3_bucket.b", "aws_s3_bucket_versioning.orphan"}, ids); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
}
