package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wardsec/ward/internal/pgtest"
)

// TestMain lets the test binary stand in for the ward binary: with
// WARD_TEST_RUN set it runs ward with those (JSON-encoded) arguments, so a
// test can start a real server process and kill it.
func TestMain(m *testing.M) {
	if raw := os.Getenv("WARD_TEST_RUN"); raw != "" {
		var args []string
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			panic(err)
		}
		os.Exit(run(context.Background(), args, os.Stdout, os.Stderr))
	}
	pgtest.Main(m)
}

// serverProc is a `ward serve` process.
type serverProc struct {
	cmd  *exec.Cmd
	base string
	done chan struct{}
}

var servingRE = regexp.MustCompile(`serving on (http://\S+)`)

// startServer runs `ward serve` with args on a free loopback port and
// waits until it listens.
func startServer(t *testing.T, args ...string) *serverProc {
	t.Helper()
	all, _ := json.Marshal(append([]string{"serve", "--addr", "127.0.0.1:0", "--insecure-cookies"}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "WARD_TEST_RUN="+string(all))
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, done: make(chan struct{})}
	found := make(chan string, 1)
	var logs bytes.Buffer
	var mu sync.Mutex
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			logs.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		cmd.Wait()
		close(p.done)
	}()
	select {
	case p.base = <-found:
	case <-p.done:
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("ward serve exited:\n%s", logs.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("ward serve did not start within 60 s")
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
	})
	return p
}

// kill stops the server the hard way, as a crash or an OOM kill would.
func (p *serverProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// apiClient signs in and calls the API as one user.
type apiClient struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
	tok  string
}

