package erpauth

import (
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/internal/forwarded"
)

// maxTrackedAddresses bounds how many end-user addresses the failed
// sign-ins are counted for (about 1 MB). Anyone can add one with a failed
// sign-in from a new address, so it is the one thing of erpauth's that an
// anonymous client decides the size of.
const maxTrackedAddresses = 10_000

// limiter counts failed sign-ins per end-user address: an IPv4 address, or
// the /64 network of an IPv6 address (one subscriber usually holds a whole
// /64). A sign-in takes an attempt before it is sent to the ERP, so that a
// burst from one address cannot send more than the limit at once; the
// attempt is given back unless the ERP refused the sign-in (a wrong
// password, or its own limit). It is safe for concurrent use.
type limiter struct {
	max    int // failed sign-ins per window; < 0: no limit
	window time.Duration
	cap    int // addresses tracked at most

	mu sync.Mutex
	m  map[netip.Prefix]*bucket
}

type bucket struct {
	start time.Time // the window began with the first attempt after the last one ended
	n     int
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, cap: maxTrackedAddresses, m: map[netip.Prefix]*bucket{}}
}

// addressKey is what an address is counted under. An unknown address
// (the zero Addr) has a key of its own, shared by all such requests.
func addressKey(a netip.Addr) netip.Prefix {
	if !a.IsValid() {
		return netip.Prefix{}
	}
	a = a.Unmap().WithZone("")
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// take uses one attempt of a's; when none is left it reports how long
// until the window ends.
func (l *limiter) take(a netip.Addr, now time.Time) (ok bool, wait time.Duration) {
	if l.max < 0 {
		return true, 0
	}
	key := addressKey(a)
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.m[key]
	if b == nil || now.Sub(b.start) >= l.window {
		if b == nil && len(l.m) >= l.cap {
			l.makeRoom(now)
		}
		b = &bucket{start: now}
		l.m[key] = b
	}
	if b.n >= l.max {
		return false, b.start.Add(l.window).Sub(now)
	}
	b.n++
	return true, 0
}

// giveBack returns an attempt that take used: the ERP did not refuse the
// sign-in.
func (l *limiter) giveBack(a netip.Addr) {
	if l.max < 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.m[addressKey(a)]; b != nil && b.n > 0 {
		b.n--
	}
}

// makeRoom forgets the addresses whose window has ended, and if none has,
// the one whose window began first: an attacker who fills the table with
// fresh addresses resets the oldest of them, never makes the table grow.
// The caller holds l.mu.
func (l *limiter) makeRoom(now time.Time) {
	var oldest netip.Prefix
	var oldestStart time.Time
	for k, b := range l.m {
		if now.Sub(b.start) >= l.window {
			delete(l.m, k)
			continue
		}
		if oldestStart.IsZero() || b.start.Before(oldestStart) {
			oldest, oldestStart = k, b.start
		}
	}
	if len(l.m) >= l.cap {
		delete(l.m, oldest)
	}
}

// tracked is how many addresses the limiter holds.
func (l *limiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// remoteAddr is the address of the connection a request came on, the
// default Config.ClientAddr.
func remoteAddr(r *http.Request) netip.Addr {
	a, _ := forwarded.RemoteAddr(r.RemoteAddr)
	return a
}

// BehindProxies returns a Config.ClientAddr for an app behind reverse
// proxies of its own (a load balancer, a TLS terminator) at the trusted
// networks. A request from a trusted proxy is counted under the address
// that proxy names in X-Forwarded-For; the header is walked from the right,
// past every trusted hop, to the first address a trusted proxy vouched
// for (at most 32 hops; a hop may carry a port, an IPv6 one in brackets).
// What a client wrote further left, and the header of a request that did
// not come from a trusted proxy, are not believed: anyone can send the
// header. cloudspot-server's --trusted-proxies reads it by the same rule.
func BehindProxies(trusted ...netip.Prefix) func(*http.Request) netip.Addr {
	trusted = append([]netip.Prefix(nil), trusted...)
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return func(r *http.Request) netip.Addr { return forwarded.Client(r, isTrusted) }
}
