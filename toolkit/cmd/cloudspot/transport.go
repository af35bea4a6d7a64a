package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/progress"
)

// secretHeaders are never shown by -v; their values become "[redacted]".
var secretHeaders = []string{"X-Erp-Token", "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// logTransport writes each request's method, URL and headers and the
// response's status and duration to w, for -v. It never writes a body (a
// sign-in body holds the password) nor the value of a secret header.
type logTransport struct {
	next http.RoundTripper
	w    io.Writer
	mu   sync.Mutex
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, req.URL.Redacted())
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		v := strings.Join(req.Header.Values(k), ", ")
		if slices.ContainsFunc(secretHeaders, func(s string) bool { return strings.EqualFold(s, k) }) {
			v = "[redacted]"
		}
		fmt.Fprintf(&b, "> %s: %s\n", k, v)
	}
	t.write(b.String())

	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	d := time.Since(start).Round(time.Millisecond)
	if err != nil {
		t.write(fmt.Sprintf("< no response after %s\n", d))
		return nil, err
	}
	t.write(fmt.Sprintf("< %s (%s, %s) in %s\n", resp.Status, orDash(resp.Header.Get("Content-Type")), sizeOf(resp.ContentLength), d))
	return resp, nil
}

func (t *logTransport) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.w, command.Visible(s, "\n"))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func sizeOf(n int64) string {
	if n < 0 {
		return "chunked"
	}
	return progress.ByteCount(n)
}

// progressTransport reports a response's bytes to a progress meter as
// they arrive, and ends the meter when the body is closed.
type progressTransport struct {
	next http.RoundTripper
	p    *progress.Meter
}

func (t *progressTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		t.p.Done()
		return nil, err
	}
	resp.Body = &countingBody{ReadCloser: resp.Body, p: t.p}
	return resp, nil
}

type countingBody struct {
	io.ReadCloser
	p *progress.Meter
}

func (b *countingBody) Read(buf []byte) (int, error) {
	n, err := b.ReadCloser.Read(buf)
	b.p.Add(int64(n))
	return n, err
}

func (b *countingBody) Close() error {
	b.p.Done()
	return b.ReadCloser.Close()
}

// answerTimeout gives up on a request whose answer has not begun within d:
// no connection, or no status line and headers. It deliberately does not
// bound the body: a list of a million products may take minutes to arrive
// however steadily it comes, and the SDK already ends a body that stops
// arriving.
type answerTimeout struct {
	next http.RoundTripper
	d    time.Duration
}

// errNoAnswer is a net.Error whose Timeout is true, so that it is
// explained like any other timeout.
type errNoAnswer struct{ d time.Duration }

func (e errNoAnswer) Error() string   { return fmt.Sprintf("no answer within %s", e.d) }
func (e errNoAnswer) Timeout() bool   { return true }
func (e errNoAnswer) Temporary() bool { return true }

func (a answerTimeout) RoundTrip(r *http.Request) (*http.Response, error) {
	if a.d <= 0 {
		return a.next.RoundTrip(r)
	}
	ctx, cancel := context.WithCancel(r.Context())
	timer := time.AfterFunc(a.d, cancel)
	resp, err := a.next.RoundTrip(r.WithContext(ctx))
	if !timer.Stop() {
		// The answer came too late, if at all: its context is gone.
		if err == nil {
			resp.Body.Close()
		}
		cancel()
		return nil, errNoAnswer{a.d}
	}
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose releases a request's context once its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
