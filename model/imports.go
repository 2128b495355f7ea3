package model

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// Import names another model this one builds on ("threat model chaining"):
// a platform model, a shared service. Its components are referred to as
// "<as>.<component-id>"; flows may cross from this model into it.
type Import struct {
	// As is the alias that prefixes the imported model's ids.
	As string `yaml:"as,required"`
	// Path is a model file or directory, relative to the importing file.
	Path string `yaml:"path,required"`
	Pos  Pos
}

// Limits on an import graph: imports are followed from file to file, so a
// mistake could otherwise pull in a whole disk.
const (
	maxImportDepth = 16
	maxImportUnits = 256
)

var aliasPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// unit is one model of an import graph, loaded once however many models
// import it.
type unit struct {
	name    string // the path it was loaded from, for messages
	m       *Model
	prefix  string // "" for the root, else "alias." (nested: "a.b.")
	aliases map[string]*unit
}

// qualify turns an id written in u into the merged model's id: a local id
// gets u's prefix; "alias.rest" resolves rest in the model alias names.
func (u *unit) qualify(id string) string {
	if head, rest, ok := strings.Cut(id, "."); ok {
		if t := u.aliases[head]; t != nil {
			return t.qualify(rest)
		}
	}
	return u.prefix + id
}

// modelKey identifies a model by its files' absolute paths, so a
// directory and its only file are the same model.
func modelKey(files []string) (string, error) {
	abs := make([]string, len(files))
	for i, f := range files {
		var err error
		if abs[i], err = filepath.Abs(f); err != nil {
			return "", err
		}
	}
	return strings.Join(abs, "\n"), nil
}

// importer loads a model's import graph breadth first, so each model gets
// its shortest alias path as its prefix, then rejects cycles.
type importer struct {
	lim   Limits
	units []*unit          // in load order, root first
	byAbs map[string]*unit // loaded, by absolute path
	edges map[*unit][]edge // each unit's imports, in file order
	diags Diagnostics
}

type edge struct {
	imp *Import
	to  *unit
}

// resolveImports loads everything root imports and merges it into one
// model: imported elements keep their own positions, get prefixed ids and
// an Origin, and are in scope only where root uses them.
func resolveImports(rootPath string, root *Model, lim Limits) (*Model, Diagnostics) {
	abs, err := modelKey(root.Files)
	if err != nil {
		return nil, Diagnostics{{Pos: root.Pos, Message: err.Error()}}
	}
	im := &importer{lim: lim, byAbs: map[string]*unit{}, edges: map[*unit][]edge{}}
	top := &unit{name: rootPath, m: root}
	im.byAbs[abs] = top
	im.units = append(im.units, top)
	for i := 0; i < len(im.units); i++ { // units grows as imports are found
		im.follow(im.units[i])
	}
	im.checkCycles(top, map[*unit]int{}, nil)
	if len(im.diags) > 0 {
		return nil, im.diags
	}
	return im.merge(), nil
}

func (im *importer) follow(u *unit) {
	u.aliases = map[string]*unit{}
	for _, imp := range u.m.Imports {
		if !aliasPattern.MatchString(imp.As) {
			im.diags.add(imp.Pos, "import alias %q must start with a letter and hold only letters, digits, '_' and '-'", imp.As)
			continue
		}
		if u.aliases[imp.As] != nil {
			im.diags.add(imp.Pos, "import alias %q is already used in this model", imp.As)
			continue
		}
		if t := im.load(imp, u); t != nil {
			u.aliases[imp.As] = t
			im.edges[u] = append(im.edges[u], edge{imp, t})
		}
	}
}

