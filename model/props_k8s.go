package model

// k8sProperties are the catalog's Kubernetes-specific properties. Name them
// for the setting, prefixed "k8s_" unless the concept is general.
var k8sProperties = []PropertyInfo{
	boolProp("run_as_non_root", "containers must not run as root", false),
	boolProp("read_only_root_filesystem", "containers' root file systems are read-only", false),
	boolProp("host_network", "pods share the node's network, PID or IPC namespaces", false),
	boolProp("resource_limits", "containers have CPU and memory limits", false),
	boolProp("network_policy", "a network policy restricts the workload's traffic", false),
	boolProp("automount_service_account_token", "pods get the API token of their service account", false),
	boolProp("k8s_cluster_admin", "bound to cluster-admin or another role that grants every verb on every resource", false),
	boolProp("k8s_escalation_verbs", "the role grants bind, escalate or impersonate, or create on pods", false),
	boolProp("k8s_secrets_access", "the role may get, list or watch Secrets", false),
	boolProp("k8s_secrets_as_files", "workloads read the secret from a mounted file, never from environment variables", false),
	boolProp("k8s_ingress_annotations_restricted", "the ingress controller rejects snippet and raw-configuration annotations and its admission webhook is reachable only from the API server", false),
	boolProp("k8s_pod_security_enforced", "the namespace enforces the Pod Security Standards baseline or restricted profile (or an equivalent admission policy) in enforce mode", false),
	boolProp("k8s_dedicated_namespace", "the workload runs in its own namespace, not in default", false),
	boolProp("k8s_host_port", "containers bind a hostPort, or the Service is of type NodePort, so the workload listens on the nodes' addresses", false),
}
