package kubernetes

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// Zone ids of the model; each namespace gets namespaceZonePrefix + name.
const (
	internetZone        = "internet"
	clusterZone         = "cluster"
	namespaceZonePrefix = "namespace."
	internetID          = "internet"
)

// clusterScoped are the kinds that live outside namespaces.
var clusterScoped = map[string]bool{
	"Namespace": true, "ClusterRole": true, "ClusterRoleBinding": true, "PersistentVolume": true,
	"StorageClass": true, "CustomResourceDefinition": true, "Node": true, "PriorityClass": true,
	"IngressClass": true, "ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true,
	"APIService": true, "RuntimeClass": true, "CSIDriver": true,
}

// builder turns the objects read into a model.
type builder struct {
	r *reader
	m *model.Model

	ids        map[string]bool
	zoneIDs    map[string]bool
	namespaces map[string]*namespace
	nsOrder    []string

	workloads     []*workload
	byNS          map[string][]*workload // workloads of each namespace
	flowsCut      bool                   // the flow limit was reached
	services      []*service
	serviceByName map[string]*model.Component // by namespace/name
	ingresses     []*placed
	policies      []*object
	secrets       map[string]*model.Component // by namespace/name
	configMaps    map[string]*model.Component
	accounts      map[string]*model.Component
	roles         map[string]grant // "Role/ns/name" or "ClusterRole/name"
	bindings      []*object
	flows         map[string]*model.Flow
	unknown       map[string][]*placed
	unkOrder      []string
	internet      *model.Component
}

type namespace struct {
	name   string
	zoneID string
	labels map[string]string
	pos    model.Pos
}

// placed is an object with the component made of it.
type placed struct {
	obj  *object
	comp *model.Component
}

type service struct {
	placed
	sel selector
}

// result builds the model of everything read, or fails with every
// malformed document's position.
func (r *reader) result(title string) (*importer.Result, error) {
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	b := &builder{r: r, m: &model.Model{Title: title}, ids: map[string]bool{}, zoneIDs: map[string]bool{}, namespaces: map[string]*namespace{},
		secrets: map[string]*model.Component{}, configMaps: map[string]*model.Component{},
		accounts: map[string]*model.Component{}, roles: map[string]grant{}, flows: map[string]*model.Flow{},
		unknown: map[string][]*placed{}, byNS: map[string][]*workload{},
		serviceByName: map[string]*model.Component{}}
	for _, o := range r.objects {
		b.add(o)
	}
	b.applyBindings()
	b.linkWorkloads()
	b.linkServices()
	b.linkIngresses()
	b.linkPolicies()
	b.warnUnknown()
	b.finishZones()
	if ds := b.m.Validate(); len(ds) > 0 {
		// Not the user's to fix, so it does not wrap model.ErrInvalid.
		return nil, fmt.Errorf("kubernetes importer made an invalid model (a bug; please report it): %v", ds)
	}
	r.warnings.Sort()
	return &importer.Result{Model: b.m, Warnings: r.warnings}, nil
}

// namespaceOf returns the namespace an object lives in, "" for cluster
// scope, registering it as a zone.
func (b *builder) namespaceOf(o *object) string {
	if clusterScoped[o.Kind] {
		return ""
	}
	// Unknown kinds not listed as cluster-scoped are taken as namespaced,
	// as most custom resources are.
	ns := o.ns()
	b.namespace(ns, o.Pos)
	return ns
}

func (b *builder) namespace(name string, p model.Pos) *namespace {
	ns := b.namespaces[name]
	if ns == nil {
		ns = &namespace{name: name, zoneID: b.uniqueZone(name), pos: p, labels: map[string]string{"kubernetes.io/metadata.name": name}}
		b.namespaces[name] = ns
		b.nsOrder = append(b.nsOrder, name)
	}
	return ns
}

// kindOf maps the kinds made into components to Ward kinds.
var kindOf = func() map[string]model.Kind {
	m := map[string]model.Kind{
		"Service": "k8s.service", "Ingress": "k8s.ingress", "NetworkPolicy": "k8s.network-policy",
		"Role": "k8s.role", "ClusterRole": "k8s.role", "Secret": "k8s.secret", "ConfigMap": "k8s.configmap",
		"ServiceAccount": "k8s.service-account",
		// Folded into other elements rather than made components.
		"Namespace": "", "RoleBinding": "", "ClusterRoleBinding": "",
	}
	for k, v := range workloadKinds {
		m[k] = v
	}
	return m
}()

