package kubernetes

import (
	"slices"

	"go.yaml.in/yaml/v3"
)

// selector is a label selector: matchLabels and matchExpressions, or a
// Service's plain map of labels.
type selector struct {
	labels map[string]string
	exprs  []requirement
	// none is set for a missing selector, which selects nothing; an empty
	// one selects everything.
	none bool
}

type requirement struct {
	key, op string
	values  []string
}

// labelSelector reads a LabelSelector (matchLabels, matchExpressions).
func labelSelector(n *yaml.Node) selector {
	if n == nil {
		return selector{none: true}
	}
	s := selector{labels: stringMap(get(n, "matchLabels"))}
	for _, e := range items(n, "matchExpressions") {
		s.exprs = append(s.exprs, requirement{key: str(e, "key"), op: str(e, "operator"), values: stringsAt(e, "values")})
	}
	return s
}

// mapSelector reads a Service's selector, a plain label map; a Service
// without one selects no pods.
func mapSelector(n *yaml.Node) selector {
	labels := stringMap(n)
	if len(labels) == 0 {
		return selector{none: true}
	}
	return selector{labels: labels}
}

func (s selector) matches(labels map[string]string) bool {
	if s.none {
		return false
	}
	for k, v := range s.labels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, r := range s.exprs {
		v, ok := labels[r.key]
		switch r.op {
		case "In":
			if !ok || !slices.Contains(r.values, v) {
				return false
			}
		case "NotIn":
			if ok && slices.Contains(r.values, v) {
				return false
			}
		case "Exists":
			if !ok {
				return false
			}
		case "DoesNotExist":
			if ok {
				return false
			}
		default:
			return false // an operator the API server would reject
		}
	}
	return true
}
