package aws

import (
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

func restAPI(m *mapper, r *importer.Resource, c *model.Component) {
	types := mapkit.List(mapkit.Get(r.Props, "EndpointConfiguration", "Types"))
	private := slices.ContainsFunc(types, func(t any) bool { s, _ := str(t); return s == "PRIVATE" })
	m.Set(r, c, "aws_api_private_endpoint", private)
	m.Set(r, c, "public", !private)
	if !private {
		m.FromInternet(c, "https", r.Pos)
	}
	m.Set(r, c, "encrypted_in_transit", true) // API Gateway serves HTTPS only
	m.apiTargets(c, mapkit.Get(r.Props, "Body"), r.Pos)
}

// apiTargets adds flows to the backends an inline OpenAPI body names.
func (m *mapper) apiTargets(api *model.Component, body any, pos model.Pos) {
	for _, ref := range mapkit.Refs(body) {
		if fn := m.functionOf(ref); fn != nil {
			m.Flow(api, fn, "https", pos)
			continue
		}
		m.Flow(api, m.ComponentOf(ref.ID), "https", pos)
	}
}

func apiMethod(m *mapper, r *importer.Resource, _ *model.Component) {
	api := m.apiOf(r)
	if api == nil {
		return
	}
	m.apiTargets(api, mapkit.Get(r.Props, "Integration", "Uri"), r.Pos)
	auth, _ := str(mapkit.Get(r.Props, "AuthorizationType"))
	if key, _ := boolean(mapkit.Get(r.Props, "ApiKeyRequired")); key && (auth == "" || auth == "NONE") {
		auth = "API_KEY"
	}
	m.apiAuth(r, api, auth)
}

// apiAuth records how an API's callers authenticate; the weakest method
// of any route is the API's.
func (m *mapper) apiAuth(r *importer.Resource, api *model.Component, how string) {
	var auth model.Authentication
	switch how {
	case "NONE", "":
		auth = model.AuthNone
	case "API_KEY":
		auth = model.AuthAPIKey
	case "AWS_IAM":
		auth = model.AuthIAM
	case "COGNITO_USER_POOLS", "JWT":
		auth = model.AuthOAuth
	case "CUSTOM", "TOKEN", "REQUEST":
		auth = model.AuthToken
	default:
		return
	}
	if p, ok := api.Properties.Get("authentication"); ok && p.Value == string(model.AuthNone) {
		return
	}
	m.Set(r, api, "authentication", string(auth))
}

func (m *mapper) apiOf(r *importer.Resource) *model.Component {
	for _, key := range []string{"RestApiId", "ApiId"} {
		for _, ref := range mapkit.Refs(mapkit.Get(r.Props, key)) {
			if c := m.ComponentOf(ref.ID); c != nil {
				return c
			}
		}
	}
	return nil
}

func apiStage(m *mapper, r *importer.Resource, _ *model.Component) {
	api := m.apiOf(r)
	if api == nil {
		return
	}
	logged := mapkit.Get(r.Props, "AccessLogSetting") != nil || mapkit.Get(r.Props, "AccessLogSettings") != nil
	m.Set(r, api, "logging", logged)
	throttled := mapkit.Get(r.Props, "DefaultRouteSettings", "ThrottlingRateLimit") != nil
	for _, s := range mapkit.List(mapkit.Get(r.Props, "MethodSettings")) {
		if mapkit.Get(s, "ThrottlingRateLimit") != nil {
			throttled = true
		}
	}
	m.Set(r, api, "aws_api_stage_throttling", throttled)
	if throttled {
		m.Set(r, api, "rate_limiting", true)
	}
}

func apiAuthorizer(m *mapper, r *importer.Resource, _ *model.Component) {
	api := m.apiOf(r)
	if api == nil {
		return
	}
	typ, _ := str(mapkit.Get(r.Props, "Type"))
	if typ == "REQUEST" || typ == "TOKEN" {
		m.flowsTo(api, mapkit.Get(r.Props, "AuthorizerUri"), "https", r.Pos)
	}
}

func httpAPI(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "public", true)
	m.Set(r, c, "encrypted_in_transit", true)
	m.FromInternet(c, "https", r.Pos)
	m.apiTargets(c, mapkit.Get(r.Props, "Target"), r.Pos)
	m.apiTargets(c, mapkit.Get(r.Props, "Body"), r.Pos)
}

func httpIntegration(m *mapper, r *importer.Resource, _ *model.Component) {
	if api := m.apiOf(r); api != nil {
		m.apiTargets(api, mapkit.Get(r.Props, "IntegrationUri"), r.Pos)
	}
}

