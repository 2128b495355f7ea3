package threagile

import (
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// builder turns the parsed YAML into a Ward model, one section at a time.
type builder struct {
	r   *reader
	now time.Time
	m   *model.Model

	created time.Time
	author  string

	assets     map[string]string           // Threagile data asset id → Ward asset id
	components map[string]*model.Component // Threagile technical asset id → component
	links      map[string]string           // Threagile link id (source>title) → Ward flow id
	zones      map[string]*model.Zone      // Threagile trust boundary id → zone
	zoneByID   map[string]*model.Zone      // Ward zone id → zone, once all are read
	categories map[string]category         // individual risk categories by id

	used importer.IDs
}

// category is a risk category the model defines itself.
type category struct {
	Title  string
	Stride model.Stride
}

func newBuilder(r *reader, now time.Time) *builder {
	return &builder{
		r: r, now: now,
		m:          &model.Model{Pos: r.at(1, 1), Files: []string{r.file}},
		assets:     map[string]string{},
		components: map[string]*model.Component{},
		links:      map[string]string{},
		zones:      map[string]*model.Zone{},
		categories: map[string]category{},
		used:       importer.IDs{},
	}
}

func (b *builder) build(root *yaml.Node) {
	f := b.r.fields(root, "the model")
	b.header(f)
	b.riskCategories(f["individual_risk_categories"])
	b.dataAssets(f["data_assets"])
	links := b.technicalAssets(f["technical_assets"])
	b.trustBoundaries(f["trust_boundaries"])
	b.internetZone()
	for _, l := range links {
		b.link(l)
	}
	b.inbound()
	if inc := b.r.resolve(f["includes"]); inc != nil && len(inc.Content) > 0 {
		b.r.warnf(inc, "includes are not followed: only this file is imported")
	}
	if rt := b.r.resolve(f["shared_runtimes"]); rt != nil && len(rt.Content) > 0 {
		b.r.warnf(rt, "shared_runtimes are not imported: a Ward model has no shared runtime element")
	}
	b.riskTracking(f["risk_tracking"])
}

func (b *builder) header(f map[string]*yaml.Node) {
	r, m := b.r, b.m
	m.Title = r.str(f["title"], "title")
	if m.Title == "" {
		m.Title = "Imported Threagile model"
		r.warnf(f["title"], "the model has no title; using %q", m.Title)
	}
	if n := f["date"]; !isNull(n) {
		d := r.str(n, "date")
		if t, err := time.Parse(model.DateLayout, d); err == nil {
			b.created, m.Created = t, model.Date{Time: t}
		} else {
			r.warnf(n, "date %q is not YYYY-MM-DD; the model keeps no creation date", d)
		}
	}
	author := r.fields(f["author"], "author")
	if b.author = r.str(author["name"], "author name"); b.author != "" {
		m.Authors = []string{b.author}
	}
	m.Authors = append(m.Authors, r.strsOfField(f["contributors"], "name", "contributors")...)
	overview := r.fields(f["business_overview"], "business_overview")
	if s := oneLine(r.str(overview["description"], "business_overview description")); s != "" {
		m.Scope = model.Scope{Statement: s, Pos: r.pos(overview["description"])}
	}
}

// strsOfField returns the named field of each mapping in a list.
func (r *reader) strsOfField(n *yaml.Node, field, what string) []string {
	n = r.resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, "%s must be a list", what)
		return nil
	}
	var out []string
	for _, c := range n.Content {
		if s := r.str(r.fields(c, what)[field], what+" "+field); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (b *builder) riskCategories(n *yaml.Node) {
	for _, e := range b.r.entries(n, "individual_risk_categories") {
		f := b.r.fields(e.Value, "risk category "+e.Key)
		id := b.r.str(f["id"], "risk category id")
		if id == "" {
			b.r.warnf(e.KeyAt, "risk category %q has no id; its tracked risks are matched by nothing", e.Key)
			continue
		}
		word := b.r.str(f["stride"], "stride")
		s, ok := strideWords[word]
		if !ok {
			s = model.Tampering
			b.r.warnf(f["stride"], "unknown STRIDE category %q of risk category %s; using %s", word, id, s)
		}
		b.categories[id] = category{Title: e.Key, Stride: s}
	}
}

func (b *builder) dataAssets(n *yaml.Node) {
	r := b.r
	for _, e := range r.entries(n, "data_assets") {
		f := r.fields(e.Value, "data asset "+e.Key)
		src := r.str(f["id"], "data asset id")
		if src == "" {
			src = e.Key
			r.warnf(e.KeyAt, "data asset %q has no id; using its title", e.Key)
		}
		a := &model.Asset{ID: b.claim("asset", src), Name: e.Key, Description: oneLine(r.str(f["description"], "description")), Pos: r.pos(e.KeyAt)}
		if word := r.str(f["confidentiality"], "confidentiality"); word != "" {
			if c, ok := classification[word]; ok {
				a.Classification, a.Confidentiality = c.Class, c.Level
			} else {
				r.warnf(f["confidentiality"], "unknown confidentiality %q of data asset %s (want public, internal, restricted, confidential or strictly-confidential)", word, src)
			}
		}
		a.Integrity = b.criticality(f["integrity"], "integrity", src)
		a.Availability = b.criticality(f["availability"], "availability", src)
		for _, t := range r.strs(f["tags"], "tags") {
			a.Tags = append(a.Tags, t.Value)
		}
		if _, dup := b.assets[src]; dup {
			r.warnf(e.KeyAt, "data asset id %q is used twice; references name the first", src)
		} else {
			b.assets[src] = a.ID
		}
		b.m.Assets = append(b.m.Assets, a)
	}
}

func (b *builder) criticality(n *yaml.Node, what, asset string) model.Level {
	word := b.r.str(n, what)
	if word == "" {
		return ""
	}
	l, ok := criticality[word]
	if !ok {
		b.r.warnf(n, "unknown %s %q of %s (want archive, operational, important, critical or mission-critical)", what, word, asset)
	}
	return l
}

// assetRefs resolves data asset ids, warning about unknown ones.
func (b *builder) assetRefs(n *yaml.Node, what string) []model.Ref {
	var out []model.Ref
	for _, s := range b.r.strs(n, what) {
		id, ok := b.assets[s.Value]
		if !ok {
			b.r.warnf(s, "%s names unknown data asset %q; left out", what, s.Value)
			continue
		}
		out = append(out, model.Ref{ID: id, Pos: b.r.pos(s)})
	}
	return out
}

// claim makes src a valid, unused id in one of Ward's namespaces.
func (b *builder) claim(namespace, src string) string {
	return b.used.Claim(namespace, safeID(src))
}

// safeID turns text into an id of Ward's pattern.
func safeID(s string) string { return importer.SafeID(s, 120) }

// oneLine joins folded text into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
