package aws

import (
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

func s3Bucket(m *mapper, r *importer.Resource, c *model.Component) {
	p := r.Props
	enc := mapkit.Get(p, "BucketEncryption", "ServerSideEncryptionConfiguration")
	// Since January 2023 every new object is encrypted, with S3-managed keys
	// unless the bucket names a KMS key.
	m.Set(r, c, "encrypted_at_rest", true)
	for _, rule := range mapkit.List(enc) {
		algo, _ := str(mapkit.Get(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm"))
		if algo == "aws:kms" || algo == "aws:kms:dsse" {
			m.Set(r, c, "customer_managed_keys", mapkit.Get(rule, "ServerSideEncryptionByDefault", "KMSMasterKeyID") != nil)
		}
	}
	status, ok := str(mapkit.Get(p, "VersioningConfiguration", "Status"))
	switch {
	case ok:
		m.Set(r, c, "versioning", status == "Enabled")
	case mapkit.Get(p, "VersioningConfiguration") == nil:
		m.Set(r, c, "versioning", false)
	default:
		m.Set(r, c, "versioning", importer.Unknown{Why: "VersioningConfiguration.Status is not known statically"})
	}
	m.Set(r, c, "logging", mapkit.Get(p, "LoggingConfiguration") != nil)
	if mapkit.Get(p, "ObjectLockEnabled") != nil {
		m.setBool(r, c, "aws_s3_object_lock", mapkit.Get(p, "ObjectLockEnabled"), nil)
	}
	// Public unless Block Public Access stops it; new buckets block by
	// default, so an absent configuration blocks everything.
	blocks := func(name string) bool { return blocksPublic(p, name) }
	acl, _ := str(mapkit.Get(p, "AccessControl"))
	// With the bucket owner enforced, ACLs are off and grant nothing.
	aclsOff := false
	for _, rule := range mapkit.List(mapkit.Get(p, "OwnershipControls", "Rules")) {
		o, _ := str(mapkit.Get(rule, "ObjectOwnership"))
		aclsOff = aclsOff || o == "BucketOwnerEnforced"
	}
	if (acl == "PublicRead" || acl == "PublicReadWrite") && !aclsOff && !blocks("BlockPublicAcls") && !blocks("IgnorePublicAcls") {
		m.Set(r, c, "public", true)
	}
	if mapkit.Get(p, "WebsiteConfiguration") != nil && !blocks("BlockPublicPolicy") {
		m.Set(r, c, "public", true)
	}
	// Notifications: the bucket calls functions, queues and topics.
	notif := mapkit.Get(p, "NotificationConfiguration")
	for _, key := range []string{"LambdaConfigurations", "QueueConfigurations", "TopicConfigurations"} {
		for _, n := range mapkit.List(mapkit.Get(notif, key)) {
			m.flowsTo(c, n, "https", r.Pos)
		}
	}
	m.flowsTo(c, mapkit.Get(p, "LoggingConfiguration", "DestinationBucketName"), "https", r.Pos)
}

// s3BucketPolicy folds a bucket policy into its bucket, unless the
// bucket's Block Public Access ignores public policies.
func s3BucketPolicy(m *mapper, r *importer.Resource, _ *model.Component) {
	ref, ok := mapkit.Get(r.Props, "Bucket").(importer.ResourceRef)
	if !ok {
		m.Warnf(r, "Bucket does not name a bucket of this template; policy not applied")
		return
	}
	bucket := m.byID[ref.ID]
	c := m.ComponentOf(ref.ID)
	if bucket == nil || c == nil {
		return
	}
	f := readPolicy(mapkit.Get(r.Props, "PolicyDocument"))
	if !f.known {
		m.Warnf(r, "policy document is not known statically; public and iam_wildcards left unset on %s", ref.ID)
		return
	}
	if f.public && !blocksPublic(bucket.Props, "RestrictPublicBuckets") && !blocksPublic(bucket.Props, "BlockPublicPolicy") {
		m.Set(r, c, "public", true)
	}
	if f.wildcards {
		m.Set(r, c, "iam_wildcards", true)
	}
	if f.external {
		m.Set(r, c, "external_access", true)
	}
}

func dynamoTable(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "encrypted_at_rest", true) // DynamoDB always encrypts
	sse := mapkit.Get(r.Props, "SSESpecification")
	if v, ok := boolean(mapkit.Get(sse, "SSEEnabled")); ok {
		m.Set(r, c, "customer_managed_keys", v && mapkit.Get(sse, "KMSMasterKeyId") != nil)
	}
	pitr := mapkit.Get(r.Props, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")
	m.setBool(r, c, "backups", pitr, mapkit.Ptr(false))
	m.setBool(r, c, "deletion_protection", mapkit.Get(r.Props, "DeletionProtectionEnabled"), mapkit.Ptr(false))
}

func rdsInstance(m *mapper, r *importer.Resource, c *model.Component) {
	p := r.Props
	m.setBool(r, c, "encrypted_at_rest", mapkit.Get(p, "StorageEncrypted"), mapkit.Ptr(false))
	m.setBool(r, c, "public", mapkit.Get(p, "PubliclyAccessible"), mapkit.Ptr(false))
	m.setBool(r, c, "deletion_protection", mapkit.Get(p, "DeletionProtection"), mapkit.Ptr(false))
	m.setBool(r, c, "redundancy", mapkit.Get(p, "MultiAZ"), nil)
	if v := mapkit.Get(p, "BackupRetentionPeriod"); v != nil {
		if n, ok := number(v); ok {
			m.Set(r, c, "backups", n > 0)
		} else {
			m.Set(r, c, "backups", importer.Unknown{Why: "BackupRetentionPeriod is not known statically"})
		}
	} else {
		m.Set(r, c, "backups", true) // the default retention is one day
	}
	if mapkit.Get(p, "KmsKeyId") != nil {
		m.Set(r, c, "customer_managed_keys", true)
	}
	if v, ok := boolean(mapkit.Get(p, "EnableIAMDatabaseAuthentication")); ok && v {
		m.Set(r, c, "authentication", string(model.AuthIAM))
	}
	if mapkit.Get(p, "ManageMasterUserPassword") != nil {
		m.setBool(r, c, "secrets_management", mapkit.Get(p, "ManageMasterUserPassword"), nil)
	}
	m.Set(r, c, "logging", mapkit.Get(p, "EnableCloudwatchLogsExports") != nil)
	m.flowsFrom(mapkit.Get(p, "DBClusterIdentifier"), c, "", r.Pos)
}

func encryptedFlag(name string) func(*mapper, *importer.Resource, *model.Component) {
	return func(m *mapper, r *importer.Resource, c *model.Component) {
		m.setBool(r, c, "encrypted_at_rest", mapkit.Get(r.Props, name), mapkit.Ptr(false))
	}
}

func elasticache(m *mapper, r *importer.Resource, c *model.Component) {
	m.setBool(r, c, "encrypted_at_rest", mapkit.Get(r.Props, "AtRestEncryptionEnabled"), mapkit.Ptr(false))
	m.setBool(r, c, "encrypted_in_transit", mapkit.Get(r.Props, "TransitEncryptionEnabled"), mapkit.Ptr(false))
	if mapkit.Get(r.Props, "AuthToken") != nil {
		m.Set(r, c, "authentication", string(model.AuthPassword))
	}
	m.Set(r, c, "customer_managed_keys", mapkit.Get(r.Props, "KmsKeyId") != nil)
	failover, _ := boolean(mapkit.Get(r.Props, "AutomaticFailoverEnabled"))
	multiAZ, _ := boolean(mapkit.Get(r.Props, "MultiAZEnabled"))
	_, unsureFailover := unknown(mapkit.Get(r.Props, "AutomaticFailoverEnabled"))
	_, unsureMultiAZ := unknown(mapkit.Get(r.Props, "MultiAZEnabled"))
	if !failover && !multiAZ && (unsureFailover || unsureMultiAZ) {
		m.Set(r, c, "redundancy", importer.Unknown{Why: "AutomaticFailoverEnabled or MultiAZEnabled is not known statically"})
	} else {
		m.Set(r, c, "redundancy", failover || multiAZ)
	}
	m.snapshots(r, c, "SnapshotRetentionLimit", 0)
}

func opensearch(m *mapper, r *importer.Resource, c *model.Component) {
	m.setBool(r, c, "encrypted_at_rest", mapkit.Get(r.Props, "EncryptionAtRestOptions", "Enabled"), mapkit.Ptr(false))
	m.setBool(r, c, "encrypted_in_transit", mapkit.Get(r.Props, "DomainEndpointOptions", "EnforceHTTPS"), mapkit.Ptr(false))
	if mapkit.Get(r.Props, "VPCOptions") == nil {
		m.Set(r, c, "public", true)
	}
	m.applyPolicy(r, c, mapkit.Get(r.Props, "AccessPolicies"))
	if policy, ok := str(mapkit.Get(r.Props, "DomainEndpointOptions", "TLSSecurityPolicy")); ok {
		switch {
		case strings.Contains(policy, "TLS-1-2"):
			m.Set(r, c, "tls_min_version", "1.2")
		case strings.Contains(policy, "TLS-1-0"):
			m.Set(r, c, "tls_min_version", "1.0")
		}
	}
	// Fine-grained access control checks each request against roles.
	if mapkit.Get(r.Props, "AdvancedSecurityOptions") != nil {
		m.setBool(r, c, "authorization", mapkit.Get(r.Props, "AdvancedSecurityOptions", "Enabled"), mapkit.Ptr(false))
		if v, _ := boolean(mapkit.Get(r.Props, "AdvancedSecurityOptions", "InternalUserDatabaseEnabled")); v {
			m.Set(r, c, "authentication", string(model.AuthPassword))
		}
	}
	m.Set(r, c, "logging", mapkit.Get(r.Props, "LogPublishingOptions") != nil)
}

func redshift(m *mapper, r *importer.Resource, c *model.Component) {
	m.setBool(r, c, "encrypted_at_rest", mapkit.Get(r.Props, "Encrypted"), mapkit.Ptr(false))
	m.setBool(r, c, "public", mapkit.Get(r.Props, "PubliclyAccessible"), mapkit.Ptr(false))
	m.Set(r, c, "customer_managed_keys", mapkit.Get(r.Props, "KmsKeyId") != nil)
	m.setPresent(r, c, "logging", "LoggingProperties", mapkit.Get(r.Props, "LoggingProperties"))
	m.snapshots(r, c, "AutomatedSnapshotRetentionPeriod", 1)
}

func kinesis(m *mapper, r *importer.Resource, c *model.Component) {
	m.setPresent(r, c, "encrypted_at_rest", "StreamEncryption", mapkit.Get(r.Props, "StreamEncryption"))
	if hours := mapkit.Get(r.Props, "RetentionPeriodHours"); hours == nil {
		m.Set(r, c, "aws_extended_retention", false) // 24 hours
	} else if n, ok := number(hours); ok {
		m.Set(r, c, "aws_extended_retention", n > 24)
	} else {
		m.Set(r, c, "aws_extended_retention", importer.Unknown{Why: "RetentionPeriodHours is not known statically"})
	}
}

func ecr(m *mapper, r *importer.Resource, c *model.Component) {
	tags, _ := str(mapkit.Get(r.Props, "ImageTagMutability"))
	m.Set(r, c, "aws_ecr_tag_immutability", tags == "IMMUTABLE")
	m.setBool(r, c, "image_scanning", mapkit.Get(r.Props, "ImageScanningConfiguration", "ScanOnPush"), mapkit.Ptr(false))
	m.applyPolicy(r, c, mapkit.Get(r.Props, "RepositoryPolicyText"))
}

func logGroup(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "customer_managed_keys", mapkit.Get(r.Props, "KmsKeyId") != nil)
}

func secret(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "encrypted_at_rest", true)
	m.Set(r, c, "customer_managed_keys", mapkit.Get(r.Props, "KmsKeyId") != nil)
}

func secretRotation(m *mapper, r *importer.Resource, _ *model.Component) {
	for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "SecretId")) {
		m.Set(r, m.ComponentOf(ref.ID), "secret_rotation", true)
	}
}