func cloudfront(m *mapper, r *importer.Resource, c *model.Component) {
	cfg := mapkit.Get(r.Props, "DistributionConfig")
	m.Set(r, c, "public", true)
	m.FromInternet(c, "https", r.Pos)
	for _, o := range mapkit.List(mapkit.Get(cfg, "Origins")) {
		proto := "https"
		if p, _ := str(mapkit.Get(o, "CustomOriginConfig", "OriginProtocolPolicy")); p == "http-only" {
			proto = "http"
		}
		m.flowsTo(c, mapkit.Get(o, "DomainName"), proto, r.Pos)
	}
	m.Set(r, c, "waf", mapkit.Get(cfg, "WebACLId") != nil)
	m.Set(r, c, "logging", mapkit.Get(cfg, "Logging") != nil)
	policy, _ := str(mapkit.Get(cfg, "DefaultCacheBehavior", "ViewerProtocolPolicy"))
	if policy != "" {
		// Every path must refuse plain HTTP.
		plain := policy == "allow-all"
		for _, b := range mapkit.List(mapkit.Get(cfg, "CacheBehaviors")) {
			p, _ := str(mapkit.Get(b, "ViewerProtocolPolicy"))
			plain = plain || p == "allow-all"
		}
		m.Set(r, c, "encrypted_in_transit", !plain)
	}
	// The default certificate accepts TLS 1.0 from viewers.
	if v, _ := boolean(mapkit.Get(cfg, "ViewerCertificate", "CloudFrontDefaultCertificate")); v {
		m.Set(r, c, "tls_min_version", "1.0")
	}
	if v, ok := str(mapkit.Get(cfg, "ViewerCertificate", "MinimumProtocolVersion")); ok && len(v) >= 7 && v[:5] == "TLSv1" {
		switch {
		case len(v) >= 7 && v[5:7] == ".2":
			m.Set(r, c, "tls_min_version", "1.2")
		case len(v) >= 7 && v[5:7] == ".1":
			m.Set(r, c, "tls_min_version", "1.1")
		}
	}
}

func webACL(m *mapper, r *importer.Resource, c *model.Component) {
	managed := false
	for _, rule := range mapkit.List(mapkit.Get(r.Props, "Rules")) {
		if mapkit.Get(rule, "Statement", "ManagedRuleGroupStatement") != nil {
			managed = true
		}
	}
	m.Set(r, c, "aws_waf_managed_rules", managed)
	m.Set(r, c, "logging", mapkit.Get(r.Props, "VisibilityConfig", "CloudWatchMetricsEnabled") != nil)
	if _, unsure := unknown(mapkit.Get(r.Props, "Rules")); unsure {
		m.Warnf(r, "Rules are not known statically; aws_waf_blocking and rate_limiting left unset")
		return
	}
	// Blocking: the default action blocks, a rule blocks, or a managed
	// group's own block actions are left in force.
	blocking := mapkit.Get(r.Props, "DefaultAction", "Block") != nil
	limited := false
	for _, rule := range mapkit.List(mapkit.Get(r.Props, "Rules")) {
		if mapkit.Get(rule, "Action", "Block") != nil || mapkit.Get(rule, "OverrideAction", "None") != nil {
			blocking = true
		}
		if mapkit.Get(rule, "Statement", "RateBasedStatement") != nil {
			limited = true
		}
	}
	m.Set(r, c, "aws_waf_blocking", blocking)
	m.Set(r, c, "rate_limiting", limited)
}

func webACLAssociation(m *mapper, r *importer.Resource, _ *model.Component) {
	for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "ResourceArn")) {
		target := m.ComponentOf(ref.ID)
		if target == nil {
			// A stage's ARN: the WAF guards its API.
			if st := m.byID[ref.ID]; st != nil {
				target = m.apiOf(st)
			}
		}
		m.Set(r, target, "waf", true)
	}
}

