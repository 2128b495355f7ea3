package overlay

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wardsec/ward/model"
)

// Change is one resource that differs between two imports.
type Change struct {
	// What is "component" or "flow".
	What string
	ID   string
	// Fields name what changed, e.g. "zone" or "properties.encrypted";
	// empty for new and removed resources.
	Fields []string
}

// Changes is what a re-import changed since the previous one.
type Changes struct {
	New, Removed, Changed []Change
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.New) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0
}

// Compare lists the components and flows new in after, gone from it, and
// changed, each list in after's (for removed: before's) order.
func Compare(before, after *model.Model) Changes {
	var ch Changes
	compareAll(&ch, "component", before.Components, after.Components,
		func(c *model.Component) string { return c.ID }, componentFields)
	compareAll(&ch, "flow", before.Flows, after.Flows,
		func(f *model.Flow) string { return f.ID }, flowFields)
	return ch
}

func compareAll[T any](ch *Changes, what string, before, after []T, id func(T) string, fields func(a, b T) []string) {
	old := make(map[string]T, len(before))
	for _, b := range before {
		old[id(b)] = b
	}
	seen := make(map[string]bool, len(after))
	for _, a := range after {
		seen[id(a)] = true
		b, ok := old[id(a)]
		switch {
		case !ok:
			ch.New = append(ch.New, Change{What: what, ID: id(a)})
		default:
			if f := fields(b, a); len(f) > 0 {
				ch.Changed = append(ch.Changed, Change{What: what, ID: id(a), Fields: f})
			}
		}
	}
	for _, b := range before {
		if !seen[id(b)] {
			ch.Removed = append(ch.Removed, Change{What: what, ID: id(b)})
		}
	}
}

func componentFields(a, b *model.Component) []string {
	var f fieldList
	f.check("name", a.Name != b.Name)
	f.check("kind", a.Kind != b.Kind)
	f.check("zone", a.Zone.ID != b.Zone.ID)
	f.check("description", a.Description != b.Description)
	f.props(a.Properties, b.Properties)
	f.check("stores", !slices.Equal(refIDs(a.Stores), refIDs(b.Stores)))
	f.check("processes", !slices.Equal(refIDs(a.Processes), refIDs(b.Processes)))
	f.check("tags", !slices.Equal(a.Tags, b.Tags))
	return f
}

func flowFields(a, b *model.Flow) []string {
	var f fieldList
	f.check("name", a.Name != b.Name)
	f.check("from", a.From.ID != b.From.ID)
	f.check("to", a.To.ID != b.To.ID)
	f.check("protocol", a.Protocol != b.Protocol)
	f.check("data", !slices.Equal(refIDs(a.Data), refIDs(b.Data)))
	f.check("authentication", a.Authentication != b.Authentication)
	f.check("encrypted", a.Encrypted != b.Encrypted)
	f.check("initiator", a.Initiator != b.Initiator)
	f.props(a.Properties, b.Properties)
	f.check("description", a.Description != b.Description)
	return f
}

type fieldList []string

func (f *fieldList) check(name string, changed bool) {
	if changed {
		*f = append(*f, name)
	}
}

// props names each property set, unset or given another value.
func (f *fieldList) props(a, b model.Properties) {
	for _, p := range b {
		q, ok := a.Get(p.Name)
		f.check("properties."+p.Name, !ok || fmt.Sprint(q.Value) != fmt.Sprint(p.Value))
	}
	for _, q := range a {
		_, ok := b.Get(q.Name)
		f.check("properties."+q.Name, !ok)
	}
}

func refIDs(refs []model.Ref) []string {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return ids
}

// Write reports the changes, one resource a line: + new, - removed,
// ~ changed with the fields that changed.
func (c Changes) Write(w io.Writer, file string) error {
	if c.Empty() {
		_, err := fmt.Fprintf(w, "%s: no resources changed since the last import\n", file)
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: since the last import: %d new, %d removed, %d changed\n", file, len(c.New), len(c.Removed), len(c.Changed))
	for _, x := range c.New {
		fmt.Fprintf(&b, "  + %s %s\n", x.What, x.ID)
	}
	for _, x := range c.Removed {
		fmt.Fprintf(&b, "  - %s %s\n", x.What, x.ID)
	}
	for _, x := range c.Changed {
		fmt.Fprintf(&b, "  ~ %s %s: %s\n", x.What, x.ID, strings.Join(x.Fields, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
