package erp

import (
	"fmt"
	"testing"
	"time"
)

func TestSignInThrottle(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := newSignInThrottle(3, 15*time.Minute)
	for i := range 3 {
		if th.blocked("jan", t0.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("blocked after %d failures, want 3 allowed", i)
		}
		th.failed("jan", t0.Add(time.Duration(i)*time.Minute))
	}
	if !th.blocked("JAN", t0.Add(3*time.Minute)) {
		t.Error("not blocked after 3 failures (usernames compare without case)")
	}
	if th.blocked("an", t0.Add(3*time.Minute)) {
		t.Error("another username is blocked too")
	}
	// The first failure leaves the window after 15 minutes.
	if th.blocked("jan", t0.Add(15*time.Minute)) {
		t.Error("still blocked once the first failure is outside the window")
	}
	th.failed("jan", t0.Add(15*time.Minute))
	if !th.blocked("jan", t0.Add(15*time.Minute)) {
		t.Error("a new failure inside the window blocks again")
	}
	th.succeeded("jan")
	if th.blocked("jan", t0.Add(15*time.Minute)) {
		t.Error("a successful sign-in must clear the failures")
	}
	off := newSignInThrottle(-1, time.Minute)
	for range 100 {
		off.failed("jan", t0)
	}
	if off.blocked("jan", t0) {
		t.Error("a throttle with a negative limit blocks")
	}
}

func TestSignInThrottleIsBounded(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := newSignInThrottle(5, time.Hour)
	for i := range maxThrottled + 10 {
		th.failed(fmt.Sprintf("user%d", i), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if n := len(th.fails); n >= maxThrottled {
		t.Errorf("%d usernames tracked, want fewer than %d", n, maxThrottled)
	}
	if _, ok := th.fails["user0"]; ok {
		t.Error("the oldest entry survived pruning")
	}
	if _, ok := th.fails[fmt.Sprintf("user%d", maxThrottled+9)]; !ok {
		t.Error("the newest entry was pruned")
	}
}
