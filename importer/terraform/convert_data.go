package terraform

import (
	"github.com/wardsec/ward/importer"
)

// Conversions of data stores, streams and their backups.

func replicationGroup(tf map[string]any) map[string]any {
	out := rename(tf, "replication_group_id", "__name", "engine", "Engine",
		"at_rest_encryption_enabled", "AtRestEncryptionEnabled", "transit_encryption_enabled", "TransitEncryptionEnabled",
		"auth_token", "AuthToken", "kms_key_id", "KmsKeyId", "automatic_failover_enabled", "AutomaticFailoverEnabled",
		"multi_az_enabled", "MultiAZEnabled", "snapshot_retention_limit", "SnapshotRetentionLimit",
		"subnet_group_name", "CacheSubnetGroupName", "security_group_ids", "SecurityGroupIds")
	if tf["replication_group_id"] != nil {
		out["ReplicationGroupId"] = tf["replication_group_id"]
	}
	return out
}

// cacheCluster keeps replication_group_id: a member cluster takes its
// group's settings.
func cacheCluster(tf map[string]any) map[string]any {
	return rename(tf, "cluster_id", "__name", "engine", "Engine", "replication_group_id", "ReplicationGroupId",
		"transit_encryption_enabled", "TransitEncryptionEnabled", "snapshot_retention_limit", "SnapshotRetentionLimit",
		"subnet_group_name", "CacheSubnetGroupName", "security_group_ids", "VpcSecurityGroupIds")
}

func searchDomain(tf map[string]any) map[string]any {
	out := rename(tf, "domain_name", "__name")
	if tf["domain_name"] != nil {
		out["DomainName"] = tf["domain_name"]
	}
	if b := block(tf, "encrypt_at_rest"); b != nil {
		out["EncryptionAtRestOptions"] = rename(b, "enabled", "Enabled", "kms_key_id", "KmsKeyId")
	}
	if b := block(tf, "node_to_node_encryption"); b != nil {
		out["NodeToNodeEncryptionOptions"] = rename(b, "enabled", "Enabled")
	}
	if b := block(tf, "domain_endpoint_options"); b != nil {
		out["DomainEndpointOptions"] = rename(b, "enforce_https", "EnforceHTTPS", "tls_security_policy", "TLSSecurityPolicy")
	}
	if b := block(tf, "vpc_options"); b != nil {
		out["VPCOptions"] = rename(b, "subnet_ids", "SubnetIds", "security_group_ids", "SecurityGroupIds")
	}
	if b := block(tf, "advanced_security_options"); b != nil {
		out["AdvancedSecurityOptions"] = rename(b, "enabled", "Enabled", "internal_user_database_enabled", "InternalUserDatabaseEnabled")
	}
	logs := map[string]any{}
	for _, l := range blocks(tf, "log_publishing_options") {
		if t, ok := l["log_type"].(string); ok {
			logs[t] = rename(l, "cloudwatch_log_group_arn", "CloudWatchLogsLogGroupArn", "enabled", "Enabled")
		}
	}
	if len(logs) > 0 {
		out["LogPublishingOptions"] = logs
	}
	setIf(out, "AccessPolicies", document(tf["access_policies"]))
	return out
}

func kinesisStream(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "retention_period", "RetentionPeriodHours", "shard_count", "ShardCount")
	if tf["name"] != nil {
		out["Name"] = tf["name"]
	}
	switch t := tf["encryption_type"].(type) {
	case string:
		if t == "KMS" {
			out["StreamEncryption"] = rename(tf, "encryption_type", "EncryptionType", "kms_key_id", "KeyId")
		}
	case importer.Unknown:
		out["StreamEncryption"] = t
	}
	return out
}

// firehoseDestinations are Terraform's destination blocks and
// CloudFormation's destination configurations, with the key naming the
// destination resource.
var firehoseDestinations = []struct{ tf, cfn, tfKey, cfnKey string }{
	{"extended_s3_configuration", "ExtendedS3DestinationConfiguration", "bucket_arn", "BucketARN"},
	{"s3_configuration", "S3DestinationConfiguration", "bucket_arn", "BucketARN"},
	{"redshift_configuration", "RedshiftDestinationConfiguration", "cluster_jdbcurl", "ClusterJDBCURL"},
	{"opensearch_configuration", "AmazonopensearchserviceDestinationConfiguration", "domain_arn", "DomainARN"},
	{"elasticsearch_configuration", "ElasticsearchDestinationConfiguration", "domain_arn", "DomainARN"},
}

