package terraform

import (
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// translateGoogle turns google_* resources into Cloud Asset Inventory
// shapes: the asset type, and Props holding the asset's resource data with
// its IAM policy under "iamPolicy". IAM member and binding resources are
// folded into the resource they grant on; other types keep their
// Terraform type, which the mapping reports.
func translateGoogle(in []importer.Resource, warn func(model.Pos, string)) []importer.Resource {
	return translateTable(withProjects(in), googleKinds, googleFolders, warn,
		"the resource it grants on is not in this configuration; its bindings are not applied")
}

// enabledBlock turns a block's "enabled" argument into {"enabled": v}.
func enabledBlock(tf map[string]any, name, arg string) any {
	if b := block(tf, name); b != nil && b[arg] != nil {
		return map[string]any{"enabled": b[arg]}
	}
	return nil
}

// runIngress turns Cloud Run v1's ingress annotation into v2's enum.
var runIngress = map[string]string{
	"all":                               "INGRESS_TRAFFIC_ALL",
	"internal":                          "INGRESS_TRAFFIC_INTERNAL_ONLY",
	"internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
}

var googleKinds = map[string]kind{
	"google_storage_bucket": {"storage.googleapis.com/Bucket", func(tf map[string]any) map[string]any {
		out := map[string]any{}
		iam := map[string]any{}
		if v := tf["uniform_bucket_level_access"]; v != nil {
			iam["uniformBucketLevelAccess"] = map[string]any{"enabled": v}
		}
		setIf(iam, "publicAccessPrevention", tf["public_access_prevention"])
		if len(iam) > 0 {
			out["iamConfiguration"] = iam
		}
		setIf(out, "versioning", enabledBlock(tf, "versioning", "enabled"))
		if b := block(tf, "logging"); b != nil {
			out["logging"] = rename(b, "log_bucket", "logBucket")
		}
		if b := block(tf, "encryption"); b != nil {
			out["encryption"] = rename(b, "default_kms_key_name", "defaultKmsKeyName")
		}
		return out
	}},
	"google_sql_database_instance": {"sqladmin.googleapis.com/Instance", func(tf map[string]any) map[string]any {
		settings := map[string]any{}
		s := block(tf, "settings")
		if s == nil {
			s = map[string]any{}
		}
		setIf(settings, "deletionProtectionEnabled", s["deletion_protection_enabled"])
		setIf(settings, "availabilityType", s["availability_type"])
		var flags []any
		for _, f := range blocks(s, "database_flags") {
			flags = append(flags, rename(f, "name", "name", "value", "value"))
		}
		setList(settings, "databaseFlags", flags)
		setIf(settings, "backupConfiguration", enabledBlock(s, "backup_configuration", "enabled"))
		if ip := block(s, "ip_configuration"); ip != nil {
			conf := rename(ip, "ipv4_enabled", "ipv4Enabled", "require_ssl", "requireSsl", "ssl_mode", "sslMode",
				"private_network", "privateNetwork")
			var nets []any
			for _, n := range blocks(ip, "authorized_networks") {
				nets = append(nets, rename(n, "name", "name", "value", "value"))
			}
			setIf(conf, "authorizedNetworks", nets)
			settings["ipConfiguration"] = conf
		}
		return map[string]any{"settings": settings}
	}},
	"google_cloud_run_v2_service": {"run.googleapis.com/Service", func(tf map[string]any) map[string]any {
		out := rename(tf, "ingress", "ingress")
		if t := block(tf, "template"); t != nil {
			out["template"] = rename(t, "service_account", "serviceAccount")
		}
		return out
	}},
	"google_cloud_run_service": {"run.googleapis.com/Service", func(tf map[string]any) map[string]any {
		out := map[string]any{}
		switch v := mapkit.Get(block(tf, "metadata"), "annotations", "run.googleapis.com/ingress").(type) {
		case string:
			if e, ok := runIngress[v]; ok {
				out["ingress"] = e
			} else {
				out["ingress"] = importer.Unknown{Why: "ingress annotation " + v + " is not a known setting"}
			}
		case importer.Unknown:
			out["ingress"] = v
		}
		if spec := block(block(tf, "template"), "spec"); spec != nil {
			out["template"] = rename(spec, "service_account_name", "serviceAccount")
		}
		return out
	}},
	"google_container_cluster": {"container.googleapis.com/Cluster", func(tf map[string]any) map[string]any {
		out := rename(tf, "network", "network", "subnetwork", "subnetwork")
		if b := block(tf, "private_cluster_config"); b != nil {
			out["privateClusterConfig"] = rename(b, "enable_private_endpoint", "enablePrivateEndpoint", "enable_private_nodes", "enablePrivateNodes")
		}
		if b := block(tf, "master_authorized_networks_config"); b != nil {
			var cidrs []any
			for _, c := range blocks(b, "cidr_blocks") {
				cidrs = append(cidrs, rename(c, "cidr_block", "cidrBlock"))
			}
			out["masterAuthorizedNetworksConfig"] = map[string]any{"cidrBlocks": cidrs}
		}
		if v := tf["enable_legacy_abac"]; v != nil {
			out["legacyAbac"] = map[string]any{"enabled": v}
		}
		setIf(out, "networkPolicy", enabledBlock(tf, "network_policy", "enabled"))
		if b := block(tf, "workload_identity_config"); b != nil {
			out["workloadIdentityConfig"] = rename(b, "workload_pool", "workloadPool")
		}
		if b := block(tf, "node_config"); b != nil {
			out["nodeConfig"] = googleNodeConfig(tf)
		}
		return out
	}},
	"google_pubsub_topic": {"pubsub.googleapis.com/Topic", func(tf map[string]any) map[string]any {
		return rename(tf, "kms_key_name", "kmsKeyName")
	}},
	"google_cloudfunctions2_function": {"cloudfunctions.googleapis.com/CloudFunction", func(tf map[string]any) map[string]any {
		out := map[string]any{}
		if b := block(tf, "service_config"); b != nil {
			out["serviceConfig"] = rename(b, "ingress_settings", "ingressSettings", "service_account_email", "serviceAccountEmail",
				"max_instance_count", "maxInstanceCount")
		}
		return out
	}},
	"google_kms_crypto_key": {"cloudkms.googleapis.com/CryptoKey", func(tf map[string]any) map[string]any {
		return rename(tf, "rotation_period", "rotationPeriod", "key_ring", "keyRing")
	}},
	"google_compute_firewall": {"compute.googleapis.com/Firewall", func(tf map[string]any) map[string]any {
		out := rename(tf, "network", "network", "direction", "direction", "disabled", "disabled", "source_ranges", "sourceRanges")
		var allowed []any
		for _, b := range blocks(tf, "allow") {
			allowed = append(allowed, rename(b, "protocol", "IPProtocol", "ports", "ports"))
		}
		setIf(out, "allowed", allowed)
		if b := block(tf, "log_config"); b != nil {
			out["logConfig"] = map[string]any{"enable": true}
		}
		return out
	}},
	"google_compute_network": {"compute.googleapis.com/Network", func(tf map[string]any) map[string]any {
		return rename(tf, "auto_create_subnetworks", "autoCreateSubnetworks")
	}},
	"google_compute_subnetwork": {"compute.googleapis.com/Subnetwork", func(tf map[string]any) map[string]any {
		return rename(tf, "network", "network", "ip_cidr_range", "ipCidrRange")
	}},
	"google_compute_instance": {"compute.googleapis.com/Instance", func(tf map[string]any) map[string]any {
		out := map[string]any{}
		var nics []any
		for _, b := range blocks(tf, "network_interface") {
			nic := rename(b, "network", "network", "subnetwork", "subnetwork")
			var access []any
			for range blocks(b, "access_config") {
				access = append(access, map[string]any{"type": "ONE_TO_ONE_NAT"})
			}
			setIf(nic, "accessConfigs", access)
			nics = append(nics, nic)
		}
		setIf(out, "networkInterfaces", nics)
		if b := block(tf, "service_account"); b != nil {
			out["serviceAccounts"] = []any{rename(b, "email", "email", "scopes", "scopes")}
		}
		if v := mapkit.Get(tf, "metadata", "enable-oslogin"); v != nil {
			out["metadata"] = map[string]any{"items": []any{map[string]any{"key": "enable-oslogin", "value": v}}}
		}
		return out
	}},
	"google_secret_manager_secret": {"secretmanager.googleapis.com/Secret", func(tf map[string]any) map[string]any {
		out := map[string]any{}
		if b := block(tf, "rotation"); b != nil {
			out["rotation"] = rename(b, "rotation_period", "rotationPeriod")
		}
		return out
	}},
	// A project stands for its IAM policy; project-level grants are folded
	// into it, and one is made when the configuration only grants on it.
	"google_project": {"cloudresourcemanager.googleapis.com/Project", func(tf map[string]any) map[string]any {
		return rename(tf, "project_id", "projectId")
	}},
	"google_pubsub_subscription": {"pubsub.googleapis.com/Subscription", googleSubscription},
	"google_redis_instance": {"redis.googleapis.com/Instance", renamer("auth_enabled", "authEnabled",
		"transit_encryption_mode", "transitEncryptionMode", "authorized_network", "authorizedNetwork", "connect_mode", "connectMode", "tier", "tier")},
	"google_bigquery_dataset": {"bigquery.googleapis.com/Dataset", googleDataset},
	"google_kms_key_ring":     {"cloudkms.googleapis.com/KeyRing", noProps},
	"google_service_account": {"iam.googleapis.com/ServiceAccount", func(tf map[string]any) map[string]any {
		return rename(tf, "account_id", "accountId")
	}},
	"google_cloudfunctions_function": {"cloudfunctions.googleapis.com/CloudFunction", func(tf map[string]any) map[string]any {
		// First generation functions take the second's shape.
		return map[string]any{"serviceConfig": rename(tf, "ingress_settings", "ingressSettings",
			"service_account_email", "serviceAccountEmail", "max_instances", "maxInstanceCount")}
	}},
	"google_compute_global_forwarding_rule": {"compute.googleapis.com/GlobalForwardingRule", renamer(
		"load_balancing_scheme", "loadBalancingScheme", "target", "target", "port_range", "portRange")},
	"google_compute_target_https_proxy": {"compute.googleapis.com/TargetHttpsProxy", renamer("url_map", "urlMap", "ssl_policy", "sslPolicy")},
	"google_compute_target_http_proxy":  {"compute.googleapis.com/TargetHttpProxy", renamer("url_map", "urlMap")},
	"google_compute_url_map": {"compute.googleapis.com/UrlMap", func(tf map[string]any) map[string]any {
		out := rename(tf, "default_service", "defaultService")
		var services []any
		for _, pm := range blocks(tf, "path_matcher") {
			services = append(services, pm["default_service"])
			for _, pr := range blocks(pm, "path_rule") {
				services = append(services, pr["service"])
			}
		}
		setList(out, "pathMatchers", services)
		return out
	}},
	"google_compute_backend_service": {"compute.googleapis.com/BackendService", func(tf map[string]any) map[string]any {
		out := rename(tf, "security_policy", "securityPolicy", "load_balancing_scheme", "loadBalancingScheme")
		var backends []any
		for _, b := range blocks(tf, "backend") {
			backends = append(backends, rename(b, "group", "group"))
		}
		setList(out, "backends", backends)
		setIf(out, "logConfig", enabledBlock(tf, "log_config", "enable"))
		return out
	}},
	"google_compute_region_network_endpoint_group": {"compute.googleapis.com/NetworkEndpointGroup", func(tf map[string]any) map[string]any {
		out := rename(tf, "network_endpoint_type", "networkEndpointType")
		if b := block(tf, "cloud_run"); b != nil {
			out["cloudRun"] = rename(b, "service", "service")
		}
		if b := block(tf, "cloud_function"); b != nil {
			out["cloudFunction"] = rename(b, "function", "function")
		}
		return out
	}},
	"google_compute_security_policy": {"compute.googleapis.com/SecurityPolicy", noProps},
	"google_compute_ssl_policy":      {"compute.googleapis.com/SslPolicy", renamer("min_tls_version", "minTlsVersion", "profile", "profile")},
}

// googleSubscription keeps a subscription's topic, push endpoint and its
// token, and dead-letter topic.
func googleSubscription(tf map[string]any) map[string]any {
	out := rename(tf, "topic", "topic")
	if b := block(tf, "push_config"); b != nil {
		push := rename(b, "push_endpoint", "pushEndpoint")
		if t := block(b, "oidc_token"); t != nil {
			push["oidcToken"] = rename(t, "service_account_email", "serviceAccountEmail")
		}
		out["pushConfig"] = push
	}
	if b := block(tf, "dead_letter_policy"); b != nil {
		out["deadLetterPolicy"] = rename(b, "dead_letter_topic", "deadLetterTopic")
	}
	return out
}

// googleDataset keeps a dataset's access entries and its default key.
func googleDataset(tf map[string]any) map[string]any {
	out := map[string]any{}
	var access []any
	for _, b := range blocks(tf, "access") {
		access = append(access, rename(b, "role", "role", "special_group", "specialGroup", "iam_member", "iamMember",
			"user_by_email", "userByEmail", "group_by_email", "groupByEmail", "domain", "domain"))
	}
	setList(out, "access", access)
	if b := block(tf, "default_encryption_configuration"); b != nil {
		out["defaultEncryptionConfiguration"] = rename(b, "kms_key_name", "kmsKeyName")
	}
	return out
}

// noProps is the conversion of a type whose arguments the mapping does
// not read.
func noProps(map[string]any) map[string]any { return map[string]any{} }

// grant folds an IAM member, binding or policy resource into the policy of
// the resource its argument arg names. A whole policy's policy_data that is
// not known leaves one binding of unknown role and members.
func grant(arg, typ string) folder {
	return func(tf map[string]any, byID map[string]*importer.Resource) bool {
		add := func(p map[string]any) {
			policy, _ := p["iamPolicy"].(map[string]any)
			if policy == nil {
				policy = map[string]any{}
				p["iamPolicy"] = policy
			}
			policy["bindings"] = append(asList(policy["bindings"]), grantBindings(tf)...)
		}
		if foldInto(tf[arg], typ, byID, add) {
			return true
		}
		// A project named by its id has the resource withProjects made.
		return arg == projectArg && foldInto(importer.ResourceRef{ID: projectKey(tf)}, typ, byID, add)
	}
}

// grantBindings are the bindings one IAM resource adds.
func grantBindings(tf map[string]any) []any {
	if data, ok := tf["policy_data"]; ok {
		doc := document(data)
		if _, ok := doc.(map[string]any); !ok && doc != nil {
			u, ok := doc.(importer.Unknown)
			if !ok {
				u = importer.Unknown{Why: "policy_data is not an IAM policy document"}
			}
			return []any{map[string]any{"role": u, "members": u}}
		}
		var out []any
		for _, b := range asList(mapkit.Get(doc, "bindings")) {
			out = append(out, map[string]any{"role": mapkit.Get(b, "role"), "members": mapkit.Get(b, "members")})
		}
		return out
	}
	members := tf["members"]
	if members == nil {
		members = []any{tf["member"]}
	}
	return []any{map[string]any{"role": tf["role"], "members": members}}
}

const (
	projectType = "cloudresourcemanager.googleapis.com/Project"
	// projectArg marks the project grants, whose target is found by
	// projectKey rather than by one argument.
	projectArg = "project"
)

// projectIAM are the project-level grants, merged per project.
var projectIAM = map[string]bool{"google_project_iam_member": true, "google_project_iam_binding": true, "google_project_iam_policy": true}

// projectKey is the id of the project a project-level grant names: the
// google_project resource it references, else "projects/NAME", with the
// provider's default project when the grant names none.
func projectKey(tf map[string]any) string {
	switch p := tf["project"].(type) {
	case importer.ResourceRef:
		if strings.Contains(p.ID, "google_project.") {
			return p.ID
		}
		return "projects/(" + p.ID + "." + p.Attr + ")"
	case string:
		return "projects/" + p
	case importer.Unknown:
		return "projects/(" + p.Why + ")"
	}
	return "projects/(provider default)"
}

// withProjects adds a project resource for each project granted on that
// the configuration does not declare, at its first grant.
func withProjects(in []importer.Resource) []importer.Resource {
	declared := map[string]bool{}
	for _, r := range in {
		declared[r.ID] = true
	}
	var made []importer.Resource
	for _, r := range in {
		if !projectIAM[r.Type] {
			continue
		}
		key := projectKey(r.Props)
		if declared[key] {
			continue
		}
		declared[key] = true
		name := strings.TrimPrefix(key, "projects/")
		made = append(made, importer.Resource{Type: "google_project", ID: key, Name: "project " + name,
			Props: map[string]any{"project_id": name}, Pos: r.Pos})
	}
	if len(made) == 0 {
		return in
	}
	return append(slices.Clip(in), made...)
}

// googleNodeConfig keeps what a node pool's nodes run as and whether
// they reach the metadata server's node credentials.
func googleNodeConfig(tf map[string]any) map[string]any {
	out := map[string]any{}
	if b := block(tf, "node_config"); b != nil {
		out = rename(b, "service_account", "serviceAccount", "oauth_scopes", "oauthScopes")
		if w := block(b, "workload_metadata_config"); w != nil {
			out["workloadMetadataConfig"] = rename(w, "mode", "mode")
		}
	}
	return out
}

// googleFolders are the IAM resources folded into what they grant on, and
// the parts of a resource written apart from it.
var googleFolders = map[string]folder{
	"google_storage_bucket_iam_member":             grant("bucket", "storage.googleapis.com/Bucket"),
	"google_storage_bucket_iam_binding":            grant("bucket", "storage.googleapis.com/Bucket"),
	"google_storage_bucket_iam_policy":             grant("bucket", "storage.googleapis.com/Bucket"),
	"google_cloud_run_service_iam_member":          grant("service", "run.googleapis.com/Service"),
	"google_cloud_run_service_iam_binding":         grant("service", "run.googleapis.com/Service"),
	"google_cloud_run_v2_service_iam_member":       grant("name", "run.googleapis.com/Service"),
	"google_cloud_run_v2_service_iam_binding":      grant("name", "run.googleapis.com/Service"),
	"google_cloudfunctions2_function_iam_member":   grant("cloud_function", "cloudfunctions.googleapis.com/CloudFunction"),
	"google_cloudfunctions2_function_iam_binding":  grant("cloud_function", "cloudfunctions.googleapis.com/CloudFunction"),
	"google_cloudfunctions_function_iam_member":    grant("cloud_function", "cloudfunctions.googleapis.com/CloudFunction"),
	"google_pubsub_topic_iam_member":               grant("topic", "pubsub.googleapis.com/Topic"),
	"google_pubsub_topic_iam_binding":              grant("topic", "pubsub.googleapis.com/Topic"),
	"google_pubsub_subscription_iam_member":        grant("subscription", "pubsub.googleapis.com/Subscription"),
	"google_pubsub_subscription_iam_binding":       grant("subscription", "pubsub.googleapis.com/Subscription"),
	"google_kms_crypto_key_iam_member":             grant("crypto_key_id", "cloudkms.googleapis.com/CryptoKey"),
	"google_kms_crypto_key_iam_binding":            grant("crypto_key_id", "cloudkms.googleapis.com/CryptoKey"),
	"google_secret_manager_secret_iam_member":      grant("secret_id", "secretmanager.googleapis.com/Secret"),
	"google_secret_manager_secret_iam_binding":     grant("secret_id", "secretmanager.googleapis.com/Secret"),
	"google_bigquery_dataset_iam_member":           grant("dataset_id", "bigquery.googleapis.com/Dataset"),
	"google_bigquery_dataset_iam_binding":          grant("dataset_id", "bigquery.googleapis.com/Dataset"),
	"google_project_iam_member":                    grant(projectArg, projectType),
	"google_project_iam_binding":                   grant(projectArg, projectType),
	"google_project_iam_policy":                    grant(projectArg, projectType),
	"google_storage_bucket_acl":                    bucketACL("acl"),
	"google_storage_bucket_access_control":         bucketACL("acl"),
	"google_storage_default_object_access_control": bucketACL("defaultObjectAcl"),
	"google_storage_default_object_acl":            bucketACL("defaultObjectAcl"),
	"google_service_account_key": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["service_account_id"], "iam.googleapis.com/ServiceAccount", byID, func(p map[string]any) {
			p["keys"] = append(asList(p["keys"]), map[string]any{"keyType": "USER_MANAGED"})
		})
	},
	"google_container_node_pool": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["cluster"], "container.googleapis.com/Cluster", byID, func(p map[string]any) {
			p["nodePools"] = append(asList(p["nodePools"]), map[string]any{"name": tf["name"], "config": googleNodeConfig(tf)})
		})
	},
	"google_sql_user": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["instance"], "sqladmin.googleapis.com/Instance", byID, func(p map[string]any) {
			typ := tf["type"]
			if typ == nil {
				typ = "BUILT_IN"
			}
			p["users"] = append(asList(p["users"]), map[string]any{"name": tf["name"], "type": typ})
		})
	},
}

