package importtest

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// Component is the component of m with id; the test fails at once, naming
// the ids there are, when there is none.
func Component(t testing.TB, m *model.Model, id string) *model.Component {
	t.Helper()
	var ids []string
	for _, c := range m.Components {
		if c.ID == id {
			return c
		}
		ids = append(ids, c.ID)
	}
	t.Fatalf("no component %s; have %v", id, ids)
	return nil
}

// ComponentsByID indexes the components of an import by id.
func ComponentsByID(res *importer.Result) map[string]*model.Component {
	out := make(map[string]*model.Component, len(res.Model.Components))
	for _, c := range res.Model.Components {
		out[c.ID] = c
	}
	return out
}

// Props is a component's properties as a map of name to value.
func Props(c *model.Component) map[string]any {
	out := make(map[string]any, len(c.Properties))
	for _, p := range c.Properties {
		out[p.Name] = p.Value
	}
	return out
}

// WarningMessages is the messages of an import's warnings, one a line.
func WarningMessages(res *importer.Result) string {
	text := make([]string, len(res.Warnings))
	for i, w := range res.Warnings {
		text[i] = w.Message
	}
	return strings.Join(text, "\n")
}
