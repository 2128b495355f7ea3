package kubernetes

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

// workloadKinds maps each pod-running kind to its Ward kind. Kinds the
// catalog lacks run pods all the same, so they take k8s.pod and the pod
// rules.
var workloadKinds = map[string]model.Kind{
	"Pod":                   "k8s.pod",
	"Deployment":            "k8s.deployment",
	"StatefulSet":           "k8s.statefulset",
	"DaemonSet":             "k8s.daemonset",
	"ReplicaSet":            "k8s.pod",
	"ReplicationController": "k8s.pod",
	"Job":                   "k8s.pod",
	"CronJob":               "k8s.pod",
}

// workload is an object that runs pods, with what its pod spec says.
type workload struct {
	obj        *object
	comp       *model.Component
	podLabels  map[string]string
	spec       *yaml.Node // the pod spec
	account    string     // service account name
	secrets    []reference
	configMaps []reference
}

// reference is a workload's use of a Secret or ConfigMap.
type reference struct {
	name string
	env  bool // handed over as environment variables
	at   *yaml.Node
}

// podTemplate returns the pod spec and pod metadata of a workload object.
func podTemplate(o *object) (spec, meta *yaml.Node) {
	switch o.Kind {
	case "Pod":
		return get(o.Node, "spec"), get(o.Node, "metadata")
	case "CronJob":
		t := get(o.Node, "spec", "jobTemplate", "spec", "template")
		return get(t, "spec"), get(t, "metadata")
	}
	t := get(o.Node, "spec", "template")
	return get(t, "spec"), get(t, "metadata")
}

func newWorkload(o *object, c *model.Component) *workload {
	spec, meta := podTemplate(o)
	w := &workload{obj: o, comp: c, spec: spec, podLabels: stringMap(get(meta, "labels"))}
	w.account = str(spec, "serviceAccountName")
	if w.account == "" {
		w.account = str(spec, "serviceAccount")
	}
	if w.account == "" {
		w.account = "default"
	}
	w.findReferences()
	return w
}

// containers returns every container of the pod, init ones included.
func (w *workload) containers() []*yaml.Node {
	return slices.Concat(items(w.spec, "containers"), items(w.spec, "initContainers"), items(w.spec, "ephemeralContainers"))
}

// verdict is a property every container must meet, with where the first
// container that does not meet it is written: the line to change.
type verdict struct {
	ok bool
	at *yaml.Node
}

func (v *verdict) fail(n *yaml.Node) {
	if v.ok || v.at == nil {
		v.ok, v.at = false, n
	}
}

// setProps sets the properties a pod spec alone decides.
func (w *workload) setProps(b *builder) {
	c, spec := w.comp, w.spec
	containers := w.containers()
	var images []string
	all := len(containers) > 0
	nonRoot, readOnly, limits, pinned := verdict{ok: all}, verdict{ok: all}, verdict{ok: all}, verdict{ok: all}
	privileged, hostPort := verdict{}, verdict{}
	podNonRoot, _ := boolAt(spec, "securityContext", "runAsNonRoot")
	podUser := str(spec, "securityContext", "runAsUser")
	for _, ct := range containers {
		sc := get(ct, "securityContext")
		image := str(ct, "image")
		images = append(images, image)
		if p, at := boolAt(sc, "privileged"); p {
			privileged = verdict{true, at}
		}
		for _, capNode := range items(sc, "capabilities", "add") {
			if v := strings.ToUpper(strings.TrimPrefix(capNode.Value, "CAP_")); v == "ALL" || v == "SYS_ADMIN" {
				privileged = verdict{true, capNode}
			}
		}
		if !runsAsNonRoot(sc, podNonRoot, podUser) {
			nonRoot.fail(ct)
		}
		if ro, _ := boolAt(sc, "readOnlyRootFilesystem"); !ro {
			readOnly.fail(ct)
		}
		if str(ct, "resources", "limits", "cpu") == "" || str(ct, "resources", "limits", "memory") == "" {
			limits.fail(ct)
		}
		if !strings.Contains(image, "@sha256:") {
			pinned.fail(get(ct, "image"))
		}
		for _, port := range items(ct, "ports") {
			if n, err := strconv.Atoi(str(port, "hostPort")); err == nil && n > 0 {
				hostPort = verdict{true, get(port, "hostPort")}
			}
		}
	}
	hostNS := verdict{}
	for _, f := range []string{"hostNetwork", "hostPID", "hostIPC"} {
		if v, at := boolAt(spec, f); v {
			hostNS = verdict{true, at}
		}
	}
	if nonRoot.ok {
		nonRoot.at = get(spec, "securityContext")
	}
	for _, p := range []struct {
		name string
		v    verdict
	}{
		{"privileged", privileged}, {"host_network", hostNS}, {"run_as_non_root", nonRoot},
		{"read_only_root_filesystem", readOnly}, {"resource_limits", limits},
		{"pinned_dependencies", pinned}, {"k8s_host_port", hostPort},
	} {
		b.set(c, p.name, p.v.ok, w.obj, p.v.at)
	}
	if len(images) > 0 {
		c.Description = strings.TrimSpace(c.Description + " Images: " + strings.Join(images, ", ") + ".")
	}
}

// runsAsNonRoot reports whether a container is kept from running as root,
// by its own security context or the pod's.
func runsAsNonRoot(sc *yaml.Node, podNonRoot bool, podUser string) bool {
	user := str(sc, "runAsUser")
	if user == "" {
		user = podUser
	}
	if user != "" {
		n, err := strconv.ParseInt(user, 10, 64)
		return err == nil && n > 0
	}
	if v, at := boolAt(sc, "runAsNonRoot"); at != nil {
		return v
	}
	return podNonRoot
}

// findReferences lists the Secrets and ConfigMaps the pod reads, by
// environment variable or by volume.
func (w *workload) findReferences() {
	add := func(list *[]reference, name string, env bool, at *yaml.Node) {
		if name != "" {
			*list = append(*list, reference{name: name, env: env, at: at})
		}
	}
	for _, ct := range w.containers() {
		for _, e := range items(ct, "env") {
			if ref := get(e, "valueFrom", "secretKeyRef"); ref != nil {
				add(&w.secrets, str(ref, "name"), true, ref)
			}
			if ref := get(e, "valueFrom", "configMapKeyRef"); ref != nil {
				add(&w.configMaps, str(ref, "name"), true, ref)
			}
		}
		for _, e := range items(ct, "envFrom") {
			if ref := get(e, "secretRef"); ref != nil {
				add(&w.secrets, str(ref, "name"), true, ref)
			}
			if ref := get(e, "configMapRef"); ref != nil {
				add(&w.configMaps, str(ref, "name"), true, ref)
			}
		}
	}
	for _, v := range items(w.spec, "volumes") {
		if ref := get(v, "secret"); ref != nil {
			add(&w.secrets, str(ref, "secretName"), false, ref)
		}
		if ref := get(v, "configMap"); ref != nil {
			add(&w.configMaps, str(ref, "name"), false, ref)
		}
		for _, src := range items(v, "projected", "sources") {
			if ref := get(src, "secret"); ref != nil {
				add(&w.secrets, str(ref, "name"), false, ref)
			}
			if ref := get(src, "configMap"); ref != nil {
				add(&w.configMaps, str(ref, "name"), false, ref)
			}
		}
	}
}
