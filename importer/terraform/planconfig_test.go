package terraform_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/model"
)

func zoneIDs(m *model.Model) []string {
	var out []string
	for _, z := range m.Zones {
		out = append(out, z.ID)
	}
	slices.Sort(out)
	return out
}

func placements(m *model.Model) map[string]string {
	out := map[string]string{}
	for _, c := range m.Components {
		out[c.ID] = c.Zone.ID
	}
	return out
}

// TestPlanUnknownReferences checks that a plan whose resources are all
// new, every id known only after apply, gives the zones, placements and
// flows its configuration gives when read as source: the references come
// from the plan's configuration section.
func TestPlanUnknownReferences(t *testing.T) {
	plan := importWith(t, terraform.Source{}, "testdata/plan-unknown/plan.json").Model
	hcl := importWith(t, terraform.Source{}, "testdata/plan-unknown/config").Model
	if diff := cmp.Diff(zoneIDs(hcl), zoneIDs(plan)); diff != "" {
		t.Errorf("zones (-source +plan):\n%s", diff)
	}
	if diff := cmp.Diff(placements(hcl), placements(plan)); diff != "" {
		t.Errorf("component zones (-source +plan):\n%s", diff)
	}
	flows := flowPairs(plan)
	slices.Sort(flows)
	want := flowPairs(hcl)
	slices.Sort(want)
	if diff := cmp.Diff(want, flows); diff != "" {
		t.Errorf("flows (-source +plan):\n%s", diff)
	}
	if !slices.Contains(flows, "internet -> aws_instance.web") {
		t.Errorf("no internet flow to the instance through the rule's group; flows %v", flows)
	}
	if z := placements(plan)["aws_instance.web"]; z != "module.network.aws_subnet.public" {
		t.Errorf("instance in zone %q, want module.network.aws_subnet.public", z)
	}
}
