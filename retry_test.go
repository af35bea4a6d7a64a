package cloudspot_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// TestRetryAfterIsHonoured: a Retry-After too far away (in seconds or as a
// date) returns the answer at once instead of holding the caller; a date
// already past is retried at once.
func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, header string
		requests     int64
	}{
		{"SecondsTooFar", "120", 1},
		{"DateTooFar", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), 1},
		{"DatePast", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 2},
	} {
		var n atomic.Int64
		_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", tc.header)
				reply(503, "application/json", `{"message": "later"}`)(w, r)
				return
			}
			reply(200, "application/json", `{"permissions": []}`)(w, r)
		})
		api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithRetries(3)))(t)
		_, err := api.Permissions(context.Background(), "tok")
		if n.Load() != tc.requests || (tc.requests == 1) != (err != nil) {
			t.Errorf("%s: %d requests, err %v; want %d", tc.name, n.Load(), err, tc.requests)
		}
	}
}

// countingServer counts the connections a client opens.
func countingServer(t *testing.T, tlsConfig *tls.Config, handler http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if tlsConfig != nil {
		srv.TLS = tlsConfig
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &conns
}

// TestPermanentFailuresAreNotRetried: a failure that will fail again the
// same way is returned at once, while one that may pass is retried.
func TestPermanentFailuresAreNotRetried(t *testing.T) {
	t.Parallel()
	ok := reply(200, "application/json", `{"permissions": []}`)

	untrusted, untrustedConns := countingServer(t, &tls.Config{}, ok)
	clientCert, clientCertConns := countingServer(t, &tls.Config{ClientAuth: tls.RequireAnyClientCert}, ok)
	plain, plainConns := countingServer(t, nil, ok)

	dials := func(err error) (*http.Client, *atomic.Int64) {
		var n atomic.Int64
		return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			n.Add(1)
			return nil, &net.OpError{Op: "dial", Net: network, Err: err}
		}}}, &n
	}
	// Requests, not connections, for this one: a retry could reuse the
	// connection.
	var badLocationRequests atomic.Int64
	badLocation, _ := countingServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		badLocationRequests.Add(1)
		w.Header().Set("Location", "http://[::1")
		w.WriteHeader(http.StatusFound)
	})
	notFound, notFoundDials := dials(&net.DNSError{Err: "no such host", Name: "erp.example.be", IsNotFound: true})
	refused, refusedDials := dials(syscall.ECONNREFUSED)
	const retries = 3
	for _, tc := range []struct {
		name     string
		base     string
		client   *http.Client
		attempts *atomic.Int64
		want     int64
	}{
		{"UntrustedCertificate", untrusted.URL, http.DefaultClient, untrustedConns, 1},
		{"HandshakeRefused", clientCert.URL, clientCert.Client(), clientCertConns, 1},
		{"HTTPSToPlainServer", "https://" + plain.Listener.Addr().String(), http.DefaultClient, plainConns, 1},
		{"UnknownHost", "https://erp.example.be", notFound, notFoundDials, 1},
		{"RedirectToAnInvalidURL", badLocation.URL, http.DefaultClient, &badLocationRequests, 1},
		{"ConnectionRefusedIsRetried", "https://erp.example.be", refused, refusedDials, 1 + retries},
	} {
		api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(tc.base+"/api/v1"), cloudspot.WithHTTPClient(tc.client), cloudspot.WithRetries(retries)))(t)
		_, err := api.Permissions(context.Background(), "tok")
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v, want the transport's failure", tc.name, err)
		}
		if got := tc.attempts.Load(); got != tc.want {
			t.Errorf("%s: %d attempts, want %d (err %v)", tc.name, got, tc.want, err)
		}
	}
}
