package aws

import (
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

func iamRole(m *mapper, r *importer.Resource, c *model.Component) {
	m.applyGrants(r, c, m.grantsOf(r.ID))
	trust := readPolicy(mapkit.Get(r.Props, "AssumeRolePolicyDocument"))
	if trust.public {
		m.Set(r, c, "public", true)
	}
	if trust.external {
		m.Set(r, c, "external_access", true)
	}
	m.Set(r, c, "aws_permissions_boundary", mapkit.Get(r.Props, "PermissionsBoundary") != nil)
}

func iamPolicy(m *mapper, r *importer.Resource, c *model.Component) {
	m.applyPolicy(r, c, mapkit.Get(r.Props, "PolicyDocument"))
	if f := readPolicy(mapkit.Get(r.Props, "PolicyDocument")); f.known && !f.wildcards {
		if _, set := c.Properties.Get("iam_wildcards"); !set {
			m.Set(r, c, "iam_wildcards", false)
		}
	}
	for _, key := range []string{"Roles", "Users", "Groups"} {
		for _, ref := range mapkit.Refs(mapkit.Get(r.Props, key)) {
			m.Flow(c, m.ComponentOf(ref.ID), "", r.Pos)
		}
	}
}

func iamUser(m *mapper, r *importer.Resource, c *model.Component) {
	m.applyGrants(r, c, m.grantsOf(r.ID))
	if mapkit.Get(r.Props, "LoginProfile") != nil {
		m.Set(r, c, "authentication", string(model.AuthPassword))
	}
	m.Set(r, c, "aws_permissions_boundary", mapkit.Get(r.Props, "PermissionsBoundary") != nil)
}

func accessKey(m *mapper, r *importer.Resource, _ *model.Component) {
	for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "UserName")) {
		if user := m.ComponentOf(ref.ID); user != nil {
			m.Set(r, user, "long_lived_credentials", true)
			m.Set(r, user, "authentication", string(model.AuthAPIKey))
		}
	}
}

func kmsKey(m *mapper, r *importer.Resource, c *model.Component) {
	m.setBool(r, c, "key_rotation", mapkit.Get(r.Props, "EnableKeyRotation"), mapkit.Ptr(false))
	// A key policy's "*" resource means the key itself, so only who it
	// admits is read.
	f := readPolicy(mapkit.Get(r.Props, "KeyPolicy"))
	if f.public {
		m.Set(r, c, "public", true)
	}
	if f.external {
		m.Set(r, c, "external_access", true)
	}
}

func userPool(m *mapper, r *importer.Resource, c *model.Component) {
	mfa, _ := str(mapkit.Get(r.Props, "MfaConfiguration"))
	m.Set(r, c, "mfa", mfa == "ON")
	m.setBool(r, c, "aws_cognito_admin_only_signup", mapkit.Get(r.Props, "AdminCreateUserConfig", "AllowAdminCreateUserOnly"), mapkit.Ptr(false))
	m.Set(r, c, "password_policy", true) // every pool has one; the default asks for 8 mixed characters
	m.Set(r, c, "authentication", string(model.AuthPassword))
}

func identityPool(m *mapper, r *importer.Resource, c *model.Component) {
	m.setBool(r, c, "aws_cognito_guest_access", mapkit.Get(r.Props, "AllowUnauthenticatedIdentities"), mapkit.Ptr(false))
}

func trail(m *mapper, r *importer.Resource, c *model.Component) {
	m.setBool(r, c, "aws_multi_region_trail", mapkit.Get(r.Props, "IsMultiRegionTrail"), mapkit.Ptr(false))
	m.setBool(r, c, "aws_log_file_validation", mapkit.Get(r.Props, "EnableLogFileValidation"), mapkit.Ptr(false))
	m.Set(r, c, "customer_managed_keys", mapkit.Get(r.Props, "KMSKeyId") != nil)
	m.Set(r, c, "logging", true)
	m.flowsTo(c, mapkit.Get(r.Props, "S3BucketName"), "https", r.Pos)
	m.flowsTo(c, mapkit.Get(r.Props, "CloudWatchLogsLogGroupArn"), "https", r.Pos)
}

// alarm marks what an alarm with actions watches as monitored: its
// dimensions name the resources.
func alarm(m *mapper, r *importer.Resource, _ *model.Component) {
	if len(mapkit.List(mapkit.Get(r.Props, "AlarmActions"))) == 0 {
		return
	}
	dims := []any{mapkit.Get(r.Props, "Dimensions")}
	for _, metric := range mapkit.List(mapkit.Get(r.Props, "Metrics")) {
		dims = append(dims, mapkit.Get(metric, "MetricStat", "Metric", "Dimensions"))
	}
	for _, ref := range mapkit.Refs(dims) {
		m.Set(r, m.ComponentOf(ref.ID), "monitoring", true)
	}
}

// eventBusPolicy folds a bus's permission statement into the bus: who
// may put events on it.
func eventBusPolicy(m *mapper, r *importer.Resource, _ *model.Component) {
	st := mapkit.Get(r.Props, "Statement")
	if st == nil && mapkit.Get(r.Props, "Principal") != nil {
		st = map[string]any{"Effect": "Allow", "Action": mapkit.Get(r.Props, "Action"),
			"Principal": map[string]any{"AWS": mapkit.Get(r.Props, "Principal")}, "Condition": mapkit.Get(r.Props, "Condition")}
	}
	if st == nil {
		return
	}
	for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "EventBusName")) {
		if c := m.ComponentOf(ref.ID); c != nil {
			m.applyPolicy(r, c, map[string]any{"Statement": st})
		}
	}
}