// predefinedACLs are the entities a canned ACL grants to besides the
// bucket's owners.
var predefinedACLs = map[string][]string{
	"publicRead": {"allUsers"}, "publicReadWrite": {"allUsers"}, "authenticatedRead": {"allAuthenticatedUsers"},
}

// bucketACL folds ACL entries into the bucket's list named key, as
// {"entity", "role"}: a canned ACL's grants, "ROLE:entity" pairs, or one
// entity and role.
func bucketACL(key string) folder {
	return func(tf map[string]any, byID map[string]*importer.Resource) bool {
		var entries []any
		if s, ok := tf["predefined_acl"].(string); ok {
			for _, e := range predefinedACLs[s] {
				entries = append(entries, map[string]any{"entity": e, "role": "READER"})
			}
		}
		for _, v := range asList(tf["role_entity"]) {
			if s, ok := v.(string); ok {
				role, entity, _ := strings.Cut(s, ":")
				entries = append(entries, map[string]any{"entity": entity, "role": role})
			}
		}
		if e := tf["entity"]; e != nil {
			entries = append(entries, map[string]any{"entity": e, "role": tf["role"]})
		}
		return foldInto(tf["bucket"], "storage.googleapis.com/Bucket", byID, func(p map[string]any) {
			p[key] = append(asList(p[key]), entries...)
		})
	}
}
