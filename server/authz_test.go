package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/wardsec/ward/store"
)

// The authorization matrix: every endpoint called by every kind of caller,
// with the exact status expected in each cell. Callers, in column order:
var callers = []string{
	"anonymous",
	"outsider",   // admin of another project, nothing in this one
	"viewer",     // member roles in this project
	"editor",     //
	"admin",      //
	"site-admin", // site administrator, member of nothing
	"tok-viewer", // API tokens of this project
	"tok-editor", //
	"tok-admin",  //
	"tok-other",  // an admin token of the other project
}

// matrix rows: method, path, body, and one status per caller. {threat} and
// {token} are filled in per call; {n} makes names unique.
var matrix = []struct {
	method, path string
	body         any
	codes        string
}{
	{"GET", "/healthz", nil, "200 200 200 200 200 200 200 200 200 200"},
	{"GET", "/openapi.json", nil, "200 200 200 200 200 200 200 200 200 200"},
	{"GET", "/api/me", nil, "401 200 200 200 200 200 200 200 200 200"},
	{"GET", "/api/projects", nil, "401 200 200 200 200 200 200 200 200 200"},
	{"POST", "/api/projects", map[string]string{"slug": "p-{n}"}, "401 403 403 403 403 201 403 403 403 403"},
	{"GET", "/api/users", nil, "401 403 403 403 403 200 403 403 403 403"},
	{"POST", "/api/users", map[string]string{"email": "u{n}@example.com", "password": "long enough password"}, "401 403 403 403 403 201 403 403 403 403"},
	{"GET", "/api/projects/shop", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"GET", "/api/projects/nope", nil, "401 404 404 404 404 404 404 404 404 404"},
	{"GET", "/api/projects/shop/members", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"PUT", "/api/projects/shop/members", map[string]string{"email": "viewer@example.com", "role": "viewer"}, "401 404 403 403 200 200 403 403 200 404"},
	{"GET", "/api/projects/shop/tokens", nil, "401 404 403 403 200 200 403 403 200 404"},
	{"POST", "/api/projects/shop/tokens", map[string]string{"name": "ci", "role": "viewer"}, "401 404 403 403 201 201 403 403 201 404"},
	{"DELETE", "/api/projects/shop/tokens/{token}", nil, "401 404 403 403 204 204 403 403 204 404"},
	{"GET", "/api/projects/shop/versions", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"POST", "/api/projects/shop/versions", "upload", "401 404 403 201 201 201 403 201 201 404"},
	{"GET", "/api/projects/shop/versions/1", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"GET", "/api/projects/shop/versions/latest/threats", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"GET", "/api/projects/shop/versions/1/report?format=csv", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"GET", "/api/projects/shop/versions/1/diagram", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"GET", "/api/projects/shop/versions/1/compliance", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"GET", "/api/projects/shop/threats/{threat}", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"PUT", "/api/projects/shop/threats/{threat}/triage", map[string]string{"status": "mitigated", "comment": "done"}, "401 404 403 200 200 200 403 200 200 404"},
	{"POST", "/api/projects/shop/threats/{threat}/comments", map[string]string{"body": "looked at it"}, "401 404 403 201 201 201 403 201 201 404"},
	{"GET", "/api/projects/shop/diff?from=1&to=latest", nil, "401 404 200 200 200 200 200 200 200 404"},
	{"GET", "/api/projects/shop/audit", nil, "401 404 403 403 200 200 403 403 200 404"},
	{"GET", "/api/nothing-here", nil, "404 404 404 404 404 404 404 404 404 404"},
	{"GET", "/api/projects/shop/webhooks", nil, "401 404 403 403 200 200 403 403 200 404"},
	{"POST", "/api/projects/shop/webhooks", map[string]string{"url": "https://hooks.example.com/{n}"}, "401 404 403 403 201 201 403 403 201 404"},
	{"GET", "/api/projects/shop/webhooks/1/deliveries", nil, "401 404 403 403 200 200 403 403 200 404"},
	{"DELETE", "/api/projects/shop/webhooks/999", nil, "401 404 403 403 404 404 403 403 404 404"},
}

func TestAuthorizationMatrix(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		sh := newShop(t, e)
		as := sh.as
		other := mustProject(t, e, "other")
		shop := mustProject(t, e, "shop")
		for _, r := range store.Roles {
			as["tok-"+string(r)] = e.token(shop, r)
		}
		as["tok-other"] = e.token(other, store.Admin)
		n := 0
		for _, row := range matrix {
			want := strings.Fields(row.codes)
			if len(want) != len(callers) {
				t.Fatalf("%s %s: %d codes for %d callers", row.method, row.path, len(want), len(callers))
			}
			for i, who := range callers {
				n++
				path := strings.ReplaceAll(row.path, "{threat}", sh.threatID)
				if strings.Contains(path, "{token}") {
					e.token(shop, store.Viewer)
					got, err := e.store.Tokens(ctx, shop.ID)
					if err != nil {
						t.Fatal(err)
					}
					path = strings.ReplaceAll(path, "{token}", fmt.Sprint(got[len(got)-1].ID))
				}
				body := row.body
				switch b := body.(type) {
				case string:
					body = example(t)
				case map[string]string:
					m := map[string]string{}
					for k, v := range b {
						m[k] = strings.ReplaceAll(v, "{n}", fmt.Sprint(n))
					}
					body = m
				}
				resp, out := as[who].do(row.method, path, body)
				if fmt.Sprint(resp.StatusCode) != want[i] {
					t.Errorf("%s %s as %s = %d, want %s: %.200s", row.method, row.path, who, resp.StatusCode, want[i], out)
				}
			}
		}
	})
}
