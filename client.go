package cloudspot

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Base URLs of the ERP's API.
const (
	// ProductionURL is the real ERP; it is the default.
	ProductionURL = "https://erp.cloudspot.be/api/v1"
	// TestURL is a local ERP, such as cloudspot-server on its default port.
	TestURL = "http://localhost:8000/api/v1"
)

// DefaultMaxResponseBytes is the largest response a call reads unless
// [WithMaxResponseBytes] says otherwise: 1 GiB. A list of a million
// products is about 600 MB of JSON, so real companies fit with room to
// spare, while a server that never stops sending ends the call with
// [ErrResponseTooLarge] instead of exhausting the program's memory.
const DefaultMaxResponseBytes = 1 << 30

// An Option configures a UserAPI or CompanyAPI; the With functions make
// them. Options validate their arguments, so a constructor fails early
// instead of a call failing late. The zero Option changes nothing.
type Option struct {
	apply func(*transport) error
}

// WithBaseURL points the client at another ERP, such as a self-hosted
// cloudspot-server ("https://erp.internal/api/v1"). The URL must be
// absolute http or https; a trailing slash is optional. Plain http is for
// this machine only, unless [WithInsecureHTTP] is given too.
func WithBaseURL(base string) Option {
	return Option{func(t *transport) error {
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
	}}
}

// WithTestMode points the client at [TestURL], like the reference client's
// test_mode.
func WithTestMode() Option { return WithBaseURL(TestURL) }

// WithHTTPClient makes requests with a copy of c, so timeouts, proxies and
// transports are the caller's. The caller's client is never modified, but
// the copy's redirect policy is wrapped in the SDK's (see [ErrInsecure]).
// Mind that c.Timeout bounds a whole call, body included, so it also cuts
// off a large list that is still arriving; the default client bounds each
// wait (connecting, the headers, each part of the body: 30 seconds) and
// leaves the whole call to the context.
func WithHTTPClient(c *http.Client) Option {
	return Option{func(t *transport) error {
		if c == nil {
			return errors.New("cloudspot: WithHTTPClient: nil client")
		}
		cp := *c
		t.http = &cp
		return nil
	}}
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option {
	return Option{func(t *transport) error {
		if strings.ContainsAny(ua, "\r\n") {
			return errors.New("cloudspot: user agent must be one line")
		}
		t.userAgent = ua
		return nil
	}}
}

// WithRetries retries a read (every call but sign-in) up to n more times
// when the ERP is briefly unavailable: a connection that fails, or a 429,
// 502, 503 or 504 answer. It waits as the server's Retry-After asks, in
// seconds or as a date; when that is more than 30 seconds away it returns
// the answer at once rather than hold the caller. Without a Retry-After it
// waits 250 ms, 500 ms, 1 s, ... with jitter. A wait ends when the context
// does. Failures that cannot pass by themselves (an invalid certificate, a
// failed TLS handshake, a host name that does not exist, a refused
// redirect) are never retried, and neither are sign-ins: each one issues a
// token. The default is no retries.
func WithRetries(n int) Option {
	return Option{func(t *transport) error {
		if n < 0 || n > 10 {
			return fmt.Errorf("cloudspot: WithRetries(%d): want 0 to 10", n)
		}
		t.retries = n
		return nil
	}}
}

// WithMaxResponseBytes bounds the size of a response a call reads (the
// default is [DefaultMaxResponseBytes]); a larger one fails with
// [ErrResponseTooLarge]. All, which holds one object at a time, reads up to
// the same limit: raise it for a list larger than that.
func WithMaxResponseBytes(n int64) Option {
	return Option{func(t *transport) error {
		if n <= 0 {
			return fmt.Errorf("cloudspot: WithMaxResponseBytes(%d): want a positive size", n)
		}
		t.maxBytes = n
		return nil
	}}
}

// WithInsecureHTTP allows passwords and tokens to go over plain http to a
// host that is not loopback, such as a cloudspot-server on a trusted
// private network. Without it, a base URL like "http://erp.internal:8000"
// is refused with [ErrInsecure], because anyone on the path can read what
// is sent. Plain http to a host that surely is this machine (localhost,
// 127.0.0.0/8, ::1) is allowed without it, so [WithTestMode] works; a
// name that Go's resolver asks DNS about, such as a.localhost or
// localhost. with its trailing dot, is not, since anyone on the network
// path can forge the answer.
func WithInsecureHTTP() Option {
	return Option{func(t *transport) error {
		t.insecureHTTP = true
		return nil
	}}
}

// WithAPIVersion chooses which version's bodies to ask a cloudspot-server
// for: "latest" (the default), "0.6", "0.5" or "0.4", the versions whose
// keys the SDK reads. Products of version 0.6 carry brands, categories,
// photos and texts and are about three times the size of version 0.4's,
// so a program that needs only version 0.4's fields reads lists faster
// with "0.4". The ERP itself ignores the request and sends version 0.4's
// bodies, so the fields of versions 0.5 and 0.6 stay empty whatever is
// asked.
func WithAPIVersion(v string) Option {
	return Option{func(t *transport) error {
		v = strings.TrimSpace(v)
		switch v {
		case "latest", "0.6", "0.5", "0.4":
			t.apiVersion = v
			return nil
		}
		return fmt.Errorf("cloudspot: WithAPIVersion(%q): want \"latest\", \"0.6\", \"0.5\" or \"0.4\"", v)
	}}
}
