package model

// awsProperties are the catalog's AWS-specific properties. Name them
// for the setting, prefixed "aws_" unless the concept is general.
var awsProperties = []PropertyInfo{
	boolProp("aws_admin_ports_closed", "no rule admits the whole internet (0.0.0.0/0 or ::/0) to remote administration ports such as SSH 22 and RDP 3389", false),
	boolProp("aws_default_sg_closed", "the VPC's default security group has no rules, so it allows no traffic", false),
	boolProp("aws_egress_restricted", "outbound traffic goes only to known destinations (egress rules, VPC endpoints with policies, a network firewall)", false),
	boolProp("aws_multi_region_trail", "the trail records management events in every region, global services included", false),
	boolProp("aws_log_file_validation", "CloudTrail writes signed digest files that prove whether log files were changed or deleted", false),
	boolProp("aws_external_id", "trust policies that admit another organization's account require an sts:ExternalId condition", false),
	boolProp("aws_permissions_boundary", "a permissions boundary or service control policy caps the permissions the identity can grant or pass on", false),
	boolProp("aws_cognito_admin_only_signup", "only administrators create users in the user pool; self sign-up is off", false),
	boolProp("aws_cognito_guest_access", "the identity pool hands AWS credentials to unauthenticated (guest) identities", false),
	boolProp("aws_cognito_attributes_locked", "app clients cannot write the user attributes that apps trust for access decisions (roles, tenant, email and phone)", false),
	boolProp("aws_imdsv2", "the instance requires IMDSv2 session tokens for its metadata service (HttpTokens required)", false),
	boolProp("aws_node_imds_blocked", "containers cannot reach the metadata service of the EC2 node they run on (Fargate, IMDSv2 hop limit 1, ECS_AWSVPC_BLOCK_IMDS)", false),
	boolProp("aws_drop_invalid_headers", "the load balancer drops invalid HTTP header fields and runs desync mitigation in strictest mode", false),
	boolProp("aws_waf_blocking", "the web ACL's rules block matching requests rather than only counting them", false),
	boolProp("aws_waf_managed_rules", "the web ACL uses AWS managed rule groups (core rule set, known bad inputs) or an equivalent maintained set", false),
	boolProp("aws_waf_oversize_blocked", "requests whose body exceeds the web ACL's inspection limit are blocked, not passed uninspected", false),
	boolProp("aws_extended_retention", "the stream keeps records longer than its consumers' longest expected outage, beyond the 24-hour default", false),
	boolProp("aws_ecr_tag_immutability", "image tags in the repository are immutable: once pushed, a tag cannot be moved to another image", false),
	boolProp("aws_efs_access_points", "clients mount the file system only through access points that enforce a POSIX user and root directory, and the file system policy denies root access to other clients", false),
	boolProp("aws_dangling_records_checked", "DNS records are checked automatically and removed when the resource they point to (S3 website, CloudFront distribution, Elastic IP, load balancer) no longer exists", false),
	boolProp("aws_domain_transfer_lock", "the registered domain has transfer lock on, so it cannot be moved to another registrar or account without first unlocking it", false),
	boolProp("aws_logs_data_protection", "a CloudWatch Logs data protection policy masks sensitive data (credentials, card numbers, personal data) in log events", false),
	boolProp("aws_aurora_data_api", "the cluster's RDS Data API (HTTP endpoint) is on, so SQL can be run over HTTPS by any identity allowed rds-data calls and the secret", false),
}