// add makes one object into its component, or folds it into the model.
func (b *builder) add(o *object) {
	ns := b.namespaceOf(o)
	switch o.Kind {
	case "Namespace":
		b.addNamespace(o)
		return
	case "RoleBinding", "ClusterRoleBinding":
		b.bindings = append(b.bindings, o)
		return
	}
	kind, known := kindOf[o.Kind]
	if !known {
		b.addUnknown(o, ns)
		return
	}
	c := b.component(o, ns, kind)
	key := ns + "/" + o.Name
	switch {
	case workloadKinds[o.Kind] != "":
		b.addWorkload(o, c, ns)
	case o.Kind == "Service":
		b.addService(o, c)
	case o.Kind == "Ingress":
		b.set(c, "public", true, o, nil)
		tls := get(o.Node, "spec", "tls")
		b.set(c, "encrypted_in_transit", len(items(o.Node, "spec", "tls")) > 0, o, tls)
		b.ingresses = append(b.ingresses, &placed{o, c})
	case o.Kind == "NetworkPolicy":
		b.policies = append(b.policies, o)
	case o.Kind == "Role" || o.Kind == "ClusterRole":
		b.addRole(o, c, ns)
	case o.Kind == "Secret":
		b.addSecret(o, c, key)
	case o.Kind == "ConfigMap":
		b.configMaps[key] = c
	case o.Kind == "ServiceAccount":
		b.accounts[key] = c
		v, at := boolAt(o.Node, "automountServiceAccountToken")
		b.set(c, "automount_service_account_token", v || at == nil, o, at)
	}
}

func (b *builder) addNamespace(o *object) {
	n := b.namespace(o.Name, o.Pos)
	n.pos = o.Pos
	for k, v := range o.Labels {
		n.labels[k] = v
	}
}

// addUnknown keeps an object of a kind Ward has no mapping for as a
// generic component, to be named in a warning.
func (b *builder) addUnknown(o *object, ns string) {
	kind := model.Kind("process")
	if o.Kind == "PersistentVolumeClaim" || o.Kind == "PersistentVolume" {
		kind = "datastore"
	}
	c := b.component(o, ns, kind)
	if _, seen := b.unknown[o.Kind]; !seen {
		b.unkOrder = append(b.unkOrder, o.Kind)
	}
	b.unknown[o.Kind] = append(b.unknown[o.Kind], &placed{o, c})
}

func (b *builder) addWorkload(o *object, c *model.Component, ns string) {
	w := newWorkload(o, c)
	w.setProps(b)
	b.set(c, "k8s_dedicated_namespace", ns != "default" && ns != "kube-system" && ns != "kube-public", o, get(o.Node, "metadata", "namespace"))
	b.workloads = append(b.workloads, w)
	b.byNS[ns] = append(b.byNS[ns], w)
}

func (b *builder) addRole(o *object, c *model.Component, ns string) {
	g := roleGrant(o.Node)
	b.roles[roleKey(o.Kind, ns, o.Name)] = g
	rules := get(o.Node, "rules")
	b.set(c, "k8s_cluster_admin", g.clusterAdmin, o, rules)
	b.set(c, "iam_wildcards", g.wildcards, o, rules)
	b.set(c, "k8s_escalation_verbs", g.escalation, o, rules)
	b.set(c, "k8s_secrets_access", g.secrets, o, rules)
}

func roleKey(kind, ns, name string) string {
	if kind == "ClusterRole" {
		return "ClusterRole/" + name
	}
	return "Role/" + ns + "/" + name
}

// component adds the component of an object, in its namespace's zone.
func (b *builder) component(o *object, ns string, kind model.Kind) *model.Component {
	id := safeID(strings.ToLower(o.Kind), ns, o.Name)
	if b.ids[id] {
		b.r.warnf(o.Pos, "%s %s is defined more than once; each copy is a component of its own", o.Kind, qualified(ns, o.Name))
		base := id
		for i := 2; b.ids[id]; i++ {
			id = fmt.Sprintf("%s-%d", base, i)
		}
	}
	b.ids[id] = true
	zone := clusterZone
	if ns != "" {
		zone = b.namespaces[ns].zoneID
	}
	c := &model.Component{
		ID:          id,
		Name:        qualified(ns, o.Name),
		Kind:        kind,
		Zone:        model.Ref{ID: zone, Pos: o.Pos},
		Description: o.Kind + " " + qualified(ns, o.Name) + ".",
		Pos:         o.Pos,
	}
	b.m.Components = append(b.m.Components, c)
	return c
}

