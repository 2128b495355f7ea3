package azure

import (
	"fmt"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

const (
	wafPolicyType    = "microsoft.network/applicationgatewaywebapplicationfirewallpolicies"
	userIdentityType = "microsoft.managedidentity/userassignedidentities"
)

// firewallRules reads start/end address rules: whether one admits every
// address, and whether one is the 0.0.0.0 "Allow Azure services" rule.
func firewallRules(rules []any, start, end string) (internet, azureServices bool) {
	for _, rule := range rules {
		s, _ := mapkit.Get(rule, "properties", start).(string)
		e, _ := mapkit.Get(rule, "properties", end).(string)
		switch {
		case s == "0.0.0.0" && e == "0.0.0.0":
			azureServices = true
		case s == "0.0.0.0" && e == "255.255.255.255":
			internet = true
		}
	}
	return internet, azureServices
}

// redisCache: without firewall rules a cache with public access admits
// every address; its access keys are shared secrets.
func redisCache(m *mapper, r *importer.Resource, c *model.Component) {
	m.SetBool(r, c, "encrypted_in_transit", prop(r, "enableNonSslPort"), mapkit.Ptr(true), true)
	m.tls(r, c, prop(r, "minimumTlsVersion"))
	switch v := prop(r, "disableAccessKeyAuthentication").(type) {
	case bool:
		if v {
			m.Set(r, c, "authentication", "token")
		} else {
			m.Set(r, c, "authentication", "password")
		}
	case nil:
		m.Set(r, c, "authentication", "password")
	case importer.Unknown:
		m.Set(r, c, "authentication", v)
	}
	if prop(r, "subnetId") != nil {
		m.Set(r, c, "network_restricted", true)
		return
	}
	if !m.networkAccess(r, c) {
		return
	}
	rules := mapkit.List(prop(r, "firewallRules"))
	internet, _ := firewallRules(rules, "startIP", "endIP")
	if len(rules) == 0 || internet {
		m.Set(r, c, "public", true)
		m.FromInternet(c, "redis", r.Pos)
		return
	}
	m.Set(r, c, "network_restricted", true)
}

func eventHubs(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	m.SetBool(r, c, "azure_local_auth_disabled", prop(r, "disableLocalAuth"), mapkit.Ptr(false), false)
	m.tls(r, c, prop(r, "minimumTlsVersion"))
	m.networkAccess(r, c)
}

func containerRegistry(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	// The admin user is off unless turned on.
	m.SetBool(r, c, "azure_local_auth_disabled", prop(r, "adminUserEnabled"), mapkit.Ptr(true), true)
	m.SetBool(r, c, "azure_anonymous_pull", prop(r, "anonymousPullEnabled"), mapkit.Ptr(false), false)
	m.networkAccess(r, c)
}

// gatewayPolicies are the predefined TLS policies' oldest versions.
var gatewayPolicies = map[string]string{
	"AppGwSslPolicy20150501": "1.0", "AppGwSslPolicy20170401": "1.1", "AppGwSslPolicy20170401S": "1.2",
	"AppGwSslPolicy20220101": "1.2", "AppGwSslPolicy20220101S": "1.2",
}

// gatewayProtocols are ARM's TLS protocol names.
var gatewayProtocols = map[string]string{"TLSv1_0": "1.0", "TLSv1_1": "1.1", "TLSv1_2": "1.2", "TLSv1_3": "1.3"}

func applicationGateway(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "managed", true)
	m.gatewayWAF(r, c)
	if v, ok := prop(r, "sslPolicy", "minProtocolVersion").(string); ok && gatewayProtocols[v] != "" {
		m.Set(r, c, "tls_min_version", gatewayProtocols[v])
	} else if v, ok := prop(r, "sslPolicy", "policyName").(string); ok && gatewayPolicies[v] != "" {
		m.Set(r, c, "tls_min_version", gatewayPolicies[v])
	}
	protocol := "http"
	for _, l := range mapkit.List(prop(r, "httpListeners")) {
		if mapkit.Get(l, "properties", "protocol") == "Https" {
			protocol = "https"
		}
	}
	for _, f := range mapkit.List(prop(r, "frontendIPConfigurations")) {
		if mapkit.Get(f, "properties", "publicIPAddress") != nil {
			m.Set(r, c, "public", true)
			m.FromInternet(c, protocol, r.Pos)
		}
	}
	for _, pool := range mapkit.List(prop(r, "backendAddressPools")) {
		for _, a := range mapkit.List(mapkit.Get(pool, "properties", "backendAddresses")) {
			for _, target := range m.targets(mapkit.Get(a, "fqdn")) {
				m.Flow(c, m.ComponentOf(target.ID), "https", r.Pos)
			}
		}
	}
}

// gatewayWAF sets waf from the gateway's own WAF settings or its policy;
// detection mode only logs, so it does not count.
func (m *mapper) gatewayWAF(r *importer.Resource, c *model.Component) {
	if ref := prop(r, "firewallPolicy", "id"); ref != nil {
		policy := m.resolve(ref)
		if policy == nil {
			m.Warnf(r, "waf left unset: its firewall policy is not in this configuration")
			return
		}
		state, _ := prop(policy, "policySettings", "state").(string)
		mode, _ := prop(policy, "policySettings", "mode").(string)
		m.Set(r, c, "waf", state != "Disabled" && mode != "Detection")
		return
	}
	enabled := prop(r, "webApplicationFirewallConfiguration", "enabled")
	if u, ok := enabled.(importer.Unknown); ok {
		m.Set(r, c, "waf", u)
		return
	}
	m.Set(r, c, "waf", enabled == true && prop(r, "webApplicationFirewallConfiguration", "firewallMode") == "Prevention")
}

