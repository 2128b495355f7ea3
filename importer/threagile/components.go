package threagile

import (
	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/model"
)

// pendingLink is a communication link read with its technical asset and
// turned into flows once every asset is known.
type pendingLink struct {
	From  *model.Component
	SrcID string // the source's Threagile id
	Title string
	KeyAt *yaml.Node
	Value *yaml.Node
}

func (b *builder) technicalAssets(n *yaml.Node) []pendingLink {
	r := b.r
	var links []pendingLink
	for _, e := range r.entries(n, "technical_assets") {
		f := r.fields(e.Value, "technical asset "+e.Key)
		src := r.str(f["id"], "technical asset id")
		if src == "" {
			src = e.Key
			r.warnf(e.KeyAt, "technical asset %q has no id; using its title", e.Key)
		}
		c := &model.Component{
			ID:          b.claim("element", src),
			Name:        e.Key,
			Description: oneLine(r.str(f["description"], "description")),
			Kind:        b.kind(f, src),
			Pos:         r.pos(e.KeyAt),
		}
		b.properties(c, f, src)
		c.Stores = b.assetRefs(f["data_assets_stored"], "data_assets_stored")
		c.Processes = b.assetRefs(f["data_assets_processed"], "data_assets_processed")
		for _, t := range r.strs(f["tags"], "tags") {
			c.Tags = append(c.Tags, t.Value)
		}
		if r.flag(f["out_of_scope"], "out_of_scope") {
			c.Tags = append(c.Tags, "out-of-scope")
		}
		if _, dup := b.components[src]; dup {
			r.warnf(e.KeyAt, "technical asset id %q is used twice; references name the first", src)
		} else {
			b.components[src] = c
		}
		b.m.Components = append(b.m.Components, c)
		for _, l := range r.entries(f["communication_links"], "communication_links") {
			links = append(links, pendingLink{From: c, SrcID: src, Title: l.Key, KeyAt: l.KeyAt, Value: l.Value})
		}
	}
	return links
}

// kind picks the catalog kind closest to the asset's technology, keeping
// the DFD category its type gives.
func (b *builder) kind(f map[string]*yaml.Node, src string) model.Kind {
	r := b.r
	typ := r.str(f["type"], "type")
	generic, ok := typeKinds[typ]
	if !ok {
		generic = "process"
		r.warnf(f["type"], "unknown type %q of technical asset %s (want external-entity, process or datastore); using process", typ, src)
	}
	tech := r.str(f["technology"], "technology")
	k, known := technologyKinds[tech]
	if !known && tech != "" {
		r.warnf(f["technology"], "unknown technology %q of technical asset %s; using the generic kind %s", tech, src, generic)
	}
	if k == "" || k.Category() != generic.Category() {
		k = generic
	}
	if k == "external-entity" && r.flag(f["used_as_client_by_human"], "used_as_client_by_human") {
		k = "user"
	}
	return k
}

func (b *builder) properties(c *model.Component, f map[string]*yaml.Node, src string) {
	r := b.r
	put := func(name string, v any, at *yaml.Node) {
		c.Properties = append(c.Properties, model.Property{Name: name, Value: v, Pos: r.pos(at)})
	}
	if n := f["internet"]; !isNull(n) {
		put("public", r.flag(n, "internet"), n)
	}
	if n := f["encryption"]; !isNull(n) {
		word := r.str(n, "encryption")
		if enc, ok := atRest[word]; ok {
			put("encrypted_at_rest", enc, n)
		} else {
			r.warnf(n, "unknown encryption %q of technical asset %s (want none, transparent, data-with-symmetric-shared-key, data-with-asymmetric-shared-key or data-with-enduser-individual-key)", word, src)
		}
	}
	if n := f["redundant"]; !isNull(n) {
		put("redundancy", r.flag(n, "redundant"), n)
	}
	if n := f["multi_tenant"]; r.flag(n, "multi_tenant") {
		put("x-multi-tenant", true, n)
	}
}
