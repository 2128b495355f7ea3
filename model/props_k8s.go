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
}
