package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/wardsec/ward/report"
)

//go:embed templates/*.html.tmpl
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// chrome is what every page's frame shows: who is signed in, the way back
// up, and the session's CSRF token for the sign-out form.
type chrome struct {
	Title  string
	User   string
	CSRF   string
	Crumbs []crumb
	// Wide lets a page use the whole window (tables, diagrams).
	Wide bool
	// SiteAdmin shows the way to the site's administration.
	SiteAdmin bool
}

type crumb struct{ Text, URL string }

func (s *Server) chromeFor(c *caller, title string, crumbs ...crumb) chrome {
	ch := chrome{Title: title, Crumbs: crumbs}
	if c != nil {
		ch.User = c.name()
		ch.SiteAdmin = c.siteAdmin()
		if c.user != nil {
			ch.User = c.user.Email
		}
		if c.session != nil {
			ch.CSRF = c.session.CSRF
		}
	}
	return ch
}

// pageChrome frames a project page, with the project in the crumbs.
func (s *Server) pageChrome(pc *pageCtx, title string, crumbs ...crumb) chrome {
	all := append([]crumb{{Text: pc.project.Name, URL: projectURL(pc.project.Slug)}}, crumbs...)
	return s.chromeFor(pc.caller, title, all...)
}

func projectURL(slug string) string { return "/p/" + url.PathEscape(slug) }

func versionURL(slug string, seq int) string {
	return fmt.Sprintf("%s/v/%d", projectURL(slug), seq)
}

func threatURL(slug, id string, seq int) string {
	u := projectURL(slug) + "/t/" + url.PathEscape(id)
	if seq > 0 {
		u += fmt.Sprintf("?version=%d", seq)
	}
	return u
}

var templateFuncs = template.FuncMap{
	"static": staticURL,
	"date":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"day":    func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
	"join":   strings.Join,
	// who names an actor as people know it: "user:a@b" is just "a@b".
	"who": func(actor string) string { return strings.TrimPrefix(actor, "user:") },
	"isURL": func(s string) bool {
		return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
	},
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	},
}

// pages are the parsed templates by file name, each with the layout.
var pages = sync.OnceValue(func() map[string]*template.Template {
	names, err := fs.Glob(templateFS, "templates/*.html.tmpl")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html.tmpl" {
			continue
		}
		out[strings.TrimSuffix(base, ".html.tmpl")] = template.Must(template.New(base).Funcs(templateFuncs).
			ParseFS(templateFS, "templates/layout.html.tmpl", n))
	}
	return out
})

// render writes a page; it is rendered whole first, so a template error
// is a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, code int, page string, data any) {
	t := pages()[page]
	if t == nil {
		panic("no page template " + page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("render page", "page", page, "error", err)
		code = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString("<!DOCTYPE html><title>Error</title><p>The page could not be drawn; the error is in the server's log.</p>")
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if _, err := w.Write(buf.Bytes()); err != nil {
		s.log.Debug("write page", "page", page, "error", err) // the reader has gone
	}
}

type errorView struct {
	chrome
	Code    int
	Status  string
	Message string
	SignIn  string // where the sign-in link returns to, for 401s
}

// errorPage answers with a page saying what went wrong.
func (s *Server) errorPage(w http.ResponseWriter, c *caller, code int, msg string) {
	v := errorView{chrome: s.chromeFor(c, http.StatusText(code)), Code: code, Status: http.StatusText(code), Message: msg}
	s.render(w, code, "error", v)
}

// asset is an embedded static file, served under a name carrying a hash
// of its content so it can be cached for good.
type asset struct {
	data  []byte
	ctype string
	etag  string
}

var assets = sync.OnceValues(func() (byHashed map[string]asset, urls map[string]string) {
	byHashed, urls = map[string]asset{}, map[string]string{}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	types := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
	add := func(name string, data []byte) {
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		byHashed[hashed] = asset{data: data, ctype: types[ext], etag: `"` + hash + `"`}
		urls[name] = "/static/" + hashed
	}
	for _, e := range entries {
		data, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		add(e.Name(), data)
	}
	add("shared.css", []byte(report.SharedCSS))
	add("table.js", []byte(report.TableScript))
	return byHashed, urls
})

// staticURL is a static file's address, e.g. "/static/ui.3f2a9c1b0d4e.css".
func staticURL(name string) (string, error) {
	_, urls := assets()
	u, ok := urls[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

func serveStatic(w http.ResponseWriter, r *http.Request) {
	byHashed, _ := assets()
	a, ok := byHashed[r.PathValue("file")]
	if !ok {
		http.Error(w, "no such file", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(a.data) // a failed write is a reader gone, with nothing to tell
}
