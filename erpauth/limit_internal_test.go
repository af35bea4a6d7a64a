package erpauth

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// TestLimiterIsBounded: addresses without end, as an attacker with many
// of them sends, never grow the table past its cap; the limit still holds
// for an address it tracks.
func TestLimiterIsBounded(t *testing.T) {
	t.Parallel()
	l := newLimiter(3, time.Minute)
	l.cap = 100
	now := time.Now()
	for i := range 5000 {
		a := netip.MustParseAddr(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		l.take(a, now.Add(time.Duration(i)*time.Millisecond))
		if n := l.tracked(); n > 100 {
			t.Fatalf("after %d addresses the limiter tracks %d, more than its cap of 100", i+1, n)
		}
	}
	a := netip.MustParseAddr("192.0.2.1")
	for i := range 4 {
		ok, _ := l.take(a, now.Add(6*time.Second))
		if ok != (i < 3) {
			t.Errorf("attempt %d: ok = %v", i+1, ok)
		}
	}
	// An IPv6 /64 is one address; the next /64 another.
	l = newLimiter(1, time.Minute)
	if ok, _ := l.take(netip.MustParseAddr("2001:db8::1"), now); !ok {
		t.Fatal("the first attempt was refused")
	}
	if ok, _ := l.take(netip.MustParseAddr("2001:db8::ffff:2"), now); ok {
		t.Error("another address of the same /64 had attempts of its own")
	}
	if ok, _ := l.take(netip.MustParseAddr("2001:db8:0:1::1"), now); !ok {
		t.Error("the next /64 shared the first's attempts")
	}
}

// TestChecksAreBounded: the table of checks never holds more than its
// cap, and forgets what no request may use any more.
func TestChecksAreBounded(t *testing.T) {
	t.Parallel()
	c := newChecks(time.Minute, 10)
	now := time.Now()
	for i := range 100 {
		s := &Session{ID: fmt.Sprint(i)}
		c.get(t.Context(), s, now.Add(time.Duration(i)*10*time.Second), func(ctx context.Context) (cloudspot.Permissions, error) { return nil, nil })
		if len(c.m) > 10 {
			t.Fatalf("%d checks held, cap 10", len(c.m))
		}
	}
}
