package model

// gcpProperties are the catalog's Google Cloud-specific properties. Name them
// for the setting, prefixed "gcp_" unless the concept is general.
var gcpProperties = []PropertyInfo{
	boolProp("gcp_uniform_bucket_level_access", "the bucket uses uniform bucket-level access: IAM alone grants access, object ACLs are off", false),
	boolProp("gcp_vpc_service_controls", "the project sits inside a VPC Service Controls perimeter that blocks copies to projects outside it", false),
	boolProp("gcp_dedicated_service_account", "runs as its own user-managed service account, not a default one (Compute Engine or App Engine default, which hold Editor)", false),
	boolProp("gcp_workload_identity", "GKE Workload Identity is on: pods get their own identity and cannot read the node's service account from the metadata server", false),
	boolProp("gcp_max_instances", "the number of instances that scale out is capped", false),
	boolProp("gcp_basic_roles", "the binding grants a basic role (Owner, Editor or Viewer)", false),
	boolProp("gcp_project_level_impersonation", "the binding grants Service Account User or Service Account Token Creator on the whole project or folder, not on one service account", false),
	boolProp("gcp_gke_all_authenticated_bindings", "a role binding in the cluster names system:authenticated, system:unauthenticated or system:anonymous", false),
	boolProp("gcp_kms_separation_of_duties", "no principal holds both Cloud KMS Admin and a role that encrypts or decrypts with the key", false),
	boolProp("gcp_os_login", "OS Login is on: SSH access to the instance is granted through IAM, not through SSH keys in project or instance metadata", false),
	boolProp("gcp_full_api_scope", "the instance's service account is used with the cloud-platform (all Cloud APIs) access scope", false),
}
