package kubernetes

import (
	"slices"

	"go.yaml.in/yaml/v3"
)

// grant is what a role lets its holder do, as far as the rules care.
type grant struct {
	clusterAdmin bool // every verb on every resource
	wildcards    bool // "*" among verbs, resources or API groups
	escalation   bool // bind, escalate, impersonate, or create pods
	secrets      bool // get, list or watch Secrets
}

func (g grant) or(o grant) grant {
	return grant{g.clusterAdmin || o.clusterAdmin, g.wildcards || o.wildcards, g.escalation || o.escalation, g.secrets || o.secrets}
}

// builtinRoles are the cluster roles every cluster has, which manifests
// bind without defining.
var builtinRoles = map[string]grant{
	"cluster-admin": {clusterAdmin: true, wildcards: true, escalation: true, secrets: true},
	"admin":         {escalation: true, secrets: true},
	"edit":          {escalation: true, secrets: true},
	"view":          {},
}

// roleGrant reads the rules of a Role or ClusterRole.
func roleGrant(role *yaml.Node) grant {
	var g grant
	for _, rule := range items(role, "rules") {
		g = g.or(ruleGrant(stringsAt(rule, "verbs"), stringsAt(rule, "resources"), stringsAt(rule, "apiGroups")))
	}
	return g
}

// rbacResources are the resources whose every-verb grant lets a holder
// grant itself more.
var rbacResources = []string{"pods", "roles", "clusterroles", "rolebindings", "clusterrolebindings"}

func ruleGrant(verbs, resources, groups []string) grant {
	anyVerb, anyResource, anyGroup := slices.Contains(verbs, "*"), slices.Contains(resources, "*"), slices.Contains(groups, "*")
	g := grant{
		wildcards:    anyVerb || anyResource || anyGroup,
		clusterAdmin: anyVerb && anyResource && (anyGroup || len(groups) == 0),
	}
	onPods := anyResource || slices.Contains(resources, "pods")
	for _, v := range verbs {
		switch v {
		case "bind", "escalate", "impersonate":
			g.escalation = true
		case "create":
			g.escalation = g.escalation || onPods
		case "*":
			g.escalation = g.escalation || anyResource || slices.ContainsFunc(resources, func(r string) bool { return slices.Contains(rbacResources, r) })
		}
	}
	readsSecrets := slices.ContainsFunc(verbs, func(v string) bool { return v == "*" || v == "get" || v == "list" || v == "watch" })
	g.secrets = readsSecrets && (anyResource || slices.Contains(resources, "secrets"))
	return g
}
