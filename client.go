// Package cloudspot is a client for the Cloudspot ERP API (version 1).
//
// The ERP serves two kinds of callers, and the package has one type for each:
//
//   - a [UserAPI] signs users of an external app in with their ERP username
//     and password, and reads the permissions and the person behind a user
//     token;
//   - a [CompanyAPI] reads a company's products ([Artikel]) and clients
//     ([Klant]) with an API token that an ERP administrator generated for
//     that company.
//
// Both are safe for concurrent use: they hold configuration only, and every
// call returns its results instead of keeping them, so one UserAPI serves
// every user of an app. Errors can be tested with [errors.Is] against
// [ErrBadCredentials], [ErrNoValidToken], [ErrForbidden] and [ErrNotFound],
// and [errors.As] gives an [*Error] with the HTTP status and the server's
// message.
//
// Decoding is tolerant of what real servers send: unknown keys are ignored,
// null is "not set", and numbers may arrive as strings. Money, VAT and
// quantities are exact [Decimal] values.
package cloudspot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Base URLs of the ERP's API.
const (
	// ProductionURL is the real ERP; it is the default.
	ProductionURL = "https://erp.cloudspot.be/api/v1"
	// TestURL is a local ERP, such as cloudspot-server on its default port.
	TestURL = "http://localhost:8000/api/v1"
)

// Version is the SDK's version, sent in the default User-Agent.
const Version = "0.1.0"

// maxErrorBody bounds how much of an error response is read: enough for any
// message, not enough for a misbehaving proxy to exhaust memory.
const maxErrorBody = 1 << 20

// An Option configures a UserAPI or CompanyAPI. Options validate their
// arguments, so a constructor fails early instead of a call failing late.
type Option func(*transport) error

// WithBaseURL points the client at another ERP, such as a self-hosted
// cloudspot-server ("http://erp.internal:8000/api/v1"). The URL must be
// absolute http or https; a trailing slash is optional.
func WithBaseURL(base string) Option {
	return func(t *transport) error {
		u, err := url.Parse(strings.TrimSpace(base))
		if err != nil {
			return fmt.Errorf("cloudspot: base URL: %w", err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("cloudspot: base URL %q: want an absolute http or https URL", base)
		}
		if u.User != nil {
			return errors.New("cloudspot: base URL must not carry credentials")
		}
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = ""
		u.RawQuery, u.Fragment = "", ""
		t.base = u
		return nil
	}
}

// WithTestMode points the client at [TestURL], like the reference client's
// test_mode.
func WithTestMode() Option { return WithBaseURL(TestURL) }

// WithHTTPClient makes requests with a copy of c, so timeouts, proxies and
// transports are the caller's. The caller's client is never modified.
func WithHTTPClient(c *http.Client) Option {
	return func(t *transport) error {
		if c == nil {
			return errors.New("cloudspot: WithHTTPClient: nil client")
		}
		cp := *c
		t.http = &cp
		return nil
	}
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option {
	return func(t *transport) error {
		if strings.ContainsAny(ua, "\r\n") {
			return errors.New("cloudspot: user agent must be one line")
		}
		t.userAgent = ua
		return nil
	}
}

// WithRetries retries a read (every call but sign-in) up to n more times
// when the ERP is briefly unavailable: a connection that fails, or a 429,
// 502, 503 or 504 answer. It waits as the server's Retry-After asks (at
// most 30 seconds), otherwise 250 ms, 500 ms, 1 s, ... with jitter, and
// stops waiting when the context ends. Sign-ins are never retried: each
// one issues a token. The default is no retries.
func WithRetries(n int) Option {
	return func(t *transport) error {
		if n < 0 || n > 10 {
			return fmt.Errorf("cloudspot: WithRetries(%d): want 0 to 10", n)
		}
		t.retries = n
		return nil
	}
}

// transport is what UserAPI and CompanyAPI share: where to send requests and
// how. It is immutable after construction.
type transport struct {
	base      *url.URL
	http      *http.Client
	userAgent string
	retries   int
}

func newTransport(opts []Option) (*transport, error) {
	t := &transport{
		http:      &http.Client{Timeout: 30 * time.Second},
		userAgent: "cloudspot-go/" + Version,
	}
	if err := WithBaseURL(ProductionURL)(t); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		if err := opt(t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// A call names an API call for requests and for error classification.
type call struct {
	method string
	path   string // without slashes, e.g. "auth/get-user"
	query  url.Values
	kind   callKind
}

type callKind int

const (
	signInCall callKind = iota
	userTokenCall
	companyTokenCall
)

// do sends one request and decodes a 2xx JSON body into out. Every other
// outcome becomes an error built by checkResponse.
func (t *transport) do(ctx context.Context, c call, headers map[string]string, body, out any) error {
	u := *t.base
	u.Path = t.base.Path + "/" + c.path + "/"
	u.RawQuery = c.query.Encode()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("cloudspot: encoding request: %w", err)
		}
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u.String(), rd)
	if err != nil {
		return fmt.Errorf("cloudspot: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if t.userAgent != "" {
		req.Header.Set("User-Agent", t.userAgent)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	for attempt := 0; ; attempt++ {
		resp, err := t.http.Do(req)
		retry := attempt < t.retries && c.method == http.MethodGet && ctx.Err() == nil && (err != nil || retryable(resp.StatusCode))
		if retry {
			wait := backoff(attempt, resp)
			if resp != nil {
				io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
				resp.Body.Close()
			}
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return fmt.Errorf("cloudspot: %s %s: %w", c.method, u.Path, ctx.Err())
			case <-timer.C:
			}
			continue
		}
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return fmt.Errorf("cloudspot: %s %s: %w", c.method, u.Path, ctxErr)
			}
			return fmt.Errorf("cloudspot: %w", err)
		}
		defer resp.Body.Close()
		if err := checkResponse(c, u.Path, resp); err != nil {
			return err
		}
		return decodeBody(c, u.Path, resp, out)
	}
}

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is how long to wait before retry attempt+1: the server's
// Retry-After in seconds when it sent one, else an exponential step with
// jitter so that many clients do not return at the same moment.
func backoff(attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if secs, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && secs >= 0 {
			return min(time.Duration(secs)*time.Second, 30*time.Second)
		}
	}
	step := 250 * time.Millisecond << min(attempt, 6)
	return step/2 + rand.N(step/2+1)
}

// decodeBody decodes a successful response, insisting on JSON: a 200 HTML
// page (a login portal, a wrong base URL) is an error that says so.
func decodeBody(c call, path string, resp *http.Response, out any) error {
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("cloudspot: %s %s: reading response: %w", c.method, path, err)
	}
	if !looksLikeJSON(b) {
		return &Error{StatusCode: resp.StatusCode, Method: c.method, Path: path, Message: describeBody(resp.Header.Get("Content-Type"), b)}
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("cloudspot: %s %s: %w", c.method, path, err)
	}
	return nil
}