// resourcePolicy folds a queue or topic policy into the resources it lists.
func resourcePolicy(targets, doc string) func(*mapper, *importer.Resource, *model.Component) {
	return func(m *mapper, r *importer.Resource, _ *model.Component) {
		for _, ref := range mapkit.Refs(mapkit.Get(r.Props, targets)) {
			if c := m.ComponentOf(ref.ID); c != nil {
				m.applyPolicy(r, c, mapkit.Get(r.Props, doc))
			}
		}
	}
}

// blocksPublic reads one Block Public Access setting of a bucket. New
// buckets block everything when no configuration is given; in a given
// configuration an absent setting is off. An unknown setting counts as
// blocking, so public is never guessed.
func blocksPublic(bucket map[string]any, name string) bool {
	block := mapkit.Get(bucket, "PublicAccessBlockConfiguration")
	if block == nil {
		return true
	}
	v := mapkit.Get(block, name)
	if v == nil {
		return false
	}
	b, known := boolean(v)
	return !known || b
}

func cacheCluster(m *mapper, r *importer.Resource, c *model.Component) {
	if mapkit.Get(r.Props, "ReplicationGroupId") != nil {
		return // a member takes its group's settings
	}
	m.setBool(r, c, "encrypted_in_transit", mapkit.Get(r.Props, "TransitEncryptionEnabled"), mapkit.Ptr(false))
	// Only replication groups encrypt at rest.
	m.Set(r, c, "encrypted_at_rest", false)
	m.snapshots(r, c, "SnapshotRetentionLimit", 0)
}

