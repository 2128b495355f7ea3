package importer

import "github.com/wardsec/ward/model"

// Merge joins the results of several mappings of one input (AWS and Azure
// resources of one Terraform configuration) into one model. Zones and
// components with an id already taken, such as the shared "internet",
// are kept once, the first seen.
func Merge(results ...*Result) *Result {
	out := &Result{Model: &model.Model{}}
	zones, comps := map[string]bool{}, map[string]bool{}
	for _, r := range results {
		if r == nil {
			continue
		}
		out.Warnings = append(out.Warnings, r.Warnings...)
		if r.Model == nil {
			continue
		}
		if out.Model.Title == "" {
			out.Model.Title = r.Model.Title
		}
		for _, z := range r.Model.Zones {
			if !zones[z.ID] {
				zones[z.ID] = true
				out.Model.Zones = append(out.Model.Zones, z)
			}
		}
		for _, c := range r.Model.Components {
			if !comps[c.ID] {
				comps[c.ID] = true
				out.Model.Components = append(out.Model.Components, c)
			}
		}
		out.Model.Flows = append(out.Model.Flows, r.Model.Flows...)
	}
	return out
}
