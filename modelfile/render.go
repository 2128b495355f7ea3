package modelfile

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// New text is written by the YAML encoder, never by hand, so quoting is
// always right; these functions only cut its output to fit and indent it.

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// date is a plain YYYY-MM-DD scalar, as model files write dates.
func date(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: s}
}

func flowSeq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: items}
}

func blockSeq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

func mapping(pairs ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: pairs}
}

func encode(n *yaml.Node) (string, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	return b.String(), nil
}

// indentLines prefixes each line of the encoder's output with pad spaces
// and ends each with eol. Empty lines get no padding.
func indentLines(s string, pad int, eol string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if l != "" {
			b.WriteString(strings.Repeat(" ", pad))
		}
		b.WriteString(l)
		b.WriteString(eol)
	}
	return b.String()
}

// blockItem renders n as a block list item ("- ...") at column pad.
func blockItem(n *yaml.Node, pad int, eol string) (string, error) {
	s, err := encode(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{n}})
	if err != nil {
		return "", err
	}
	return indentLines(s, pad, eol), nil
}

// blockPair renders "key: value" at column pad; value stays on the key's
// line when it can.
func blockPair(key, value *yaml.Node, pad int, eol string) (string, error) {
	s, err := encode(mapping(key, value))
	if err != nil {
		return "", err
	}
	return indentLines(s, pad, eol), nil
}

// inline renders n on one line, for a value replacing another in place.
func inline(n *yaml.Node) (string, error) {
	s, err := encode(n)
	if err != nil {
		return "", err
	}
	s = strings.TrimSuffix(s, "\n")
	if strings.Contains(s, "\n") && n.Kind == yaml.ScalarNode {
		q := *n
		q.Style = yaml.DoubleQuotedStyle
		if s, err = encode(&q); err != nil {
			return "", err
		}
		s = strings.TrimSuffix(s, "\n")
	}
	if strings.Contains(s, "\n") {
		return "", fmt.Errorf("%w: value does not fit on one line", ErrUnsafe)
	}
	return s, nil
}

// flowEntry renders n as an entry of a flow list, quoted as a flow
// context needs ("a, b" must be quoted there, not in a block).
func flowEntry(n *yaml.Node) (string, error) {
	s, err := inline(flowSeq(n))
	if err != nil {
		return "", err
	}
	return s[1 : len(s)-1], nil
}

// flowPair renders "key: value" as an entry of a flow mapping.
func flowPair(key, value *yaml.Node) (string, error) {
	m := mapping(key, value)
	m.Style = yaml.FlowStyle
	s, err := inline(m)
	if err != nil {
		return "", err
	}
	return s[1 : len(s)-1], nil
}
