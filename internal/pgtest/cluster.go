package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	readyTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
	// portTries bounds retries when another process takes the free port
	// between our probe and the server binding it.
	portTries = 5
)

var errPortTaken = errors.New("port already in use")

// cluster is one running server and the temporary folder holding its data,
// socket and log.
type cluster struct {
	dir     string // temporary folder: data/, server.log, the unix socket
	version string // version, from the bin folder's parent
	major   int
	port    int
	server  *exec.Cmd
	exited  chan struct{} // closed once the server process has been reaped
	initdb  time.Duration // time spent in initdb, for the start-up log line
	started time.Duration // time from the start of initdb until ready
}

// startCluster creates and starts a private cluster. On error nothing is
// left running or on disk.
func startCluster() (*cluster, error) {
	begin := time.Now()
	binDir, err := findBinDir(debianBinaries)
	if err != nil {
		return nil, err
	}
	own, err := clusterOwner()
	if err != nil {
		return nil, err
	}
	parent, err := tempParent(own)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(parent, "ward-pgtest-")
	if err != nil {
		return nil, fmt.Errorf("create cluster folder: %w", err)
	}
	c := &cluster{dir: dir, version: filepath.Base(filepath.Dir(binDir)), major: versionOf(binDir)[0]}
	if err := c.create(binDir, own); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	c.initdb = time.Since(begin)
	for try := 1; ; try++ {
		err = c.run(binDir, own)
		if !errors.Is(err, errPortTaken) || try == portTries {
			break
		}
	}
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	c.started = time.Since(begin)
	return c, nil
}

// tempParent picks the folder for the cluster's files: the usual temporary
// folder, or /tmp when the server's user cannot reach that one.
func tempParent(own owner) (string, error) {
	for _, parent := range []string{os.TempDir(), "/tmp"} {
		if own.canReach(parent) {
			return parent, nil
		}
	}
	return "", fmt.Errorf("the %s user cannot reach %s or /tmp; set TMPDIR to a folder every user may enter", serverUser, os.TempDir())
}

// create runs initdb with settings that favour speed over durability: the
// data dies with the test binary.
func (c *cluster) create(binDir string, own owner) error {
	if err := own.give(c.dir); err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(binDir, "initdb"), //nolint:gosec // the installed server's own program, arguments ours
		"--pgdata", filepath.Join(c.dir, "data"),
		"--username", Superuser,
		"--auth", "trust",
		"--encoding", "UTF8",
		"--locale", "C",
		"--no-sync",
	)
	c.prepare(cmd, own)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out.Bytes())
	}
	return nil
}

// run starts the server on a free loopback port and waits until it accepts
// connections. It returns errPortTaken when another process won the port.
func (c *cluster) run(binDir string, own owner) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(c.dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("create server log: %w", err)
	}
	defer logFile.Close() //nolint:errcheck // the server writes through its own copy of the descriptor

	cmd := exec.Command(filepath.Join(binDir, "postgres"), //nolint:gosec // as for initdb
		"-D", filepath.Join(c.dir, "data"),
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+c.dir,
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "timezone=UTC",
	)
	c.prepare(cmd, own)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.port, c.server, c.exited = port, cmd, make(chan struct{})
	go func() {
		// The exit status says nothing the log does not.
		_ = cmd.Wait()
		close(c.exited)
	}()

	if err := c.waitReady(); err != nil {
		log, _ := os.ReadFile(logPath) // best effort: the error is what matters
		if bytes.Contains(log, []byte("already in use")) {
			return errPortTaken
		}
		return fmt.Errorf("%w\nserver log:\n%s", err, log)
	}
	return nil
}

// prepare runs cmd as the cluster's owner in the cluster folder, with a
// plain environment so the caller's locale or PG* variables cannot leak in.
func (c *cluster) prepare(cmd *exec.Cmd, own owner) {
	cmd.Dir = c.dir
	cmd.Env = []string{"LC_ALL=C", "PATH=" + os.Getenv("PATH")}
	cmd.SysProcAttr = own.attrs()
}

// waitReady polls through the unix socket in our own folder, so a success
// cannot come from another server on the same port. The server opens its
// TCP socket before the unix one, so TCP is ready too.
func (c *cluster) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := c.connectAdmin(ctx)
		cancel()
		if err == nil {
			return conn.Close(context.Background())
		}
		select {
		case <-c.exited:
			return fmt.Errorf("postgres exited before accepting connections")
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.kill()
			return fmt.Errorf("postgres not ready after %s: %w", readyTimeout, err)
		}
	}
}

// connectAdmin connects to the maintenance database over the unix socket.
func (c *cluster) connectAdmin(ctx context.Context) (*pgx.Conn, error) {
	u := url.URL{
		Scheme: "postgres",
		User:   url.User(Superuser),
		Path:   "/postgres",
		RawQuery: url.Values{
			"host":    {c.dir},
			"port":    {strconv.Itoa(c.port)},
			"sslmode": {"disable"},
		}.Encode(),
	}
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("connect to test cluster: %w", err)
	}
	return conn, nil
}

// url is what tests get: TCP on loopback, as a real deployment connects.
func (c *cluster) url(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(Superuser),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// stop shuts the server down at once and removes its files: the data is
// thrown away, so a clean checkpoint would only cost time.
func (c *cluster) stop() error {
	if err := c.server.Process.Signal(syscall.SIGQUIT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop postgres: %w", err)
	}
	select {
	case <-c.exited:
	case <-time.After(stopTimeout):
		c.kill()
	}
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("remove test cluster: %w", err)
	}
	return nil
}

// kill ends a server that will not stop or start, and waits for it.
func (c *cluster) kill() {
	// Kill fails only when the process is already gone, which is the goal.
	_ = c.server.Process.Kill()
	<-c.exited
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	return port, nil
}
