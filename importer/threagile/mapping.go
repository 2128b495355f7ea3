package threagile

import (
	"github.com/wardsec/ward/model"
)

// classification maps a Threagile confidentiality word to Ward's
// classification and confidentiality need. Threagile ranks "restricted"
// below "confidential"; Ward ranks it above, so the words cross.
var classification = map[string]struct {
	Class model.Classification
	Level model.Level
}{
	"public":                {model.Public, model.LevelLow},
	"internal":              {model.Internal, model.LevelLow},
	"restricted":            {model.Confidential, model.LevelMedium},
	"confidential":          {model.Confidential, model.LevelHigh},
	"strictly-confidential": {model.Restricted, model.LevelHigh},
}

// criticality maps a Threagile integrity or availability word to a level.
var criticality = map[string]model.Level{
	"archive":          model.LevelLow,
	"operational":      model.LevelLow,
	"important":        model.LevelMedium,
	"critical":         model.LevelHigh,
	"mission-critical": model.LevelHigh,
}

// technologyKinds maps a technical asset's technology to the closest
// catalog kind. A kind is used only when its DFD category agrees with the
// asset's type; otherwise the type's generic kind is.
var technologyKinds = map[string]model.Kind{
	"browser":                  "browser",
	"mobile-app":               "mobile-app",
	"client-system":            "external-entity",
	"desktop":                  "external-entity",
	"devops-client":            "external-entity",
	"iot-device":               "external-entity",
	"web-server":               "web-app",
	"web-application":          "web-app",
	"cms":                      "web-app",
	"application-server":       "server",
	"mail-server":              "server",
	"mainframe":                "server",
	"web-service-rest":         "api",
	"web-service-soap":         "api",
	"gateway":                  "api",
	"reverse-proxy":            "load-balancer",
	"load-balancer":            "load-balancer",
	"waf":                      "firewall",
	"ids":                      "firewall",
	"ips":                      "firewall",
	"identity-provider":        "identity-provider",
	"ldap-server":              "identity-provider",
	"identity-store-ldap":      "datastore",
	"identity-store-database":  "database",
	"database":                 "database",
	"search-index":             "database",
	"file-server":              "file-store",
	"local-file-system":        "file-store",
	"block-storage":            "file-store",
	"data-lake":                "file-store",
	"message-queue":            "queue",
	"stream-processing":        "message-broker",
	"function":                 "function",
	"container-platform":       "container",
	"vault":                    "secret-store",
	"hsm":                      "secret-store",
	"build-pipeline":           "cicd.pipeline",
	"sourcecode-repository":    "cicd.repository",
	"artifact-registry":        "cicd.artifact-registry",
	"monitoring":               "process",
	"erp":                      "process",
	"ejb":                      "process",
	"search-engine":            "process",
	"service-registry":         "process",
	"service-mesh":             "process",
	"code-inspection-platform": "process",
	"batch-processing":         "process",
	"event-listener":           "process",
	"scheduler":                "process",
	"report-engine":            "process",
	"task":                     "process",
	"tool":                     "process",
	"cli":                      "process",
	"ai":                       "process",
	"library":                  "process",
	"unknown-technology":       "",
}

// typeKinds maps a technical asset's type to its generic kind.
var typeKinds = map[string]model.Kind{
	"external-entity": "external-entity",
	"process":         "process",
	"datastore":       "datastore",
}

// encryptedProtocols are the link protocols that protect data in transit;
// plainProtocols do not. A protocol in neither is warned about.
var (
	encryptedProtocols = set("https", "wss", "reverse-proxy-web-protocol-encrypted", "jdbc-encrypted",
		"odbc-encrypted", "sql-access-protocol-encrypted", "nosql-access-protocol-encrypted",
		"binary-encrypted", "text-encrypted", "ssh", "ssh-tunnel", "smtp-encrypted", "pop3-encrypted",
		"imap-encrypted", "ftps", "sftp", "scp", "ldaps", "smb-encrypted", "iiop-encrypted", "jrmp-encrypted")
	plainProtocols = set("unknown-protocol", "http", "ws", "reverse-proxy-web-protocol", "mqtt", "jdbc", "odbc",
		"sql-access-protocol", "nosql-access-protocol", "binary", "text", "smtp", "pop3", "imap", "ftp",
		"ldap", "jms", "nfs", "smb", "local-file-access", "nrpe", "xmpp", "iiop", "jrmp",
		"in-process-library-call", "container-spawning")
)

// authentications maps a link's authentication to Ward's words. A
// two-factor link also marks its target as requiring a second factor.
var authentications = map[string]model.Authentication{
	"none":               model.AuthNone,
	"credentials":        model.AuthPassword,
	"session-id":         model.AuthToken,
	"token":              model.AuthToken,
	"client-certificate": model.AuthCertificate,
	"two-factor":         model.AuthPassword,
	"externalized":       model.AuthOAuth,
}

