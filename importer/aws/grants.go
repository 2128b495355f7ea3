package aws

import (
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// broadManagedPolicies are the AWS-managed policies that grant every
// action of one or more services ("s3:*") or of all of them, so attaching
// one is a wildcard grant. admin says the policy lets its holder give
// itself any permission (full IAM, or everything).
var broadManagedPolicies = map[string]struct{ admin bool }{
	"AdministratorAccess":                  {admin: true},
	"IAMFullAccess":                        {admin: true},
	"PowerUserAccess":                      {}, // NotAction iam:*: every other action
	"AmazonS3FullAccess":                   {},
	"AmazonDynamoDBFullAccess":             {},
	"AmazonEC2FullAccess":                  {},
	"AmazonRDSFullAccess":                  {},
	"AmazonSQSFullAccess":                  {},
	"AmazonSNSFullAccess":                  {},
	"AmazonKinesisFullAccess":              {},
	"AmazonEC2ContainerRegistryFullAccess": {},
	"AWSLambda_FullAccess":                 {},
	"SecretsManagerReadWrite":              {},
	"CloudWatchFullAccess":                 {},
}

// managedPolicyName is the name of an AWS-managed policy ARN
// (arn:aws:iam::aws:policy/[path/]Name), or "".
func managedPolicyName(v any) string {
	s, ok := str(v)
	if !ok || !strings.HasPrefix(s, "arn:") || !strings.Contains(s, ":iam::aws:policy/") {
		return ""
	}
	return s[strings.LastIndex(s, "/")+1:]
}

// grants are what an identity (role, user or group) is allowed: the
// policy documents that apply to it and the broad AWS-managed policies it
// attaches.
type grants struct {
	docs    []any
	managed []string
}

// attachedPolicies indexes, once, the policy resources of the template by
// the roles, users and groups they name.
func (m *mapper) attachedPolicies() map[string][]*importer.Resource {
	if m.attached != nil {
		return m.attached
	}
	m.attached = map[string][]*importer.Resource{}
	for _, r := range m.byID {
		if r.Type != "AWS::IAM::Policy" && r.Type != "AWS::IAM::ManagedPolicy" {
			continue
		}
		for _, key := range []string{"Roles", "Users", "Groups"} {
			for _, ref := range mapkit.Refs(mapkit.Get(r.Props, key)) {
				m.attached[ref.ID] = append(m.attached[ref.ID], r)
			}
		}
	}
	// Map order is random; flows are made in this order.
	for _, list := range m.attached {
		slices.SortFunc(list, func(a, b *importer.Resource) int { return strings.Compare(a.ID, b.ID) })
	}
	return m.attached
}

// grantsOf collects what the identity resource id is allowed: inline
// policies, policies of the template attached to it or named in
// ManagedPolicyArns, AWS-managed policies, and for a user its groups'.
func (m *mapper) grantsOf(id string) grants {
	var g grants
	m.addGrants(&g, id, 0)
	return g
}

func (m *mapper) addGrants(g *grants, id string, depth int) {
	r := m.byID[id]
	if r == nil || depth > 1 {
		return
	}
	for _, pol := range mapkit.List(mapkit.Get(r.Props, "Policies")) {
		g.docs = append(g.docs, mapkit.Get(pol, "PolicyDocument"))
	}
	seen := map[string]bool{}
	for _, pol := range m.attachedPolicies()[id] {
		seen[pol.ID] = true
		g.docs = append(g.docs, mapkit.Get(pol.Props, "PolicyDocument"))
	}
	for _, arn := range mapkit.List(mapkit.Get(r.Props, "ManagedPolicyArns")) {
		if name := managedPolicyName(arn); name != "" {
			g.managed = append(g.managed, name)
			continue
		}
		for _, ref := range mapkit.Refs(arn) {
			if pol := m.byID[ref.ID]; pol != nil && !seen[ref.ID] {
				seen[ref.ID] = true
				g.docs = append(g.docs, mapkit.Get(pol.Props, "PolicyDocument"))
			}
		}
	}
	if r.Type == "AWS::IAM::User" {
		for _, group := range m.groupsOf(r) {
			m.addGrants(g, group, depth+1)
		}
	}
}

// groupsOf lists the group resource ids a user belongs to: its Groups, and
// UserToGroupAddition resources naming it.
func (m *mapper) groupsOf(user *importer.Resource) []string {
	var out []string
	for _, ref := range mapkit.Refs(mapkit.Get(user.Props, "Groups")) {
		out = append(out, ref.ID)
	}
	if m.additions == nil {
		// Indexed once: scanning every resource for each user would make
		// an account with many users quadratic.
		m.additions = map[string][]string{}
		for _, r := range m.byID {
			if r.Type != "AWS::IAM::UserToGroupAddition" {
				continue
			}
			for _, u := range mapkit.Refs(mapkit.Get(r.Props, "Users")) {
				for _, g := range mapkit.Refs(mapkit.Get(r.Props, "GroupName")) {
					m.additions[u.ID] = append(m.additions[u.ID], g.ID)
				}
			}
		}
	}
	out = append(out, m.additions[user.ID]...)
	slices.Sort(out)
	return slices.Compact(out)
}

// applyGrants sets on an identity's component what its grants say:
// wildcards, and privileged for administrator-class managed policies.
func (m *mapper) applyGrants(r *importer.Resource, c *model.Component, g grants) {
	for _, doc := range g.docs {
		m.applyPolicy(r, c, doc)
	}
	for _, name := range g.managed {
		if p, broad := broadManagedPolicies[name]; broad {
			m.Set(r, c, "iam_wildcards", true)
			if p.admin {
				m.Set(r, c, "privileged", true)
			}
		}
	}
}

// assumes gives a workload the access of the roles v names: flows to the
// resources their policies name, and iam_wildcards when one grants
// wildcards.
func (m *mapper) assumes(r *importer.Resource, c *model.Component, v any) {
	for _, role := range m.rolesOf(v, 0) {
		g := m.grantsOf(role)
		wildcards := false
		for _, doc := range g.docs {
			m.flowsTo(c, statementResources(doc), "https", r.Pos)
			wildcards = wildcards || readPolicy(doc).wildcards
		}
		for _, name := range g.managed {
			_, broad := broadManagedPolicies[name]
			wildcards = wildcards || broad
		}
		if wildcards {
			m.Set(r, c, "iam_wildcards", true)
		}
	}
}

// rolesOf lists the role resource ids v names, through instance profiles.
func (m *mapper) rolesOf(v any, depth int) []string {
	var out []string
	for _, ref := range mapkit.Refs(v) {
		res := m.byID[ref.ID]
		switch {
		case res == nil:
		case res.Type == "AWS::IAM::InstanceProfile":
			if depth == 0 {
				out = append(out, m.rolesOf(mapkit.Get(res.Props, "Roles"), depth+1)...)
			}
		default:
			out = append(out, ref.ID)
		}
	}
	return out
}
