package azure

import (
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
	"github.com/wardsec/ward/model"
)

// prop reads a key under the resource's "properties".
func prop(r *importer.Resource, path ...string) any {
	return mapkit.Get(r.Props, append([]string{"properties"}, path...)...)
}

// parentOf is the resource a child resource names as its parent.
func (m *mapper) parentOf(r *importer.Resource) *importer.Resource {
	if ref, ok := r.Props["parent"].(importer.ResourceRef); ok {
		return m.byID[ref.ID]
	}
	return nil
}

// tlsVersion turns ARM's TLS names ("TLS1_2", "1.2") into Ward's.
func tlsVersion(v any) (any, bool) {
	switch s := v.(type) {
	case importer.Unknown:
		return s, true
	case string:
		switch s {
		case "TLS1_0", "1.0":
			return "1.0", true
		case "TLS1_1", "1.1":
			return "1.1", true
		case "TLS1_2", "1.2":
			return "1.2", true
		case "TLS1_3", "1.3":
			return "1.3", true
		}
	}
	return nil, false
}

// disabled reads a publicNetworkAccess setting: true when "Disabled".
func disabled(v any) (any, bool) {
	switch s := v.(type) {
	case importer.Unknown:
		return s, true
	case string:
		return s == "Disabled", true
	}
	return nil, false
}

func sortByID(rs []*importer.Resource) {
	slices.SortFunc(rs, func(a, b *importer.Resource) int { return strings.Compare(a.ID, b.ID) })
}

func sortComponents(cs []*model.Component) {
	slices.SortFunc(cs, func(a, b *model.Component) int { return strings.Compare(a.ID, b.ID) })
}
