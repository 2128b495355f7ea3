package kubernetes

import (
	"strings"

	"github.com/wardsec/ward/model"
)

// internalLoadBalancer are annotations that keep a LoadBalancer Service
// on the private network.
var internalLoadBalancer = map[string]string{
	"service.beta.kubernetes.io/aws-load-balancer-internal":   "",
	"service.beta.kubernetes.io/azure-load-balancer-internal": "true",
	"networking.gke.io/load-balancer-type":                    "Internal",
	"cloud.google.com/load-balancer-type":                     "Internal",
}

func (b *builder) addService(o *object, c *model.Component) {
	s := &service{placed: placed{o, c}, sel: mapSelector(get(o.Node, "spec", "selector"))}
	b.services = append(b.services, s)
	if key := o.ns() + "/" + o.Name; b.serviceByName[key] == nil {
		b.serviceByName[key] = c
	}
	typ := str(o.Node, "spec", "type")
	typeAt := get(o.Node, "spec", "type")
	annotations := stringMap(get(o.Node, "metadata", "annotations"))
	public := typ == "NodePort" || typ == "LoadBalancer"
	if typ == "LoadBalancer" {
		for k, want := range internalLoadBalancer {
			if v, ok := annotations[k]; ok && (want == "" && v != "false" || strings.EqualFold(v, want)) {
				public = false
			}
		}
	}
	b.set(c, "public", public, o, typeAt)
	b.set(c, "k8s_host_port", typ == "NodePort", o, typeAt)
	ranges := stringsAt(o.Node, "spec", "loadBalancerSourceRanges")
	restricted := len(ranges) > 0
	for _, r := range ranges {
		if r == "0.0.0.0/0" || r == "::/0" {
			restricted = false
		}
	}
	b.set(c, "network_restricted", restricted, o, get(o.Node, "spec", "loadBalancerSourceRanges"))
	if public {
		b.flow(b.entry(o.Pos), c, "tcp", "The "+typ+" Service is reachable from outside the cluster.", o.Pos)
	}
}

func (b *builder) addSecret(o *object, c *model.Component, key string) {
	b.secrets[key] = c
	asset := &model.Asset{ID: c.ID + ".data", Name: "Contents of Secret " + c.Name,
		Classification: model.Confidential, Tags: []string{"credentials"}, Pos: o.Pos}
	b.m.Assets = append(b.m.Assets, asset)
	c.Stores = append(c.Stores, model.Ref{ID: asset.ID, Pos: o.Pos})
	data, stringData := get(o.Node, "data"), get(o.Node, "stringData")
	inline := data != nil && len(data.Content) > 0 || stringData != nil && len(stringData.Content) > 0
	at := data
	if at == nil {
		at = stringData
	}
	b.set(c, "secrets_management", !inline, o, at)
	b.set(c, "k8s_secrets_as_files", true, o, nil)
}

// applyBindings gives service accounts what their role bindings grant.
func (b *builder) applyBindings() {
	held := map[string]grant{}
	for _, o := range b.bindings {
		ns := o.Namespace
		if o.Kind == "RoleBinding" && ns == "" {
			ns = "default"
		}
		refKind, refName := str(o.Node, "roleRef", "kind"), str(o.Node, "roleRef", "name")
		g, ok := b.roles[roleKey(refKind, ns, refName)]
		if !ok && refKind == "ClusterRole" {
			g, ok = builtinRoles[refName]
		}
		if !ok {
			b.r.warnf(o.Pos, "%s %s refers to %s %s, which is not in the manifests; its grants are unknown", o.Kind, qualified(o.Namespace, o.Name), refKind, refName)
		}
		for _, s := range items(o.Node, "subjects") {
			subject := str(s, "name")
			switch str(s, "kind") {
			case "ServiceAccount":
				sns := str(s, "namespace")
				if sns == "" {
					sns = ns
				}
				key := sns + "/" + subject
				held[key] = held[key].or(g)
			default:
				if g.clusterAdmin {
					b.r.warnf(o.Pos, "%s %s grants cluster-admin to %s %s, which the model does not hold as a component", o.Kind, qualified(o.Namespace, o.Name), str(s, "kind"), subject)
				}
			}
		}
	}
	for key, c := range b.accounts {
		g := held[key]
		b.setGrant(c, g)
	}
	for _, w := range b.workloads {
		b.setGrant(w.comp, held[w.obj.ns()+"/"+w.account])
	}
}

func (b *builder) setGrant(c *model.Component, g grant) {
	// The binding is what decides, but it may sit in another file; the
	// component's own document is the place people look.
	o := &object{Pos: c.Pos}
	b.set(c, "k8s_cluster_admin", g.clusterAdmin, o, nil)
	b.set(c, "iam_wildcards", g.wildcards, o, nil)
}

// ns is the namespace of a namespaced object, "default" when unset.
func (o *object) ns() string {
	if o.Namespace == "" {
		return "default"
	}
	return o.Namespace
}

