package terraform

// Conversions of CDN, firewall, API and load-balancer resources.

func cloudfrontDistribution(tf map[string]any) map[string]any {
	cfg := rename(tf, "web_acl_id", "WebACLId", "enabled", "Enabled", "aliases", "Aliases")
	var origins []any
	for _, o := range blocks(tf, "origin") {
		origin := rename(o, "domain_name", "DomainName", "origin_id", "Id", "origin_access_control_id", "OriginAccessControlId")
		if b := block(o, "s3_origin_config"); b != nil {
			origin["S3OriginConfig"] = rename(b, "origin_access_identity", "OriginAccessIdentity")
		}
		if b := block(o, "custom_origin_config"); b != nil {
			origin["CustomOriginConfig"] = rename(b, "origin_protocol_policy", "OriginProtocolPolicy", "origin_ssl_protocols", "OriginSSLProtocols")
		}
		origins = append(origins, origin)
	}
	setList(cfg, "Origins", origins)
	if b := block(tf, "default_cache_behavior"); b != nil {
		cfg["DefaultCacheBehavior"] = rename(b, "viewer_protocol_policy", "ViewerProtocolPolicy", "target_origin_id", "TargetOriginId")
	}
	var behaviors []any
	for _, b := range blocks(tf, "ordered_cache_behavior") {
		behaviors = append(behaviors, rename(b, "viewer_protocol_policy", "ViewerProtocolPolicy", "target_origin_id", "TargetOriginId", "path_pattern", "PathPattern"))
	}
	setList(cfg, "CacheBehaviors", behaviors)
	if b := block(tf, "viewer_certificate"); b != nil {
		cfg["ViewerCertificate"] = rename(b, "minimum_protocol_version", "MinimumProtocolVersion",
			"cloudfront_default_certificate", "CloudFrontDefaultCertificate", "acm_certificate_arn", "AcmCertificateArn")
	}
	if b := block(tf, "logging_config"); b != nil {
		cfg["Logging"] = rename(b, "bucket", "Bucket", "prefix", "Prefix")
	}
	return map[string]any{"DistributionConfig": cfg}
}

// wafAction turns an action block (allow {}, block {}, count {}, none {})
// into CloudFormation's {"Allow": {}} shape.
func wafAction(b map[string]any) map[string]any {
	if b == nil {
		return nil
	}
	out := map[string]any{}
	for tf, cfn := range map[string]string{"allow": "Allow", "block": "Block", "count": "Count", "none": "None", "captcha": "Captcha", "challenge": "Challenge"} {
		if a := block(b, tf); a != nil {
			out[cfn] = map[string]any{}
		}
	}
	return out
}

func webACL(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "scope", "Scope")
	if tf["name"] != nil {
		out["Name"] = tf["name"]
	}
	setIf(out, "DefaultAction", mapOrNil(wafAction(block(tf, "default_action"))))
	var rules []any
	for _, r := range blocks(tf, "rule") {
		rule := rename(r, "name", "Name", "priority", "Priority")
		setIf(rule, "Action", mapOrNil(wafAction(block(r, "action"))))
		setIf(rule, "OverrideAction", mapOrNil(wafAction(block(r, "override_action"))))
		st := map[string]any{}
		if s := block(r, "statement"); s != nil {
			if b := block(s, "managed_rule_group_statement"); b != nil {
				st["ManagedRuleGroupStatement"] = rename(b, "name", "Name", "vendor_name", "VendorName")
			}
			if b := block(s, "rate_based_statement"); b != nil {
				st["RateBasedStatement"] = rename(b, "limit", "Limit", "aggregate_key_type", "AggregateKeyType")
			}
		}
		rule["Statement"] = st
		rules = append(rules, rule)
	}
	setList(out, "Rules", rules)
	if b := block(tf, "visibility_config"); b != nil {
		out["VisibilityConfig"] = rename(b, "cloudwatch_metrics_enabled", "CloudWatchMetricsEnabled", "metric_name", "MetricName",
			"sampled_requests_enabled", "SampledRequestsEnabled")
	}
	return out
}

func mapOrNil(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

func appSyncAPI(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "authentication_type", "AuthenticationType", "visibility", "Visibility")
	if tf["name"] != nil {
		out["Name"] = tf["name"]
	}
	var providers []any
	for _, p := range blocks(tf, "additional_authentication_provider") {
		providers = append(providers, rename(p, "authentication_type", "AuthenticationType"))
	}
	setList(out, "AdditionalAuthenticationProviders", providers)
	if b := block(tf, "log_config"); b != nil {
		out["LogConfig"] = rename(b, "field_log_level", "FieldLogLevel", "cloudwatch_logs_role_arn", "CloudWatchLogsRoleArn")
	}
	return out
}

func classicELB(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "instances", "Instances", "subnets", "Subnets", "security_groups", "SecurityGroups")
	if v, ok := tf["internal"]; ok {
		setIf(out, "Scheme", onOff(v, "internal", "internet-facing"))
	}
	if b := block(tf, "access_logs"); b != nil {
		enabled := b["enabled"]
		if enabled == nil {
			enabled = true
		}
		out["AccessLoggingPolicy"] = map[string]any{"Enabled": enabled, "S3BucketName": b["bucket"]}
	}
	var listeners []any
	for _, l := range blocks(tf, "listener") {
		listeners = append(listeners, rename(l, "lb_protocol", "Protocol", "instance_protocol", "InstanceProtocol",
			"lb_port", "LoadBalancerPort", "instance_port", "InstancePort", "ssl_certificate_id", "SSLCertificateId"))
	}
	setList(out, "Listeners", listeners)
	return out
}

func listenerRule(tf map[string]any) map[string]any {
	out := rename(tf, "listener_arn", "ListenerArn", "priority", "Priority")
	var actions []any
	for _, a := range blocks(tf, "action") {
		action := rename(a, "type", "Type", "target_group_arn", "TargetGroupArn")
		if f := block(a, "forward"); f != nil {
			var groups []any
			for _, g := range blocks(f, "target_group") {
				groups = append(groups, rename(g, "arn", "TargetGroupArn", "weight", "Weight"))
			}
			action["ForwardConfig"] = map[string]any{"TargetGroups": groups}
		}
		actions = append(actions, action)
	}
	setList(out, "Actions", actions)
	return out
}

func usagePlan(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name")
	var stages []any
	for _, s := range blocks(tf, "api_stages") {
		stages = append(stages, rename(s, "api_id", "ApiId", "stage", "Stage"))
	}
	setList(out, "ApiStages", stages)
	if b := block(tf, "throttle_settings"); b != nil {
		out["Throttle"] = rename(b, "rate_limit", "RateLimit", "burst_limit", "BurstLimit")
	}
	return out
}
