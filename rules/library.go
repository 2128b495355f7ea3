package rules

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"unicode"
	"unicode/utf8"

	"github.com/google/cel-go/common/types/ref"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

//go:embed library
var builtinFS embed.FS

// Library is a set of compiled rules with unique ids.
type Library struct {
	rules []*Rule
	byID  map[string]*Rule
}

// Builtin returns Ward's own library, embedded in the binary. It is
// compiled once per process.
var Builtin = sync.OnceValues(func() (*Library, error) {
	lib, err := LoadFS(builtinFS, "library")
	if err != nil {
		return nil, err
	}
	if err := lib.checkSupersedes().Err(); err != nil {
		return nil, err
	}
	return lib, nil
})

// LoadDir reads a user rule pack: every *.yaml file under dir except
// fixtures (*.tests.yaml), skipping hidden directories and testdata.
func LoadDir(dir string) (*Library, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%w: rule pack %s is not a directory", model.ErrInvalid, dir)
	}
	return loadFS(os.DirFS(dir), ".", dir)
}

// LoadFS reads every *.yaml rule file under root in fsys.
func LoadFS(fsys fs.FS, root string) (*Library, error) {
	return loadFS(fsys, root, "")
}

func loadFS(fsys fs.FS, root, prefix string) (*Library, error) {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return fs.SkipDir
		}
		// Fixtures (*.tests.yaml) sit beside rules; ruletest reads them.
		if !d.IsDir() && strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".tests.yaml") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	sort.Strings(files)
	lib := &Library{byID: map[string]*Rule{}}
	var ds model.Diagnostics
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		name := f
		if prefix != "" {
			name = path.Join(prefix, f)
		}
		ds = append(ds, lib.addFile(name, data)...)
	}
	if err := ds.Err(); err != nil {
		return nil, err
	}
	return lib, nil
}

// Parse compiles the rules of one file held in memory into a library.
func Parse(name string, data []byte) (*Library, error) {
	lib := &Library{byID: map[string]*Rule{}}
	if err := lib.addFile(name, data).Err(); err != nil {
		return nil, err
	}
	return lib, nil
}

func (l *Library) addFile(name string, data []byte) model.Diagnostics {
	var f File
	if err := model.Decode(name, data, &f, model.DefaultLimits); err != nil {
		ds, ok := err.(model.Diagnostics)
		if !ok {
			return model.Diagnostics{{Pos: model.Pos{File: name}, Message: err.Error()}}
		}
		return ds
	}
	var ds model.Diagnostics
	for _, r := range f.Rules {
		rds := append(r.Validate(), r.compile()...)
		if len(rds) > 0 {
			ds = append(ds, rds...)
			continue
		}
		if first, dup := l.byID[r.ID]; dup {
			ds = append(ds, model.Diagnostic{Pos: r.Pos, Message: fmt.Sprintf("duplicate rule id %q (first at %s)", r.ID, first.Pos)})
			continue
		}
		l.byID[r.ID] = r
		l.rules = append(l.rules, r)
	}
	return ds
}

// Merge adds other's rules to l. A rule id defined in both is an error:
// user packs add rules, they do not silently replace the library's.
func (l *Library) Merge(other *Library) error {
	var ds model.Diagnostics
	for _, r := range other.rules {
		if first, dup := l.byID[r.ID]; dup {
			ds = append(ds, model.Diagnostic{Pos: r.Pos, Message: fmt.Sprintf("rule id %q is already defined at %s", r.ID, first.Pos)})
			continue
		}
		l.byID[r.ID] = r
		l.rules = append(l.rules, r)
	}
	ds = append(ds, l.checkSupersedes()...)
	return ds.Err()
}

