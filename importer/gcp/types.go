package gcp

import (
	"strconv"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// typeInfo is what an asset type becomes: a kind (none for a part read
// through the resource it belongs to) and a pass that sets properties and
// flows.
type typeInfo struct {
	kind   model.Kind
	derive func(m *mapper, r *importer.Resource, c *model.Component)
}

// types is the mapping table, keyed by Cloud Asset Inventory type.
var types = map[string]typeInfo{
	"storage.googleapis.com/Bucket":               {"gcp.cloud-storage", bucket},
	"sqladmin.googleapis.com/Instance":            {"gcp.cloud-sql", sqlInstance},
	"run.googleapis.com/Service":                  {"gcp.cloud-run", runService},
	"container.googleapis.com/Cluster":            {"gcp.gke", cluster},
	"pubsub.googleapis.com/Topic":                 {"gcp.pubsub", topic},
	"cloudfunctions.googleapis.com/CloudFunction": {"gcp.cloud-functions", function},
	"cloudkms.googleapis.com/CryptoKey":           {"gcp.kms", cryptoKey},
	"compute.googleapis.com/Firewall":             {"gcp.vpc", firewall},
	"compute.googleapis.com/Instance":             {"gcp.compute-engine", instance},
	"secretmanager.googleapis.com/Secret":         {"gcp.secret-manager", secret},
	// A project stands for its IAM policy.
	"cloudresourcemanager.googleapis.com/Project": {"gcp.iam", projectPolicy},
	"iam.googleapis.com/ServiceAccount":           {"gcp.iam", serviceAccount},
	"redis.googleapis.com/Instance":               {"cache", redisInstance},
	"bigquery.googleapis.com/Dataset":             {"gcp.bigquery", dataset},
	"compute.googleapis.com/GlobalForwardingRule": {"gcp.load-balancer", loadBalancer},
	// A subscription speaks for its topic.
	"pubsub.googleapis.com/Subscription": {"", subscription},
}

// skipped types are zones, or parts read through what uses them.
var skipped = map[string]bool{
	networkType: true, subnetworkType: true,
	"cloudkms.googleapis.com/KeyRing":             true,
	"compute.googleapis.com/TargetHttpsProxy":     true,
	"compute.googleapis.com/TargetHttpProxy":      true,
	"compute.googleapis.com/UrlMap":               true,
	"compute.googleapis.com/BackendService":       true,
	"compute.googleapis.com/NetworkEndpointGroup": true,
	"compute.googleapis.com/SslPolicy":            true,
	"compute.googleapis.com/SecurityPolicy":       true,
}

// encryptedAlways marks services whose data Google always encrypts at rest.
func (m *mapper) encryptedAlways(r *importer.Resource, c *model.Component) {
	m.Set(r, c, "encrypted_at_rest", true)
	if k := prop(r, "encryption", "defaultKmsKeyName"); k != nil {
		m.Set(r, c, "customer_managed_keys", true)
	}
}

func bucket(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	m.Set(r, c, "encrypted_in_transit", true)
	m.SetBool(r, c, "gcp_uniform_bucket_level_access", prop(r, "iamConfiguration", "uniformBucketLevelAccess", "enabled"), mapkit.Ptr(false), false)
	m.SetBool(r, c, "versioning", prop(r, "versioning", "enabled"), mapkit.Ptr(false), false)
	if p, _ := prop(r, "iamConfiguration", "publicAccessPrevention").(string); p == "enforced" {
		m.Set(r, c, "public", false)
		return
	}
	public := publicIAM(r, "")
	// Object ACLs count while uniform bucket-level access is off.
	if prop(r, "iamConfiguration", "uniformBucketLevelAccess", "enabled") != true {
		for _, key := range []string{"acl", "defaultObjectAcl"} {
			for _, e := range mapkit.List(prop(r, key)) {
				if s, ok := mapkit.Get(e, "entity").(string); ok && publicMembers[s] {
					public = true
				}
			}
		}
	}
	m.Set(r, c, "public", public)
	if public == true {
		m.FromInternet(c, "https", r.Pos)
	}
	if prop(r, "logging") != nil {
		m.Set(r, c, "logging", true)
	}
}

// anywhere are the ranges that mean the whole internet.
var anywhere = map[string]bool{"0.0.0.0/0": true, "::/0": true}

func sqlInstance(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	ip := prop(r, "settings", "ipConfiguration")
	m.SetBool(r, c, "backups", prop(r, "settings", "backupConfiguration", "enabled"), mapkit.Ptr(false), false)
	m.SetBool(r, c, "deletion_protection", prop(r, "settings", "deletionProtectionEnabled"), nil, false)
	switch a := prop(r, "settings", "availabilityType").(type) {
	case string:
		m.Set(r, c, "redundancy", a == "REGIONAL")
	case nil:
		m.Set(r, c, "redundancy", false)
	case importer.Unknown:
		m.Set(r, c, "redundancy", a)
	}
	m.sqlUsers(r, c)
	// pgAudit logs the statements run; other flags leave logging as it is.
	for _, f := range mapkit.List(prop(r, "settings", "databaseFlags")) {
		if mapkit.Get(f, "name") == "cloudsql.enable_pgaudit" && mapkit.Get(f, "value") == "on" {
			m.Set(r, c, "logging", true)
		}
	}
	switch mode := mapkit.Get(ip, "sslMode").(type) {
	case string:
		m.Set(r, c, "encrypted_in_transit", mode != "" && mode != "ALLOW_UNENCRYPTED_AND_ENCRYPTED")
	case importer.Unknown:
		m.Set(r, c, "encrypted_in_transit", mode)
	default:
		m.SetBool(r, c, "encrypted_in_transit", mapkit.Get(ip, "requireSsl"), mapkit.Ptr(false), false)
	}
	// A public IPv4 address is on unless turned off.
	publicIP := mapkit.Get(ip, "ipv4Enabled")
	if publicIP == nil {
		publicIP = true
	}
	m.SetBool(r, c, "public_ip", publicIP, nil, false)
	if publicIP != true {
		m.Set(r, c, "network_restricted", true)
		return
	}
	open := false
	for _, n := range mapkit.List(mapkit.Get(ip, "authorizedNetworks")) {
		switch v := mapkit.Get(n, "value").(type) {
		case string:
			open = open || anywhere[v]
		case importer.Unknown:
			m.Warnf(r, "an authorized network is unknown (%s); assumed not the whole internet", v.Why)
		}
	}
	m.Set(r, c, "network_restricted", !open)
	if open {
		m.Set(r, c, "public", true)
		m.FromInternet(c, "tcp", r.Pos)
	}
}

func runService(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "managed", true)
	m.Set(r, c, "encrypted_in_transit", true)
	m.dedicatedAccount(r, c, prop(r, "template", "serviceAccount"))
	ingress := prop(r, "ingress")
	if u, ok := ingress.(importer.Unknown); ok {
		m.Set(r, c, "network_restricted", u)
		return
	}
	// Services take all traffic unless told otherwise.
	all := ingress == nil || ingress == "INGRESS_TRAFFIC_ALL"
	m.Set(r, c, "network_restricted", !all)
	invoker := publicIAM(r, "roles/run.invoker")
	if !all {
		return
	}
	switch invoker {
	case true:
		m.Set(r, c, "public", true)
		m.Set(r, c, "authentication", "none")
		m.FromInternet(c, "https", r.Pos)
	case false:
		m.Set(r, c, "authentication", "token")
	default:
		m.Set(r, c, "public", invoker)
	}
}

