package importtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wardsec/ward/model"
)

// CatalogProblems reports what Validate leaves to the YAML decoder: kinds
// and properties must come from the catalog, so that the model written
// out as YAML loads again.
func CatalogProblems(m *model.Model) []string {
	var out []string
	check := func(owner string, ps model.Properties, onFlow bool) {
		for _, p := range ps {
			if strings.HasPrefix(p.Name, model.CustomPropertyPrefix) {
				continue
			}
			info, ok := model.LookupProperty(p.Name)
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s: unknown property %s", owner, p.Name))
			case onFlow && !info.OnFlows:
				out = append(out, fmt.Sprintf("%s: property %s is not for flows", owner, p.Name))
			case info.Type == model.BoolProperty:
				if _, ok := p.Value.(bool); !ok {
					out = append(out, fmt.Sprintf("%s: property %s = %v is not a bool", owner, p.Name, p.Value))
				}
			case info.Type == model.StringProperty || info.Type == model.EnumProperty:
				if _, ok := p.Value.(string); !ok {
					out = append(out, fmt.Sprintf("%s: property %s = %v is not text", owner, p.Name, p.Value))
				}
			}
		}
	}
	for _, c := range m.Components {
		if _, ok := c.Kind.Info(); !ok {
			out = append(out, fmt.Sprintf("component %s: unknown kind %q", c.ID, c.Kind))
		}
		check("component "+c.ID, c.Properties, false)
	}
	for _, f := range m.Flows {
		check("flow "+f.ID, f.Properties, true)
	}
	return out
}

// CheckModel reports, as test errors, every way m fails validation or
// breaks the catalog.
func CheckModel(t testing.TB, m *model.Model) {
	t.Helper()
	if ds := m.Validate(); len(ds) > 0 {
		t.Errorf("imported model does not validate:\n%v", ds)
	}
	for _, p := range CatalogProblems(m) {
		t.Error(p)
	}
}
