package cloudspot

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/internal/loopback"
)

// The rules on where credentials may go. Every call carries a password or
// a token, so they apply to every request.

// checkScheme refuses plain http to a host that is not loopback unless the
// caller opted in: anyone on the network path could read the credentials.
func (t *transport) checkScheme() error {
	if t.base.Scheme != "http" || t.insecureHTTP || loopback.IsHost(t.base.Hostname()) {
		return nil
	}
	return fmt.Errorf("cloudspot: base URL %s: %w: over plain http anyone on the network can read passwords and tokens; use https, or WithInsecureHTTP() on a network you trust", t.base.Redacted(), ErrInsecure)
}

// redirectRefused is what CheckRedirect returns for a redirect the SDK does
// not follow; send turns it into an *Error.
type redirectRefused struct {
	status int
	kind   error
	reason string
}

func (r *redirectRefused) Error() string { return r.reason }

// sameOriginOnly is the client's redirect policy: follow a redirect only to
// the origin (scheme, host and port) the request was sent to, since it
// carries the X-ERP-TOKEN header or the password, which Go's client would
// otherwise send along to any host (it drops only the headers it knows,
// such as Authorization). This also rules out https to http. A sign-in
// redirected with 301, 302 or 303 is refused too: the client would send it
// again as a GET without the password, and the failure would be a puzzle.
// A policy of the caller's own client (next) still applies after these.
func sameOriginOnly(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		first := via[0]
		if to, from := origin(req.URL), origin(first.URL); to != from {
			return &redirectRefused{status, ErrInsecure, fmt.Sprintf(
				"redirected to %s; not followed, so that the credentials meant for %s go nowhere else", to, from)}
		}
		if req.Method != first.Method {
			return &redirectRefused{status, nil, fmt.Sprintf(
				"redirected with %d, which would turn the %s into a %s without its body; not followed", status, first.Method, req.Method)}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return &redirectRefused{status, nil, "stopped after 10 redirects"}
		}
		return nil
	}
}

// origin is a URL's scheme, host and port, with the scheme's default port
// written out so that erp.example.be and erp.example.be:443 are the same.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
