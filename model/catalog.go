package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Category is a data-flow-diagram element type. Every component kind belongs
// to one, and generic STRIDE rules apply by category.
type Category string

// DFD categories. Flows are elements too, of category "flow".
const (
	Process        Category = "process"
	Datastore      Category = "datastore"
	ExternalEntity Category = "external-entity"
	FlowCategory   Category = "flow"
)

// Kind names what a component is: a generic DFD kind ("process") or a cloud
// service ("aws.sqs"). Kinds come from the catalog, so rules can rely on them.
type Kind string

// KindInfo describes one kind of the catalog.
type KindInfo struct {
	Kind     Kind
	Category Category
	// Provider is "generic", "aws", "azure", "gcp", "k8s" or "cicd".
	Provider string
	Title    string
}

// Info returns the catalog entry of k and whether k is known.
func (k Kind) Info() (KindInfo, bool) {
	i, ok := kindIndex[k]
	return i, ok
}

// Category returns the DFD category of k (process for unknown kinds).
func (k Kind) Category() Category {
	if i, ok := kindIndex[k]; ok {
		return i.Category
	}
	return Process
}

func (k *Kind) decodeScalar(text string, _ Pos) error {
	if _, ok := kindIndex[Kind(text)]; !ok {
		names := make([]string, 0, len(kindIndex))
		for n := range kindIndex {
			names = append(names, string(n))
		}
		return fmt.Errorf("unknown component kind %q (see `ward kinds` for the catalog)%s", text, DidYouMean(text, names))
	}
	*k = Kind(text)
	return nil
}

