package cloudspot

import (
	"bufio"
	"bytes"
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

// transport is what UserAPI and CompanyAPI share: where to send requests and
// how. It is immutable after construction.
type transport struct {
	base         *url.URL
	http         *http.Client
	userAgent    string
	retries      int
	maxBytes     int64
	insecureHTTP bool
	apiVersion   string        // the X-Cloudspot-API-Version asked for; "" is latest
	stall        time.Duration // see stallTimeout
	clock        clock         // what retries read the time and wait with
}

func newTransport(opts []Option) (*transport, error) {
	t := &transport{
		http:      defaultClient(),
		stall:     stallTimeout,
		clock:     clock{now: time.Now, sleep: sleep},
		userAgent: defaultUserAgent(),
		maxBytes:  DefaultMaxResponseBytes,
	}
	if err := WithBaseURL(ProductionURL).apply(t); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		if opt.apply == nil {
			continue
		}
		if err := opt.apply(t); err != nil {
			return nil, err
		}
	}
	if err := t.checkScheme(); err != nil {
		return nil, err
	}
	t.http.CheckRedirect = sameOriginOnly(t.http.CheckRedirect)
	return t, nil
}

// defaultClient is the client used without WithHTTPClient. It has no
// overall Timeout, which would cut off a large list however steadily it
// arrives; each step is bounded instead.
func defaultClient() *http.Client {
	rt, ok := http.DefaultTransport.(*http.Transport)
	if ok {
		rt = rt.Clone()
	} else {
		rt = &http.Transport{Proxy: http.ProxyFromEnvironment, TLSHandshakeTimeout: 10 * time.Second}
	}
	rt.ResponseHeaderTimeout = stallTimeout
	return &http.Client{Transport: rt}
}

// A call is one API call: what to send, and what is secret in it.
type call struct {
	method string
	path   string // without slashes, e.g. "auth/get-user"
	query  url.Values
	kind   callKind
	app    string // X-ERP-REQUESTOR, for user calls
	token  string // X-ERP-TOKEN; a call of a token kind without one is refused unsent
	body   any    // sent as JSON when not nil
	// secrets are values besides the token that no error may show, such as
	// the password of a sign-in.
	secrets []string
}

type callKind int

const (
	signInCall callKind = iota
	userTokenCall
	companyTokenCall
)

// redact replaces the call's token and secrets in s.
func (c call) redact(s string) string {
	for _, secret := range append([]string{c.token}, c.secrets...) {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

func (t *transport) urlOf(c call) *url.URL {
	u := *t.base
	u.Path = t.base.Path + "/" + c.path + "/"
	u.RawQuery = c.query.Encode()
	return &u
}

// errZeroValue is what a method of a zero UserAPI, CompanyAPI or Session
// returns instead of panicking.
func errZeroValue(what string) error {
	return fmt.Errorf("cloudspot: %s: not created by NewUserAPI, NewCompanyAPI or UserAPI.Session", what)
}

// do sends c and decodes its JSON answer into out, reading at most the
// transport's response limit.
func (t *transport) do(ctx context.Context, c call, out any) error {
	if t == nil {
		return errZeroValue(c.method + " " + c.path)
	}
	body, err := t.open(ctx, c)
	if err != nil {
		return err
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		return t.readError(c, err)
	}
	if !looksLikeJSON(b) {
		return t.newError(c, http.StatusOK, nil, describeBody(body.contentType, b))
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("cloudspot: %s %s: %w", c.method, t.urlOf(c).Path, err)
	}
	return nil
}

// open sends c and returns the body of its successful answer, for a
// decoder that reads it as a stream; the caller closes it. Every other
// outcome has become an error here: a refusal, a body that does not start
// like JSON, a transport failure. At most the response limit can be read
// from the body, after which a read fails with an error matching
// [ErrResponseTooLarge].
func (t *transport) open(ctx context.Context, c call) (*responseBody, error) {
	if t == nil {
		return nil, errZeroValue(c.method + " " + c.path)
	}
	limit := t.maxBytes
	if c.kind != signInCall && c.token == "" {
		return nil, t.newError(c, 0, ErrNoValidToken, "No token found. Authenticate the user first to retrieve a token or supply a token to the function.")
	}
	resp, err := t.send(ctx, c)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		return nil, t.responseError(c, resp, nil)
	}
	if resp.ContentLength > limit {
		resp.Body.Close()
		return nil, t.tooLarge(c, limit)
	}
	body := resp.Body.(*responseBody)
	body.Reader = &limitedReader{r: body.Reader, left: limit, err: func() error { return t.tooLarge(c, limit) }}
	// A body that does not start like JSON (an HTML login portal, a wrong
	// base URL) is described now, while the decoder has not seen it.
	br := bufio.NewReader(body.Reader)
	body.Reader = br
	first, err := firstByte(br)
	if err != nil && !errors.Is(err, io.EOF) {
		body.Close()
		return nil, t.readError(c, err)
	}
	if first != '{' && first != '[' {
		defer body.Close()
		return nil, t.responseError(c, resp, readPrefix(br))
	}
	return body, nil
}

func (t *transport) tooLarge(c call, limit int64) *Error {
	return t.newError(c, http.StatusOK, ErrResponseTooLarge,
		fmt.Sprintf("the response is larger than %d bytes (see WithMaxResponseBytes)", limit))
}

// readError keeps an *Error from the body (the size limit) as it is, and
// names the call in any other failure to read it.
func (t *transport) readError(c call, err error) error {
	if e := (*Error)(nil); errors.As(err, &e) {
		return e
	}
	return fmt.Errorf("cloudspot: %s %s: reading the response: %w", c.method, t.urlOf(c).Path, err)
}

// send makes the request, retrying a read as WithRetries allows. A non-2xx
// answer is returned, not an error; its body, a *responseBody, is the
// caller's to close.
func (t *transport) send(ctx context.Context, c call) (*http.Response, error) {
	u := t.urlOf(c)
	var payload []byte
	if c.body != nil {
		var err error
		if payload, err = json.Marshal(c.body); err != nil {
			return nil, fmt.Errorf("cloudspot: encoding request: %w", err)
		}
	}
	for attempt := 0; ; attempt++ {
		req, err := t.request(ctx, c, u, payload)
		if err != nil {
			return nil, err
		}
		resp, err := t.http.Do(req)
		if err == nil {
			// Every read of the body from here on, error bodies included,
			// ends if the server stops sending.
			guard := newStallGuard(resp.Body, t.stall)
			resp.Body = &responseBody{Reader: guard, closer: resp.Body, guard: guard, contentType: resp.Header.Get("Content-Type"), length: resp.ContentLength}
		} else {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("cloudspot: %s %s: %w", c.method, u.Path, ctxErr)
			}
			if r := (*redirectRefused)(nil); errors.As(err, &r) {
				return nil, t.newError(c, r.status, r.kind, r.reason)
			}
		}
		wait, retry := t.retryAfter(c, attempt, resp, err)
		if !retry {
			if err != nil {
				return nil, fmt.Errorf("cloudspot: %w", err)
			}
			return resp, nil
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
			resp.Body.Close()
		}
		if err := t.clock.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("cloudspot: %s %s: %w", c.method, u.Path, err)
		}
	}
}