func loadBalancer(m *mapper, r *importer.Resource, c *model.Component) {
	if typ, _ := str(mapkit.Get(r.Props, "Type")); typ == "network" {
		c.Kind = "aws.nlb"
	}
	scheme, _ := str(mapkit.Get(r.Props, "Scheme"))
	public := scheme == "" || scheme == "internet-facing"
	m.Set(r, c, "public", public)
	if public {
		m.FromInternet(c, "https", r.Pos)
	}
	for _, a := range mapkit.List(mapkit.Get(r.Props, "LoadBalancerAttributes")) {
		key, _ := str(mapkit.Get(a, "Key"))
		on, _ := boolean(mapkit.Get(a, "Value"))
		switch key {
		case "routing.http.drop_invalid_header_fields.enabled":
			m.Set(r, c, "aws_drop_invalid_headers", on)
		case "access_logs.s3.enabled":
			m.Set(r, c, "logging", on)
		case "deletion_protection.enabled":
			m.Set(r, c, "deletion_protection", on)
		}
	}
}

// targetGroupsOf lists the target groups a listener's actions forward to.
func targetGroupsOf(actions any) []importer.ResourceRef {
	var out []importer.ResourceRef
	for _, a := range mapkit.List(actions) {
		out = append(out, mapkit.Refs(mapkit.Get(a, "TargetGroupArn"))...)
		for _, tg := range mapkit.List(mapkit.Get(a, "ForwardConfig", "TargetGroups")) {
			out = append(out, mapkit.Refs(mapkit.Get(tg, "TargetGroupArn"))...)
		}
	}
	return out
}

func listener(m *mapper, r *importer.Resource, _ *model.Component) {
	var lb *model.Component
	for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "LoadBalancerArn")) {
		lb = m.ComponentOf(ref.ID)
	}
	if lb == nil {
		return
	}
	proto, _ := str(mapkit.Get(r.Props, "Protocol"))
	redirects := true
	for _, a := range mapkit.List(mapkit.Get(r.Props, "DefaultActions")) {
		if t, _ := str(mapkit.Get(a, "Type")); t != "redirect" {
			redirects = false
		}
	}
	switch {
	case proto == "HTTPS" || proto == "TLS":
		if _, set := lb.Properties.Get("encrypted_in_transit"); !set {
			m.Set(r, lb, "encrypted_in_transit", true)
		}
	case !redirects:
		m.Set(r, lb, "encrypted_in_transit", false)
	}
	for _, tg := range targetGroupsOf(mapkit.Get(r.Props, "DefaultActions")) {
		m.targetsOf(lb, tg, r.Pos)
	}
}

// targetsOf adds flows from a load balancer to a target group's targets.
func (m *mapper) targetsOf(lb *model.Component, tg importer.ResourceRef, pos model.Pos) {
	group := m.byID[tg.ID]
	if group == nil {
		return
	}
	for _, t := range mapkit.List(mapkit.Get(group.Props, "Targets")) {
		if fn := m.functionOf(mapkit.Get(t, "Id")); fn != nil {
			m.Flow(lb, fn, "https", pos)
			continue
		}
		m.flowsTo(lb, mapkit.Get(t, "Id"), "https", pos)
	}
}

