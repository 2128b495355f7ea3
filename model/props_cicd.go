package model

// cicdProperties are the catalog's CI/CD-specific properties. Name them
// for the setting, prefixed "cicd_" unless the concept is general.
var cicdProperties = []PropertyInfo{
	boolProp("branch_protection", "changes to the main branch need review and passing checks", false),
	boolProp("pinned_dependencies", "actions, images and packages are pinned to a digest or exact version", false),
	boolProp("cicd_untrusted_code_isolated", "builds of changes from forks or outside contributors run without secrets, write tokens or deploy rights", false),
	boolProp("cicd_secrets_scoped", "pipeline secrets are released only to jobs on protected branches or environments, and masked in logs", false),
	boolProp("cicd_ephemeral_runner", "each job runs on a fresh runner that is destroyed when the job ends", false),
	boolProp("cicd_secret_scanning", "pushes are scanned for secrets and blocked when one is found", false),
	boolProp("cicd_private_namespace", "internal packages live under a reserved scope or namespace, and builds never resolve them from a public registry", false),
	boolProp("cicd_vendor_assessed", "the vendor's security was assessed and a contract bounds what it may do with the data and when it must report a breach", false),
	boolProp("cicd_pipeline_definition_protected", "changes to pipeline definitions need code-owner review, and the pipeline's own token cannot push to protected branches or edit workflow files", false),
	boolProp("cicd_cache_isolated", "build caches are scoped per branch or trust level, so untrusted builds cannot write caches that protected builds restore", false),
	boolProp("cicd_build_provenance", "builds emit signed provenance (SLSA or in-toto attestations) that deployment verifies before release", false),
	boolProp("cicd_signing_key_protected", "release signing keys stay in an HSM or cloud KMS, or signing is keyless; no job can read the private key", false),
	boolProp("cicd_lockfile_enforced", "builds install dependencies only from a committed lockfile with integrity hashes (npm ci, pip --require-hashes, go.sum) and fail when it is out of date", false),
}