// apiVersionHeader asks cloudspot-server for the bodies of an API version:
// 0.4 is what the ERP sends and the reference client reads; 0.5 and 0.6
// add keys.
const apiVersionHeader = "X-Cloudspot-API-Version"

func (t *transport) request(ctx context.Context, c call, u *url.URL, payload []byte) (*http.Request, error) {
	var body io.Reader
	if payload != nil {
		// A bytes.Reader lets the client send the body again on a
		// same-origin 307 or 308.
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("cloudspot: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if t.userAgent != "" {
		req.Header.Set("User-Agent", t.userAgent)
	}
	if c.app != "" {
		req.Header.Set("X-ERP-REQUESTOR", c.app)
	}
	if c.token != "" {
		req.Header.Set("X-ERP-TOKEN", c.token)
	}
	if a, ok := forwardedFor(ctx); ok {
		req.Header.Set("X-Forwarded-For", a.String())
	}
	// By default the richest bodies the server speaks: the SDK reads every
	// version's keys and ignores the rest, and a server that does not know
	// the header (the ERP itself) sends version 0.4's bodies.
	v := t.apiVersion
	if v == "" {
		v = "latest"
	}
	req.Header.Set(apiVersionHeader, v)
	return req, nil
}

// responseBody is a successful answer's body as the decoder reads it, with
// the limit and the JSON check in front of the connection.
type responseBody struct {
	io.Reader
	closer      io.Closer
	guard       *stallGuard
	contentType string
	length      int64 // Content-Length, -1 when unknown; lets List size its result
}

func (b *responseBody) Close() error {
	b.guard.stop()
	return b.closer.Close()
}

// limitedReader is io.LimitReader that says so when the limit is passed,
// instead of a silent end of file that a decoder would take for a
// truncated body.
type limitedReader struct {
	r    io.Reader
	left int64
	err  func() error
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, l.err()
	}
	// Read one byte more than allowed, to tell a body of exactly the
	// limit from a longer one.
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, l.err()
	}
	return n, err
}

// firstByte peeks at the first byte that is not JSON white space.
func firstByte(r *bufio.Reader) (byte, error) {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' {
			return b, r.UnreadByte()
		}
	}
}

// readPrefix reads what an error message may describe of a body.
func readPrefix(r io.Reader) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, maxErrorBody))
	if b == nil {
		b = []byte{}
	}
	return b
}