func firehoseStream(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name")
	if tf["name"] != nil {
		out["DeliveryStreamName"] = tf["name"]
	}
	if b := block(tf, "kinesis_source_configuration"); b != nil {
		out["KinesisStreamSourceConfiguration"] = rename(b, "kinesis_stream_arn", "KinesisStreamARN", "role_arn", "RoleARN")
	}
	if b := block(tf, "server_side_encryption"); b != nil {
		switch on := b["enabled"].(type) {
		case importer.Unknown:
			out["DeliveryStreamEncryptionConfigurationInput"] = on
		case bool:
			if on {
				out["DeliveryStreamEncryptionConfigurationInput"] = rename(b, "key_type", "KeyType", "key_arn", "KeyARN")
			}
		}
	}
	for _, d := range firehoseDestinations {
		if b := block(tf, d.tf); b != nil {
			out[d.cfn] = rename(b, d.tfKey, d.cfnKey, "role_arn", "RoleARN")
		}
	}
	return out
}

func mskCluster(tf map[string]any) map[string]any {
	out := rename(tf, "cluster_name", "__name", "kafka_version", "KafkaVersion")
	if tf["cluster_name"] != nil {
		out["ClusterName"] = tf["cluster_name"]
	}
	if b := block(tf, "broker_node_group_info"); b != nil {
		info := rename(b, "client_subnets", "ClientSubnets", "security_groups", "SecurityGroups")
		if c := block(b, "connectivity_info"); c != nil {
			if p := block(c, "public_access"); p != nil {
				info["ConnectivityInfo"] = map[string]any{"PublicAccess": rename(p, "type", "Type")}
			}
		}
		out["BrokerNodeGroupInfo"] = info
	}
	if b := block(tf, "encryption_info"); b != nil {
		enc := map[string]any{}
		if k := b["encryption_at_rest_kms_key_arn"]; k != nil {
			enc["EncryptionAtRest"] = map[string]any{"DataVolumeKMSKeyId": k}
		}
		if t := block(b, "encryption_in_transit"); t != nil {
			enc["EncryptionInTransit"] = rename(t, "client_broker", "ClientBroker", "in_cluster", "InCluster")
		}
		out["EncryptionInfo"] = enc
	}
	if b := block(tf, "client_authentication"); b != nil {
		auth := map[string]any{}
		if v := b["unauthenticated"]; v != nil {
			auth["Unauthenticated"] = map[string]any{"Enabled": v}
		}
		if s := block(b, "sasl"); s != nil {
			sasl := map[string]any{}
			if v := s["iam"]; v != nil {
				sasl["Iam"] = map[string]any{"Enabled": v}
			}
			if v := s["scram"]; v != nil {
				sasl["Scram"] = map[string]any{"Enabled": v}
			}
			auth["Sasl"] = sasl
		}
		if t := block(b, "tls"); t != nil {
			auth["Tls"] = rename(t, "certificate_authority_arns", "CertificateAuthorityArnList")
		}
		out["ClientAuthentication"] = auth
	}
	if b := block(tf, "logging_info"); b != nil {
		out["LoggingInfo"] = map[string]any{}
	}
	return out
}

func redshiftCluster(tf map[string]any) map[string]any {
	out := rename(tf, "cluster_identifier", "__name", "encrypted", "Encrypted", "publicly_accessible", "PubliclyAccessible",
		"kms_key_id", "KmsKeyId", "vpc_security_group_ids", "VpcSecurityGroupIds", "cluster_subnet_group_name", "ClusterSubnetGroupName",
		"automated_snapshot_retention_period", "AutomatedSnapshotRetentionPeriod")
	if tf["cluster_identifier"] != nil {
		out["ClusterIdentifier"] = tf["cluster_identifier"]
	}
	if b := block(tf, "logging"); b != nil {
		switch on := b["enable"].(type) {
		case importer.Unknown:
			out["LoggingProperties"] = on
		case bool:
			if on {
				out["LoggingProperties"] = rename(b, "bucket_name", "BucketName", "s3_key_prefix", "S3KeyPrefix")
			}
		}
	}
	return out
}

// ssmParameter leaves the value out: it may be a secret.
func ssmParameter(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "type", "Type", "key_id", "KeyId", "tier", "Tier")
	if tf["name"] != nil {
		out["Name"] = tf["name"]
	}
	return out
}

func backupSelection(tf map[string]any) map[string]any {
	out := rename(tf, "plan_id", "BackupPlanId")
	out["BackupSelection"] = rename(tf, "name", "SelectionName", "iam_role_arn", "IamRoleArn", "resources", "Resources")
	return out
}
