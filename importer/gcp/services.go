package gcp

import (
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

const projectType = "cloudresourcemanager.googleapis.com/Project"

// projectWideSecretRoles read every secret when granted on the project.
var projectWideSecretRoles = map[any]bool{"roles/secretmanager.secretAccessor": true, "roles/secretmanager.admin": true, "roles/owner": true}

// kmsUseRoles encrypt or decrypt with a key.
var kmsUseRoles = map[any]bool{
	"roles/cloudkms.cryptoKeyEncrypterDecrypter": true, "roles/cloudkms.cryptoKeyEncrypter": true, "roles/cloudkms.cryptoKeyDecrypter": true,
}

// adminAlsoUses reports whether one member holds Cloud KMS Admin and a
// role that uses the key, on the key or on a project.
func (m *mapper) adminAlsoUses(r *importer.Resource) bool {
	bindings := mapkit.List(prop(r, "iamPolicy", "bindings"))
	for _, p := range m.byType[projectType] {
		bindings = append(bindings, mapkit.List(prop(p, "iamPolicy", "bindings"))...)
	}
	admins, users := map[string]bool{}, map[string]bool{}
	for _, b := range bindings {
		role := mapkit.Get(b, "role")
		for _, mem := range mapkit.List(mapkit.Get(b, "members")) {
			s, ok := mem.(string)
			if !ok {
				continue
			}
			if role == "roles/cloudkms.admin" {
				admins[s] = true
			}
			if kmsUseRoles[role] {
				users[s] = true
			}
		}
	}
	for s := range admins {
		if users[s] {
			return true
		}
	}
	return false
}

// sqlUsers sets authentication from the instance's users: built-in ones
// sign in with passwords, the others with IAM.
func (m *mapper) sqlUsers(r *importer.Resource, c *model.Component) {
	users := mapkit.List(prop(r, "users"))
	if len(users) == 0 {
		return
	}
	auth := any("iam")
	for _, u := range users {
		switch t := mapkit.Get(u, "type").(type) {
		case string:
			if t == "BUILT_IN" {
				m.Set(r, c, "authentication", "password")
				return
			}
		case importer.Unknown:
			auth = t
		}
	}
	m.Set(r, c, "authentication", auth)
}

func serviceAccount(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "long_lived_credentials", len(mapkit.List(prop(r, "keys"))) > 0)
}

// redisInstance: Memorystore has only private addresses in its network.
func redisInstance(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "managed", true)
	m.Set(r, c, "encrypted_at_rest", true)
	m.Set(r, c, "public", false)
	m.Set(r, c, "network_restricted", true)
	switch v := prop(r, "authEnabled").(type) {
	case bool:
		if v {
			m.Set(r, c, "authentication", "password")
		} else {
			m.Set(r, c, "authentication", "none")
		}
	case nil:
		m.Set(r, c, "authentication", "none")
	case importer.Unknown:
		m.Set(r, c, "authentication", v)
	}
	switch v := prop(r, "transitEncryptionMode").(type) {
	case string:
		m.Set(r, c, "encrypted_in_transit", v == "SERVER_AUTHENTICATION")
	case nil:
		m.Set(r, c, "encrypted_in_transit", false)
	case importer.Unknown:
		m.Set(r, c, "encrypted_in_transit", v)
	}
	switch v := prop(r, "tier").(type) {
	case string:
		m.Set(r, c, "redundancy", v == "STANDARD_HA")
	case nil:
		m.Set(r, c, "redundancy", false)
	}
}

// publicGroups are a dataset's special groups that mean anyone.
var publicGroups = map[any]bool{"allAuthenticatedUsers": true, "allUsers": true}

func dataset(m *mapper, r *importer.Resource, c *model.Component) {
	m.encryptedAlways(r, c)
	if prop(r, "defaultEncryptionConfiguration", "kmsKeyName") != nil {
		m.Set(r, c, "customer_managed_keys", true)
	}
	public := publicIAM(r, "")
	for _, a := range mapkit.List(prop(r, "access")) {
		if publicGroups[mapkit.Get(a, "specialGroup")] || publicGroups[mapkit.Get(a, "iamMember")] {
			public = true
		}
	}
	m.Set(r, c, "public", public)
	if public == true {
		m.FromInternet(c, "https", r.Pos)
	}
}

