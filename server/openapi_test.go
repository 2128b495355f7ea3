package server

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// openAPISchema is the OpenAPI Initiative's JSON Schema for OpenAPI 3.0
// documents (https://spec.openapis.org/oas/3.0/schema/2019-04-02).
const openAPISchema = "testdata/openapi-3.0.schema.json"

func TestOpenAPIValid(t *testing.T) {
	f, err := os.Open(openAPISchema)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	meta, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("https://spec.openapis.org/oas/3.0/schema/2019-04-02", meta); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("https://spec.openapis.org/oas/3.0/schema/2019-04-02")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPI))
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3.0 document: %v", err)
	}
	// The schema does not follow references; every one must resolve.
	walkJSON(doc, func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		r, ok := m["$ref"].(string)
		if !ok {
			return
		}
		if !strings.HasPrefix(r, "#/") {
			t.Errorf("$ref %q: only local references are used", r)
			return
		}
		at := doc
		for _, part := range strings.Split(r[2:], "/") {
			obj, ok := at.(map[string]any)
			if !ok {
				at = nil
				break
			}
			at = obj[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]
		}
		if at == nil {
			t.Errorf("$ref %q resolves to nothing", r)
		}
	})
}

func walkJSON(v any, fn func(any)) {
	fn(v)
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			walkJSON(e, fn)
		}
	case []any:
		for _, e := range x {
			walkJSON(e, fn)
		}
	}
}

// documented lists the document's operations as "METHOD /path" patterns.
func documented(t *testing.T) []string {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "parameters", "summary", "description", "servers":
				continue
			}
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(out)
	return out
}

// registeredAPI reads the "METHOD /api/..." patterns the package's
// non-test files register with HandleFunc or Handle. The bare "/api/"
// fallback, which answers 404, is not an endpoint.
func registeredAPI(t *testing.T) []string {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	globals := map[string]string{} // package-level string constants
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		for _, decl := range f.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.CONST {
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, id := range vs.Names {
						if i < len(vs.Values) {
							if v, ok := stringOf(vs.Values[i], globals); ok {
								globals[id.Name] = v
							}
						}
					}
				}
			}
		}
	}
	var out []string
	for _, f := range parsed {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			vars := maps.Clone(globals)
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for i, lhs := range n.Lhs {
						if id, ok := lhs.(*ast.Ident); ok && i < len(n.Rhs) {
							if v, ok := stringOf(n.Rhs[i], vars); ok {
								vars[id.Name] = v
							}
						}
					}
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") || len(n.Args) != 2 {
						return true
					}
					pattern, ok := stringOf(n.Args[0], vars)
					if !ok {
						if mentionsAPI(n.Args[0]) {
							t.Errorf("%s: cannot read the route pattern; build it from string constants", fset.Position(n.Pos()))
						}
						return true
					}
					if method, path, ok := strings.Cut(pattern, " "); ok && strings.HasPrefix(path, "/api/") && method != "" {
						out = append(out, pattern)
					}
				}
				return true
			})
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// stringOf evaluates string literals, string constants and variables
// named in vars, and their concatenations.
func stringOf(e ast.Expr, vars map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := vars[e.Name]
		return s, ok
	case *ast.ParenExpr:
		return stringOf(e.X, vars)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok := stringOf(e.X, vars)
		if !ok {
			return "", false
		}
		b, ok := stringOf(e.Y, vars)
		return a + b, ok
	}
	return "", false
}

func mentionsAPI(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && strings.Contains(lit.Value, "/api") {
			found = true
		}
		return true
	})
	return found
}

var wildcard = regexp.MustCompile(`\{[^}]+\}`)

// TestOpenAPICoversRoutes keeps the document and the routes in step: every
// API route is documented, and every documented operation is routed to
// exactly the pattern it names.
func TestOpenAPICoversRoutes(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "ward.db"))
	routed := func(pattern string) string {
		method, path, _ := strings.Cut(pattern, " ")
		req := httptest.NewRequest(method, wildcard.ReplaceAllString(path, "x1"), nil)
		_, got := e.srv.mux.Handler(req)
		return got
	}
	api := registeredAPI(t)
	if len(api) < 25 {
		t.Fatalf("read only %d API routes from the source: %v", len(api), api)
	}
	docs := documented(t)
	for _, p := range api {
		if got := routed(p); got != p {
			t.Errorf("the source registers %q but the server routes it to %q", p, got)
		}
		if !slices.Contains(docs, p) {
			t.Errorf("%s is not in openapi.json", p)
		}
	}
	for _, p := range docs {
		if got := routed(p); got != p {
			t.Errorf("openapi.json documents %s, which the server routes to %q", p, got)
		}
	}
}