func (im *importer) load(imp *Import, from *unit) *unit {
	path := imp.Path
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(imp.Pos.File), path)
	}
	if err := confined(path, im.lim.Root); err != nil {
		im.diags.add(imp.Pos, "cannot import %q: %v", imp.Path, err)
		return nil
	}
	files, err := modelFiles(path)
	var abs string
	if err == nil {
		abs, err = modelKey(files)
	}
	if err != nil {
		im.diags.add(imp.Pos, "cannot import %q: %v", imp.Path, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
		return nil
	}
	if t := im.byAbs[abs]; t != nil {
		return t // already loaded through another import: computed once
	}
	prefix := from.prefix + imp.As + "."
	if depth := strings.Count(prefix, "."); depth > maxImportDepth {
		im.diags.add(imp.Pos, "imports nest deeper than the limit of %d", maxImportDepth)
		return nil
	}
	if len(im.units) >= maxImportUnits {
		im.diags.add(imp.Pos, "more than %d models imported", maxImportUnits)
		return nil
	}
	m, diags, err := parseFiles(files, im.lim)
	if err != nil {
		im.diags.add(imp.Pos, "cannot import %q: %v", imp.Path, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
		return nil
	}
	im.diags = append(im.diags, diags...)
	if m == nil {
		return nil
	}
	t := &unit{name: path, m: m, prefix: prefix}
	im.byAbs[abs] = t
	im.units = append(im.units, t)
	return t
}

// checkCycles reports each import that leads back to a model on the path
// from the root: state is 1 while a unit's imports are being walked, 2 once
// done.
func (im *importer) checkCycles(u *unit, state map[*unit]int, path []*unit) {
	state[u] = 1
	path = append(path, u)
	for _, e := range im.edges[u] {
		switch state[e.to] {
		case 1:
			var chain []string
			for i := len(path) - 1; i >= 0; i-- {
				chain = append([]string{path[i].name}, chain...)
				if path[i] == e.to {
					break
				}
			}
			im.diags.add(e.imp.Pos, "import cycle: %s → %s", strings.Join(chain, " → "), e.to.name)
		case 0:
			im.checkCycles(e.to, state, path)
		}
	}
	state[u] = 2
}

// merge joins every unit into the root model with qualified ids. Only the
// root's header, features and risk matrix count.
func (im *importer) merge() *Model {
	root := im.units[0]
	m := root.m
	m.used = map[string]bool{}
	for i, u := range im.units {
		origin := strings.TrimSuffix(u.prefix, ".")
		if i > 0 {
			m.Files = append(m.Files, u.m.Files...)
			m.Assets = append(m.Assets, u.m.Assets...)
			m.Actors = append(m.Actors, u.m.Actors...)
			m.Zones = append(m.Zones, u.m.Zones...)
			m.Components = append(m.Components, u.m.Components...)
			m.Flows = append(m.Flows, u.m.Flows...)
			m.Threats = append(m.Threats, u.m.Threats...)
			m.Mitigations = append(m.Mitigations, u.m.Mitigations...)
			m.Accepted = append(m.Accepted, u.m.Accepted...)
			m.Doomsday = append(m.Doomsday, u.m.Doomsday...)
		}
		u.rewrite(origin)
	}
	// The root uses an imported component when one of its own elements
	// refers to it; only those are analyzed and reported with the root.
	use := func(r Ref) {
		if strings.Contains(r.ID, ".") {
			m.used[r.ID] = true
		}
	}
	r := root.m
	for _, f := range r.Flows {
		if f.Origin == "" {
			use(f.From)
			use(f.To)
		}
	}
	for _, f := range r.Features {
		for _, c := range f.Components {
			use(c)
		}
	}
	for _, t := range r.Threats {
		if t.Origin == "" {
			use(t.Target)
		}
	}
	for _, mi := range r.Mitigations {
		if mi.Origin == "" {
			for _, t := range mi.Targets {
				use(t)
			}
		}
	}
	return m
}

// rewrite qualifies every id and reference of the unit's own elements, and
// marks them with their origin. It runs before the merged model is
// validated, so flow ids are defaulted here from the names as written.
func (u *unit) rewrite(origin string) {
	q := func(r *Ref) {
		if !r.IsZero() {
			r.ID = u.qualify(r.ID)
		}
	}
	qs := func(rs []Ref) {
		for i := range rs {
			q(&rs[i])
		}
	}
	threat := func(r *Ref) {
		if rule, target, ok := strings.Cut(r.ID, ThreatIDSeparator); ok {
			r.ID = rule + ThreatIDSeparator + u.qualify(target)
		} else {
			q(r)
		}
	}
	m := u.m
	for _, a := range m.Assets {
		a.ID = u.prefix + a.ID
	}
	for _, a := range m.Actors {
		a.ID = u.prefix + a.ID
	}
	for _, z := range m.Zones {
		z.ID = u.prefix + z.ID
		q(&z.Parent)
	}
	for _, c := range m.Components {
		c.ID, c.Origin = u.prefix+c.ID, origin
		q(&c.Zone)
		qs(c.Stores)
		qs(c.Processes)
	}
	for _, f := range m.Flows {
		if f.ID == "" {
			f.ID = f.From.ID + "-to-" + f.To.ID
		}
		f.ID, f.Origin = u.prefix+f.ID, origin
		q(&f.From)
		q(&f.To)
		qs(f.Data)
	}
	for _, t := range m.Threats {
		t.ID, t.Origin = u.prefix+t.ID, origin
		q(&t.Target)
		q(&t.Actor)
	}
	for _, mi := range m.Mitigations {
		mi.ID, mi.Origin = u.prefix+mi.ID, origin
		for i := range mi.Threats {
			threat(&mi.Threats[i])
		}
		qs(mi.Targets)
	}
	for _, a := range m.Accepted {
		a.Origin = origin
		threat(&a.Threat)
	}
	for _, d := range m.Doomsday {
		d.ID = u.prefix + d.ID
		qs(d.Assets)
	}
	for _, f := range m.Features {
		qs(f.Components)
		qs(f.Flows)
	}
}

// InScope reports whether the model's own analysis covers the element: it
// is the model's own, or an imported component the model uses. Imported
// elements it does not use belong to their own model's analysis.
func (m *Model) InScope(id string) bool {
	if c := m.Component(id); c != nil {
		return c.Origin == "" || m.used[id]
	}
	if f := m.Flow(id); f != nil {
		return f.Origin == ""
	}
	return false
}

// Imported reports whether the model imports other models.
func (m *Model) Imported() bool { return m.used != nil }

// confined checks that path lies inside root (when root is set), after
// resolving symbolic links, so an import cannot step out of an upload.
func confined(path, root string) error {
	if root == "" {
		return nil
	}
	r, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	p, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("no such file or directory")
	}
	rel, err := filepath.Rel(r, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return fmt.Errorf("it lies outside the model's files")
	}
	return nil
}