// subscription speaks for its topic: a public subscription makes the
// topic's messages public, a push endpoint is a flow from the topic, and
// the topic keeps failed messages only if every subscription has a
// dead-letter topic.
func subscription(m *mapper, r *importer.Resource, _ *model.Component) {
	ref, _ := prop(r, "topic").(importer.ResourceRef)
	topic := m.ComponentOf(ref.ID)
	if topic == nil {
		return
	}
	if publicIAM(r, "") == true {
		m.Set(r, topic, "public", true)
	}
	if p, set := topic.Properties.Get("dead_letter_queue"); !set || p.Value == true {
		m.Set(r, topic, "dead_letter_queue", prop(r, "deadLetterPolicy", "deadLetterTopic") != nil)
	}
	for _, target := range mapkit.Refs(prop(r, "pushConfig", "pushEndpoint")) {
		f := m.Flow(topic, m.ComponentOf(target.ID), "https", r.Pos)
		if f != nil && prop(r, "pushConfig", "oidcToken") != nil {
			f.Authentication = "token"
		}
	}
}

// lbParts are the resources a load balancer is made of, followed from its
// forwarding rule to its backends.
var lbParts = map[string]bool{
	"compute.googleapis.com/TargetHttpsProxy": true, "compute.googleapis.com/TargetHttpProxy": true,
	"compute.googleapis.com/UrlMap": true, "compute.googleapis.com/BackendService": true,
	"compute.googleapis.com/NetworkEndpointGroup": true,
}

// lbBackends are the services a load balancer sends requests to.
var lbBackends = map[string]bool{
	"run.googleapis.com/Service": true, "cloudfunctions.googleapis.com/CloudFunction": true,
	"compute.googleapis.com/Instance": true, "storage.googleapis.com/Bucket": true,
}

// loadBalancer follows a forwarding rule through its proxy, URL map,
// backend services and endpoint groups: a flow to each service behind it,
// waf when every backend service has a Cloud Armor policy, and the TLS
// floor of its SSL policy (Google's default policy admits TLS 1.0).
func loadBalancer(m *mapper, r *importer.Resource, c *model.Component) {
	m.Set(r, c, "managed", true)
	seen := map[string]bool{}
	queue := mapkit.Refs(r.Props)
	https, backends, armored := false, 0, 0
	var floor any
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		part := m.byID[ref.ID]
		if part == nil || seen[part.ID] {
			continue
		}
		seen[part.ID] = true
		switch {
		case lbParts[part.Type]:
			queue = append(queue, mapkit.Refs(part.Props)...)
		case lbBackends[part.Type]:
			m.Flow(c, m.ComponentOf(part.ID), "https", r.Pos)
			continue
		default:
			continue
		}
		switch part.Type {
		case "compute.googleapis.com/TargetHttpsProxy":
			https = true
			floor = m.sslFloor(prop(part, "sslPolicy"))
		case "compute.googleapis.com/BackendService":
			backends++
			if prop(part, "securityPolicy") != nil {
				armored++
			}
		}
	}
	if backends > 0 {
		m.Set(r, c, "waf", armored == backends)
	}
	m.Set(r, c, "encrypted_in_transit", https)
	if floor != nil {
		m.Set(r, c, "tls_min_version", floor)
	}
	switch scheme := prop(r, "loadBalancingScheme").(type) {
	case nil, string:
		if scheme == nil || scheme == "EXTERNAL" || scheme == "EXTERNAL_MANAGED" {
			m.Set(r, c, "public", true)
			protocol := "http"
			if https {
				protocol = "https"
			}
			m.FromInternet(c, protocol, r.Pos)
		}
	case importer.Unknown:
		m.Set(r, c, "public", scheme)
	}
}

// sslFloors are the SSL policy's TLS versions in Ward's words.
var sslFloors = map[string]string{"TLS_1_0": "1.0", "TLS_1_1": "1.1", "TLS_1_2": "1.2", "TLS_1_3": "1.3"}

// sslFloor is the oldest TLS version an HTTPS proxy with this SSL policy
// accepts: Google's default policy admits TLS 1.0; a policy not in the
// input gives nil.
func (m *mapper) sslFloor(policy any) any {
	if policy == nil {
		return "1.0"
	}
	ref, ok := policy.(importer.ResourceRef)
	if !ok || m.byID[ref.ID] == nil {
		return nil
	}
	switch v := prop(m.byID[ref.ID], "minTlsVersion").(type) {
	case string:
		if f, ok := sslFloors[v]; ok {
			return f
		}
	case importer.Unknown:
		return v
	case nil:
		return "1.0"
	}
	return nil
}