func signIn(t *testing.T, base, email, password string) *apiClient {
	jar, _ := cookiejar.New(nil)
	c := &apiClient{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
	var got struct {
		CSRF string `json:"csrf_token"`
	}
	if code := c.call("POST", "/api/session", map[string]string{"email": email, "password": password}, &got); code != 200 {
		t.Fatalf("sign in = %d", code)
	}
	c.csrf = got.CSRF
	return c
}

func (c *apiClient) call(method, path string, body, out any) int {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("X-CSRF-Token", c.csrf)
	if c.tok != "" {
		req.Header.Set("Authorization", "Bearer "+c.tok)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0 // the server died mid-request: not acknowledged
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Errorf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func wardIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runWithInput(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const testPassword = "correct horse battery"

func TestServeAdminPush(t *testing.T) {
	data := t.TempDir()
	if code, _, stderr := wardIn(t, testPassword+"\n", "admin", "create-user", "ana@example.com", "--site-admin", "--password-stdin", "--data", data); code != 0 {
		t.Fatalf("create-user = %d: %s", code, stderr)
	}
	if code, _, stderr := wardIn(t, "short\n", "admin", "create-user", "bo@example.com", "--password-stdin", "--data", data); code != exitInvalid || !strings.Contains(stderr, "at least 12") {
		t.Errorf("short password = %d: %s", code, stderr)
	}
	if code, _, stderr := wardIn(t, testPassword+"\n", "admin", "create-user", "ana@example.com", "--password-stdin", "--data", data); code != exitInvalid || !strings.Contains(stderr, "already exists") {
		t.Errorf("duplicate account = %d: %s", code, stderr)
	}
	if code, _, stderr := wardIn(t, "", "admin", "create-project", "shop", "--owner", "ana@example.com", "--data", data); code != 0 {
		t.Fatalf("create-project = %d: %s", code, stderr)
	}
	if code, _, stderr := wardIn(t, "", "admin", "create-project", "Bad Slug", "--data", data); code != exitInvalid || !strings.Contains(stderr, "lowercase letters") {
		t.Errorf("create-project with a bad slug = %d: %s", code, stderr)
	}
	srv := startServer(t, "--data", data)
	signIn(t, srv.base, "Ana@Example.com", testPassword) // emails match whatever their case
	ana := signIn(t, srv.base, "ana@example.com", testPassword)
	var tok struct {
		Secret string `json:"secret"`
	}
	if code := ana.call("POST", "/api/projects/shop/tokens", map[string]string{"name": "ci", "role": "editor"}, &tok); code != 201 {
		t.Fatalf("token = %d", code)
	}
	t.Setenv("WARD_TOKEN", tok.Secret)
	code, stdout, stderr := ward(t, "push", "../../examples/chained/payments", "--server", srv.base, "--project", "shop", "--label", "abc123")
	if code != 0 || !strings.Contains(stdout, "version 1 of shop") {
		t.Fatalf("push = %d: %s %s", code, stdout, stderr)
	}
	code, stdout, _ = ward(t, "push", "../../examples/ecommerce", "--server", srv.base, "--project", "shop", "--fail-on", "high", "--format", "json")
	if code != exitGate || !strings.Contains(stdout, `"number": 2`) {
		t.Errorf("push --fail-on high = %d: %s", code, stdout)
	}
	code, stdout, stderr = ward(t, "push", "../../importer/terraform/testdata/aws-app", "--from", "terraform", "--server", srv.base, "--project", "shop", "--label", "infra")
	if code != 0 || !strings.Contains(stdout, "version 3 of shop") {
		t.Errorf("push --from terraform = %d: %s %s", code, stdout, stderr)
	}
	if code, _, stderr := ward(t, "push", "../../examples/ecommerce", "--overlay", "x.yaml", "--server", srv.base, "--project", "shop"); code != exitInvalid || !strings.Contains(stderr, "need --from") {
		t.Errorf("push --overlay without --from = %d: %s", code, stderr)
	}
	if code, _, stderr := ward(t, "push", "testdata/invalid.ward.yaml", "--server", srv.base, "--project", "shop"); code != exitInvalid || !strings.Contains(stderr, "invalid.ward.yaml:4:11") {
		t.Errorf("push of an invalid model = %d: %s", code, stderr)
	}
	if code, _, stderr := ward(t, "push", "../../examples/ecommerce", "--server", srv.base, "--project", "other"); code != exitInvalid || !strings.Contains(stderr, "404") {
		t.Errorf("push to another project = %d: %s", code, stderr)
	}
	t.Setenv("WARD_TOKEN", "ward_forged")
	if code, _, stderr := ward(t, "push", "../../examples/ecommerce", "--server", srv.base, "--project", "shop"); code != exitInvalid || !strings.Contains(stderr, "401") {
		t.Errorf("push with a bad token = %d: %s", code, stderr)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	if code, _, stderr := ward(t, "admin", "backup", backup, "--data", data); code != 0 {
		t.Fatalf("backup = %d: %s", code, stderr)
	}
	code, stdout, stderr = ward(t, "admin", "audit", "verify", "--database", backup)
	if code != 0 || !regexp.MustCompile(`^ok: \d+ entries, last hash [0-9a-f]{64}\n$`).MatchString(stdout) {
		t.Errorf("audit verify of the backup = %d: %q %s", code, stdout, stderr)
	}
}

// TestCrashKeepsAcknowledgedWrites kills the server with SIGKILL in the
// middle of a burst of uploads, triage decisions and comments, starts it
// again on the same data, and checks that every write the server
// acknowledged is there and the audit chain is whole.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	for name, db := range map[string][]string{
		"sqlite":   {"--data", t.TempDir()},
		"postgres": {"--database", pgtest.DSN(t)},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, stderr := wardIn(t, testPassword+"\n", append([]string{"admin", "create-user", "ana@example.com", "--site-admin", "--password-stdin"}, db...)...); code != 0 {
				t.Fatalf("create-user: %s", stderr)
			}
			wardIn(t, "", append([]string{"admin", "create-project", "shop", "--owner", "ana@example.com"}, db...)...)
			srv := startServer(t, db...)
			ana := signIn(t, srv.base, "ana@example.com", testPassword)
			model, _ := os.ReadFile("../../examples/ecommerce/acme.ward.yaml")
			if code := ana.call("POST", "/api/projects/shop/versions", model, nil); code != 201 {
				t.Fatalf("first upload = %d", code)
			}
			var threats []struct {
				ID string `json:"id"`
			}
			ana.call("GET", "/api/projects/shop/versions/1/threats", nil, &threats)

			var mu sync.Mutex
			versions := map[int]bool{1: true}
			comments := map[string]bool{}
			// Per threat (one writer each): statuses sent, in order, and the
			// index of the last acknowledged one.
			sent := map[string][]string{}
			acked := map[string]int{}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						th := threats[(w*7+i)%len(threats)].ID
						switch i % 3 {
						case 0:
							var v struct {
								Number int `json:"number"`
							}
							if ana.call("POST", "/api/projects/shop/versions", model, &v) == 201 {
								mu.Lock()
								versions[v.Number] = true
								mu.Unlock()
							}
						case 1:
							body := fmt.Sprintf("w%d-%d", w, i)
							if ana.call("POST", "/api/projects/shop/threats/"+th+"/comments", map[string]string{"body": body}, nil) == 201 {
								mu.Lock()
								comments[th+"|"+body] = true
								mu.Unlock()
							}
						case 2:
							// One writer per threat, so the last acknowledged
							// status is well defined.
							th = threats[w%len(threats)].ID
							st := []string{"mitigated", "open", "mitigation-planned"}[(i/3)%3]
							mu.Lock()
							sent[th] = append(sent[th], st)
							n := len(sent[th]) - 1
							mu.Unlock()
							if ana.call("PUT", "/api/projects/shop/threats/"+th+"/triage", map[string]string{"status": st}, nil) == 200 {
								mu.Lock()
								acked[th] = n
								mu.Unlock()
							}
						}
					}
				}()
			}
			time.Sleep(1500 * time.Millisecond)
			srv.kill()
			close(stop)
			wg.Wait()
			t.Logf("acknowledged before the kill: %d versions, %d comments, %d triaged threats", len(versions), len(comments), len(acked))
			if len(versions) < 2 || len(comments) == 0 {
				t.Fatalf("the burst wrote too little to test (%d versions, %d comments)", len(versions), len(comments))
			}

			srv = startServer(t, db...)
			ana = signIn(t, srv.base, "ana@example.com", testPassword)
			var vs []struct {
				Number int `json:"number"`
			}
			ana.call("GET", "/api/projects/shop/versions", nil, &vs)
			have := map[int]bool{}
			for _, v := range vs {
				have[v.Number] = true
			}
			for n := range versions {
				if !have[n] {
					t.Errorf("acknowledged version %d is gone", n)
				}
			}
			for _, th := range threats {
				var tv struct {
					Status   string `json:"status"`
					Comments []struct {
						Body string `json:"body"`
					} `json:"comments"`
				}
				ana.call("GET", "/api/projects/shop/threats/"+th.ID, nil, &tv)
				got := map[string]bool{}
				for _, c := range tv.Comments {
					got[c.Body] = true
				}
				for key := range comments {
					id, body, _ := strings.Cut(key, "|")
					if id == th.ID && !got[body] {
						t.Errorf("acknowledged comment %q on %s is gone", body, id)
					}
				}
				// The write in flight at the kill may or may not have landed:
				// the status is the last acknowledged one or one sent after it.
				if n, ok := acked[th.ID]; ok && !slices.Contains(sent[th.ID][n:], tv.Status) {
					t.Errorf("%s: status %q, but the last acknowledged was %q and only %v were sent after", th.ID, tv.Status, sent[th.ID][n], sent[th.ID][n+1:])
				}
			}
			srv.kill()
			if code, stdout, stderr := ward(t, append([]string{"admin", "audit", "verify"}, db...)...); code != 0 {
				t.Errorf("audit chain after the crash = %d: %s %s", code, stdout, stderr)
			}
		})
	}
}