// checkSupersedes reports rules superseding rules the library lacks. It
// runs once packs are merged, as a pack may supersede a built-in rule.
func (l *Library) checkSupersedes() model.Diagnostics {
	var ds model.Diagnostics
	for _, r := range l.rules {
		for _, id := range r.Supersedes {
			switch {
			case id == r.ID:
				ds = append(ds, model.Diagnostic{Pos: r.Pos, Message: fmt.Sprintf("rule %s supersedes itself", r.ID)})
			case l.byID[id] == nil:
				ds = append(ds, model.Diagnostic{Pos: r.Pos, Message: fmt.Sprintf("rule %s supersedes unknown rule %q", r.ID, id)})
			}
		}
	}
	return ds
}

// Clone returns a copy of l that can be merged into without changing l.
func (l *Library) Clone() *Library {
	c := &Library{rules: append([]*Rule(nil), l.rules...), byID: make(map[string]*Rule, len(l.byID))}
	for k, v := range l.byID {
		c.byID[k] = v
	}
	return c
}

// Rules returns the rules in load order.
func (l *Library) Rules() []*Rule { return l.rules }

// Rule returns the rule with the given id, or nil.
func (l *Library) Rule(id string) *Rule { return l.byID[id] }

func (r *Rule) compile() model.Diagnostics {
	var ds model.Diagnostics
	prefix := func(in model.Diagnostics) {
		for _, d := range in {
			d.Message = fmt.Sprintf("rule %s: %s", r.ID, d.Message)
			ds = append(ds, d)
		}
	}
	if r.When.Value != "" {
		c, cds := compile(r.When)
		prefix(cds)
		r.cond, r.evidence = c.prg, c.paths
	}
	for i := range r.Likelihood.Adjust {
		a := &r.Likelihood.Adjust[i]
		c, cds := compile(a.When)
		prefix(cds)
		a.cond = c.prg
	}
	for i := range r.Impact.Adjust {
		a := &r.Impact.Adjust[i]
		c, cds := compile(a.When)
		prefix(cds)
		a.cond = c.prg
	}
	t, err := template.New(r.ID).Option("missingkey=error").Parse(r.Scenario)
	if err == nil {
		// Execute once on sample data so an unknown field fails at load.
		err = t.Execute(&bytes.Buffer{}, ScenarioData{})
	}
	if err != nil {
		prefix(model.Diagnostics{{Pos: r.Pos, Message: "scenario template: " + err.Error()}})
	}
	r.scenario = t
	if t != nil && err == nil {
		r.parts = plainParts(t)
	}
	return ds
}

// part is a piece of a scenario: literal text, or a field of ScenarioData.
type part struct {
	text  string
	field string
}

// plainParts splits a template made only of text and {{.Field}} actions
// into parts, so rendering is a concatenation instead of a reflective
// template execution (which dominated large analyses). It returns nil for
// templates using anything else; those are executed.
func plainParts(t *template.Template) []part {
	var parts []part
	for _, n := range t.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			// Collapse line breaks and indentation once, here, so rendering
			// does not have to.
			text := strings.Join(strings.Fields(string(n.Text)), " ")
			if unicode.IsSpace(firstRune(n.Text)) && text != "" {
				text = " " + text
			}
			if unicode.IsSpace(lastRune(n.Text)) {
				text += " "
			}
			parts = append(parts, part{text: text})
		case *parse.ActionNode:
			if len(n.Pipe.Decl) > 0 || len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
				return nil
			}
			f, ok := n.Pipe.Cmds[0].Args[0].(*parse.FieldNode)
			if !ok || len(f.Ident) != 1 {
				return nil
			}
			parts = append(parts, part{field: f.Ident[0]})
		default:
			return nil
		}
	}
	return parts
}

func firstRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

func lastRune(b []byte) rune {
	r, _ := utf8.DecodeLastRune(b)
	return r
}

func (d ScenarioData) field(name string) string {
	switch name {
	case "Target":
		return d.Target
	case "TargetKind":
		return d.TargetKind
	case "Zone":
		return d.Zone
	case "Actor":
		return d.Actor
	case "Assets":
		return d.Assets
	case "From":
		return d.From
	case "To":
		return d.To
	case "Protocol":
		return d.Protocol
	}
	return ""
}

