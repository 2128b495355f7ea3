package aws

import (
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

func lambdaFunction(m *mapper, r *importer.Resource, c *model.Component) {
	p := r.Props
	// Environment variables naming other resources are the function's
	// dependencies: it reads and writes them.
	m.flowsTo(c, mapkit.Get(p, "Environment", "Variables"), "https", r.Pos)
	m.flowsTo(c, mapkit.Get(p, "DeadLetterConfig", "TargetArn"), "https", r.Pos)
	if mapkit.Get(p, "DeadLetterConfig") != nil {
		m.Set(r, c, "dead_letter_queue", true)
	}
	// The execution role's grants name what the function reaches.
	m.assumes(r, c, mapkit.Get(p, "Role"))
}

// statementResources are the Resource entries of a policy's statements.
func statementResources(doc any) []any {
	var out []any
	for _, st := range mapkit.List(mapkit.Get(doc, "Statement")) {
		out = append(out, mapkit.Get(st, "Resource"))
	}
	return out
}

func lambdaPermission(m *mapper, r *importer.Resource, _ *model.Component) {
	fn := m.functionOf(mapkit.Get(r.Props, "FunctionName"))
	principal, _ := str(mapkit.Get(r.Props, "Principal"))
	if fn == nil {
		return
	}
	if principal == "*" {
		m.Set(r, fn, "aws_lambda_policy_scoped", false)
	}
	// A permission for another resource of the template is a caller.
	m.flowsFrom(mapkit.Get(r.Props, "SourceArn"), fn, "https", r.Pos)
}

// functionOf resolves a FunctionName, which may name an alias or version.
func (m *mapper) functionOf(v any) *model.Component {
	return m.functionAt(v, 0)
}

func (m *mapper) functionAt(v any, depth int) *model.Component {
	if depth > 4 { // an alias of a version of a function
		return nil
	}
	for _, ref := range mapkit.Refs(v) {
		if c := m.ComponentOf(ref.ID); c != nil {
			return c
		}
		if res := m.byID[ref.ID]; res != nil {
			if c := m.functionAt(mapkit.Get(res.Props, "FunctionName"), depth+1); c != nil {
				return c
			}
		}
	}
	return nil
}

func eventSourceMapping(m *mapper, r *importer.Resource, _ *model.Component) {
	fn := m.functionOf(mapkit.Get(r.Props, "FunctionName"))
	if fn == nil {
		m.Warnf(r, "FunctionName does not name a function of this template; no flow made")
		return
	}
	// The service polls the source on the function's behalf: data flows
	// from the source into the function.
	m.flowsFrom(mapkit.Get(r.Props, "EventSourceArn"), fn, "https", r.Pos)
}

func lambdaURL(m *mapper, r *importer.Resource, _ *model.Component) {
	fn := m.functionOf(mapkit.Get(r.Props, "TargetFunctionArn"))
	if fn == nil {
		return
	}
	m.Set(r, fn, "aws_lambda_function_url", true)
	m.Set(r, fn, "public", true)
	if auth, _ := str(mapkit.Get(r.Props, "AuthType")); auth == "AWS_IAM" {
		m.Set(r, fn, "authentication", string(model.AuthIAM))
	} else if auth == "NONE" {
		m.Set(r, fn, "authentication", string(model.AuthNone))
	}
	m.FromInternet(fn, "https", r.Pos)
}

func ec2Instance(m *mapper, r *importer.Resource, c *model.Component) {
	p := r.Props
	if tokens, ok := str(mapkit.Get(p, "MetadataOptions", "HttpTokens")); ok {
		m.Set(r, c, "aws_imdsv2", tokens == "required")
	}
	for _, iface := range mapkit.List(mapkit.Get(p, "NetworkInterfaces")) {
		if v, ok := boolean(mapkit.Get(iface, "AssociatePublicIpAddress")); ok && v {
			m.Set(r, c, "public_ip", true)
		}
	}
	encrypted := len(mapkit.List(mapkit.Get(p, "BlockDeviceMappings"))) > 0
	for _, bd := range mapkit.List(mapkit.Get(p, "BlockDeviceMappings")) {
		if v, ok := boolean(mapkit.Get(bd, "Ebs", "Encrypted")); !ok || !v {
			encrypted = false
		}
	}
	if encrypted {
		m.Set(r, c, "encrypted_at_rest", true)
	}
	m.assumes(r, c, mapkit.Get(p, "IamInstanceProfile"))
}

func ecsService(m *mapper, r *importer.Resource, c *model.Component) {
	p := r.Props
	if lt, _ := str(mapkit.Get(p, "LaunchType")); lt == "FARGATE" {
		m.Set(r, c, "managed", true)
		m.Set(r, c, "aws_node_imds_blocked", true)
	}
	if ip, _ := str(mapkit.Get(p, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp")); ip == "ENABLED" {
		m.Set(r, c, "public_ip", true)
	}
	for _, td := range mapkit.Refs(mapkit.Get(p, "TaskDefinition")) {
		task := m.byID[td.ID]
		if task == nil {
			continue
		}
		m.assumes(r, c, mapkit.Get(task.Props, "TaskRoleArn"))
		for _, cd := range mapkit.List(mapkit.Get(task.Props, "ContainerDefinitions")) {
			if v, ok := boolean(mapkit.Get(cd, "Privileged")); ok && v {
				m.Set(r, c, "privileged", true)
			}
			m.flowsTo(c, mapkit.Get(cd, "Environment"), "https", r.Pos)
			m.flowsTo(c, mapkit.Get(cd, "Secrets"), "https", r.Pos)
		}
	}
	for _, lb := range mapkit.List(mapkit.Get(p, "LoadBalancers")) {
		for _, lbc := range m.loadBalancersOf(mapkit.Get(lb, "TargetGroupArn")) {
			m.Flow(lbc, c, "https", r.Pos)
		}
	}
}

func eksCluster(m *mapper, r *importer.Resource, c *model.Component) {
	vpc := mapkit.Get(r.Props, "ResourcesVpcConfig")
	m.setBool(r, c, "public", mapkit.Get(vpc, "EndpointPublicAccess"), mapkit.Ptr(true))
	m.Set(r, c, "logging", mapkit.Get(r.Props, "Logging", "ClusterLogging", "EnabledTypes") != nil)
	m.Set(r, c, "encrypted_at_rest", mapkit.Get(r.Props, "EncryptionConfig") != nil)
	// An endpoint open only to listed networks is restricted.
	if cidrs := mapkit.List(mapkit.Get(vpc, "PublicAccessCidrs")); len(cidrs) > 0 {
		world, known := false, true
		for _, cidr := range cidrs {
			world = world || isWorldCIDR(cidr)
			_, unsure := unknown(cidr)
			known = known && !unsure
		}
		switch {
		case world:
			m.Set(r, c, "network_restricted", false)
		case known:
			m.Set(r, c, "network_restricted", true)
		default:
			m.Warnf(r, "PublicAccessCidrs is not known statically; network_restricted left unset")
		}
	}
	m.assumes(r, c, mapkit.Get(r.Props, "RoleArn"))
}

func stateMachine(m *mapper, r *importer.Resource, c *model.Component) {
	level := mapkit.Get(r.Props, "LoggingConfiguration", "Level")
	if s, _ := str(level); s == "OFF" {
		m.Set(r, c, "logging", false)
	} else {
		m.setPresent(r, c, "logging", "LoggingConfiguration.Level", level)
	}
	m.flowsTo(c, mapkit.Get(r.Props, "DefinitionSubstitutions"), "https", r.Pos)
	m.assumes(r, c, mapkit.Get(r.Props, "RoleArn"))
	// The tasks of the definition name the functions, queues and tables
	// the machine calls.
	m.flowsTo(c, mapkit.Get(r.Props, "Definition"), "https", r.Pos)
	if typ, _ := str(mapkit.Get(r.Props, "EncryptionConfiguration", "Type")); typ != "" {
		m.Set(r, c, "customer_managed_keys", typ == "CUSTOMER_MANAGED_KMS_KEY")
	}
}

func sqsQueue(m *mapper, r *importer.Resource, c *model.Component) {
	p := r.Props
	sse, _ := boolean(mapkit.Get(p, "SqsManagedSseEnabled"))
	if _, unsure := unknown(mapkit.Get(p, "SqsManagedSseEnabled")); unsure && mapkit.Get(p, "KmsMasterKeyId") == nil {
		m.Warnf(r, "SqsManagedSseEnabled is not known statically; encrypted_at_rest left unset")
	} else {
		// Queues are encrypted with SQS-managed keys unless that is turned off.
		m.Set(r, c, "encrypted_at_rest", sse || mapkit.Get(p, "KmsMasterKeyId") != nil || mapkit.Get(p, "SqsManagedSseEnabled") == nil)
	}
	m.Set(r, c, "customer_managed_keys", mapkit.Get(p, "KmsMasterKeyId") != nil)
	m.Set(r, c, "dead_letter_queue", mapkit.Get(p, "RedrivePolicy") != nil)
	m.flowsTo(c, mapkit.Get(p, "RedrivePolicy", "deadLetterTargetArn"), "https", r.Pos)
}

func snsTopic(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "encrypted_at_rest", mapkit.Get(r.Props, "KmsMasterKeyId") != nil)
	for _, sub := range mapkit.List(mapkit.Get(r.Props, "Subscription")) {
		m.flowsTo(c, mapkit.Get(sub, "Endpoint"), "https", r.Pos)
	}
}

func snsSubscription(m *mapper, r *importer.Resource, _ *model.Component) {
	for _, topic := range mapkit.Refs(mapkit.Get(r.Props, "TopicArn")) {
		from := m.ComponentOf(topic.ID)
		if fn := m.functionOf(mapkit.Get(r.Props, "Endpoint")); fn != nil {
			m.Flow(from, fn, "https", r.Pos)
			continue
		}
		m.flowsTo(from, mapkit.Get(r.Props, "Endpoint"), "https", r.Pos)
	}
}

func eventsRule(m *mapper, r *importer.Resource, c *model.Component) {
	targets := mapkit.List(mapkit.Get(r.Props, "Targets"))
	if len(targets) > 0 {
		// Events that fail delivery are kept only when every target has a
		// dead-letter queue.
		dlq := true
		for _, t := range targets {
			dlq = dlq && mapkit.Get(t, "DeadLetterConfig", "Arn") != nil
		}
		m.Set(r, c, "dead_letter_queue", dlq)
	}
	for _, t := range targets {
		if fn := m.functionOf(mapkit.Get(t, "Arn")); fn != nil {
			m.Flow(c, fn, "https", r.Pos)
			continue
		}
		m.flowsTo(c, mapkit.Get(t, "Arn"), "https", r.Pos)
	}
	m.flowsFrom(mapkit.Get(r.Props, "EventBusName"), c, "https", r.Pos)
}

// isAdminPort reports whether a port range covers SSH or RDP.
func isAdminPort(from, to int) bool {
	return from <= 22 && 22 <= to || from <= 3389 && 3389 <= to
}

func protocolOf(port int) string {
	switch port {
	case 22:
		return "ssh"
	case 3389:
		return "rdp"
	case 443:
		return "https"
	case 80:
		return "http"
	}
	return "tcp"
}

func isWorldCIDR(v any) bool {
	s, _ := str(v)
	return strings.TrimSpace(s) == "0.0.0.0/0" || strings.TrimSpace(s) == "::/0"
}

// autoScalingGroup reads the instances' settings from the group's launch
// template, as an instance's own.
func autoScalingGroup(m *mapper, r *importer.Resource, c *model.Component) {
	if tmpl := m.launchTemplateOf(r); tmpl != nil {
		ec2Instance(m, &importer.Resource{ID: r.ID, Pos: r.Pos, Props: tmpl}, c)
	}
	for _, lb := range m.loadBalancersOf(mapkit.Get(r.Props, "TargetGroupARNs")) {
		m.Flow(lb, c, "https", r.Pos)
	}
	m.flowsFrom(mapkit.Get(r.Props, "LoadBalancerNames"), c, "tcp", r.Pos)
}

// launchTemplateOf is the LaunchTemplateData of the template a group
// names, or nil.
func (m *mapper) launchTemplateOf(r *importer.Resource) map[string]any {
	lt := mapkit.Get(r.Props, "LaunchTemplate")
	if lt == nil {
		lt = mapkit.Get(r.Props, "MixedInstancesPolicy", "LaunchTemplate", "LaunchTemplateSpecification")
	}
	for _, ref := range mapkit.Refs(lt) {
		if t := m.byID[ref.ID]; t != nil && t.Type == "AWS::EC2::LaunchTemplate" {
			data, _ := mapkit.Get(t.Props, "LaunchTemplateData").(map[string]any)
			return data
		}
	}
	return nil
}

func codeBuild(m *mapper, r *importer.Resource, c *model.Component) {
	if v, ok := boolean(mapkit.Get(r.Props, "Environment", "PrivilegedMode")); ok {
		m.Set(r, c, "privileged", v)
	}
	m.assumes(r, c, mapkit.Get(r.Props, "ServiceRole"))
}