// dedicatedAccount sets gcp_dedicated_service_account from the email a
// workload runs as: absent or a default account is not dedicated.
func (m *mapper) dedicatedAccount(r *importer.Resource, c *model.Component, email any) {
	switch e := email.(type) {
	case nil:
		m.Set(r, c, "gcp_dedicated_service_account", false)
	case string:
		m.Set(r, c, "gcp_dedicated_service_account", !strings.HasSuffix(e, "-compute@developer.gserviceaccount.com") &&
			!strings.HasSuffix(e, "@appspot.gserviceaccount.com"))
	case importer.ResourceRef:
		m.Set(r, c, "gcp_dedicated_service_account", true)
	case importer.Unknown:
		m.Set(r, c, "gcp_dedicated_service_account", e)
	}
}

func cluster(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "managed", true)
	private := prop(r, "privateClusterConfig", "enablePrivateEndpoint")
	cidrs := mapkit.List(prop(r, "masterAuthorizedNetworksConfig", "cidrBlocks"))
	switch {
	case private == true:
		m.Set(r, c, "public", false)
		m.Set(r, c, "network_restricted", true)
	case len(cidrs) > 0:
		m.Set(r, c, "public", true)
		m.Set(r, c, "network_restricted", true)
	default:
		m.SetBool(r, c, "network_restricted", private, mapkit.Ptr(false), false)
		if _, u := private.(importer.Unknown); !u {
			m.Set(r, c, "public", true)
		}
	}
	if abac := prop(r, "legacyAbac", "enabled"); abac == true {
		m.Warnf(r, "legacy ABAC is on: every service account and user with IAM rights gets wide cluster rights")
	}
	m.SetBool(r, c, "network_policy", prop(r, "networkPolicy", "enabled"), mapkit.Ptr(false), false)
	switch pool := prop(r, "workloadIdentityConfig", "workloadPool").(type) {
	case importer.Unknown:
		m.Set(r, c, "gcp_workload_identity", pool)
	case string:
		m.Set(r, c, "gcp_workload_identity", pool != "")
	default:
		m.Set(r, c, "gcp_workload_identity", pool != nil)
	}
	// A node pool that exposes the node's metadata undoes it for its pods.
	for _, pool := range mapkit.List(prop(r, "nodePools")) {
		if mapkit.Get(pool, "config", "workloadMetadataConfig", "mode") == "GCE_METADATA" {
			m.Set(r, c, "gcp_workload_identity", false)
		}
	}
}

