package server

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wardsec/ward/internal/pgtest"
	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fastPasswords keep tests quick; production uses auth.DefaultParams.
var fastPasswords = auth.Params{Time: 1, Memory: 1024, Threads: 1}

var today = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// env is a running server with a store behind it.
type env struct {
	t     testing.TB
	store *store.Store
	srv   *Server
	http  *httptest.Server
}

// dialects lists the databases every server test runs against.
func dialects(t testing.TB) map[string]string {
	return map[string]string{"sqlite": filepath.Join(t.TempDir(), "ward.db"), "postgres": pgtest.DSN(t)}
}

func eachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	for name, dsn := range dialects(t) {
		t.Run(name, func(t *testing.T) { fn(t, newEnv(t, dsn)) })
	}
}

func newEnv(t testing.TB, dsn string) *env {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return today })
	srv, err := New(Config{Store: st, Passwords: fastPasswords, Now: func() time.Time { return today }, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); st.Close() })
	return &env{t: t, store: st, srv: srv, http: hs}
}

// user creates an account and signs it in, returning a client that sends
// its session cookie and CSRF token.
func (e *env) user(email string, siteAdmin bool) *client {
	e.t.Helper()
	hash, _ := auth.HashPassword("correct horse battery", fastPasswords)
	u, err := e.store.CreateUser(context.Background(), "test", store.User{Email: email, Name: email, PasswordHash: hash, SiteAdmin: siteAdmin})
	if err != nil {
		e.t.Fatal(err)
	}
	secret, h, _ := auth.NewToken("")
	if err := e.store.CreateSession(context.Background(), store.Session{TokenHash: h, UserID: u.ID, CSRF: "csrf-" + email, ExpiresAt: today.Add(time.Hour * 24 * 365 * 10)}); err != nil {
		e.t.Fatal(err)
	}
	return &client{e: e, cookie: secret, csrf: "csrf-" + email, id: u.ID}
}

// token makes an API token for a project.
func (e *env) token(p store.Project, role store.Role) *client {
	secret, h, _ := auth.NewToken(auth.TokenPrefix)
	if _, err := e.store.CreateToken(context.Background(), "test", store.Token{Hash: h, Name: string(role), ProjectID: p.ID, Role: role}); err != nil {
		e.t.Fatal(err)
	}
	return &client{e: e, bearer: secret}
}

// client calls the server as one caller.
type client struct {
	e      *env
	cookie string
	csrf   string
	bearer string
	id     int64
}

func (c *client) do(method, path string, body any) (*http.Response, []byte) {
	c.e.t.Helper()
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
		ctype = "application/octet-stream"
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
		ctype = "application/json"
	}
	req, err := http.NewRequest(method, c.e.http.URL+path, r)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c != nil && c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c != nil && c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

// decode calls and decodes a JSON answer, failing unless the status is want.
func (c *client) decode(method, path string, body any, want int, out any) {
	c.e.t.Helper()
	resp, b := c.do(method, path, body)
	if resp.StatusCode != want {
		c.e.t.Fatalf("%s %s = %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.e.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

// tarGz packs a directory as an upload.
func tarGz(t testing.TB, dir string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		tw.WriteHeader(&tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func example(t testing.TB) []byte {
	data, err := os.ReadFile("../examples/ecommerce/acme.ward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}
