package modelfile

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

// Mitigation is a mitigation to add to a model file; empty optional fields
// are left out.
type Mitigation struct {
	ID          string // required
	Title       string // required
	Description string
	Kind        model.MitigationKind   // required
	Status      model.MitigationStatus // required
	Ticket      string
	Owner       string
	Due         model.Date
	// Threats are the ids of the threats it answers; at least one.
	Threats []string
}

func (m Mitigation) check() error {
	switch {
	case m.ID == "" || m.Title == "" || len(m.Threats) == 0:
		return fmt.Errorf("%w: a mitigation needs an id, a title and a threat", model.ErrInvalid)
	case !slices.Contains(model.MitigationKinds, m.Kind):
		return fmt.Errorf("%w: unknown mitigation kind %q", model.ErrInvalid, m.Kind)
	case !slices.Contains(model.MitigationStatuses, m.Status):
		return fmt.Errorf("%w: unknown mitigation status %q", model.ErrInvalid, m.Status)
	}
	return nil
}

// node is m as the model file writes it, keys in the documented order.
func (m Mitigation) node() *yaml.Node {
	n := mapping(str("id"), str(m.ID), str("title"), str(m.Title))
	add := func(key string, v *yaml.Node) { n.Content = append(n.Content, str(key), v) }
	if m.Description != "" {
		add("description", str(m.Description))
	}
	add("kind", str(string(m.Kind)))
	add("status", str(string(m.Status)))
	if m.Ticket != "" {
		add("ticket", str(m.Ticket))
	}
	if m.Owner != "" {
		add("owner", str(m.Owner))
	}
	if !m.Due.IsZero() {
		add("due", date(m.Due.String()))
	}
	threats := flowSeq()
	for _, t := range m.Threats {
		threats.Content = append(threats.Content, str(t))
	}
	add("threats", threats)
	return n
}

// AddMitigation appends m to the file's top-level mitigations list,
// creating the list at the end of the file when there is none, and
// returns the line where m starts. It refuses an id the file already
// uses.
func (f *File) AddMitigation(m Mitigation) (int, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	d, err := parseDoc(f.Path, f.text)
	if err != nil {
		return 0, err
	}
	if item := d.mitigation(m.ID); item != nil {
		return 0, fmt.Errorf("%w: %s:%d: mitigation %q is already there", model.ErrInvalid, f.Path, item.Line, m.ID)
	}
	d, err = f.apply(func(d *doc) ([]splice, error) { return d.appendToSection("mitigations", m.node()) })
	if err != nil {
		return 0, err
	}
	return d.mitigation(m.ID).Line, nil
}

// MitigationUpdate is what UpdateMitigation changes; zero fields are left
// as they are.
type MitigationUpdate struct {
	Kind   model.MitigationKind
	Status model.MitigationStatus
	Ticket string
	Owner  string
	Due    model.Date
	// Threat is a threat id to add to those the mitigation answers.
	Threat string
}

// UpdateMitigation changes the mitigation with the given id in place and
// returns the line where it starts. A value it sets replaces only that
// value's text; a key the mitigation lacks is added at its end; a threat
// it already lists is not added again. On error nothing is changed.
func (f *File) UpdateMitigation(id string, u MitigationUpdate) (int, error) {
	switch {
	case u.Kind != "" && !slices.Contains(model.MitigationKinds, u.Kind):
		return 0, fmt.Errorf("%w: unknown mitigation kind %q", model.ErrInvalid, u.Kind)
	case u.Status != "" && !slices.Contains(model.MitigationStatuses, u.Status):
		return 0, fmt.Errorf("%w: unknown mitigation status %q", model.ErrInvalid, u.Status)
	}
	find := func(d *doc) (*yaml.Node, error) {
		if item := d.mitigation(id); item != nil {
			return item, nil
		}
		return nil, fmt.Errorf("%w: %s has no mitigation %q written as a list item of its own", model.ErrInvalid, f.Path, id)
	}
	var edits []itemEdit
	if u.Kind != "" {
		edits = append(edits, setItemValue("kind", str(string(u.Kind))))
	}
	if u.Status != "" {
		edits = append(edits, setItemValue("status", str(string(u.Status))))
	}
	if u.Ticket != "" {
		edits = append(edits, setItemValue("ticket", str(u.Ticket)))
	}
	if u.Owner != "" {
		edits = append(edits, setItemValue("owner", str(u.Owner)))
	}
	if !u.Due.IsZero() {
		edits = append(edits, setItemValue("due", date(u.Due.String())))
	}
	if u.Threat != "" {
		edits = append(edits, func(d *doc, item *yaml.Node) ([]splice, error) { return d.addToList(item, "threats", str(u.Threat)) })
	}
	return f.editItem(find, edits)
}

// mitigation returns the item of the top-level mitigations list whose own
// id key is id, or nil.
func (d *doc) mitigation(id string) *yaml.Node {
	return d.sectionItem("mitigations", "id", id, false)
}

// sectionItem returns the mapping in the top-level list section whose key
// has the value want: the first such, or the last when last is set.
func (d *doc) sectionItem(section, key, want string, last bool) *yaml.Node {
	_, seq := d.rootPair(section)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	var found *yaml.Node
	for _, item := range seq.Content {
		if item.Kind != yaml.MappingNode {
			continue
		}
		if _, v := pair(item, key); v != nil && v.Kind == yaml.ScalarNode && v.Value == want {
			if !last {
				return item
			}
			found = item
		}
	}
	return found
}

// addToList adds entry to the list under key in mapping m, creating the
// list (in brackets) when the key is missing or empty.
func (d *doc) addToList(m *yaml.Node, key string, entry *yaml.Node) ([]splice, error) {
	k, v := pair(m, key)
	switch {
	case k == nil:
		return d.addPair(m, str(key), flowSeq(entry))
	case v.Kind == yaml.SequenceNode:
		if slices.ContainsFunc(v.Content, func(n *yaml.Node) bool { return sameTree(n, entry) }) {
			return nil, nil
		}
		return d.appendItem(v, entry)
	case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null":
		return d.setValue(m, key, flowSeq(entry))
	}
	return nil, d.layoutf(k, "%s is not a list", key)
}