// conformance checks live answers against the document: each status must
// be documented for its route, each media type listed, and each JSON body
// valid against the documented schema.
type conformance struct {
	t       *testing.T
	e       *env
	doc     map[string]any
	schemas *jsonschema.Compiler
	called  map[string]bool
}

const docURL = "file:///openapi.json"

func newConformance(t *testing.T, e *env) *conformance {
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(docURL, toJSONSchema(doc)); err != nil {
		t.Fatal(err)
	}
	return &conformance{t: t, e: e, doc: doc, schemas: c, called: map[string]bool{}}
}

// toJSONSchema rewrites OpenAPI 3.0's nullable, which JSON Schema spells
// as a "null" type.
func toJSONSchema(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = toJSONSchema(e)
		}
		if out["nullable"] == true {
			delete(out, "nullable")
			if typ, ok := out["type"].(string); ok {
				out["type"] = []any{typ, "null"}
			} else {
				return map[string]any{"anyOf": []any{out, map[string]any{"type": "null"}}}
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toJSONSchema(e)
		}
		return out
	}
	return v
}

func pointer(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString("/" + strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// lookup follows a JSON pointer into the document.
func (c *conformance) lookup(ptr string) map[string]any {
	var at any = c.doc
	for _, part := range strings.Split(ptr, "/")[1:] {
		m, ok := at.(map[string]any)
		if !ok {
			return nil
		}
		at = m[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]
	}
	m, _ := at.(map[string]any)
	return m
}

// call sends a request, checks its answer's status is want and conforms,
// and returns the body.
func (c *conformance) call(who *client, method, path string, body any, want int) []byte {
	c.t.Helper()
	resp, out := who.do(method, path, body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s = %d, want %d: %s", method, path, resp.StatusCode, want, out)
	}
	_, pattern := c.e.srv.mux.Handler(httptest.NewRequest(method, path, nil))
	m, route, _ := strings.Cut(pattern, " ")
	c.called[pattern] = true
	ptr := pointer("paths", route, strings.ToLower(m), "responses", strconv.Itoa(resp.StatusCode))
	r := c.lookup(ptr)
	if r == nil {
		c.t.Errorf("%s %s answered %d, which openapi.json does not document for %s", method, path, resp.StatusCode, pattern)
		return out
	}
	if ref, ok := r["$ref"].(string); ok {
		ptr = strings.TrimPrefix(ref, "#")
		r = c.lookup(ptr)
	}
	content, _ := r["content"].(map[string]any)
	ctype, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	if len(content) == 0 {
		if len(out) != 0 {
			c.t.Errorf("%s %s: documented without content but answered %q", method, path, out)
		}
		return out
	}
	if _, ok := content[ctype]; !ok {
		c.t.Errorf("%s %s: Content-Type %q is not documented for %d", method, path, ctype, resp.StatusCode)
		return out
	}
	if ctype != "application/json" {
		return out
	}
	sch, err := c.schemas.Compile(docURL + "#" + ptr + pointer("content", "application/json", "schema"))
	if err != nil {
		c.t.Fatalf("%s: %v", pattern, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if err := sch.Validate(inst); err != nil {
		c.t.Errorf("%s %s (%d) does not match openapi.json: %v\n%.500s", method, path, resp.StatusCode, err, out)
	}
	return out
}

// TestOpenAPIResponses calls every documented operation and checks the
// answers, successes and errors, against the document.
func TestOpenAPIResponses(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "ward.db"))
	c := newConformance(t, e)
	site := e.user("site@example.com", true)
	anon := &client{e: e}
	jsonOf := func(b []byte, v any) {
		t.Helper()
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}

	c.call(anon, "GET", "/healthz", nil, 200)
	c.call(anon, "GET", "/openapi.json", nil, 200)
	c.call(anon, "POST", "/api/session", map[string]string{"email": "site@example.com", "password": "correct horse battery"}, 200)
	c.call(anon, "POST", "/api/session", map[string]string{"email": "site@example.com", "password": "wrong"}, 401)
	c.call(anon, "POST", "/api/session", map[string]string{"user": "site@example.com"}, 400)
	c.call(anon, "GET", "/api/me", nil, 401)
	c.call(site, "GET", "/api/me", nil, 200)
	c.call(site, "GET", "/api/users", nil, 200)
	c.call(site, "POST", "/api/users", map[string]any{"email": "bo@example.com", "password": "long enough password"}, 201)
	c.call(site, "POST", "/api/users", map[string]any{"email": "bo@example.com", "password": "long enough password"}, 409)
	c.call(site, "POST", "/api/projects", map[string]string{"slug": "shop", "name": "Shop"}, 201)
	c.call(site, "POST", "/api/projects", map[string]string{"slug": "Not A Slug"}, 400)
	c.call(site, "GET", "/api/projects", nil, 200)
	c.call(site, "GET", "/api/projects/nope", nil, 404)
	c.call(site, "PUT", "/api/projects/shop/members", map[string]string{"email": "bo@example.com", "role": "viewer"}, 200)
	c.call(site, "GET", "/api/projects/shop/members", nil, 200)

	var tok struct {
		Token  struct{ ID int64 }
		Secret string
	}
	jsonOf(c.call(site, "POST", "/api/projects/shop/tokens", map[string]any{"name": "ci", "role": "editor", "expires_in_days": 30}, 201), &tok)
	ci := &client{e: e, bearer: tok.Secret}
	c.call(ci, "GET", "/api/me", nil, 200)
	c.call(ci, "GET", "/api/projects/shop/tokens", nil, 403)
	c.call(site, "GET", "/api/projects/shop/tokens", nil, 200)

	rc := newReceiver(t, always(204))
	var hook createdWebhook
	jsonOf(c.call(site, "POST", "/api/projects/shop/webhooks", map[string]string{"url": rc.URL, "min_severity": "medium"}, 201), &hook)
	c.call(site, "POST", "/api/projects/shop/webhooks", map[string]string{"url": "gopher://x"}, 400)

	c.call(ci, "POST", "/api/projects/shop/versions?label=one", example(t), 201)
	c.call(ci, "POST", "/api/projects/shop/versions", []byte("title: [unclosed"), 400)
	c.call(site, "GET", "/api/projects/shop", nil, 200)
	c.call(site, "GET", "/api/projects", nil, 200)
	c.call(site, "GET", "/api/projects/shop/versions", nil, 200)
	c.call(site, "GET", "/api/projects/shop/versions/latest", nil, 200)
	c.call(site, "GET", "/api/projects/shop/versions/x", nil, 400)
	var threats []struct{ ID string }
	jsonOf(c.call(site, "GET", "/api/projects/shop/versions/1/threats", nil, 200), &threats)
	c.call(site, "GET", "/api/projects/shop/versions/1/threats?severity=huge", nil, 400)
	th := "/api/projects/shop/threats/" + threats[0].ID
	c.call(site, "GET", th, nil, 200)
	c.call(site, "PUT", th+"/triage", map[string]string{"status": "accepted", "accepted_until": "2027-01-01", "comment": "for now"}, 200)
	c.call(site, "PUT", th+"/triage", map[string]string{"status": "accepted"}, 400)
	c.call(site, "POST", th+"/comments", map[string]string{"body": "looked at it"}, 201)
	c.call(site, "GET", th, nil, 200)
	c.call(site, "GET", "/api/projects/shop/threats/no-such-threat", nil, 404)
	c.call(site, "GET", "/api/projects/shop/versions/1/compliance", nil, 200)
	for _, format := range []string{"json", "csv", "markdown", "sarif", "table"} {
		c.call(site, "GET", "/api/projects/shop/versions/1/report?format="+format, nil, 200)
	}
	c.call(site, "GET", "/api/projects/shop/versions/1/report?format=doc", nil, 400)
	c.call(site, "GET", "/api/projects/shop/versions/1/diagram", nil, 200)
	c.call(ci, "POST", "/api/projects/shop/versions?label=two", example(t), 201)
	for _, format := range []string{"json", "markdown", "table"} {
		c.call(site, "GET", "/api/projects/shop/diff?from=1&to=latest&format="+format, nil, 200)
	}
	c.call(site, "GET", "/api/projects/shop/diff", nil, 400)
	c.call(site, "GET", "/api/projects/shop/audit", nil, 200)

	if _, err := e.srv.newDeliverer().deliverDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	wh := "/api/projects/shop/webhooks/" + strconv.FormatInt(hook.Webhook.ID, 10)
	c.call(site, "GET", "/api/projects/shop/webhooks", nil, 200)
	c.call(site, "GET", wh+"/deliveries", nil, 200)
	c.call(site, "GET", wh+"/deliveries?limit=many", nil, 400)
	c.call(site, "DELETE", wh, nil, 204)
	c.call(site, "DELETE", "/api/projects/shop/tokens/"+strconv.FormatInt(tok.Token.ID, 10), nil, 204)
	c.call(site, "DELETE", "/api/session", nil, 204)

	for _, p := range documented(t) {
		if !c.called[p] {
			t.Errorf("%s is documented but this test never calls it", p)
		}
	}
}
