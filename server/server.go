// Package server is Ward's team server: every project's threat models in
// one place, every version kept and analyzed, every threat triaged by people
// with the right to, behind a JSON API and a web UI served by one binary.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wardsec/ward/rules"
	"github.com/wardsec/ward/server/auth"
	"github.com/wardsec/ward/store"
)

// Config is what a server needs; zero fields take the defaults.
type Config struct {
	Store   *store.Store
	Library *rules.Library // nil means the built-in library
	Logger  *slog.Logger
	// InsecureCookies drops the Secure attribute from cookies, for plain
	// HTTP beyond the loopback address. Browsers accept Secure cookies on
	// http://localhost and 127.0.0.1 already.
	InsecureCookies bool
	SessionTTL      time.Duration // default 12 hours
	Limits          Limits        // default DefaultLimits
	Passwords       auth.Params   // default auth.DefaultParams
	Now             func() time.Time
	// PublicURL is the address people reach the server by, e.g.
	// https://ward.example.com, for absolute links in webhook payloads;
	// empty leaves them relative to the server.
	PublicURL string
	// OIDC, when set, offers sign-in through an OpenID Connect provider.
	OIDC *OIDCConfig
}

// ErrConfig marks a Config that cannot work, as opposed to a failure.
var ErrConfig = errors.New("bad server configuration")

// Server handles Ward's HTTP API and web UI.
type Server struct {
	cfg      Config
	store    *store.Store
	lib      *rules.Library
	log      *slog.Logger
	mux      *http.ServeMux
	signIn   *auth.Limiter
	analyses *analyses
	answers  *answers
	// slots bounds the analyses running at once.
	slots   chan struct{}
	metrics *metrics
	// dummyHash is checked when an unknown email signs in.
	dummyHash string
}

// New builds a server over cfg.Store.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	if cfg.OIDC != nil {
		if err := cfg.OIDC.Validate(); err != nil {
			return nil, fmt.Errorf("%w: OIDC: %w", ErrConfig, err)
		}
	}
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("%w: public URL %q: give the server's http(s) address, e.g. https://ward.example.com", ErrConfig, cfg.PublicURL)
		}
		cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	}
	if cfg.Library == nil {
		lib, err := rules.Builtin()
		if err != nil {
			return nil, err
		}
		cfg.Library = lib
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.Passwords == (auth.Params{}) {
		cfg.Passwords = auth.DefaultParams
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:     cfg,
		store:   cfg.Store,
		lib:     cfg.Library,
		log:     cfg.Logger,
		mux:     http.NewServeMux(),
		signIn:  auth.NewLimiter(10, 30*time.Second),
		metrics: newMetrics(),
	}
	var err error
	if s.dummyHash, err = auth.HashPassword("not a password", cfg.Passwords); err != nil {
		return nil, err
	}
	s.analyses = newAnalyses(32, s.reanalyze)
	s.answers = newAnswers(64 << 20)
	s.slots = make(chan struct{}, runtime.GOMAXPROCS(0))
	s.routes()
	return s, nil
}

// Handler is the server's whole HTTP surface.
func (s *Server) Handler() http.Handler { return s.observe(s.secure(s.mux)) }

// secure adds the headers every response carries and bounds request
// bodies; handlers that take uploads raise the bound themselves.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if !s.cfg.InsecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if r.ContentLength > s.cfg.Limits.MaxBody {
			s.bodyTooLarge(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxBody)
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and counts it by route pattern (never by raw
// path, which would let callers create unbounded metric series).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic", "path", r.URL.Path, "error", v)
				if sw.code == 0 {
					s.internalError(sw, r)
				}
			}
			if sw.code == 0 {
				sw.code = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
			s.metrics.latency.WithLabelValues(route).Observe(d.Seconds())
			s.log.Info("request", "method", r.Method, "route", route, "status", sw.code, "ms", d.Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	uploads  prometheus.Counter
	analysis prometheus.Histogram
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ward_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ward_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}}, []string{"route"}),
		uploads:  prometheus.NewCounter(prometheus.CounterOpts{Name: "ward_versions_uploaded_total", Help: "Model versions stored."}),
		analysis: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "ward_analysis_seconds", Help: "Time to load and analyze a model version."}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.uploads, m.analysis,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		writeError(w, http.StatusServiceUnavailable, "database: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": string(s.store.Dialect())})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	// Compact: indenting a large threat list costs a sixth of the request.
	_ = json.NewEncoder(w).Encode(v) // the status is sent: a failure here is a reader gone, with nothing to tell
}

// apiError is every API error's body.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	writeJSON(w, code, apiError{Error: strings.TrimSpace(msg)})
}
