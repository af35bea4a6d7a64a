package cloudspot_test

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// TestForwardedFor: a call made under ForwardedFor names the end user's
// address in X-Forwarded-For, in its plain form; a call without it, or with
// no valid address, sends no such header.
func TestForwardedFor(t *testing.T) {
	t.Parallel()
	st, base := newStub(t, reply(200, "application/json", `{"token": "t0k", "permissions": []}`))
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"None", context.Background(), nil},
		{"IPv4", cloudspot.ForwardedFor(context.Background(), netip.MustParseAddr("203.0.113.7")), []string{"203.0.113.7"}},
		{"IPv4InIPv6", cloudspot.ForwardedFor(context.Background(), netip.MustParseAddr("::ffff:203.0.113.7")), []string{"203.0.113.7"}},
		{"IPv6WithZone", cloudspot.ForwardedFor(context.Background(), netip.MustParseAddr("fe80::1%eth0")), []string{"fe80::1"}},
		{"Zero", cloudspot.ForwardedFor(context.Background(), netip.Addr{}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := api.Authenticate(tc.ctx, "jan", "pw"); err != nil {
				t.Fatal(err)
			}
			if got := st.last().Header.Values("X-Forwarded-For"); !equalStrings(got, tc.want) {
				t.Errorf("sign-in sent X-Forwarded-For %q, want %q", got, tc.want)
			}
			if _, err := api.Permissions(tc.ctx, "t0k"); err != nil {
				t.Fatal(err)
			}
			if got := st.last().Header.Values("X-Forwarded-For"); !equalStrings(got, tc.want) {
				t.Errorf("get-permissions sent X-Forwarded-For %q, want %q", got, tc.want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRetryAfter: a refusal keeps the wait the server asked for, in
// seconds or as a date; without the header, or with one that says
// nothing, it is zero.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inAnHour := func() string { return time.Now().Add(time.Hour).UTC().Format(http.TimeFormat) }
	for _, tc := range []struct {
		name, header string
		status       int
		min, max     float64 // seconds
	}{
		{"Seconds", "120", 429, 120, 120},
		{"Date", inAnHour(), 429, 3000, 3600}, // a date has whole seconds; the margin is for a slow machine, not a timing
		{"Unavailable", "5", 503, 5, 5},
		{"None", "", 429, 0, 0},
		{"Garbage", "soon", 429, 0, 0},
		{"Negative", "-3", 429, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.header != "" {
					w.Header().Set("Retry-After", tc.header)
				}
				reply(tc.status, "application/json", `{"message": "Too many failed sign-ins; try again later."}`)(w, r)
			})
			api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base))
			if err != nil {
				t.Fatal(err)
			}
			_, err = api.Authenticate(ctx, "jan", "pw")
			var e *cloudspot.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if got := e.RetryAfter.Seconds(); got < tc.min || got > tc.max {
				t.Errorf("RetryAfter = %v, want %v to %v seconds", e.RetryAfter, tc.min, tc.max)
			}
		})
	}
}
