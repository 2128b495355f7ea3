package kubernetes

import (
	"go.yaml.in/yaml/v3"
)

// resolve follows aliases to their anchored node, giving up on a chain
// longer than any sane document holds.
func resolve(n *yaml.Node) *yaml.Node {
	for range 64 {
		if n == nil || n.Kind != yaml.AliasNode {
			return n
		}
		n = n.Alias
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.MappingNode:
		return "mapping"
	}
	return "node"
}

// get walks a path of mapping keys from n; nil when a step is missing or
// not a mapping.
func get(n *yaml.Node, path ...string) *yaml.Node {
	n = resolve(n)
	for _, key := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := resolve(n.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
				next = resolve(n.Content[i+1])
				break
			}
		}
		n = next
	}
	return n
}

// str returns the scalar at path, or "".
func str(n *yaml.Node, path ...string) string {
	n = get(n, path...)
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		return ""
	}
	return n.Value
}

// boolAt returns the boolean at path and its node; nil when it is unset or
// not a boolean.
func boolAt(n *yaml.Node, path ...string) (value bool, at *yaml.Node) {
	n = get(n, path...)
	if n == nil || n.Kind != yaml.ScalarNode {
		return false, nil
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		return false, nil
	}
	return b, n
}

// items returns the elements of the sequence at path.
func items(n *yaml.Node, path ...string) []*yaml.Node {
	n = get(n, path...)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = resolve(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// strings returns the scalars of the sequence at path.
func stringsAt(n *yaml.Node, path ...string) []string {
	var out []string
	for _, c := range items(n, path...) {
		if c.Kind == yaml.ScalarNode && !isNull(c) {
			out = append(out, c.Value)
		}
	}
	return out
}

// stringMap returns a mapping of scalars, such as labels.
func stringMap(n *yaml.Node) map[string]string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make(map[string]string, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k == nil || v == nil || k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			continue
		}
		out[k.Value] = v.Value
	}
	return out
}