// snapshots sets backups from a retention count whose default is def.
func (m *mapper) snapshots(r *importer.Resource, c *model.Component, key string, def int) {
	v := mapkit.Get(r.Props, key)
	if v == nil {
		m.Set(r, c, "backups", def > 0)
		return
	}
	if n, ok := number(v); ok {
		m.Set(r, c, "backups", n > 0)
		return
	}
	m.Set(r, c, "backups", importer.Unknown{Why: key + " is not known statically"})
}

func firehose(m *mapper, r *importer.Resource, c *model.Component) {
	p := r.Props
	enc := mapkit.Get(p, "DeliveryStreamEncryptionConfigurationInput")
	m.setPresent(r, c, "encrypted_at_rest", "DeliveryStreamEncryptionConfigurationInput", enc)
	if typ, _ := str(mapkit.Get(enc, "KeyType")); typ != "" {
		m.Set(r, c, "customer_managed_keys", typ == "CUSTOMER_MANAGED_CMK")
	}
	m.flowsFrom(mapkit.Get(p, "KinesisStreamSourceConfiguration", "KinesisStreamARN"), c, "https", r.Pos)
	for _, dest := range []string{"S3DestinationConfiguration", "ExtendedS3DestinationConfiguration",
		"RedshiftDestinationConfiguration", "ElasticsearchDestinationConfiguration",
		"AmazonopensearchserviceDestinationConfiguration", "HttpEndpointDestinationConfiguration"} {
		cfg := mapkit.Get(p, dest)
		for _, key := range []string{"BucketARN", "DomainARN", "ClusterJDBCURL"} {
			m.flowsTo(c, mapkit.Get(cfg, key), "https", r.Pos)
		}
	}
}