// boundaryTrust is how far each kind of trust boundary is trusted: a
// process's own execution environment most, a shared hoster's network
// least.
var boundaryTrust = map[string]model.Trust{
	"network-on-prem":                    model.TrustHigh,
	"network-dedicated-hoster":           model.TrustMedium,
	"network-virtual-lan":                model.TrustHigh,
	"network-cloud-provider":             model.TrustMedium,
	"network-cloud-security-group":       model.TrustHigh,
	"network-policy-namespace-isolation": model.TrustHigh,
	"execution-environment":              model.Trusted,
}

// atRest maps a technical asset's encryption to encrypted_at_rest.
var atRest = map[string]bool{
	"none":                             false,
	"transparent":                      true,
	"data-with-symmetric-shared-key":   true,
	"data-with-asymmetric-shared-key":  true,
	"data-with-enduser-individual-key": true,
}

// builtinCategories are Threagile's built-in risk categories with their
// titles and STRIDE categories, so a tracked risk becomes a threat of the
// right kind.
var builtinCategories = map[string]category{
	"accidental-secret-leak":                 {"Accidental secret leak", model.InformationDisclosure},
	"code-backdooring":                       {"Code backdooring", model.Tampering},
	"container-baseimage-backdooring":        {"Container base image backdooring", model.Tampering},
	"container-platform-escape":              {"Container platform escape", model.ElevationOfPrivilege},
	"cross-site-request-forgery":             {"Cross-site request forgery (CSRF)", model.Spoofing},
	"cross-site-scripting":                   {"Cross-site scripting (XSS)", model.Tampering},
	"dos-risky-access-across-trust-boundary": {"DoS-risky access across a trust boundary", model.DenialOfService},
	"incomplete-model":                       {"Incomplete model", model.InformationDisclosure},
	"ldap-injection":                         {"LDAP injection", model.Tampering},
	"missing-authentication":                 {"Missing authentication", model.ElevationOfPrivilege},
	"missing-authentication-second-factor":   {"Missing two-factor authentication", model.ElevationOfPrivilege},
	"missing-build-infrastructure":           {"Missing build infrastructure", model.Tampering},
	"missing-cloud-hardening":                {"Missing cloud hardening", model.Tampering},
	"missing-file-validation":                {"Missing file validation", model.Spoofing},
	"missing-hardening":                      {"Missing hardening", model.Tampering},
	"missing-identity-propagation":           {"Missing identity propagation", model.ElevationOfPrivilege},
	"missing-identity-provider-isolation":    {"Missing identity provider isolation", model.ElevationOfPrivilege},
	"missing-identity-store":                 {"Missing identity store", model.Spoofing},
	"missing-network-segmentation":           {"Missing network segmentation", model.ElevationOfPrivilege},
	"missing-vault":                          {"Missing vault (secret storage)", model.InformationDisclosure},
	"missing-vault-isolation":                {"Missing vault isolation", model.ElevationOfPrivilege},
	"missing-waf":                            {"Missing web application firewall (WAF)", model.Tampering},
	"mixed-targets-on-shared-runtime":        {"Mixed targets on a shared runtime", model.ElevationOfPrivilege},
	"path-traversal":                         {"Path traversal", model.InformationDisclosure},
	"push-instead-of-pull-deployment":        {"Push instead of pull deployment", model.Tampering},
	"search-query-injection":                 {"Search query injection", model.Tampering},
	"server-side-request-forgery":            {"Server-side request forgery (SSRF)", model.InformationDisclosure},
	"service-registry-poisoning":             {"Service registry poisoning", model.Spoofing},
	"sql-nosql-injection":                    {"SQL/NoSQL injection", model.Tampering},
	"unchecked-deployment":                   {"Unchecked deployment", model.Tampering},
	"unencrypted-asset":                      {"Unencrypted technical asset", model.InformationDisclosure},
	"unencrypted-communication":              {"Unencrypted communication", model.InformationDisclosure},
	"unguarded-access-from-internet":         {"Unguarded access from the internet", model.ElevationOfPrivilege},
	"unguarded-direct-datastore-access":      {"Unguarded direct datastore access", model.ElevationOfPrivilege},
	"unnecessary-communication-link":         {"Unnecessary communication link", model.ElevationOfPrivilege},
	"unnecessary-data-asset":                 {"Unnecessary data asset", model.ElevationOfPrivilege},
	"unnecessary-data-transfer":              {"Unnecessary data transfer", model.ElevationOfPrivilege},
	"unnecessary-technical-asset":            {"Unnecessary technical asset", model.ElevationOfPrivilege},
	"untrusted-deserialization":              {"Untrusted deserialization", model.Tampering},
	"wrong-communication-link-content":       {"Wrong communication link content", model.InformationDisclosure},
	"wrong-trust-boundary-content":           {"Wrong trust boundary content", model.ElevationOfPrivilege},
	"xml-external-entity":                    {"XML external entity (XXE)", model.InformationDisclosure},
}

// strideWords maps the stride field of an individual risk category.
var strideWords = map[string]model.Stride{
	"spoofing":               model.Spoofing,
	"tampering":              model.Tampering,
	"repudiation":            model.Repudiation,
	"information-disclosure": model.InformationDisclosure,
	"denial-of-service":      model.DenialOfService,
	"elevation-of-privilege": model.ElevationOfPrivilege,
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
