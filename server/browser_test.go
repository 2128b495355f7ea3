package server

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/wardsec/ward/internal/browsertest"
	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

var update = flag.Bool("update", false, "rewrite docs/server-screenshot.png")

// screenshotPath is the README's picture of the server's threat table;
// go test ./server -run TestUIInBrowser -update refreshes it.
const screenshotPath = "../docs/server-screenshot.png"

// TestUIInBrowser uses the web UI as a team would, in headless Chromium:
// an editor signs in through the form, uploads the example, filters the
// threat table, marks a threat mitigated with a comment and signs out;
// then a viewer finds no triage form and is refused when posting one
// anyway. Any console error, exception or blocked resource (a CSP
// violation lands there) fails it.
//
// Cookies keep their Secure attribute: Chromium accepts Secure cookies
// from http://127.0.0.1, so the test runs as production does.
//
//nolint:gocyclo // one browser session checks the UI step by step, in order
func TestUIInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	e := secureEnv(t)
	ctx := context.Background()
	shop, err := e.store.CreateProject(ctx, "test", store.Project{Slug: "shop", Name: "Acme shop"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	editor, viewer := e.user("editor@example.com", false), e.user("viewer@example.com", false)
	for c, role := range map[*client]store.Role{editor: store.Editor, viewer: store.Viewer} {
		if err := e.store.SetMember(ctx, "test", shop.ID, c.id, role); err != nil {
			t.Fatal(err)
		}
	}
	model, err := filepath.Abs("../examples/ecommerce/acme.ward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t, 1360, 1000, 60*time.Second)
	console := browsertest.WatchConsole(b, t)
	base := e.http.URL

	signIn := func(t *testing.T, email string) {
		t.Helper()
		run(b, t, chromedp.Navigate(base+"/p/shop"))
		waitPath(b, t, "/login?next=%2Fp%2Fshop")
		run(b, t, chromedp.SendKeys(chromedp.ID("email"), email),
			chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
			chromedp.Click(chromedp.ID("sign-in")))
		waitPath(b, t, "/p/shop")
	}
	signOut := func(t *testing.T) {
		t.Helper()
		run(b, t, chromedp.Click(chromedp.ID("sign-out")))
		waitPath(b, t, "/login")
	}

	var threatPath string
	t.Run("editor", func(t *testing.T) {
		signIn(t, "editor@example.com")
		cookies := evalJS[string](b, t, `document.cookie`)
		if strings.Contains(cookies, sessionCookie) {
			t.Errorf("the session cookie is readable from scripts: %q", cookies)
		}
		kept, err := chromedp.Run(b, chromedp.Action[[]*network.Cookie](func(ctx context.Context, tg *chromedp.Target) ([]*network.Cookie, error) {
			r, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{})
			if err != nil {
				return nil, err
			}
			return r.Cookies, nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(kept, func(c *network.Cookie) bool { return c.Name == sessionCookie }); i < 0 || !kept[i].Secure || !kept[i].HTTPOnly {
			t.Errorf("the browser keeps no Secure, HttpOnly session cookie: %+v", kept)
		}

		run(b, t, chromedp.SetUploadFiles(chromedp.ID("upload-file"), []string{model}),
			chromedp.SendKeys(chromedp.ID("upload-label"), "first upload"),
			chromedp.Click(chromedp.ID("upload-submit")))
		waitPath(b, t, "/p/shop/v/1")
		v1, err := e.store.VersionOf(ctx, shop.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		threats, err := e.store.Findings(ctx, shop.ID, v1.ID, store.Filter{})
		if err != nil || len(threats) == 0 {
			t.Fatalf("the upload stored %d threats: %v", len(threats), err)
		}
		if got := shownRows(b, t); len(got) != len(threats) {
			t.Errorf("%d rows shown, want %d", len(got), len(threats))
		}
		waitFor(b, t, "the diagram to load", `document.querySelector("#diagram img").naturalWidth > 0`)

		high := 0
		for _, f := range threats {
			if f.Severity == "high" {
				high++
			}
		}
		pick(b, t, "#filter-severity", "high")
		rows := waitShown(b, t, high)
		for _, r := range rows {
			if r.Severity != "high" {
				t.Errorf("a %s row shows under the high filter", r.Severity)
			}
		}
		if got := evalJS[string](b, t, `location.search`); got != "?severity=high" {
			t.Errorf("the address keeps the filter as %q", got)
		}
		if got := evalJS[string](b, t, `document.getElementById("row-count").textContent`); got != fmt.Sprintf("%d of %d threats", high, len(threats)) {
			t.Errorf("row count says %q", got)
		}
		// Sorting happens in place and the address remembers it.
		run(b, t, chromedp.Click(chromedp.Search(`//th[@data-key="component"]/a`)))
		var names []string
		for _, r := range waitShown(b, t, high) {
			names = append(names, strings.ToLower(r.Component))
		}
		if !slices.IsSorted(names) || names[0] == names[len(names)-1] {
			t.Errorf("high threats by component: %q", names)
		}
		if got := evalJS[string](b, t, `location.search`); got != "?severity=high&sort=component&dir=asc" {
			t.Errorf("the address keeps the sort as %q", got)
		}
		run(b, t, chromedp.SendKeys(chromedp.ID("filter-text"), rows[0].Component))
		waitFor(b, t, "the text filter", fmt.Sprintf(`(() => { const shown = Array.from(document.querySelectorAll("#threat-table tbody tr"))
			.filter(r => r.getClientRects().length > 0); return shown.length > 0 && shown.length <= %d &&
			shown.every(r => r.textContent.includes(%q)) && location.search.includes("q="); })()`, high, rows[0].Component))

		run(b, t, chromedp.Navigate(base+"/p/shop/v/1?severity=high"))
		waitPath(b, t, "/p/shop/v/1?severity=high")
		run(b, t, chromedp.Click(chromedp.CSS(`#threat-table tbody tr:first-child a.threat-link`)))
		waitPrefix(b, t, "/p/shop/t/")
		threatPath = evalJS[string](b, t, `location.pathname`)
		if got := evalJS[string](b, t, `document.getElementById("threat-status").textContent`); got != "open" {
			t.Fatalf("the threat starts %q, want open", got)
		}
		pick(b, t, "#triage-status", "mitigated")
		run(b, t, chromedp.SendKeys(chromedp.ID("triage-owner"), "Dana (identity team)"),
			chromedp.SendKeys(chromedp.ID("triage-comment"), "Fixed by requiring WebAuthn."),
			chromedp.Click(chromedp.ID("triage-submit")))
		waitPath(b, t, threatPath+"?saved=triage")
		run(b, t, chromedp.Reload())
		waitLoaded(b, t)
		if got := evalJS[string](b, t, `document.getElementById("threat-status").textContent`); got != "mitigated" {
			t.Errorf("after reload the threat is %q, want mitigated", got)
		}
		if got := evalJS[string](b, t, `document.getElementById("comments").textContent`); !strings.Contains(got, "Fixed by requiring WebAuthn.") {
			t.Errorf("the comment is not in the discussion: %q", got)
		}
		t.Run("screenshot", func(t *testing.T) {
			run(b, t, chromedp.Navigate(base+"/p/shop/v/1?sort=severity&dir=desc#threats"))
			waitPath(b, t, "/p/shop/v/1?sort=severity&dir=desc")
			shot, err := chromedp.Run(b, chromedp.Screenshot(chromedp.ID("threats")))
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(shot))
			if err != nil {
				t.Fatalf("the screenshot is not a PNG: %v", err)
			}
			if bd := img.Bounds(); bd.Dx() < 1000 || bd.Dy() < 400 {
				t.Errorf("the screenshot is %v, want the whole table", bd)
			}
			out := filepath.Join(t.TempDir(), "server-screenshot.png")
			if *update {
				out = screenshotPath
			}
			if err := os.WriteFile(out, shot, 0o644); err != nil {
				t.Fatal(err)
			}
		})

		signOut(t)
		if msgs := console(); len(msgs) > 0 {
			t.Errorf("the pages reported problems:\n%s", strings.Join(msgs, "\n"))
		}
	})

	t.Run("viewer", func(t *testing.T) {
		if threatPath == "" {
			t.Skip("the editor's steps failed")
		}
		signIn(t, "viewer@example.com")
		run(b, t, chromedp.Navigate(base+threatPath))
		waitPath(b, t, threatPath)
		if got := evalJS[string](b, t, `document.getElementById("threat-status").textContent`); got != "mitigated" {
			t.Errorf("the viewer sees the threat %q, want mitigated", got)
		}
		if evalJS[bool](b, t, `document.querySelector("#triage-form, #comment-form, #triage-submit") !== null`) {
			t.Error("the viewer is shown triage controls")
		}
		if msgs := console(); len(msgs) > 0 {
			t.Errorf("the pages reported problems:\n%s", strings.Join(msgs, "\n"))
		}
		// A viewer posting the form by hand, with a valid CSRF token, is
		// still refused.
		status := evalJS[int](b, t, `fetch(location.pathname + "/triage", {method: "POST",
			body: new URLSearchParams({csrf: document.querySelector("input[name=csrf]").value, status: "open"})}).then(r => r.status)`,
			chromedp.EvalAwaitPromise)
		if status != 403 {
			t.Errorf("the viewer's triage POST = %d, want 403", status)
		}
		// The refused request is logged as a failed load, and nothing else.
		for _, msg := range console() {
			if !strings.Contains(msg, "status of 403") {
				t.Errorf("the page reported a problem: %s", msg)
			}
		}
		run(b, t, chromedp.Reload())
		waitLoaded(b, t)
		if got := evalJS[string](b, t, `document.getElementById("threat-status").textContent`); got != "mitigated" {
			t.Errorf("after the viewer's POST the threat is %q, want mitigated", got)
		}

		// Without JavaScript the server filters and sorts the table.
		t.Run("without JavaScript", func(t *testing.T) {
			tab, closeTab := chromedp.NewContext(b)
			defer closeTab()
			run(tab, t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
				return err
			}), chromedp.Navigate(base+"/p/shop/v/1?severity=medium"))
			waitPath(tab, t, "/p/shop/v/1?severity=medium")
			rows := shownRows(tab, t)
			if len(rows) == 0 || slices.ContainsFunc(rows, func(r tableRow) bool { return r.Severity != "medium" }) {
				t.Errorf("severity=medium shows %+v", rows)
			}
			if !evalJS[bool](tab, t, `document.getElementById("filter-apply").getClientRects().length > 0`) {
				t.Error("no Apply button without JavaScript")
			}
			run(tab, t, chromedp.Click(chromedp.Search(`//th[@data-key="component"]/a`)))
			waitPath(tab, t, "/p/shop/v/1?dir=asc&severity=medium&sort=component")
			var names []string
			for _, r := range shownRows(tab, t) {
				names = append(names, strings.ToLower(r.Component))
			}
			if len(names) != len(rows) || !slices.IsSorted(names) {
				t.Errorf("sorted by component: %q", names)
			}
		})
		signOut(t)
	})
}

// secureEnv is newEnv with cookies as production sets them: Secure.
func secureEnv(t *testing.T) *env {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ward.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Store: st, Passwords: fastPasswords, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); st.Close() })
	return &env{t: t, store: st, srv: srv, http: hs}
}

