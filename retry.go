package cloudspot

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryWait is the longest a retry waits. A server asking for more (a
// sign-in throttle counting in minutes) gets its answer returned at once:
// holding the caller that long would look like a hang.
const maxRetryWait = 30 * time.Second

// clock is what retries read the time and wait with: the real one, or in
// tests one that records each wait and takes none.
type clock struct {
	now func() time.Time
	// sleep waits for d, or until ctx ends; then it returns ctx's error.
	sleep func(ctx context.Context, d time.Duration) error
}

// sleep is the real clock's wait.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// retryAfter says whether attempt may be followed by another, and after how
// long. Only reads are retried, only for failures that can pass by
// themselves, and only as often as WithRetries allows.
func (t *transport) retryAfter(c call, attempt int, resp *http.Response, err error) (time.Duration, bool) {
	if attempt >= t.retries || c.method != http.MethodGet {
		return 0, false
	}
	if err != nil {
		if permanent(err) {
			return 0, false
		}
		return jitter(attempt), true
	}
	if !retryable(resp.StatusCode) {
		return 0, false
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), t.clock.now()); ok {
		return d, d <= maxRetryWait
	}
	return jitter(attempt), true
}

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// parseRetryAfter reads a Retry-After header in either of its forms: a
// number of seconds, or an HTTP date (a date in the past means now).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(24*time.Hour/time.Second))) * time.Second, true
	}
	if when, err := http.ParseTime(v); err == nil {
		return max(when.Sub(now), 0), true
	}
	return 0, false
}

// jitter is an exponential step with jitter, so that many clients do not
// return at the same moment.
func jitter(attempt int) time.Duration {
	step := 250 * time.Millisecond << min(attempt, 6)
	return step/2 + rand.N(step/2+1)
}

// permanent reports whether a transport failure will fail again the same
// way: a certificate that does not verify, a TLS handshake the other side
// refuses, a TLS client talking to a plain server, a name that does not
// exist, a redirect refused or to an address that is not a URL. A refused or reset connection, a timeout or a
// temporary DNS failure are worth another try.
func permanent(err error) bool {
	var (
		unknownCA   x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalid     x509.CertificateInvalidError
		verify      *tls.CertificateVerificationError
		record      tls.RecordHeaderError
		opErr       *net.OpError
		dnsErr      *net.DNSError
		refused     *redirectRefused
		certErrors  = errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify)
		remoteAlert = errors.As(err, &opErr) && opErr.Op == "remote error"
	)
	switch {
	case certErrors, remoteAlert, errors.As(err, &record), errors.As(err, &refused):
		return true
	case errors.As(err, &dnsErr):
		return dnsErr.IsNotFound
	}
	// The rest are plain errors from crypto/tls and net/http, known only
	// by their text.
	for e := err; e != nil; e = errors.Unwrap(e) {
		msg := e.Error()
		if strings.HasPrefix(msg, "tls: ") || strings.Contains(msg, "server gave HTTP response to HTTPS client") ||
			strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "failed to parse Location header") {
			return true
		}
	}
	return false
}