func TestServeUsage(t *testing.T) {
	data := t.TempDir()
	if code, _, stderr := ward(t, "serve", "--data", data, "--log-format", "xml"); code != exitInvalid || !strings.Contains(stderr, "--log-format") {
		t.Errorf("bad log format = %d: %s", code, stderr)
	}
	t.Setenv("WARD_ADDR", "not-an-address")
	if code, _, stderr := ward(t, "serve", "--data", data); code != exitInvalid || !strings.Contains(stderr, "not-an-address") {
		t.Errorf("bad WARD_ADDR = %d: %s", code, stderr)
	}
	t.Setenv("WARD_INSECURE_COOKIES", "maybe")
	if code, _, stderr := ward(t, "serve", "--data", data); code != exitInvalid || !strings.Contains(stderr, "WARD_INSECURE_COOKIES") {
		t.Errorf("bad WARD_INSECURE_COOKIES = %d: %s", code, stderr)
	}
	if code, _, stderr := ward(t, "serve", "--data", data, "--insecure-cookies=false", "--public-url", "ward.example.com"); code != exitInvalid || !strings.Contains(stderr, "public URL") {
		t.Errorf("public URL without a scheme = %d: %s", code, stderr)
	}
	if code, _, stderr := ward(t, "push", "x", "--project", "p"); code != exitInvalid || !strings.Contains(stderr, "--server") {
		t.Errorf("push without a server = %d: %s", code, stderr)
	}
	if code, _, stderr := ward(t, "admin", "backup", data, "--data", data); code != exitInvalid || !strings.Contains(stderr, "never overwrite") {
		t.Errorf("backup over an existing path = %d: %s", code, stderr)
	}
}

func TestServeOIDCFlags(t *testing.T) {
	data := t.TempDir()
	code, _, stderr := ward(t, "serve", "--data", data, "--oidc-issuer", "http://idp.example.com", "--oidc-client-id", "ward")
	if code != exitInvalid || !strings.Contains(stderr, "OIDC") {
		t.Errorf("plain-HTTP issuer = %d: %s", code, stderr)
	}
	t.Setenv("WARD_OIDC_ISSUER", "https://idp.example.com")
	code, _, stderr = ward(t, "serve", "--data", data)
	if code != exitInvalid || !strings.Contains(stderr, "client") {
		t.Errorf("issuer without a client id = %d: %s", code, stderr)
	}
}