func run(ctx context.Context, t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Run(ctx, t, steps...)
}

func evalJS[T any](ctx context.Context, t *testing.T, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	return browsertest.Eval[T](ctx, t, js, opts...)
}

// waitFor polls a condition for up to 5 s; evaluation errors, as while a
// page is replaced by the next, count as not yet.
func waitFor(ctx context.Context, t *testing.T, what, js string) {
	t.Helper()
	for range 250 {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
		run(ctx, t, chromedp.Sleep(20*time.Millisecond))
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText : ""`))
	t.Fatalf("waited 5 s for %s; the browser is at %s, showing:\n%.600s", what, loc, text)
}

func waitLoaded(ctx context.Context, t *testing.T) {
	t.Helper()
	waitFor(ctx, t, "the page to load", `document.readyState === "complete"`)
}

// waitPath waits for the browser to show a loaded page at path (with its
// query).
func waitPath(ctx context.Context, t *testing.T, path string) {
	t.Helper()
	waitFor(ctx, t, "the page "+path, fmt.Sprintf(`location.pathname + location.search === %q && document.readyState === "complete"`, path))
}

func waitPrefix(ctx context.Context, t *testing.T, prefix string) {
	t.Helper()
	waitFor(ctx, t, "a page under "+prefix, fmt.Sprintf(`location.pathname.startsWith(%q) && document.readyState === "complete"`, prefix))
}

// pick chooses a select box's option as a user does, firing its change
// event.
func pick(ctx context.Context, t *testing.T, selector, value string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q;
		s.dispatchEvent(new Event("change", {bubbles: true})); return s.value; })()`, selector, value)
	if got := evalJS[string](ctx, t, js); got != value {
		t.Fatalf("%s has no option %q", selector, value)
	}
}

