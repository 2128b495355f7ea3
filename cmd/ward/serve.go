package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wardsec/ward/server"
	"github.com/wardsec/ward/store"
)

// dbFlags choose the server's database; serve and admin share them.
type dbFlags struct {
	data, database string
}

func (f *dbFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.data, "data", "ward-data", "keep the embedded SQLite database in `DIR` (created if missing)")
	fl.StringVar(&f.database, "database", "", "use this database instead: a postgres://… `URL` (several servers may share it) or a SQLite file")
}

// open opens the chosen database, applying schema migrations.
func (f *dbFlags) open(ctx context.Context) (*store.Store, error) {
	dsn := f.database
	if dsn == "" {
		if err := os.MkdirAll(f.data, 0o700); err != nil {
			return nil, err
		}
		dsn = filepath.Join(f.data, "ward.db")
	}
	return store.Open(ctx, dsn)
}

// envDefaults fills flags not given on the command line from WARD_*
// environment variables: --database from WARD_DATABASE, --oidc-issuer from
// WARD_OIDC_ISSUER. Flags win over the environment.
func envDefaults(fl *pflag.FlagSet) error {
	var err error
	fl.VisitAll(func(f *pflag.Flag) {
		env := "WARD_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok && !f.Changed && err == nil {
			if e := fl.Set(f.Name, v); e != nil {
				err = usagef("%s=%q: %v", env, v, e)
			}
		}
	})
	return err
}

type serveFlags struct {
	db              dbFlags
	addr            string
	insecureCookies bool
	logFormat       string
	demo            string
	publicURL       string
	oidc            server.OIDCConfig
}

func newServe() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Ward server: every team's models, versions, triage and audit in one place",
		Long: `Serve runs Ward's server: a JSON API under /api/ (described at
/openapi.json) and a web UI, both in this binary, with every asset embedded.

Data lives in an embedded SQLite database under --data, or in PostgreSQL
with --database postgres://…, where several servers may run behind one load
balancer. The schema is migrated at start.

Every flag can also be set in the environment as WARD_<FLAG>, e.g.
WARD_DATABASE or WARD_ADDR; a flag on the command line wins.

Also served: /healthz (database reachable), /metrics (Prometheus). Logs are
JSON lines on stderr.

Create the first account with 'ward admin create-user EMAIL --site-admin',
or start with --demo MODEL to get a demo account and project at once.`,
		Example: `  ward serve --data /var/lib/ward
  WARD_DATABASE=postgres://ward@db/ward ward serve --addr 0.0.0.0:8080
  ward serve --data /tmp/ward-demo --demo examples/ecommerce`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := envDefaults(cmd.Flags()); err != nil {
				return err
			}
			return serve(cmd, f)
		},
	}
	fl := cmd.Flags()
	f.db.register(fl)
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	fl.BoolVar(&f.insecureCookies, "insecure-cookies", false, "send cookies without Secure, for plain HTTP beyond localhost (not for production)")
	fl.StringVar(&f.publicURL, "public-url", "", "the `URL` people reach the server by, for absolute links in webhook payloads")
	fl.StringVar(&f.logFormat, "log-format", "json", "log lines as `FORMAT`: json or text")
	fl.StringVar(&f.oidc.Issuer, "oidc-issuer", "", "offer sign-in through the OpenID Connect provider at `URL` (turns OIDC on)")
	fl.StringVar(&f.oidc.ClientID, "oidc-client-id", "", "the `ID` Ward is registered under at the provider")
	fl.StringVar(&f.oidc.ClientSecret, "oidc-client-secret", "", "the client `SECRET`; prefer WARD_OIDC_CLIENT_SECRET, command lines are visible to other users")
	fl.StringVar(&f.oidc.RedirectURL, "oidc-redirect-url", "", "this server's callback `URL`, e.g. https://ward.example.com/login/oidc/callback")
	fl.StringSliceVar(&f.oidc.AllowedDomains, "oidc-allowed-domains", nil, "only accept emails at these `DOMAINS` (comma-separated)")
	fl.BoolVar(&f.oidc.CreateUsers, "oidc-create-users", false, "create an account (no roles) on an unknown email's first OIDC sign-in")
	fl.StringVar(&f.demo, "demo", "", "on an empty database, create a demo site admin (password printed once) and a project holding the model at `PATH`")
	return cmd
}

func serve(cmd *cobra.Command, f serveFlags) error {
	var handler slog.Handler
	switch f.logFormat {
	case "json":
		handler = slog.NewJSONHandler(cmd.ErrOrStderr(), nil)
	case "text":
		handler = slog.NewTextHandler(cmd.ErrOrStderr(), nil)
	default:
		return usagef("--log-format %q: use json or text", f.logFormat)
	}
	log := slog.New(handler)
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := f.db.open(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("closing the database", "error", err)
		}
	}()
	cfg := server.Config{Store: st, Logger: log, InsecureCookies: f.insecureCookies, PublicURL: f.publicURL}
	if f.oidc.Issuer != "" {
		cfg.OIDC = &f.oidc
	}
	srv, err := server.New(cfg) // checks the OIDC settings and the public URL
	if errors.Is(err, server.ErrConfig) {
		return usagef("%s", strings.TrimPrefix(err.Error(), server.ErrConfig.Error()+": "))
	}
	if err != nil {
		return err
	}
	if f.demo != "" {
		if err := seedDemo(ctx, cmd, srv, f.demo); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return usagef("--addr %s: %v", f.addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "database", string(st.Dialect()))
	fmt.Fprintf(cmd.ErrOrStderr(), "ward: serving on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	go srv.RunWebhooks(ctx)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func seedDemo(ctx context.Context, cmd *cobra.Command, srv *server.Server, path string) error {
	email, password, created, err := srv.SeedDemo(ctx, path)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(cmd.ErrOrStderr(), "ward: demo project \"demo\" created from %s\nward: sign in as %s with password %s (shown once)\n", path, email, password)
	} else {
		fmt.Fprintln(cmd.ErrOrStderr(), "ward: --demo ignored: the database already has accounts")
	}
	return nil
}
