package erp

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// signInThrottle counts failed sign-ins per username in this process and
// refuses further attempts for a while once there were too many, so that
// passwords cannot be guessed at the speed of the hardware. It keys on the
// username as typed (lower-cased), known or not, so it reveals nothing
// about which usernames exist.
type signInThrottle struct {
	max    int           // failures allowed per window; 0 turns the throttle off
	window time.Duration // how long a failure counts
	mu     sync.Mutex
	fails  map[string][]time.Time
}

// maxThrottled bounds the memory the throttle takes: past it the oldest
// entries are dropped first.
const maxThrottled = 100_000

func newSignInThrottle(max int, window time.Duration) *signInThrottle {
	return &signInThrottle{max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked reports whether username has used up its failures at now.
func (t *signInThrottle) blocked(username string, now time.Time) bool {
	if t.max <= 0 {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(username)
	recent := t.recent(key, now)
	return len(recent) >= t.max
}

// failed records a failed sign-in of username at now.
func (t *signInThrottle) failed(username string, now time.Time) {
	if t.max <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(username)
	if _, ok := t.fails[key]; !ok && len(t.fails) >= maxThrottled {
		t.prune(now)
	}
	t.fails[key] = append(t.recent(key, now), now)
}

// succeeded forgets the failures of username.
func (t *signInThrottle) succeeded(username string) {
	if t.max <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, strings.ToLower(username))
}

// recent returns key's failures still inside the window; t.mu is held.
func (t *signInThrottle) recent(key string, now time.Time) []time.Time {
	fs := t.fails[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= t.window {
		i++
	}
	if i == len(fs) {
		delete(t.fails, key)
		return nil
	}
	t.fails[key] = fs[i:]
	return fs[i:]
}

// prune drops every entry whose failures are all outside the window and,
// if that is not enough, the tenth of the entries whose last failure is
// oldest; t.mu is held.
func (t *signInThrottle) prune(now time.Time) {
	for k := range t.fails {
		t.recent(k, now)
	}
	if len(t.fails) < maxThrottled {
		return
	}
	type entry struct {
		key  string
		last time.Time
	}
	all := make([]entry, 0, len(t.fails))
	for k, fs := range t.fails {
		all = append(all, entry{k, fs[len(fs)-1]})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].last.Before(all[j].last) })
	for _, e := range all[:len(all)/10+1] {
		delete(t.fails, e.key)
	}
}
