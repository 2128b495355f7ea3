package terraform

import (
	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// translateGoogle turns google_* resources into Cloud Asset Inventory
// shapes: the asset type, and Props holding the asset's resource data with
// its IAM policy under "iamPolicy". IAM member and binding resources are
// folded into the resource they grant on; other types keep their
// Terraform type, which the mapping reports.
func translateGoogle(in []importer.Resource, warn func(model.Pos, string)) []importer.Resource {
	return translateTable(in, googleKinds, googleFolders, warn,
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
		switch v := get(block(tf, "metadata"), "annotations", "run.googleapis.com/ingress").(type) {
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
			out["serviceAccounts"] = []any{rename(b, "email", "email")}
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
	// Each project-level grant stands alone as its project's policy of one
	// binding: the project itself is rarely in the configuration.
	"google_project_iam_member": {"cloudresourcemanager.googleapis.com/Project", func(tf map[string]any) map[string]any {
		return map[string]any{"iamPolicy": map[string]any{"bindings": []any{
			map[string]any{"role": tf["role"], "members": []any{tf["member"]}},
		}}}
	}},
}

// get walks nested maps by key; nil when a step is missing.
func get(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// grant folds an IAM member or binding resource into the policy of the
// resource its argument arg names.
func grant(arg, typ string) folder {
	return func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf[arg], typ, byID, func(p map[string]any) {
			members := tf["members"]
			if members == nil {
				members = []any{tf["member"]}
			}
			policy, _ := p["iamPolicy"].(map[string]any)
			if policy == nil {
				policy = map[string]any{}
				p["iamPolicy"] = policy
			}
			policy["bindings"] = append(asList(policy["bindings"]), map[string]any{"role": tf["role"], "members": members})
		})
	}
}

// googleFolders are the IAM resources folded into what they grant on.
var googleFolders = map[string]folder{
	"google_storage_bucket_iam_member":       grant("bucket", "storage.googleapis.com/Bucket"),
	"google_storage_bucket_iam_binding":      grant("bucket", "storage.googleapis.com/Bucket"),
	"google_cloud_run_service_iam_member":    grant("service", "run.googleapis.com/Service"),
	"google_cloud_run_v2_service_iam_member": grant("name", "run.googleapis.com/Service"),
}
