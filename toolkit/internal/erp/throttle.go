package erp

import (
	"context"
	"crypto/sha256"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MaxUsernameLen is the longest username, in characters, that a sign-in may
// carry (the ERP's own limit). A longer one is refused with EInvalid before
// it is counted, looked up or stored anywhere.
const MaxUsernameLen = 150

// Limit allows Max attempts in Window; the window starts with the first
// attempt after the previous one ended. Max < 0 turns the limit off.
type Limit struct {
	Max    int
	Window time.Duration
}

// SignInLimits are the three limits a sign-in is counted against. Each
// counts failed attempts: an attempt is counted before its password is
// checked; a right password clears the username's counters and gives the
// address's counter its attempt back.
type SignInLimits struct {
	// PerPair limits one username from one client address: the guessing
	// of one attacker at one account.
	PerPair Limit
	// PerUser limits one username from all addresses together. It is
	// higher than PerPair and its window short, so that an attacker
	// elsewhere can lock the real user out only by spending many
	// addresses, and only for one short window at a time.
	PerUser Limit
	// PerAddress limits one client address over all usernames: password
	// spraying. Addresses are IPv4 addresses or IPv6 /64 networks.
	PerAddress Limit
	// Concurrent is how many password checks one address may have running
	// at once in this process: its share of the hashing capacity, so that
	// one client cannot starve everyone else's sign-ins; its further
	// sign-ins queue behind its own. 0 picks a quarter of the capacity
	// (at least one).
	Concurrent int
}

// DefaultSignInLimits returns the limits of a Service whose Config leaves
// them zero: 10 failures per username and address in 15 minutes, 30 per
// username in 5 minutes, 100 per address in 15 minutes.
func DefaultSignInLimits() SignInLimits {
	return SignInLimits{
		PerPair:    Limit{Max: 10, Window: 15 * time.Minute},
		PerUser:    Limit{Max: 30, Window: 5 * time.Minute},
		PerAddress: Limit{Max: 100, Window: 15 * time.Minute},
	}
}

// LimitKey is one counter of a sign-in: a SHA-256 of what it counts, so
// that the database never holds a username someone typed (people type
// their password into the username field) nor grows with its length.
type LimitKey struct {
	Key   []byte
	Limit Limit
	// Forget clears the counter on a successful sign-in rather than give
	// back one attempt: a client who knows the password is forgiven its
	// typos, but one user's success says nothing about the others behind
	// the same address.
	Forget bool
}

// withDefaults fills each zero limit from DefaultSignInLimits.
func (l SignInLimits) withDefaults(hashingSlots int) SignInLimits {
	def := DefaultSignInLimits()
	for _, p := range []struct{ l, d *Limit }{{&l.PerPair, &def.PerPair}, {&l.PerUser, &def.PerUser}, {&l.PerAddress, &def.PerAddress}} {
		if p.l.Max == 0 {
			p.l.Max = p.d.Max
		}
		if p.l.Window <= 0 {
			p.l.Window = p.d.Window
		}
	}
	if l.Concurrent <= 0 {
		l.Concurrent = max(1, hashingSlots/4)
	}
	return l
}

// keys returns the counters a sign-in of username from address uses, in a
// fixed order (pair, address, user) so that concurrent transactions lock
// rows in the same order and cannot deadlock. Without an address (a call
// from inside the process) only the username is counted.
func (l SignInLimits) keys(username, address string) []LimitKey {
	var out []LimitKey
	add := func(lim Limit, forget bool, parts ...string) {
		if lim.Max < 0 {
			return
		}
		h := sha256.New()
		for _, p := range parts {
			// Length prefixes keep ("a", "bc") apart from ("ab", "c").
			h.Write([]byte(strconv.Itoa(len(p)) + ":" + p))
		}
		out = append(out, LimitKey{Key: h.Sum(nil), Limit: lim, Forget: forget})
	}
	if address != "" {
		add(l.PerPair, true, "pair", username, address)
		add(l.PerAddress, false, "address", address)
	}
	add(l.PerUser, true, "user", username)
	return out
}

// ClientAddress turns a remote address ("host:port" or a bare IP) into the
// key its limits are counted under: the IPv4 address, or the /64 network of
// an IPv6 address, since one subscriber usually holds a whole /64. It
// returns "" for what is not an IP address.
func ClientAddress(remote string) string {
	ap, err := netip.ParseAddrPort(remote)
	var a netip.Addr
	if err == nil {
		a = ap.Addr()
	} else if a, err = netip.ParseAddr(remote); err != nil {
		return ""
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// checkUsername refuses usernames longer than MaxUsernameLen, and text no
// username can hold (NUL, invalid UTF-8), which PostgreSQL cannot even
// compare; it runs before anything about a sign-in is counted or stored.
func checkUsername(username string) error {
	if len(username) > MaxUsernameLen && utf8.RuneCountInString(username) > MaxUsernameLen {
		return Errorf(EInvalid, "The username is longer than %d characters.", MaxUsernameLen)
	}
	if !utf8.ValidString(username) || strings.ContainsRune(username, 0) {
		return Errorf(EInvalid, "The username holds a character that no username has.")
	}
	return nil
}

// maxWaiting bounds the sign-ins one address may have waiting for its
// share of the hashing capacity; more are refused at once.
const maxWaiting = 64

// inFlight gives each address its share of the password checks in this
// process: an address's sign-ins beyond its share wait for one of its own
// slots, not for everyone's. Entries exist only while a sign-in of that
// address is in progress, so the map is bounded by the connections the
// server holds.
type inFlight struct {
	mu    sync.Mutex
	share int
	addrs map[string]*addressSlots
}

type addressSlots struct {
	slots chan struct{}
	users int // running and waiting
}

// enter waits for one of address's slots and returns the function that
// gives it back. It fails with ETooMany when too many of the address's
// sign-ins are waiting already, and with EUnavailable when ctx ends first.
func (f *inFlight) enter(ctx context.Context, address string) (leave func(), err error) {
	if address == "" {
		return func() {}, nil
	}
	f.mu.Lock()
	a := f.addrs[address]
	if a == nil {
		a = &addressSlots{slots: make(chan struct{}, f.share)}
		f.addrs[address] = a
	}
	if a.users >= f.share+maxWaiting {
		f.mu.Unlock()
		return nil, tooManySignIns(time.Second)
	}
	a.users++
	f.mu.Unlock()
	release := func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if a.users--; a.users == 0 {
			delete(f.addrs, address)
		}
	}
	select {
	case a.slots <- struct{}{}:
		return func() { <-a.slots; release() }, nil
	case <-ctx.Done():
		release()
		return nil, errBusy()
	}
}

// countSignIn counts one attempt against every limit before the password
// is checked. It fails with ETooMany, with the time to wait, when any limit
// is used up; the refused attempt is then counted nowhere.
func (s *Service) countSignIn(ctx context.Context, keys []LimitKey, now time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	until, err := s.signIns.CountSignIn(ctx, keys, now)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return tooManySignIns(until.Sub(now))
	}
	return nil
}

// tooManySignIns is the refusal of a throttled sign-in; it says nothing
// about whether the username exists.
func tooManySignIns(wait time.Duration) *Error {
	if wait < time.Second {
		wait = time.Second
	}
	return &Error{Code: ETooMany, Message: "Too many failed sign-ins; try again later.", RetryAfter: wait}
}
