package erpauth

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// A check is one get-permissions call for a session: in flight until done
// is closed, then its answer. Every request of the session that needs a
// check while it runs, or while its answer is fresh, uses it, so that a
// session makes one call per Recheck however many requests it sends at
// once, and a stale cookie (a CookieStore's, sent before the browser got
// the new one) does not make another.
type check struct {
	done  chan struct{}
	at    time.Time // when the call was made, by the Auth's clock
	perms cloudspot.Permissions
	err   error
}

// failedCheckReuse is how long a failed check (the ERP unreachable) stands
// for further requests of its session: a failing ERP is asked at most this
// often per session, and a recovered one is seen this soon.
const failedCheckReuse = 5 * time.Second

// checkTimeout bounds a check, whatever the SDK's HTTP client allows.
const checkTimeout = 30 * time.Second

// checks holds the latest check of each session, at most max of them.
type checks struct {
	recheck time.Duration
	max     int

	mu sync.Mutex
	m  map[[sha256.Size]byte]*check // by the SHA-256 of the session's id, which is not kept
}

func newChecks(recheck time.Duration, max int) *checks {
	return &checks{recheck: recheck, max: max, m: map[[sha256.Size]byte]*check{}}
}

// get returns the check of session s to use at now: the one in flight,
// else a finished one made after s.CheckedAt that is still fresh, else a
// new one that call makes. leader is true for the request that made it.
func (c *checks) get(ctx context.Context, s *Session, now time.Time, call func(context.Context) (cloudspot.Permissions, error)) (k *check, leader bool) {
	key := sha256.Sum256([]byte(s.ID))
	c.mu.Lock()
	if k, ok := c.m[key]; ok && c.usable(k, s, now) {
		c.mu.Unlock()
		select {
		case <-k.done:
		case <-ctx.Done():
			return &check{done: closed, at: now, err: ctx.Err()}, false
		}
		return k, false
	}
	k = &check{done: make(chan struct{}), at: now}
	if len(c.m) >= c.max {
		c.prune(now)
	}
	if len(c.m) < c.max {
		c.m[key] = k
	}
	c.mu.Unlock()
	// The call is the session's, not this request's: a browser that goes
	// away must not fail the requests waiting for the answer.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), checkTimeout)
	k.perms, k.err = call(cctx)
	cancel()
	close(k.done)
	return k, true
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// usable reports whether k may stand for a check of s at now. The caller
// holds c.mu.
func (c *checks) usable(k *check, s *Session, now time.Time) bool {
	select {
	case <-k.done:
	default:
		return true // in flight
	}
	if k.at.Before(s.CheckedAt) {
		return false // the session knows a later answer
	}
	fresh := c.recheck
	if k.err != nil {
		fresh = min(fresh, failedCheckReuse)
	}
	return now.Sub(k.at) < fresh
}

// prune forgets finished checks that no request may use any more. The
// caller holds c.mu.
func (c *checks) prune(now time.Time) {
	for id, k := range c.m {
		select {
		case <-k.done:
			if now.Sub(k.at) >= c.recheck {
				delete(c.m, id)
			}
		default:
		}
	}
}

// forget drops the check of an ended session.
func (c *checks) forget(id string) {
	key := sha256.Sum256([]byte(id))
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}
