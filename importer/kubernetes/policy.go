package kubernetes

import (
	"go.yaml.in/yaml/v3"
)

// linkPolicies marks the workloads a NetworkPolicy restricts and adds a
// flow for each source pod a policy's ingress rules let in.
func (b *builder) linkPolicies() {
	restricted := make(map[*workload]bool, len(b.workloads))
	for _, p := range b.policies {
		if !restrictsIngress(p.Node) {
			continue
		}
		ns := p.ns()
		sel := labelSelector(get(p.Node, "spec", "podSelector"))
		if get(p.Node, "spec", "podSelector") == nil {
			sel = selector{} // an absent podSelector is empty: every pod
		}
		var targets []*workload
		for _, w := range b.byNS[ns] {
			if sel.matches(w.podLabels) {
				targets = append(targets, w)
				restricted[w] = true
			}
		}
		for _, rule := range items(p.Node, "spec", "ingress") {
			for _, peer := range items(rule, "from") {
				for _, src := range b.peers(ns, peer) {
					for _, dst := range targets {
						if src != dst {
							b.flow(src.comp, dst.comp, "tcp", "NetworkPolicy "+qualified(ns, p.Name)+" admits it.", b.r.pos(p.Pos.File, peer))
						}
					}
				}
			}
		}
	}
	for _, w := range b.workloads {
		b.set(w.comp, "network_policy", restricted[w], w.obj, nil)
	}
}

// restrictsIngress reports whether a policy governs incoming traffic:
// it lists Ingress among its types, or lists none.
func restrictsIngress(n *yaml.Node) bool {
	types := stringsAt(n, "spec", "policyTypes")
	return len(types) == 0 || contains(types, "Ingress")
}

// peers returns the workloads one "from" entry admits. IP blocks name no
// workload and admit none here.
func (b *builder) peers(ns string, peer *yaml.Node) []*workload {
	podNode, nsNode := get(peer, "podSelector"), get(peer, "namespaceSelector")
	if podNode == nil && nsNode == nil {
		return nil
	}
	pods := selector{}
	if podNode != nil {
		pods = labelSelector(podNode)
	}
	namespaces := []string{ns}
	if nsNode != nil {
		namespaces = nil
		nsSel := labelSelector(nsNode)
		for _, name := range b.nsOrder {
			if nsSel.matches(b.namespaces[name].labels) {
				namespaces = append(namespaces, name)
			}
		}
	}
	var out []*workload
	for _, name := range namespaces {
		for _, w := range b.byNS[name] {
			if pods.matches(w.podLabels) {
				out = append(out, w)
			}
		}
	}
	return out
}