// Match reports whether the rule's condition holds for the activation of
// one element (see Context).
func (r *Rule) Match(act map[string]any) (bool, error) {
	return compiled{prg: r.cond}.eval(act)
}

// Rate returns the rule's likelihood and impact for an element, with the
// reasons of any adjustment that applied.
func (r *Rule) Rate(act map[string]any) (risk.Likelihood, risk.Impact, []string, error) {
	l, lwhy, err := rate(r.Likelihood, act)
	if err != nil {
		return "", "", nil, err
	}
	i, iwhy, err := rate(r.Impact, act)
	if err != nil {
		return "", "", nil, err
	}
	return l, i, append(lwhy, iwhy...), nil
}

func rate[L ~string](rt Rating[L], act map[string]any) (L, []string, error) {
	for _, a := range rt.Adjust {
		ok, err := compiled{prg: a.cond}.eval(act)
		if err != nil {
			return "", nil, err
		}
		if ok {
			if a.Level == rt.Level {
				return rt.Level, nil, nil
			}
			return a.Level, []string{a.Because}, nil
		}
	}
	return rt.Level, nil, nil
}

// Evidence lists the element facts the condition read, as name=value, so a
// reader sees why the rule fired: "public=true", "encrypted_at_rest=false
// (not set)". Properties the model does not state are marked.
func (r *Rule) Evidence(act map[string]any) []string {
	var out []string
	for _, p := range r.evidence {
		v, ok := lookup(act, p)
		if !ok {
			continue
		}
		switch v.(type) {
		case map[string]any, []any, object, view, *elementView, ref.Val, nil:
			continue // only plain facts are evidence
		}
		name := strings.TrimPrefix(strings.Join(p[1:], "."), "props.")
		fact := name + "=" + fmt.Sprint(v)
		if len(p) == 3 && p[1] == "props" && !isSet(act, p[2]) {
			fact += " (not set)"
		}
		out = append(out, fact)
	}
	return out
}

// isSet reports whether the element states the property itself.
func isSet(act map[string]any, prop string) bool {
	el, _ := act["element"].(*elementView)
	if el == nil {
		return false
	}
	var own model.Properties
	switch o := el.o.(type) {
	case component:
		own = o.c.m.Components[o.i].Properties
	case flow:
		own = o.c.m.Flows[o.i].Properties
	}
	_, ok := own.Get(prop)
	return ok
}

func lookup(v any, path []string) (any, bool) {
	for _, k := range path {
		var ok bool
		switch x := v.(type) {
		case map[string]any:
			v, ok = x[k]
		case view:
			v, ok = x.o.field(k)
		case *elementView:
			v, ok = x.o.field(k)
		case object:
			v, ok = x.field(k)
		}
		if !ok {
			return nil, false
		}
	}
	return v, true
}

// ScenarioData is what a scenario template may use.
type ScenarioData struct {
	Target     string // the element's name
	TargetKind string // its kind's title, e.g. "Amazon SQS queue"
	Zone       string // its zone's name
	Actor      string // the threat actor's name
	Assets     string // the data it holds or carries, joined with ", "
	From, To   string // a flow's ends
	Protocol   string // a flow's protocol
}

// RenderScenario fills the scenario template.
func (r *Rule) RenderScenario(d ScenarioData) (string, error) {
	var b strings.Builder
	if r.parts != nil {
		for _, p := range r.parts {
			if p.field != "" {
				b.WriteString(d.field(p.field))
			} else {
				b.WriteString(p.text)
			}
		}
		return strings.TrimSpace(b.String()), nil
	}
	if err := r.scenario.Execute(&b, d); err != nil {
		return "", fmt.Errorf("rule %s scenario: %w", r.ID, err)
	}
	return strings.Join(strings.Fields(b.String()), " "), nil
}

// BuiltinFS returns the embedded library's files, fixtures included, for
// tests that prove each rule.
func BuiltinFS() fs.FS { return builtinFS }
