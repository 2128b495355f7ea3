package aws

import (
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// policyFacts are what a policy document says that rules read.
type policyFacts struct {
	// wildcards: an Allow grants "*" actions ("*", "s3:*") or resources.
	wildcards bool
	// public: an Allow admits Principal "*" with no condition.
	public bool
	// external: an Allow admits principals of another account.
	external bool
	// known is false when the document could not be read statically.
	known bool
}

// readPolicy reads an IAM policy document (identity or resource policy).
func readPolicy(doc any) policyFacts {
	f := policyFacts{known: true}
	if _, ok := unknown(doc); ok || doc == nil {
		f.known = doc == nil
		return f
	}
	for _, st := range mapkit.List(mapkit.Get(doc, "Statement")) {
		effect, _ := str(mapkit.Get(st, "Effect"))
		if effect != "Allow" {
			continue
		}
		for _, a := range mapkit.List(mapkit.Get(st, "Action")) {
			if s, ok := str(a); ok && (s == "*" || strings.HasSuffix(s, ":*")) {
				f.wildcards = true
			}
		}
		for _, res := range mapkit.List(mapkit.Get(st, "Resource")) {
			if s, ok := str(res); ok && s == "*" {
				f.wildcards = true
			}
		}
		if mapkit.Get(st, "NotAction") != nil || mapkit.Get(st, "NotResource") != nil {
			f.wildcards = true
		}
		principal := mapkit.Get(st, "Principal")
		if principal == nil {
			continue
		}
		if isWorld(principal) || isWorld(mapkit.Get(principal, "AWS")) {
			if mapkit.Get(st, "Condition") == nil {
				f.public = true
			} else {
				f.external = true
			}
			continue
		}
		for _, p := range mapkit.List(mapkit.Get(principal, "AWS")) {
			if s, ok := str(p); ok && strings.HasPrefix(s, "arn:") || isAccountID(p) {
				f.external = true
			}
		}
	}
	return f
}

func isWorld(v any) bool {
	for _, p := range mapkit.List(v) {
		if s, ok := str(p); ok && s == "*" {
			return true
		}
	}
	return false
}

// isAccountID recognises a bare 12-digit account id; ids of the template's
// own account are written with AWS::AccountId and are not strings here.
func isAccountID(v any) bool {
	s, ok := str(v)
	if !ok || len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// applyPolicy folds a policy's facts into the properties of c.
func (m *mapper) applyPolicy(r *importer.Resource, c *model.Component, doc any) {
	f := readPolicy(doc)
	if !f.known {
		m.Warnf(r, "policy document is not known statically; iam_wildcards, public and external_access left unset")
		return
	}
	if f.wildcards {
		m.Set(r, c, "iam_wildcards", true)
	}
	if f.public {
		m.Set(r, c, "public", true)
	}
	if f.external {
		m.Set(r, c, "external_access", true)
	}
}
