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
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// fakeClock is a clock at a fixed time that records each wait a retry asks
// for and returns at once.
type fakeClock struct {
	at    time.Time
	mu    sync.Mutex
	waits []time.Duration
}

func (c *fakeClock) option() cloudspot.Option {
	return cloudspot.WithClock(func() time.Time { return c.at }, func(_ context.Context, d time.Duration) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.waits = append(c.waits, d)
		return nil
	})
}

func (c *fakeClock) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// TestRetryAfterIsHonoured: a retry waits exactly what Retry-After asks, in
// seconds or as a date; a date already past is retried at once (a wait of
// zero); one too far away (in seconds or as a date) returns the answer at
// once instead of holding the caller. The clock is the test's: every wait
// is seen, none is taken.
func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, header string
		requests     int64
		waits        []time.Duration
	}{
		{"Seconds", "7", 2, []time.Duration{7 * time.Second}},
		{"SecondsZero", "0", 2, []time.Duration{0}},
		{"Date", now.Add(12 * time.Second).Format(http.TimeFormat), 2, []time.Duration{12 * time.Second}},
		{"DatePast", now.Add(-time.Hour).Format(http.TimeFormat), 2, []time.Duration{0}},
		{"SecondsAtTheLimit", "30", 2, []time.Duration{30 * time.Second}},
		{"SecondsTooFar", "31", 1, nil},
		{"DateTooFar", now.Add(time.Hour).Format(http.TimeFormat), 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int64
			_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					w.Header().Set("Retry-After", tc.header)
					reply(503, "application/json", `{"message": "later"}`)(w, r)
					return
				}
				reply(200, "application/json", `{"permissions": []}`)(w, r)
			})
			clock := &fakeClock{at: now}
			api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithRetries(3), clock.option()))(t)
			_, err := api.Permissions(context.Background(), "tok")
			if n.Load() != tc.requests || (tc.requests == 1) != (err != nil) {
				t.Errorf("%d requests, err %v; want %d", n.Load(), err, tc.requests)
			}
			if got := clock.recorded(); !slices.Equal(got, tc.waits) {
				t.Errorf("waited %v, want %v", got, tc.waits)
			}
		})
	}
}

// TestRetryBackoff: without a Retry-After, each retry waits a jittered
// step that doubles, 250 ms, 500 ms, 1 s, between half the step and the
// step. (ContextEndsTheWait in client_test.go ends a real wait.)
func TestRetryBackoff(t *testing.T) {
	t.Parallel()
	_, base := newStub(t, reply(502, "text/plain", "bad gateway"))
	clock := &fakeClock{at: time.Now()}
	api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithRetries(3), clock.option()))(t)
	if _, err := api.Permissions(context.Background(), "tok"); err == nil {
		t.Fatal("a 502 every time: no error")
	}
	waits := clock.recorded()
	if len(waits) != 3 {
		t.Fatalf("waited %v, want 3 waits", waits)
	}
	for i, d := range waits {
		step := 250 * time.Millisecond << i
		if d < step/2 || d > step {
			t.Errorf("wait %d = %v, want between %v and %v", i, d, step/2, step)
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