func topic(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "encrypted_at_rest", true)
	if prop(r, "kmsKeyName") != nil {
		m.Set(r, c, "customer_managed_keys", true)
	}
	m.Set(r, c, "public", publicIAM(r, ""))
}

func function(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "managed", true)
	m.dedicatedAccount(r, c, prop(r, "serviceConfig", "serviceAccountEmail"))
	switch n := prop(r, "serviceConfig", "maxInstanceCount").(type) {
	case nil:
		m.Set(r, c, "gcp_max_instances", false)
	case importer.Unknown:
		m.Set(r, c, "gcp_max_instances", n)
	default:
		m.Set(r, c, "gcp_max_instances", true)
	}
	switch in := prop(r, "serviceConfig", "ingressSettings").(type) {
	case importer.Unknown:
		m.Set(r, c, "network_restricted", in)
	case string, nil:
		all := in == nil || in == "ALLOW_ALL"
		m.Set(r, c, "network_restricted", !all)
		if all && publicIAM(r, "") == true {
			m.Set(r, c, "public", true)
			m.FromInternet(c, "https", r.Pos)
		}
	}
}

// maxRotation is the longest rotation period counted as rotation: a year.
const maxRotation = 365 * 24 * 3600

func cryptoKey(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "managed", true)
	m.Set(r, c, "public", publicIAM(r, ""))
	if m.adminAlsoUses(r) {
		m.Set(r, c, "gcp_kms_separation_of_duties", false)
	}
	switch p := prop(r, "rotationPeriod").(type) {
	case nil:
		m.Set(r, c, "key_rotation", false)
	case importer.Unknown:
		m.Set(r, c, "key_rotation", p)
	case string:
		secs, err := strconv.ParseFloat(strings.TrimSuffix(p, "s"), 64)
		if err != nil {
			m.Warnf(r, "key_rotation left unset: rotation period %q is not a duration in seconds", p)
			return
		}
		m.Set(r, c, "key_rotation", secs > 0 && secs <= maxRotation)
	}
}

// adminPorts are the ports of remote administration.
var adminPorts = map[string]bool{"22": true, "3389": true}