// flexibleServer maps a PostgreSQL or MySQL flexible server: backups are
// always on, TLS is required unless require_secure_transport is off, and
// with public access only its firewall rules admit anyone.
func flexibleServer(protocol string) func(*mapper, *importer.Resource, *model.Component) {
	return func(m *mapper, r *importer.Resource, c *model.Component) {
		m.encryptedAlways(r, c)
		m.Set(r, c, "managed", true)
		m.Set(r, c, "backups", true)
		switch mode := prop(r, "highAvailability", "mode").(type) {
		case string:
			m.Set(r, c, "redundancy", mode == "ZoneRedundant" || mode == "SameZone")
		case nil:
			m.Set(r, c, "redundancy", false)
		case importer.Unknown:
			m.Set(r, c, "redundancy", mode)
		}
		tls := any(true)
		for _, conf := range mapkit.List(prop(r, "configurations")) {
			if mapkit.Get(conf, "name") != "require_secure_transport" {
				continue
			}
			switch v := mapkit.Get(conf, "value").(type) {
			case string:
				tls = v != "off" && v != "OFF"
			case importer.Unknown:
				tls = v
			}
		}
		m.Set(r, c, "encrypted_in_transit", tls)
		if a, _ := prop(r, "authConfig", "passwordAuth").(string); a == "Disabled" {
			m.Set(r, c, "authentication", "token")
		} else {
			m.Set(r, c, "authentication", "password")
		}
		if prop(r, "network", "delegatedSubnetResourceId") != nil {
			m.Set(r, c, "network_restricted", true)
			return
		}
		off, known := disabled(prop(r, "network", "publicNetworkAccess"))
		if u, ok := off.(importer.Unknown); ok {
			m.Set(r, c, "network_restricted", u)
			return
		}
		// A private endpoint is the way in unless public access is kept on.
		if (known && off == true) || (!known && len(mapkit.List(prop(r, "privateEndpointConnections"))) > 0) {
			m.Set(r, c, "network_restricted", true)
			return
		}
		internet, azureServices := firewallRules(mapkit.List(prop(r, "firewallRules")), "startIpAddress", "endIpAddress")
		m.Set(r, c, "azure_allow_azure_services", azureServices)
		m.Set(r, c, "network_restricted", !internet)
		if internet {
			m.Set(r, c, "public", true)
			m.FromInternet(c, protocol, r.Pos)
		}
	}
}

// profileKind tells a Front Door profile from a classic CDN one by its
// kind or SKU.
func profileKind(r *importer.Resource) model.Kind {
	sku, _ := mapkit.Get(r.Props, "sku", "name").(string)
	if strings.EqualFold(fmt.Sprint(r.Props["kind"]), "frontdoor") || strings.HasSuffix(sku, "_AzureFrontDoor") {
		return "azure.front-door"
	}
	return "cdn"
}

// frontDoor: a profile takes internet traffic and sends it to its
// origins; waf needs an enabled firewall policy in prevention mode, and
// the origins are locked to it when each is reached by Private Link or is
// an app admitting only Front Door's service tag with its id header.
func frontDoor(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "managed", true)
	m.Set(r, c, "public", true)
	m.Set(r, c, "encrypted_in_transit", true)
	m.FromInternet(c, "https", r.Pos)
	if c.Kind != "azure.front-door" {
		return
	}
	waf := any(false)
	for _, sp := range mapkit.List(prop(r, "securityPolicies")) {
		policy := m.resolve(mapkit.Get(sp, "properties", "parameters", "wafPolicy"))
		if policy == nil {
			m.Warnf(r, "waf left unset: its firewall policy is not in this configuration")
			waf = nil
			break
		}
		state, _ := prop(policy, "policySettings", "enabledState").(string)
		mode, _ := prop(policy, "policySettings", "mode").(string)
		if state != "Disabled" && mode == "Prevention" {
			waf = true
		}
	}
	if waf != nil {
		m.Set(r, c, "waf", waf)
	}
	origins, private := 0, 0
	for _, group := range m.children(r, "microsoft.cdn/profiles/origingroups") {
		for _, o := range m.children(group, "microsoft.cdn/profiles/origingroups/origins") {
			origins++
			locked := prop(o, "sharedPrivateLinkResource") != nil
			for _, target := range m.targets(prop(o, "hostName")) {
				m.Flow(c, m.ComponentOf(target.ID), "https", o.Pos)
				locked = locked || (typeKey(target.Type) == "microsoft.web/sites" && m.lockedToFrontDoor(target))
			}
			if locked {
				private++
			}
		}
	}
	if origins > 0 && origins == private {
		m.Set(r, c, "azure_origin_locked_to_front_door", true)
	}
}

// subscriptionApproval sets azure_subscription_approval from the products
// written with the service: true when every published product that needs
// a subscription also needs an administrator's approval.
func (m *mapper) subscriptionApproval(r *importer.Resource, c *model.Component) {
	products := mapkit.List(prop(r, "products"))
	if len(products) == 0 {
		return
	}
	var approval any = true
	for _, p := range products {
		props := mapkit.Get(p, "properties")
		if mapkit.Get(props, "state") != true || mapkit.Get(props, "subscriptionRequired") == false {
			continue
		}
		switch v := mapkit.Get(props, "approvalRequired").(type) {
		case importer.Unknown:
			approval = v
		case bool:
			if !v {
				m.Set(r, c, "azure_subscription_approval", false)
				return
			}
		case nil:
			m.Set(r, c, "azure_subscription_approval", false)
			return
		}
	}
	m.Set(r, c, "azure_subscription_approval", approval)
}
