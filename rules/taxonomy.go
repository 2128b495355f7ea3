package rules

import "regexp"

// CSATopThreats are the Cloud Security Alliance's Top Threats to Cloud
// Computing (2022 edition, the "Pandemic Eleven"), in order: a rule's
// references.csa lists their numbers, from 1.
var CSATopThreats = []string{
	"Insufficient identity, credentials, access and key management",
	"Insecure interfaces and APIs",
	"Misconfiguration and inadequate change control",
	"Lack of cloud security architecture and strategy",
	"Insecure software development",
	"Unsecured third-party resources",
	"System vulnerabilities",
	"Accidental cloud data disclosure",
	"Misconfiguration and exploitation of serverless and container workloads",
	"Organized crime/hackers/APT",
	"Cloud storage data exfiltration",
}

// Realm is one of the Cloud Security Alliance's ten realms of cloud
// security services; a rule's realms say which its controls fall under.
type Realm struct {
	ID    string
	Title string
}

// Realms lists the ten realms.
var Realms = []Realm{
	{"identity-and-access-management", "Identity and access management"},
	{"data-loss-prevention", "Data loss prevention"},
	{"web-security", "Web security"},
	{"email-security", "Email security"},
	{"security-assessments", "Security assessments"},
	{"intrusion-management", "Intrusion management"},
	{"siem", "Security information and event management (SIEM)"},
	{"encryption", "Encryption"},
	{"business-continuity", "Business continuity and disaster recovery"},
	{"network-security", "Network security"},
}

// Frameworks are the compliance frameworks a rule's compliance map may
// name, each with the form its requirement ids take. The form is checked,
// not the citation: cite only requirements you have read.
var Frameworks = map[string]*regexp.Regexp{
	// PCI DSS v4.0 requirement numbers, e.g. 8.3.4.
	"pci-dss-4.0": regexp.MustCompile(`^[0-9]{1,2}(\.[0-9]{1,2}){0,3}$`),
	// HIPAA Security Rule, 45 CFR 164.3xx, e.g. 164.312(a)(1).
	"hipaa": regexp.MustCompile(`^164\.3[0-9]{2}(\([a-zA-Z0-9]+\))*$`),
	// GDPR articles, e.g. Art. 32 or Art. 32(1)(a).
	"gdpr": regexp.MustCompile(`^Art\. [0-9]{1,2}(\([0-9]+\))?(\([a-z]\))?$`),
	// FERPA, 34 CFR Part 99, e.g. 99.31.
	"ferpa": regexp.MustCompile(`^99\.[0-9]{1,2}$`),
	// COPPA Rule, 16 CFR Part 312, e.g. 312.8.
	"coppa": regexp.MustCompile(`^312\.[0-9]{1,2}$`),
	// CIS Foundations Benchmarks, by version, e.g. 2.1.1.
	"cis-aws-3.0":        regexp.MustCompile(`^[0-9]{1,2}(\.[0-9]{1,2}){1,2}$`),
	"cis-azure-2.1":      regexp.MustCompile(`^[0-9]{1,2}(\.[0-9]{1,2}){1,3}$`),
	"cis-gcp-2.0":        regexp.MustCompile(`^[0-9]{1,2}(\.[0-9]{1,2}){1,2}$`),
	"cis-kubernetes-1.9": regexp.MustCompile(`^[0-9]{1,2}(\.[0-9]{1,2}){1,3}$`),
}
