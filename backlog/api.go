package backlog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Options say how a tracker's API is reached.
type Options struct {
	// BaseURL is the API's root, e.g. a self-hosted instance's; "" means
	// the public service's.
	BaseURL string
	// Client sends the requests; nil means one that follows redirects only
	// within the API's host, so the token never leaves it.
	Client *http.Client
}

// ErrRateLimited is wrapped by the error of a request the tracker refused
// for sending too much. Nothing more is sent after it.
var ErrRateLimited = errors.New("rate limited")

// maxAnswer caps how much of an answer is read: a page of 100 issues with
// long bodies is a few MB.
const maxAnswer = 32 << 20

// maxPages stops a listing that never ends (100 issues a page).
const maxPages = 1000

// APIError is an answer outside 2xx from a tracker's API.
type APIError struct {
	Service string // "GitHub" or "GitLab"
	Method  string
	Path    string // the request's path and query
	Status  int
	// Message is the API's own explanation, "" when it gave none.
	Message string
	// RateLimited is set when the API refused for sending too much;
	// RetryAfter is how long it asked to wait, 0 when it did not say.
	RateLimited bool
	RetryAfter  time.Duration
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s %s: %d %s", e.Service, e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RateLimited {
		s += "; rate limit reached, stopped sending"
		if e.RetryAfter > 0 {
			s += fmt.Sprintf(": try again in %s", e.RetryAfter.Round(time.Second))
		}
	}
	return s
}

// Unwrap makes a rate-limit refusal match ErrRateLimited.
func (e *APIError) Unwrap() error {
	if e.RateLimited {
		return ErrRateLimited
	}
	return nil
}

// client speaks JSON to one API with fixed headers.
type client struct {
	service string
	base    *url.URL
	http    *http.Client
	header  http.Header
}

func newClient(service, defaultBase string, opt Options, header http.Header) (*client, error) {
	raw := opt.BaseURL
	if raw == "" {
		raw = defaultBase
	}
	base, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("API URL %q: want an http or https address such as %s", raw, defaultBase)
	}
	c := &client{service: service, base: base, http: opt.Client, header: header}
	if c.http == nil {
		c.http = &http.Client{CheckRedirect: c.sameHost}
	}
	return c, nil
}

// sameHost refuses redirects away from the API's host, which would carry
// the token along.
func (c *client) sameHost(req *http.Request, via []*http.Request) error {
	if !c.owns(req.URL) {
		return fmt.Errorf("refusing to follow a redirect to %s, outside %s", req.URL.Host, c.base.Host)
	}
	if len(via) >= 10 {
		return errors.New("too many redirects")
	}
	return nil
}

// owns reports whether u is on the API's scheme and host.
func (c *client) owns(u *url.URL) bool {
	return u.Scheme == c.base.Scheme && u.Host == c.base.Host
}

// url is the address of an API path (already escaped) with a query.
func (c *client) url(path string, query url.Values) string {
	u := c.base.String() + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// do sends a request, with body as JSON when it is not nil, and decodes a
// 2xx answer into out when it is not nil. It returns the answer's headers.
func (c *client) do(ctx context.Context, method, target string, body, out any) (http.Header, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.service, method, err)
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%s %s %s: no answer in time: %w", c.service, method, req.URL.Path, err)
		}
		return nil, fmt.Errorf("%s %s: %w", c.service, method, err)
	}
	defer resp.Body.Close() //nolint:errcheck // read-only body; its close error says nothing useful
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("%s %s %s: read answer: %w", c.service, method, req.URL.Path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.apiError(req, resp, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("%s %s %s: unexpected answer: %w", c.service, method, req.URL.Path, err)
		}
	}
	return resp.Header, nil
}

func (c *client) apiError(req *http.Request, resp *http.Response, data []byte) *APIError {
	e := &APIError{Service: c.service, Method: req.Method, Path: req.URL.RequestURI(), Status: resp.StatusCode, Message: apiMessage(data)}
	e.RateLimited, e.RetryAfter = rateLimit(resp, e.Message, time.Now())
	return e
}

// rateLimit reads whether an answer is a rate-limit refusal and how long
// it asks to wait: 429 always is; 403 is when the limit headers or the
// message say so (otherwise it is a permission problem).
func rateLimit(resp *http.Response, message string, now time.Time) (bool, time.Duration) {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusForbidden {
		return false, 0
	}
	h := resp.Header
	if ra := h.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
			return true, time.Duration(secs) * time.Second
		}
		if at, err := http.ParseTime(ra); err == nil {
			return true, max(at.Sub(now), 0)
		}
		return true, 0
	}
	for _, prefix := range []string{"X-RateLimit-", "RateLimit-"} {
		if h.Get(prefix+"Remaining") != "0" {
			continue
		}
		if reset, err := strconv.ParseInt(h.Get(prefix+"Reset"), 10, 64); err == nil {
			return true, max(time.Unix(reset, 0).Sub(now), 0)
		}
		return true, 0
	}
	limited := resp.StatusCode == http.StatusTooManyRequests || strings.Contains(strings.ToLower(message), "rate limit")
	return limited, 0
}

// apiMessage pulls the explanation out of an error answer: GitHub's
// message and errors, GitLab's message (a string or a map of field errors)
// or OAuth-style error; the start of the text when it is not JSON.
func apiMessage(data []byte) string {
	var v struct {
		Message          json.RawMessage `json:"message"`
		Error            json.RawMessage `json:"error"`
		ErrorDescription json.RawMessage `json:"error_description"`
		Errors           json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		s := []rune(oneLine(string(data)))
		if len(s) > 200 {
			return string(s[:200]) + "…"
		}
		return string(s)
	}
	var parts []string
	for _, raw := range []json.RawMessage{v.Message, v.Error, v.ErrorDescription, v.Errors} {
		if s := rawText(raw); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// rawText is a JSON string's value, or any other JSON value compacted.
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}