func firewall(m *mapper, r *importer.Resource, c *model.Component) {
	if prop(r, "logConfig", "enable") == true {
		m.Set(r, c, "logging", true)
	}
	if d, _ := prop(r, "direction").(string); d == "EGRESS" || prop(r, "disabled") == true {
		m.Set(r, c, "network_restricted", true)
		return
	}
	open := false
	for _, s := range mapkit.List(prop(r, "sourceRanges")) {
		switch v := s.(type) {
		case string:
			open = open || anywhere[v]
		case importer.Unknown:
			m.Warnf(r, "a source range is unknown (%s); assumed not the whole internet", v.Why)
		}
	}
	m.Set(r, c, "network_restricted", !open)
	if !open {
		return
	}
	for _, a := range mapkit.List(prop(r, "allowed")) {
		proto, _ := mapkit.Get(a, "IPProtocol").(string)
		ports := mapkit.List(mapkit.Get(a, "ports"))
		if len(ports) == 0 && (proto == "all" || proto == "tcp") {
			m.Warnf(r, "admits every %s port from the internet, remote administration included", proto)
		}
		for _, p := range ports {
			if s, ok := p.(string); ok && adminPorts[s] {
				m.Warnf(r, "admits remote administration (port %s) from the internet", s)
			}
		}
	}
	m.FromInternet(c, "tcp", r.Pos)
}

func instance(m *mapper, r *importer.Resource, c *model.Component) {
	var email any
	for _, sa := range mapkit.List(prop(r, "serviceAccounts")) {
		email = mapkit.Get(sa, "email")
	}
	m.dedicatedAccount(r, c, email)
	publicIP := false
	for _, ni := range mapkit.List(prop(r, "networkInterfaces")) {
		if len(mapkit.List(mapkit.Get(ni, "accessConfigs"))) > 0 {
			publicIP = true
		}
	}
	m.Set(r, c, "public_ip", publicIP)
	for _, item := range mapkit.List(prop(r, "metadata", "items")) {
		if mapkit.Get(item, "key") != "enable-oslogin" {
			continue
		}
		switch v := mapkit.Get(item, "value").(type) {
		case string:
			m.Set(r, c, "gcp_os_login", strings.EqualFold(v, "true"))
		case bool:
			m.Set(r, c, "gcp_os_login", v)
		case importer.Unknown:
			m.Set(r, c, "gcp_os_login", v)
		}
	}
	for _, sa := range mapkit.List(prop(r, "serviceAccounts")) {
		scopes := mapkit.Get(sa, "scopes")
		if u, ok := scopes.(importer.Unknown); ok {
			m.Set(r, c, "gcp_full_api_scope", u)
			continue
		}
		full := false
		for _, s := range mapkit.List(scopes) {
			if s, ok := s.(string); ok && (s == "cloud-platform" || strings.HasSuffix(s, "/auth/cloud-platform")) {
				full = true
			}
		}
		m.Set(r, c, "gcp_full_api_scope", full)
	}
}

func secret(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	m.Set(r, c, "managed", true)
	m.Set(r, c, "secret_rotation", prop(r, "rotation", "rotationPeriod") != nil)
	// Secret access granted on a whole project reaches every secret in it.
	for _, p := range m.byType[projectType] {
		for _, b := range mapkit.List(prop(p, "iamPolicy", "bindings")) {
			if projectWideSecretRoles[mapkit.Get(b, "role")] {
				m.Set(r, c, "least_privilege", false)
			}
		}
	}
}

// basicRoles are the primitive roles that grant nearly everything.
var basicRoles = map[string]bool{"roles/owner": true, "roles/editor": true, "roles/viewer": true}

func projectPolicy(m *mapper, r *importer.Resource, c *model.Component) {
	basic, impersonation := false, false
	for _, b := range mapkit.List(prop(r, "iamPolicy", "bindings")) {
		switch role := mapkit.Get(b, "role").(type) {
		case string:
			basic = basic || basicRoles[role]
			impersonation = impersonation || role == "roles/iam.serviceAccountUser" || role == "roles/iam.serviceAccountTokenCreator"
		case importer.Unknown:
			m.Warnf(r, "a role is unknown (%s); not counted", role.Why)
		}
	}
	m.Set(r, c, "gcp_basic_roles", basic)
	m.Set(r, c, "gcp_project_level_impersonation", impersonation)
	m.Set(r, c, "external_access", publicIAM(r, ""))
	for _, role := range []string{"roles/owner", "roles/editor", "roles/viewer"} {
		if publicIAM(r, role) == true {
			m.Warnf(r, "grants %s on the project to everyone (allUsers or allAuthenticatedUsers)", role)
		}
	}
}
