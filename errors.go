package cloudspot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Categories of API errors, for errors.Is. Every error a call returns for a
// refused request is an [*Error] that matches at most one of them.
var (
	// ErrBadCredentials: a sign-in was refused (wrong username or password,
	// or a deactivated user; the ERP does not say which).
	ErrBadCredentials = errors.New("username or password not correct")
	// ErrNoValidToken: no token was given, or the ERP did not accept it
	// (unknown, expired, revoked, or issued to another app).
	ErrNoValidToken = errors.New("no valid token")
	// ErrForbidden: the token is valid but lacks the right for the call,
	// such as a company token without the right to see products.
	ErrForbidden = errors.New("not allowed")
	// ErrNotFound: the ERP has no such call or object; often a wrong base URL.
	ErrNotFound = errors.New("not found")
	// ErrRateLimited: the ERP refuses more requests for now (429), such as
	// sign-ins for a username with too many recent failures. Wait, then
	// try again.
	ErrRateLimited = errors.New("too many requests")
	// ErrInsecure: the SDK refused to send a password or token where it
	// could be read or end up elsewhere: along a redirect to another origin
	// (if the ERP moved, point WithBaseURL at its new address), or over
	// plain http to a host that is not loopback (see WithInsecureHTTP).
	ErrInsecure = errors.New("refused to send credentials insecurely")
	// ErrResponseTooLarge: a response was larger than the limit set with
	// [WithMaxResponseBytes]; nothing of it is returned.
	ErrResponseTooLarge = errors.New("response too large")
)

// Error is a request the ERP (or something in front of it) refused or
// answered with something other than the expected JSON.
type Error struct {
	StatusCode int    // HTTP status; 0 when no request was sent
	Method     string // HTTP method of the call
	Path       string // URL path of the request, without its query; never carries a secret
	// Message is the ERP's own message when it sent one, otherwise a
	// description of what came back ("an HTML page titled ..."). A password
	// or token of the call that appears in it is replaced by "[redacted]".
	Message string
	// RetryAfter is how long the server asked the caller to wait before
	// trying again (its Retry-After header, in seconds or as a date), as a
	// 429 or 503 answer carries it; zero when it did not say.
	RetryAfter time.Duration
	kind       error
	// hint says what the base URL may have to do with it; Error shows it.
	hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("cloudspot: ")
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "%d %s: ", e.StatusCode, http.StatusText(e.StatusCode))
	}
	if e.Message != "" {
		b.WriteString(e.Message)
	} else if e.kind != nil {
		b.WriteString(e.kind.Error())
	} else {
		b.WriteString("request failed")
	}
	if e.hint != "" {
		b.WriteString(" (" + e.hint + ")")
	}
	return b.String()
}

// Unwrap returns the error's category (ErrBadCredentials, ...), or nil.
func (e *Error) Unwrap() error { return e.kind }

// newError is the one place an *Error is built, so that every API error
// names its request the same way (the path the request went to, without
// the query) and no message can carry the call's secrets, whoever wrote it.
func (t *transport) newError(c call, status int, kind error, message string) *Error {
	e := &Error{StatusCode: status, Method: c.method, Path: t.urlOf(c).Path, Message: c.redact(message), kind: kind}
	if status == http.StatusNotFound {
		e.hint = t.baseHint()
	}
	return e
}

// apiPath is how every base URL of the ERP's API ends.
const apiPath = "/api/v1"

// baseHint explains a 404 by the base URL when it lacks /api/v1, the most
// common reason: WithBaseURL("http://localhost:8000") sends every call to
// a path that the ERP does not serve.
func (t *transport) baseHint() string {
	if strings.HasSuffix(t.base.Path, apiPath) {
		return ""
	}
	try := *t.base
	try.Path = strings.TrimRight(t.base.Path, "/") + apiPath
	return fmt.Sprintf("the base URL %s does not end in %s, under which the API's calls are: try %s", t.base.Redacted(), apiPath, try.Redacted())
}

// maxErrorBody bounds how much of an error response is read: enough for any
// message, not enough for a misbehaving proxy to exhaust memory.
const maxErrorBody = 1 << 20

// responseError describes a response that is not the expected JSON. body is
// what was already read of it; when nil, at most maxErrorBody bytes are read
// here. It prefers the ERP's {"message": ...} over anything else.
func (t *transport) responseError(c call, resp *http.Response, body []byte) *Error {
	if body == nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	}
	kind := classify(c.kind, resp.StatusCode)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		kind = nil
	}
	e := t.newError(c, resp.StatusCode, kind, erpMessage(resp.Header.Get("Content-Type"), body))
	e.RetryAfter, _ = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return e
}

func erpMessage(contentType string, body []byte) string {
	var msg struct {
		Message json.RawMessage `json:"message"`
	}
	if looksLikeJSON(body) && json.Unmarshal(body, &msg) == nil && len(msg.Message) > 0 {
		var s flexString
		m := oneLine(string(msg.Message), 200)
		if s.UnmarshalJSON(msg.Message) == nil {
			m = oneLine(string(s), 500)
		}
		if m != "" {
			return m
		}
	}
	return describeBody(contentType, body)
}

// classify maps a refusal to its category. The reference client treats any
// failed sign-in as bad credentials; we do so only for the statuses that mean
// "refused", so that an outage is not reported as a wrong password.
func classify(k callKind, status int) error {
	switch status {
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusTooManyRequests:
		return ErrRateLimited
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		switch {
		case k == signInCall:
			return ErrBadCredentials
		case k == companyTokenCall && status == http.StatusForbidden:
			return ErrForbidden
		case status != http.StatusBadRequest:
			return ErrNoValidToken
		}
	}
	return nil
}

func looksLikeJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[') && json.Valid(b)
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// describeBody says what came back instead of JSON, for a human reading an
// error: an HTML page by its title, text by its first line, else its type.
func describeBody(contentType string, b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "empty response, expected JSON"
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	isHTML := mt == "text/html" || bytes.HasPrefix(bytes.ToLower(b[:min(len(b), 15)]), []byte("<!doctype html")) || bytes.HasPrefix(bytes.ToLower(b[:min(len(b), 5)]), []byte("<html"))
	if isHTML {
		if m := titleRE.FindSubmatch(b); m != nil {
			return fmt.Sprintf("expected JSON, got an HTML page titled %q", oneLine(string(m[1]), 80))
		}
		return "expected JSON, got an HTML page"
	}
	if !utf8.Valid(b) {
		return fmt.Sprintf("expected JSON, got %d bytes of %s", len(b), orUnknown(mt))
	}
	return fmt.Sprintf("expected JSON, got %s: %q", orUnknown(mt), oneLine(string(b[:min(len(b), 4<<10)]), 80))
}

func orUnknown(mt string) string {
	if mt == "" {
		return "an untyped body"
	}
	return mt
}

// oneLine collapses whitespace and cuts s to at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n]) + "…"
	}
	return s
}