func mskCluster(m *mapper, r *importer.Resource, c *model.Component) {
	p := r.Props
	m.Set(r, c, "encrypted_at_rest", true) // MSK always encrypts volumes
	m.Set(r, c, "customer_managed_keys", mapkit.Get(p, "EncryptionInfo", "EncryptionAtRest", "DataVolumeKMSKeyId") != nil)
	transit := mapkit.Get(p, "EncryptionInfo", "EncryptionInTransit")
	broker, ok := str(mapkit.Get(transit, "ClientBroker"))
	if _, unsure := unknown(mapkit.Get(transit, "ClientBroker")); unsure {
		m.Warnf(r, "ClientBroker is not known statically; encrypted_in_transit left unset")
	} else {
		if !ok {
			broker = "TLS" // the default
		}
		inCluster, known := boolean(mapkit.Get(transit, "InCluster"))
		m.Set(r, c, "encrypted_in_transit", broker == "TLS" && (!known || inCluster))
	}
	auth := mapkit.Get(p, "ClientAuthentication")
	on := func(path ...string) bool { v, _ := boolean(mapkit.Get(auth, path...)); return v }
	switch {
	case auth == nil || on("Unauthenticated", "Enabled"):
		m.Set(r, c, "authentication", string(model.AuthNone))
	case on("Sasl", "Iam", "Enabled"):
		m.Set(r, c, "authentication", string(model.AuthIAM))
	case mapkit.Get(auth, "Tls") != nil:
		m.Set(r, c, "authentication", string(model.AuthMTLS))
	case on("Sasl", "Scram", "Enabled"):
		m.Set(r, c, "authentication", string(model.AuthPassword))
	}
	if access, _ := str(mapkit.Get(p, "BrokerNodeGroupInfo", "ConnectivityInfo", "PublicAccess", "Type")); access == "SERVICE_PROVIDED_EIPS" {
		m.Set(r, c, "public", true)
	}
	m.Set(r, c, "logging", mapkit.Get(p, "LoggingInfo") != nil)
}

// ssmParameter: a SecureString parameter is a secret, encrypted with KMS;
// other parameters are plain configuration.
func ssmParameter(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "versioning", true) // every change keeps the parameter's history
	if _, unsure := unknown(mapkit.Get(r.Props, "Type")); unsure {
		m.Warnf(r, "Type is not known statically; encrypted_at_rest left unset")
		return
	}
	typ, _ := str(mapkit.Get(r.Props, "Type"))
	if typ != "SecureString" {
		m.Set(r, c, "encrypted_at_rest", false)
		return
	}
	c.Kind = "secret-store"
	m.Set(r, c, "encrypted_at_rest", true)
	key, _ := str(mapkit.Get(r.Props, "KeyId"))
	m.Set(r, c, "customer_managed_keys", mapkit.Get(r.Props, "KeyId") != nil && key != "alias/aws/ssm")
}

// backupSelection marks the resources a backup plan selects as backed up.
func backupSelection(m *mapper, r *importer.Resource, _ *model.Component) {
	for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "BackupSelection", "Resources")) {
		m.Set(r, m.ComponentOf(ref.ID), "backups", true)
	}
}