// linkWorkloads joins workloads to the Secrets and ConfigMaps they read
// and settles what depends on their namespace and service account.
func (b *builder) linkWorkloads() {
	for _, w := range b.workloads {
		ns := w.obj.ns()
		o := w.obj
		v, at := boolAt(w.spec, "automountServiceAccountToken")
		if at == nil {
			v = true
			if sa := b.accounts[ns+"/"+w.account]; sa != nil {
				v = sa.Properties.Bool("automount_service_account_token")
			}
		}
		b.set(w.comp, "automount_service_account_token", v, o, at)
		level := b.namespaces[ns].labels["pod-security.kubernetes.io/enforce"]
		b.set(w.comp, "k8s_pod_security_enforced", level == "baseline" || level == "restricted", o, nil)
		for _, ref := range w.secrets {
			sec := b.secrets[ns+"/"+ref.name]
			if sec == nil {
				b.r.warnf(b.nodePos(o, ref), "%s %s reads Secret %s, which is not in the manifests", o.Kind, w.comp.Name, ref.name)
				continue
			}
			how := "mounts it as files"
			if ref.env {
				how = "reads it into environment variables"
				b.set(sec, "k8s_secrets_as_files", false, o, ref.at)
			}
			f := b.secretFlow(sec, w, how, b.nodePos(o, ref))
			asset := sec.Stores[0]
			if !hasRef(f.Data, asset.ID) {
				f.Data = append(f.Data, asset)
			}
			if !hasRef(w.comp.Processes, asset.ID) {
				w.comp.Processes = append(w.comp.Processes, asset)
			}
		}
		for _, ref := range w.configMaps {
			cm := b.configMaps[ns+"/"+ref.name]
			if cm == nil {
				b.r.warnf(b.nodePos(o, ref), "%s %s reads ConfigMap %s, which is not in the manifests", o.Kind, w.comp.Name, ref.name)
				continue
			}
			how := "mounts it as files"
			if ref.env {
				how = "reads it into environment variables"
			}
			b.secretFlow(cm, w, how, b.nodePos(o, ref))
		}
	}
}

// secretFlow is the delivery of a Secret or ConfigMap to a workload: the
// kubelet fetches it over TLS when the pod starts.
func (b *builder) secretFlow(from *model.Component, w *workload, how string, p model.Pos) *model.Flow {
	f := b.flow(from, w.comp, "kubelet", w.obj.Kind+" "+w.comp.Name+" "+how+".", p)
	f.Encrypted = true
	f.Authentication = model.AuthCertificate
	f.Initiator = model.InitiatorDestination
	return f
}

func (b *builder) nodePos(o *object, ref reference) model.Pos {
	if ref.at == nil {
		return o.Pos
	}
	return model.Pos{File: o.Pos.File, Line: ref.at.Line, Col: ref.at.Column, Source: SourceName}
}

func hasRef(refs []model.Ref, id string) bool {
	for _, r := range refs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// linkServices joins each Service to the workloads its selector picks.
func (b *builder) linkServices() {
	for _, s := range b.services {
		ns := s.obj.ns()
		for _, w := range b.byNS[ns] {
			if s.sel.matches(w.podLabels) {
				b.flow(s.comp, w.comp, "tcp", "Service "+s.comp.Name+" selects the pods of "+w.obj.Kind+" "+w.comp.Name+".", s.obj.Pos)
			}
		}
	}
}

// linkIngresses joins the internet to each Ingress and each Ingress to
// its backend Services.
func (b *builder) linkIngresses() {
	for _, in := range b.ingresses {
		o, ns := in.obj, in.obj.ns()
		tls := in.comp.Properties.Bool("encrypted_in_transit")
		protocol := "http"
		if tls {
			protocol = "https"
		}
		entry := b.flow(b.entry(o.Pos), in.comp, protocol, "Clients reach Ingress "+in.comp.Name+".", o.Pos)
		entry.Encrypted = tls
		var backends []string
		seen := map[string]bool{}
		addBackend := func(n string) {
			if n != "" && !seen[n] {
				seen[n] = true
				backends = append(backends, n)
			}
		}
		for _, def := range []string{"defaultBackend", "backend"} {
			addBackend(str(o.Node, "spec", def, "service", "name"))
			addBackend(str(o.Node, "spec", def, "serviceName"))
		}
		for _, rule := range items(o.Node, "spec", "rules") {
			for _, path := range items(rule, "http", "paths") {
				addBackend(str(path, "backend", "service", "name"))
				addBackend(str(path, "backend", "serviceName"))
			}
		}
		for _, name := range backends {
			target := b.serviceByName[ns+"/"+name]
			if target == nil {
				b.r.warnf(o.Pos, "Ingress %s routes to Service %s, which is not in the manifests", in.comp.Name, name)
				continue
			}
			b.flow(in.comp, target, "http", "Ingress "+in.comp.Name+" routes to Service "+target.Name+".", o.Pos)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