// loadBalancersOf lists the load balancers whose listeners forward to a
// target group.
func (m *mapper) loadBalancersOf(tg any) []*model.Component {
	var out []*model.Component
	for _, w := range mapkit.Refs(tg) {
		for _, lb := range m.forwarders()[w.ID] {
			if c := m.ComponentOf(lb); c != nil && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b *model.Component) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out
}

func classicLoadBalancer(m *mapper, r *importer.Resource, c *model.Component) {
	scheme, _ := str(mapkit.Get(r.Props, "Scheme"))
	public := scheme != "internal"
	m.Set(r, c, "public", public)
	if public {
		m.FromInternet(c, "https", r.Pos)
	}
	m.flowsTo(c, mapkit.Get(r.Props, "Instances"), "tcp", r.Pos)
	if v, ok := boolean(mapkit.Get(r.Props, "AccessLoggingPolicy", "Enabled")); ok {
		m.Set(r, c, "logging", v)
	} else {
		m.Set(r, c, "logging", mapkit.Get(r.Props, "AccessLoggingPolicy") != nil)
	}
	if listeners := mapkit.List(mapkit.Get(r.Props, "Listeners")); len(listeners) > 0 {
		tls, known := true, true
		for _, l := range listeners {
			p, ok := str(mapkit.Get(l, "Protocol"))
			p = strings.ToUpper(p)
			tls = tls && (p == "HTTPS" || p == "SSL")
			known = known && ok
		}
		if known || !tls {
			m.Set(r, c, "encrypted_in_transit", tls)
		}
	}
}

// usagePlan: a plan's throttle caps the request rate of the APIs it
// names.
func usagePlan(m *mapper, r *importer.Resource, _ *model.Component) {
	if mapkit.Get(r.Props, "Throttle", "RateLimit") == nil {
		return
	}
	for _, st := range mapkit.List(mapkit.Get(r.Props, "ApiStages")) {
		for _, ref := range mapkit.Refs(mapkit.Get(st, "ApiId")) {
			if api := m.ComponentOf(ref.ID); api != nil {
				m.Set(r, api, "aws_api_stage_throttling", true)
				m.Set(r, api, "rate_limiting", true)
			}
		}
	}
}

func httpRoute(m *mapper, r *importer.Resource, _ *model.Component) {
	if api := m.apiOf(r); api != nil {
		auth, _ := str(mapkit.Get(r.Props, "AuthorizationType"))
		m.apiAuth(r, api, auth)
	}
}

func appSync(m *mapper, r *importer.Resource, c *model.Component) {
	if vis, _ := str(mapkit.Get(r.Props, "Visibility")); vis != "PRIVATE" {
		m.Set(r, c, "public", true)
		m.FromInternet(c, "https", r.Pos)
	}
	m.Set(r, c, "encrypted_in_transit", true) // AppSync serves HTTPS only
	m.Set(r, c, "logging", mapkit.Get(r.Props, "LogConfig") != nil)
	// The weakest of the API's providers is how it can be called.
	how := []any{mapkit.Get(r.Props, "AuthenticationType")}
	for _, p := range mapkit.List(mapkit.Get(r.Props, "AdditionalAuthenticationProviders")) {
		how = append(how, mapkit.Get(p, "AuthenticationType"))
	}
	rank := map[string]model.Authentication{"API_KEY": model.AuthAPIKey, "AWS_LAMBDA": model.AuthToken,
		"OPENID_CONNECT": model.AuthOAuth, "AMAZON_COGNITO_USER_POOLS": model.AuthOAuth, "AWS_IAM": model.AuthIAM}
	order := []model.Authentication{model.AuthAPIKey, model.AuthToken, model.AuthOAuth, model.AuthIAM}
	for _, want := range order {
		for _, h := range how {
			if s, _ := str(h); rank[s] == want {
				m.Set(r, c, "authentication", string(want))
				return
			}
		}
	}
}

// shieldProtection marks the resource Shield Advanced protects.
func shieldProtection(m *mapper, r *importer.Resource, _ *model.Component) {
	for _, ref := range mapkit.Refs(mapkit.Get(r.Props, "ResourceArn")) {
		m.Set(r, m.ComponentOf(ref.ID), "ddos_protection", true)
	}
}

// listenerRule adds flows from the listener's load balancer to the rule's
// targets.
func listenerRule(m *mapper, r *importer.Resource, _ *model.Component) {
	for _, l := range mapkit.Refs(mapkit.Get(r.Props, "ListenerArn")) {
		listener := m.byID[l.ID]
		if listener == nil {
			continue
		}
		for _, ref := range mapkit.Refs(mapkit.Get(listener.Props, "LoadBalancerArn")) {
			if lb := m.ComponentOf(ref.ID); lb != nil {
				for _, tg := range targetGroupsOf(mapkit.Get(r.Props, "Actions")) {
					m.targetsOf(lb, tg, r.Pos)
				}
			}
		}
	}
}

// forwarders indexes, once, the load balancers (by resource id) whose
// listeners or listener rules forward to each target group.
func (m *mapper) forwarders() map[string][]string {
	if m.forwardTo != nil {
		return m.forwardTo
	}
	m.forwardTo = map[string][]string{}
	for _, r := range m.byID {
		actions := mapkit.Get(r.Props, "DefaultActions")
		lbs := mapkit.Refs(mapkit.Get(r.Props, "LoadBalancerArn"))
		switch r.Type {
		case "AWS::ElasticLoadBalancingV2::Listener":
		case "AWS::ElasticLoadBalancingV2::ListenerRule":
			// A rule forwards for its listener's load balancer.
			actions, lbs = mapkit.Get(r.Props, "Actions"), nil
			for _, l := range mapkit.Refs(mapkit.Get(r.Props, "ListenerArn")) {
				if listener := m.byID[l.ID]; listener != nil {
					lbs = append(lbs, mapkit.Refs(mapkit.Get(listener.Props, "LoadBalancerArn"))...)
				}
			}
		default:
			continue
		}
		for _, got := range targetGroupsOf(actions) {
			for _, lb := range lbs {
				m.forwardTo[got.ID] = append(m.forwardTo[got.ID], lb.ID)
			}
		}
	}
	return m.forwardTo
}
