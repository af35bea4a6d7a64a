package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/loopback"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

// tokenSource says where a token came from, so that an error about it can
// say what to do.
type tokenSource struct {
	from    string // "--token", "CLOUDSPOT_TOKEN" or "stored"
	company bool   // a company API token rather than a user token
	app     string // the app of a user token
}

func (s tokenSource) describe() string {
	kind := "the token"
	if s.company {
		kind = "the company token"
	} else if s.app != "" {
		kind = "the token for " + s.app
	}
	switch s.from {
	case "--token":
		return kind + " given with --token"
	case "CLOUDSPOT_TOKEN":
		return kind + " in CLOUDSPOT_TOKEN"
	}
	return "the stored " + strings.TrimPrefix(kind, "the ")
}

// remedy says what to do about a token that does not work; flag is the
// base URL flag a suggested command needs.
func (s tokenSource) remedy(flag string) string {
	if s.company {
		if s.from == "stored" {
			return "run cloudspot login --company" + flag + " with a new token"
		}
		return "ask an ERP administrator for a new company token"
	}
	if s.from == "stored" || s.app != "" {
		return "run cloudspot login --app " + orSlug(s.app) + flag
	}
	return "run cloudspot login"
}

func orSlug(app string) string {
	if app == "" {
		return "SLUG"
	}
	return app
}

// baseFlag is the flag a suggested command needs to reach the same ERP.
func (c *cli) baseFlag(base string) string {
	switch {
	case base == "" || command.SameERP(base, cloudspot.ProductionURL):
		return ""
	case command.SameERP(base, c.testURL()):
		return " --test"
	}
	return " --base-url " + base
}

// explain turns an error from the SDK into one line for a person, with the
// exit code it deserves. It never shows a secret: the SDK's errors carry
// none and nothing here adds one.
func (c *cli) explain(err error, base string, src tokenSource) error {
	if err == nil {
		return nil
	}
	var apiErr *cloudspot.Error
	switch {
	case errors.Is(err, context.Canceled):
		return failf("interrupted")
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return failf("no answer from %s within %s; the server may be down or slow (try a larger --timeout)", base, c.timeout)
	case errors.Is(err, cloudspot.ErrBadCredentials):
		return authf("username or password not correct")
	case errors.Is(err, cloudspot.ErrNoValidToken):
		why := "expired, revoked or for another app"
		if src.company {
			why = "unknown, expired or revoked"
		}
		return authf("%s is not valid (%s); %s", src.describe(), why, src.remedy(c.baseFlag(base)))
	case errors.Is(err, cloudspot.ErrForbidden):
		return failf("%s may not do this (%s); ask an ERP administrator for a token with that right", src.describe(), forbiddenWhat(err))
	case errors.Is(err, cloudspot.ErrRateLimited):
		return failf("%s refuses more attempts for now (%s); wait a few minutes and try again", base, rateLimitMessage(err))
	case errors.Is(err, cloudspot.ErrResponseTooLarge):
		return failf("the answer from %s is larger than the %d GiB cloudspot reads into memory; is --base-url the ERP?", base, cloudspot.DefaultMaxResponseBytes>>30)
	case errors.Is(err, cloudspot.ErrInsecure) && errors.As(err, &apiErr):
		return failf("%s %s; if the ERP moved, use --base-url with its new address", base, apiErr.Message)
	case errors.Is(err, cloudspot.ErrNotFound):
		return failure{errors.New(noAPI(base, errPath(err)))}
	case errors.As(err, &apiErr):
		return explainAPI(apiErr, base)
	}
	if msg, ok := networkProblem(err, base); ok {
		return failure{errors.New(msg)}
	}
	return failf("%s", strings.TrimPrefix(err.Error(), "cloudspot: "))
}

// noAPI explains a 404 for a call of the protocol by what the base URL
// shows: without /api/v1 it is most likely the URL; with it, whatever
// answered on that address is not a Cloudspot ERP (another service on the
// port, a proxy that routes elsewhere).
func noAPI(base, path string) string {
	const apiPath = "/api/v1"
	if !strings.HasSuffix(base, apiPath) {
		return fmt.Sprintf("%s has no Cloudspot API (404 for %s); check --base-url: it should end in %s, such as %s%s", base, path, apiPath, base, apiPath)
	}
	return fmt.Sprintf("%s has no Cloudspot API (404 for %s), although the URL ends in %s: another service answers at that address; check the host and port of --base-url", base, path, apiPath)
}

func rateLimitMessage(err error) string {
	var e *cloudspot.Error
	if errors.As(err, &e) && e.Message != "" {
		return strings.TrimSuffix(e.Message, ".")
	}
	return "too many requests"
}

func errPath(err error) string {
	var e *cloudspot.Error
	if errors.As(err, &e) && e.Path != "" {
		return e.Path
	}
	return "the call"
}

func forbiddenWhat(err error) string {
	p := errPath(err)
	switch {
	case strings.HasSuffix(p, "/artikels/"), strings.HasSuffix(p, "/categories/"):
		return "no right to see products"
	case strings.HasSuffix(p, "/klanten/"):
		return "no right to see clients"
	}
	return "refused " + p
}

// explainAPI explains an answer that was not the API's JSON, or a refusal
// the SDK does not classify.
func explainAPI(e *cloudspot.Error, base string) error {
	status := ""
	if e.StatusCode != 0 {
		status = fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	if got, ok := strings.CutPrefix(e.Message, "expected JSON, got "); ok {
		if e.StatusCode >= 500 {
			return failf("%s answered %s with %s instead of the API's JSON: something in front of the ERP is failing; try again later", base, status, got)
		}
		return failf("%s answered %s with %s instead of the API's JSON; check --base-url", base, status, got)
	}
	if e.Message == "empty response, expected JSON" {
		return failf("%s answered %s with an empty body instead of the API's JSON; check --base-url", base, status)
	}
	if e.StatusCode >= 500 {
		return failf("the ERP at %s failed (%s): %s; try again later", base, status, strings.TrimRight(e.Message, ". "))
	}
	return failf("the ERP refused the request (%s): %s", status, strings.TrimRight(e.Message, ". "))
}

// networkProblem describes a request that never got an answer.
func networkProblem(err error, base string) (string, bool) {
	var urlErr *url.Error
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("cannot find the host %s (%s); check --base-url", dnsErr.Name, dnsReason(dnsErr)), true
	case errors.Is(err, syscall.ECONNREFUSED):
		hint := "is the server running?"
		if u, perr := url.Parse(base); perr == nil && loopback.IsHost(u.Hostname()) {
			hint = "is the server running? start one with cloudspot-server serve --demo"
		}
		return fmt.Sprintf("cannot connect to %s: connection refused; %s (or check --base-url)", base, hint), true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return fmt.Sprintf("the connection to %s was closed by the other side; try again later", base), true
	case errors.As(err, &recordErr):
		return fmt.Sprintf("%s does not speak HTTPS; check --base-url (http:// or https://)", base), true
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		return fmt.Sprintf("cannot connect securely to %s: the server's certificate is not trusted; check --base-url", base), true
	case errors.As(err, &urlErr):
		return fmt.Sprintf("cannot reach %s: %v", base, urlErr.Err), true
	}
	return "", false
}

func dnsReason(e *net.DNSError) string {
	if e.IsNotFound {
		return "no such host"
	}
	return e.Err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