// uniqueZone returns the zone id of a namespace, distinct from the others
// even when their names differ only in characters ids may not hold.
func (b *builder) uniqueZone(namespace string) string {
	base := safeID(namespaceZonePrefix + namespace)
	id := base
	for i := 2; b.zoneIDs[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	b.zoneIDs[id] = true
	return id
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

// safeID joins parts with dots, replacing every character a Ward id may
// not hold with '-'.
func safeID(parts ...string) string {
	var sb strings.Builder
	for i, p := range parts {
		if p == "" {
			continue
		}
		if i > 0 && sb.Len() > 0 {
			sb.WriteByte('.')
		}
		for _, r := range p {
			if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
				sb.WriteRune(r)
			} else {
				sb.WriteByte('-')
			}
		}
	}
	id := sb.String()
	if id == "" || id[0] == '.' || id[0] == '_' || id[0] == '-' {
		id = "x" + id // ids start with a letter or digit
	}
	return id
}

// set sets a property where the object (or the node within it) says so.
func (b *builder) set(c *model.Component, name string, value any, o *object, at *yaml.Node) {
	p := o.Pos
	if at != nil {
		p = model.Pos{File: o.Pos.File, Line: at.Line, Col: at.Column, Source: SourceName}
	}
	for i := range c.Properties {
		if c.Properties[i].Name == name {
			c.Properties[i].Value, c.Properties[i].Pos = value, p
			return
		}
	}
	c.Properties = append(c.Properties, model.Property{Name: name, Value: value, Pos: p})
}

// flow adds a flow, or merges it into the one already between the two
// components.
func (b *builder) flow(from, to *model.Component, protocol, why string, p model.Pos) *model.Flow {
	if b.flowsCut {
		return &model.Flow{} // past the limit: nothing more is kept
	}
	id := from.ID + "-to-" + to.ID
	if f := b.flows[id]; f != nil {
		// Bounded, so many policies admitting one pair stay cheap.
		if len(f.Description) < 1000 && !strings.Contains(f.Description, why) {
			f.Description += " " + why
		}
		return f
	}
	f := &model.Flow{ID: id, From: model.Ref{ID: from.ID, Pos: p}, To: model.Ref{ID: to.ID, Pos: p},
		Protocol: protocol, Description: why, Initiator: model.InitiatorSource, Pos: p}
	if len(b.m.Flows) >= maxFlows {
		if !b.flowsCut {
			b.flowsCut = true
			b.r.warnf(p, "more than %d flows; the rest are left out, so import fewer manifests at once", maxFlows)
		}
		return f // kept out of the model
	}
	b.flows[id] = f
	b.m.Flows = append(b.m.Flows, f)
	return f
}

// entry returns the component standing for clients on the internet.
func (b *builder) entry(p model.Pos) *model.Component {
	if b.internet == nil {
		b.internet = &model.Component{ID: internetID, Name: "Internet clients", Kind: "external-entity",
			Zone: model.Ref{ID: internetZone, Pos: p}, Description: "Anyone on the internet.", Pos: p}
		b.m.Components = append(b.m.Components, b.internet)
	}
	return b.internet
}

// finishZones adds the internet, the cluster and one zone per namespace.
func (b *builder) finishZones() {
	var first model.Pos
	if len(b.r.objects) > 0 {
		first = b.r.objects[0].Pos
	}
	if b.internet != nil {
		b.m.Zones = append(b.m.Zones, &model.Zone{ID: internetZone, Name: "Internet", Trust: model.Untrusted, Pos: b.internet.Pos})
	}
	b.m.Zones = append(b.m.Zones, &model.Zone{ID: clusterZone, Name: "Kubernetes cluster", Trust: model.TrustHigh, Pos: first})
	for _, name := range b.nsOrder {
		ns := b.namespaces[name]
		b.m.Zones = append(b.m.Zones, &model.Zone{ID: ns.zoneID, Name: "Namespace " + name,
			Trust: model.TrustHigh, Parent: model.Ref{ID: clusterZone, Pos: ns.pos}, Pos: ns.pos})
	}
}

// warnUnknown names, once per kind, the objects imported as generic
// components because Ward has no mapping for their kind.
func (b *builder) warnUnknown() {
	for _, kind := range b.unkOrder {
		list := b.unknown[kind]
		names := make([]string, len(list))
		for i, p := range list {
			names[i] = p.comp.ID
		}
		sort.Strings(names)
		b.r.warnf(list[0].obj.Pos, "kind %s (%s) has no Ward mapping; imported %d object(s) as generic %s components: %s",
			kind, list[0].obj.APIVersion, len(list), list[0].comp.Kind, strings.Join(names, ", "))
	}
}
