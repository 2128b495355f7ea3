package importer_test

import (
	"fmt"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// TestMergeKeepsSharedIDsOnce checks that the internet zone and entity
// both mappings make appear once, the first seen.
func TestMergeKeepsSharedIDsOnce(t *testing.T) {
	internet := func() *model.Component { return &model.Component{ID: "internet", Kind: "external-entity"} }
	a := &importer.Result{Model: &model.Model{Title: "a",
		Zones:      []*model.Zone{{ID: "internet"}, {ID: "aws-account"}},
		Components: []*model.Component{internet(), {ID: "bucket"}},
		Flows:      []*model.Flow{{ID: "internet-to-bucket"}},
	}, Warnings: model.Diagnostics{{Message: "aws"}}}
	b := &importer.Result{Model: &model.Model{Title: "b",
		Zones:      []*model.Zone{{ID: "internet"}, {ID: "azure-subscription"}},
		Components: []*model.Component{internet(), {ID: "app"}},
		Flows:      []*model.Flow{{ID: "internet-to-app"}},
	}, Warnings: model.Diagnostics{{Message: "azure"}}}
	got := importer.Merge(a, nil, b)
	ids := func(n int, id func(int) string) []string {
		var out []string
		for i := range n {
			out = append(out, id(i))
		}
		return out
	}
	zones := ids(len(got.Model.Zones), func(i int) string { return got.Model.Zones[i].ID })
	comps := ids(len(got.Model.Components), func(i int) string { return got.Model.Components[i].ID })
	if want := "[internet aws-account azure-subscription]"; fmt.Sprint(zones) != want {
		t.Errorf("zones %v, want %s", zones, want)
	}
	if want := "[internet bucket app]"; fmt.Sprint(comps) != want {
		t.Errorf("components %v, want %s", comps, want)
	}
	if len(got.Model.Flows) != 2 || len(got.Warnings) != 2 || got.Model.Title != "a" {
		t.Errorf("flows %d, warnings %d, title %q; want 2, 2, a", len(got.Model.Flows), len(got.Warnings), got.Model.Title)
	}
}
