package mdtext

import "strings"

// ReferenceURL is the page a reference points to: the reference itself
// when it is a web address, the catalogue page of a CAPEC, CWE or ATT&CK
// id, or "" for anything else.
func ReferenceURL(ref string) string {
	if IsWebURL(ref) {
		return ref
	}
	if num, ok := CutNumber(ref, "CAPEC-"); ok {
		return "https://capec.mitre.org/data/definitions/" + num + ".html"
	}
	if num, ok := CutNumber(ref, "CWE-"); ok {
		return "https://cwe.mitre.org/data/definitions/" + num + ".html"
	}
	if num, ok := CutNumber(ref, "T"); ok {
		return "https://attack.mitre.org/techniques/T" + strings.ReplaceAll(num, ".", "/") + "/"
	}
	return ""
}

// IsWebURL reports whether s is an http or https address.
func IsWebURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// CutNumber returns what follows prefix in s when that is digits (and
// dots, for ATT&CK sub-techniques), and whether it is.
func CutNumber(s, prefix string) (num string, ok bool) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || rest == "" || rest[0] == '.' {
		return "", false
	}
	for _, r := range rest {
		if (r < '0' || r > '9') && r != '.' {
			return "", false
		}
	}
	return rest, true
}