// Kinds returns the catalog, sorted by provider then kind.
func Kinds() []KindInfo {
	out := slices.Clone(kindCatalog)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Provider != out[j].Provider {
			return providerRank(out[i].Provider) < providerRank(out[j].Provider)
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

func providerRank(p string) int {
	return slices.Index([]string{"generic", "aws", "azure", "gcp", "k8s", "cicd"}, p)
}

var kindIndex = func() map[Kind]KindInfo {
	m := make(map[Kind]KindInfo, len(kindCatalog))
	for _, k := range kindCatalog {
		m[k.Kind] = k
	}
	return m
}()

func kinds(provider string, cat Category, pairs ...string) []KindInfo {
	out := make([]KindInfo, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, KindInfo{Kind: Kind(pairs[i]), Category: cat, Provider: provider, Title: pairs[i+1]})
	}
	return out
}

var kindCatalog = slices.Concat(
	kinds("generic", Process,
		"process", "Process",
		"web-app", "Web application",
		"api", "API service",
		"function", "Serverless function",
		"container", "Container workload",
		"server", "Server or virtual machine",
		"load-balancer", "Load balancer or reverse proxy",
		"cdn", "Content delivery network",
		"firewall", "Firewall or WAF",
		"identity-provider", "Identity provider",
		"message-broker", "Message broker",
	),
	kinds("generic", Datastore,
		"datastore", "Data store",
		"database", "Database",
		"queue", "Message queue",
		"cache", "Cache",
		"file-store", "File or object store",
		"log-store", "Log store",
		"secret-store", "Secret store",
	),
	kinds("generic", ExternalEntity,
		"external-entity", "External entity",
		"user", "Human user",
		"browser", "Web browser",
		"mobile-app", "Mobile application",
		"third-party-service", "Third-party service",
	),
	kinds("aws", Process,
		"aws.api-gateway", "Amazon API Gateway",
		"aws.appsync", "AWS AppSync",
		"aws.alb", "Application Load Balancer",
		"aws.nlb", "Network Load Balancer",
		"aws.elb", "Classic Load Balancer",
		"aws.cloudfront", "Amazon CloudFront",
		"aws.waf", "AWS WAF",
		"aws.lambda", "AWS Lambda function",
		"aws.ec2", "Amazon EC2 instance",
		"aws.ecs", "Amazon ECS service",
		"aws.eks", "Amazon EKS cluster",
		"aws.sns", "Amazon SNS topic",
		"aws.eventbridge", "Amazon EventBridge bus or rule",
		"aws.step-functions", "AWS Step Functions state machine",
		"aws.kms", "AWS KMS key",
		"aws.iam-role", "AWS IAM role",
		"aws.iam-policy", "AWS IAM policy",
		"aws.cognito", "Amazon Cognito user pool",
		"aws.vpc", "Amazon VPC",
		"aws.security-group", "Amazon VPC security group",
		"aws.nacl", "Amazon VPC network ACL",
		"aws.nat-gateway", "NAT gateway",
		"aws.route53", "Amazon Route 53",
		"aws.codebuild", "AWS CodeBuild project",
		"aws.codepipeline", "AWS CodePipeline",
	),
	kinds("aws", Datastore,
		"aws.s3", "Amazon S3 bucket",
		"aws.rds", "Amazon RDS database",
		"aws.aurora", "Amazon Aurora cluster",
		"aws.dynamodb", "Amazon DynamoDB table",
		"aws.sqs", "Amazon SQS queue",
		"aws.kinesis", "Amazon Kinesis stream",
		"aws.secrets-manager", "AWS Secrets Manager secret",
		"aws.cloudtrail", "AWS CloudTrail trail",
		"aws.cloudwatch-logs", "Amazon CloudWatch Logs group",
		"aws.elasticache", "Amazon ElastiCache cluster",
		"aws.opensearch", "Amazon OpenSearch domain",
		"aws.efs", "Amazon EFS file system",
		"aws.ecr", "Amazon ECR repository",
		"aws.redshift", "Amazon Redshift cluster",
		"aws.msk", "Amazon MSK cluster",
	),
	kinds("aws", ExternalEntity,
		"aws.iam-user", "AWS IAM user",
	),
	kinds("azure", Process,
		"azure.functions", "Azure Functions app",
		"azure.app-service", "Azure App Service",
		"azure.aks", "Azure Kubernetes Service cluster",
		"azure.api-management", "Azure API Management",
		"azure.entra-id", "Microsoft Entra ID tenant",
		"azure.vm", "Azure virtual machine",
		"azure.front-door", "Azure Front Door",
		"azure.application-gateway", "Azure Application Gateway",
		"azure.vnet", "Azure virtual network",
		"azure.nsg", "Azure network security group",
	),
	kinds("azure", Datastore,
		"azure.storage-account", "Azure Storage account",
		"azure.sql-database", "Azure SQL Database",
		"azure.cosmos-db", "Azure Cosmos DB account",
		"azure.key-vault", "Azure Key Vault",
		"azure.service-bus", "Azure Service Bus namespace",
		"azure.event-hubs", "Azure Event Hubs namespace",
		"azure.container-registry", "Azure Container Registry",
	),
	kinds("gcp", Process,
		"gcp.cloud-run", "Cloud Run service",
		"gcp.gke", "Google Kubernetes Engine cluster",
		"gcp.cloud-functions", "Cloud Functions function",
		"gcp.iam", "Google Cloud IAM binding",
		"gcp.kms", "Cloud KMS key",
		"gcp.compute-engine", "Compute Engine instance",
		"gcp.load-balancer", "Cloud Load Balancing",
		"gcp.vpc", "Google Cloud VPC network",
	),
	kinds("gcp", Datastore,
		"gcp.cloud-storage", "Cloud Storage bucket",
		"gcp.cloud-sql", "Cloud SQL instance",
		"gcp.pubsub", "Pub/Sub topic",
		"gcp.bigquery", "BigQuery dataset",
		"gcp.firestore", "Firestore database",
		"gcp.secret-manager", "Secret Manager secret",
	),
	kinds("k8s", Process,
		"k8s.pod", "Kubernetes pod",
		"k8s.deployment", "Kubernetes Deployment",
		"k8s.statefulset", "Kubernetes StatefulSet",
		"k8s.daemonset", "Kubernetes DaemonSet",
		"k8s.service", "Kubernetes Service",
		"k8s.ingress", "Kubernetes Ingress",
		"k8s.service-account", "Kubernetes ServiceAccount",
		"k8s.role", "Kubernetes Role or ClusterRole",
		"k8s.network-policy", "Kubernetes NetworkPolicy",
	),
	kinds("k8s", Datastore,
		"k8s.secret", "Kubernetes Secret",
		"k8s.configmap", "Kubernetes ConfigMap",
	),
	kinds("cicd", Process,
		"cicd.pipeline", "CI/CD pipeline",
		"cicd.runner", "CI/CD runner",
	),
	kinds("cicd", Datastore,
		"cicd.repository", "Source code repository",
		"cicd.artifact-registry", "Artifact or package registry",
	),
)

// PropertyType is the type of a property's value.
type PropertyType string

// Property types.
const (
	BoolProperty   PropertyType = "bool"
	StringProperty PropertyType = "string"
	EnumProperty   PropertyType = "enum"
)

// PropertyInfo describes one property of the catalog.
type PropertyInfo struct {
	Name string
	Type PropertyType
	// Values are the allowed values of an enum property.
	Values []string
	// Default is what rules see when the model does not set the property:
	// the unsafe value, so an unstated control is not assumed.
	Default any
	// OnFlows reports whether flows may carry the property too.
	OnFlows bool
	Doc     string
}

// PropertyCatalog returns the property catalog in name order.
func PropertyCatalog() []PropertyInfo {
	out := slices.Clone(propertyCatalog)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupProperty returns the catalog entry of a property.
func LookupProperty(name string) (PropertyInfo, bool) {
	p, ok := propertyIndex[name]
	return p, ok
}

// CustomPropertyPrefix starts the names of properties outside the catalog,
// which user rule packs may read.
const CustomPropertyPrefix = "x-"

func boolProp(name, doc string, onFlows bool) PropertyInfo {
	return PropertyInfo{Name: name, Type: BoolProperty, Default: false, OnFlows: onFlows, Doc: doc}
}

// propertyCatalog joins the core properties with each provider's own,
// kept in props_<provider>.go. A name may be defined once.
var propertyCatalog = slices.Concat(coreProperties, awsProperties, azureProperties, gcpProperties, k8sProperties, cicdProperties)

var coreProperties = []PropertyInfo{
	boolProp("public", "reachable from the internet", false),
	{Name: "authentication", Type: EnumProperty, Values: authenticationNames(), Default: string(AuthNone),
		Doc: "how callers prove who they are"},
	boolProp("mfa", "human sign-in requires a second factor", false),
	boolProp("authorization", "each request is checked against the caller's rights", false),
	boolProp("input_validation", "input is validated against a schema or allow-list", true),
	boolProp("encrypted_at_rest", "stored data is encrypted", false),
	boolProp("encrypted_in_transit", "every endpoint requires TLS", false),
	boolProp("customer_managed_keys", "encryption uses keys the team controls (KMS CMK, Key Vault key)", false),
	boolProp("logging", "access and changes are logged", false),
	boolProp("monitoring", "anomalies raise alerts to someone on call", false),
	boolProp("backups", "data is backed up", false),
	boolProp("restore_tested", "restores are rehearsed regularly outside production", false),
	boolProp("versioning", "earlier versions of objects are kept", false),
	boolProp("deletion_protection", "the resource cannot be deleted by a single call", false),
	boolProp("redundancy", "runs across several zones or replicas", false),
	boolProp("waf", "a web application firewall filters requests", false),
	boolProp("rate_limiting", "requests are throttled per caller", true),
	boolProp("ddos_protection", "volumetric attacks are absorbed (e.g. AWS Shield, Azure DDoS Protection)", false),
	boolProp("message_signing", "messages are signed so the consumer can verify their origin and integrity", true),
	boolProp("dead_letter_queue", "messages that fail processing are kept aside, not lost", false),
	boolProp("iam_wildcards", "an access policy grants wildcard actions or resources", false),
	boolProp("least_privilege", "identities hold only the permissions they use", false),
	boolProp("secrets_management", "secrets come from a secret store, never from code or plain configuration", false),
	boolProp("network_restricted", "reachable only from allowed networks (security groups, private endpoints)", false),
	boolProp("patching", "the operating system and runtime are patched automatically", false),
	boolProp("privileged", "runs with host or administrator privileges", false),
	boolProp("managed", "the provider operates the service (patching, hardware)", false),
	boolProp("third_party", "operated by another organization", false),
	boolProp("image_scanning", "images and dependencies are scanned for known vulnerabilities", false),
	boolProp("signed_artifacts", "build artifacts are signed and verified before deployment", false),
	{Name: "data_residency", Type: StringProperty, Default: "", Doc: "where the data is kept, e.g. eu-west-1"},
	boolProp("key_rotation", "encryption keys are rotated automatically", false),
	boolProp("secret_rotation", "stored secrets are rotated automatically", false),
	boolProp("soft_delete", "deleted data or keys can be recovered for a retention period", false),
	boolProp("public_ip", "the instance has an address reachable from the internet", false),
	boolProp("long_lived_credentials", "access uses static keys or passwords rather than short-lived tokens", false),
	boolProp("password_policy", "passwords must meet a length and complexity policy", false),
	boolProp("external_access", "principals outside the organization or account are granted access", false),
	{Name: "tls_min_version", Type: EnumProperty, Values: []string{"", "1.0", "1.1", "1.2", "1.3"}, Default: "",
		Doc: "the oldest TLS version accepted; \"\" when unknown"},
	boolProp("tls_enforced", "the client insists on TLS with a verified certificate and never falls back to cleartext: STARTTLS required, implicit TLS, or between mail servers MTA-STS in enforce mode or DANE", true),
	boolProp("data_loss_prevention", "outgoing content is inspected for sensitive data (card numbers, health records, personal data) and blocked, encrypted or quarantined by policy", true),
	boolProp("malware_scanning", "files, attachments and links that arrive are scanned for malware, and dangerous ones blocked, before anyone or anything opens them", false),
	boolProp("mail_relay_restricted", "the mail server relays to other domains only for authenticated senders or listed networks; from anyone else it accepts mail only for its own domains", false),
	boolProp("mail_external_forwarding_blocked", "mailboxes cannot forward mail automatically to outside addresses, except to listed domains", false),
}

var propertyIndex = func() map[string]PropertyInfo {
	m := make(map[string]PropertyInfo, len(propertyCatalog))
	for _, p := range propertyCatalog {
		if _, dup := m[p.Name]; dup {
			panic("model: property " + p.Name + " is defined twice in the catalog")
		}
		m[p.Name] = p
	}
	return m
}()

func authenticationNames() []string {
	out := make([]string, len(Authentications))
	for i, a := range Authentications {
		out[i] = string(a)
	}
	return out
}

// Property is one property value as written, with its position.
type Property struct {
	Name  string
	Value any
	Pos   Pos
}

// Properties are a component's or flow's typed settings, checked against
// the catalog, in the order written. A list, not a map: elements set a few
// properties each, and a large model holds hundreds of thousands of them.
type Properties []Property

// Get returns the property called name and whether it is set.
func (p Properties) Get(name string) (Property, bool) {
	for _, prop := range p {
		if prop.Name == name {
			return prop, true
		}
	}
	return Property{}, false
}

// Bool returns a boolean property, or false when unset.
func (p Properties) Bool(name string) bool {
	prop, _ := p.Get(name)
	b, _ := prop.Value.(bool)
	return b
}

// String returns a string property, or "" when unset.
func (p Properties) String(name string) string {
	prop, _ := p.Get(name)
	s, _ := prop.Value.(string)
	return s
}

func (p *Properties) decodeNode(d *decoder, n *yaml.Node) {
	if isNull(n) {
		return // "properties:" with nothing under it: none
	}
	if n.Kind != yaml.MappingNode {
		d.addf(n, "properties must be a mapping of names to values")
		return
	}
	if *p == nil {
		*p = make(Properties, 0, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kv := struct{ Key, Value *yaml.Node }{n.Content[i], n.Content[i+1]}
		name, ok := d.scalar(kv.Key, "property name")
		if !ok {
			continue
		}
		if _, dup := p.Get(name); dup {
			d.addf(kv.Key, "duplicate property %q", name)
			continue
		}
		val := d.value(kv.Value, name)
		if strings.HasPrefix(name, CustomPropertyPrefix) {
			*p = append(*p, Property{Name: name, Value: val, Pos: d.pos(kv.Key)})
			continue
		}
		info, known := propertyIndex[name]
		if !known {
			names := make([]string, 0, len(propertyIndex))
			for k := range propertyIndex {
				names = append(names, k)
			}
			d.addf(kv.Key, "unknown property %q (see `ward kinds --properties`; custom ones start with %q)%s", name, CustomPropertyPrefix, DidYouMean(name, names))
			continue
		}
		if err := info.check(val); err != nil {
			d.addf(kv.Value, "property %s: %s", name, err)
			continue
		}
		*p = append(*p, Property{Name: name, Value: val, Pos: d.pos(kv.Key)})
	}
}

func (info PropertyInfo) check(v any) error {
	switch info.Type {
	case BoolProperty:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("must be true or false, not %v", v)
		}
	case StringProperty:
		if _, ok := v.(string); !ok {
			return fmt.Errorf("must be text, not %v", v)
		}
	case EnumProperty:
		s, _ := v.(string)
		if !slices.Contains(info.Values, s) {
			return fmt.Errorf("must be one of %s, not %v%s", strings.Join(info.Values, ", "), v, DidYouMean(s, info.Values))
		}
	}
	return nil
}