type tableRow struct {
	Severity  string `json:"severity"`
	Component string `json:"component"`
}

// shownRows lists the threat table's rows the browser lays out.
func shownRows(ctx context.Context, t *testing.T) []tableRow {
	t.Helper()
	return evalJS[[]tableRow](ctx, t, `Array.from(document.querySelectorAll("#threat-table tbody tr"))
		.filter(r => r.getClientRects().length > 0)
		.map(r => ({severity: r.dataset.severity, component: r.cells[2].firstChild.textContent}))`)
}

func waitShown(ctx context.Context, t *testing.T, want int) []tableRow {
	t.Helper()
	var rows []tableRow
	for range 50 {
		if rows = shownRows(ctx, t); len(rows) == want {
			return rows
		}
		run(ctx, t, chromedp.Sleep(20*time.Millisecond))
	}
	t.Fatalf("%d rows shown, want %d", len(rows), want)
	return nil
}

// TestUISettingsInBrowser has a project administrator open the project's
// settings from its page and make an API token: the secret is on the
// answer's page once, works as a bearer token, and is gone on the next
// visit. The compliance view and the site administration page load without
// a blocked resource or script error either.
func TestUISettingsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	e := secureEnv(t)
	ctx := context.Background()
	site := e.user("site@example.com", true)
	admin := e.user("admin@example.com", false)
	shop, err := e.store.CreateProject(ctx, "test", store.Project{Slug: "shop", Name: "Acme shop"}, admin.id)
	if err != nil {
		t.Fatal(err)
	}
	site.decode("POST", "/api/projects/shop/versions?name=acme.ward.yaml", example(t), 201, nil)
	b := browsertest.Start(t, 1360, 1000, 60*time.Second)
	console := browsertest.WatchConsole(b, t)
	base := e.http.URL

	run(b, t, chromedp.Navigate(base+"/p/shop"))
	waitPath(b, t, "/login?next=%2Fp%2Fshop")
	run(b, t, chromedp.SendKeys(chromedp.ID("email"), "admin@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
		chromedp.Click(chromedp.ID("sign-in")))
	waitPath(b, t, "/p/shop")
	run(b, t, chromedp.Click(chromedp.ID("settings-link")))
	waitPath(b, t, "/p/shop/settings")
	run(b, t, chromedp.SendKeys(chromedp.ID("token-name"), "ci"),
		chromedp.SendKeys(chromedp.ID("token-days"), "30"))
	pick(b, t, "#token-role", "editor")
	run(b, t, chromedp.Click(chromedp.ID("token-submit")))
	waitFor(b, t, "the new token's secret", `document.getElementById("secret-value") !== null`)
	secret := evalJS[string](b, t, `document.getElementById("secret-value").textContent`)
	if got := evalJS[string](b, t, `location.pathname + location.search`); got != "/p/shop/settings/tokens" {
		t.Errorf("the secret's page is at %q, want the form's address with nothing in its query", got)
	}
	tok, err := e.store.TokenByHash(ctx, auth.HashToken(secret))
	if err != nil || tok.ProjectID != shop.ID || tok.Role != store.Editor {
		t.Fatalf("the shown secret %q finds token %+v, %v", secret, tok, err)
	}
	(&client{e: e, bearer: secret}).decode("GET", "/api/projects/shop/versions", nil, 200, nil)

	run(b, t, chromedp.Navigate(base+"/p/shop/settings"))
	waitPath(b, t, "/p/shop/settings")
	if html := evalJS[string](b, t, `document.documentElement.outerHTML`); strings.Contains(html, secret) ||
		!evalJS[bool](b, t, `document.querySelector("table.tokens tbody td").textContent === "ci"`) {
		t.Error("the settings page shows the secret again, or not the token")
	}
	run(b, t, chromedp.Navigate(base+"/p/shop/v/1/compliance"))
	waitPath(b, t, "/p/shop/v/1/compliance")
	if n := evalJS[int](b, t, `document.querySelectorAll("section.framework").length`); n == 0 {
		t.Error("the compliance view shows no framework")
	}
	run(b, t, chromedp.Click(chromedp.ID("sign-out")))
	waitPath(b, t, "/login")

	run(b, t, chromedp.Navigate(base+"/"))
	waitPath(b, t, "/login?next=%2F")
	run(b, t, chromedp.SendKeys(chromedp.ID("email"), "site@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
		chromedp.Click(chromedp.ID("sign-in")))
	waitPath(b, t, "/")
	run(b, t, chromedp.Click(chromedp.ID("site-admin-link")))
	waitPath(b, t, "/admin")
	if msgs := console(); len(msgs) > 0 {
		t.Errorf("the pages reported problems:\n%s", strings.Join(msgs, "\n"))
	}
}
