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
	"net/http"
	"net/url"
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

// transport is what UserAPI and CompanyAPI share: where to send requests and
// how. It is immutable after construction.
type transport struct {
	base      *url.URL
	http      *http.Client
	userAgent string
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
	resp, err := t.http.Do(req)
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
