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

// MaxAppSlugLen is the longest app slug, in characters, that a sign-in may
// name in X-ERP-REQUESTOR: more than any slug CreateApp accepts (63), with
// room for the real ERP's. A longer one is refused with EInvalid before the
// password is checked, since an unknown app's sign-in stores its slug with
// the token.
const MaxAppSlugLen = 100

// Limit allows Max attempts in Window; the window starts with the first
// attempt after the previous one ended. Max < 0 turns the limit off.
type Limit struct {
	Max    int
	Window time.Duration
}

// SignInLimits are the limits a sign-in is counted against. The first three
// count failed attempts: an attempt is counted before its password is
// checked; a right password clears the username's counters and gives the
// address's counter its attempt back. Successes counts the sign-ins whose
// password was right.
type SignInLimits struct {
	// PerPair limits one username from one client address: the guessing
	// of one attacker at one account.
	PerPair Limit
	// PerUser limits one username from all addresses together: guessing
	// spread over many addresses. It is ten times PerPair, so that an
	// attacker who wants to lock the real user out must spend at least ten
	// addresses and as many attempts every window; and it does not apply
	// to an address the user signed in from before (see KnownAddressTTL),
	// so that the real user is not locked out at all there.
	PerUser Limit
	// PerAddress limits one client address over all usernames: password
	// spraying. Addresses are IPv4 addresses or IPv6 /64 networks.
	PerAddress Limit
	// Successes limits the sign-ins with a right password of one username
	// from all addresses together: each issues a token, so that a valid
	// password alone cannot fill the database. It is generous; past it the
	// sign-in is refused (ETooMany) after the password check.
	Successes Limit
	// Concurrent is how many password checks one address may have running
	// at once in this process: its share of the hashing capacity, so that
	// one client cannot starve everyone else's sign-ins; its further
	// sign-ins queue behind its own. 0 picks a quarter of the capacity
	// (at least one).
	Concurrent int
}

// DefaultSignInLimits returns the limits of a Service whose Config leaves
// them zero: 10 failures per username and address in 15 minutes, 100 per
// username (from addresses it never signed in from) in 15 minutes, 100 per
// address in 15 minutes, and 300 successful sign-ins per username a minute
// (five a second: a shared account signing in on many machines at once).
func DefaultSignInLimits() SignInLimits {
	return SignInLimits{
		PerPair:    Limit{Max: 10, Window: 15 * time.Minute},
		PerUser:    Limit{Max: 100, Window: 15 * time.Minute},
		PerAddress: Limit{Max: 100, Window: 15 * time.Minute},
		Successes:  Limit{Max: 300, Window: time.Minute},
	}
}

// LimitKey is one counter of a sign-in: a SHA-256 of what it counts, so
// that the database never holds a username someone typed (people type
// their password into the username field) nor grows with its length.
type LimitKey struct {
	Key   []byte
	Limit Limit
	// What says what the counter counts, for the audit log: "failures
	// for this username from this address", say.
	What string
	// PerUsername is set when the counter counts one username's attempts.
	PerUsername bool
	// Forget clears the counter on a successful sign-in rather than give
	// back one attempt: a client who knows the password is forgiven its
	// typos, but one user's success says nothing about the others behind
	// the same address.
	Forget bool
}

// withDefaults fills each zero limit from DefaultSignInLimits.
func (l SignInLimits) withDefaults(hashingSlots int) SignInLimits {
	def := DefaultSignInLimits()
	for _, p := range []struct{ l, d *Limit }{{&l.PerPair, &def.PerPair}, {&l.PerUser, &def.PerUser}, {&l.PerAddress, &def.PerAddress}, {&l.Successes, &def.Successes}} {
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
// from inside the process) only the username is counted. From an address
// the user signed in from before (known), the username's own counter is
// left out: failures elsewhere do not lock the user out there.
func (l SignInLimits) keys(username, address string, known bool) []LimitKey {
	var out []LimitKey
	add := func(lim Limit, forget bool, what string, parts ...string) {
		if lim.Max >= 0 {
			out = append(out, LimitKey{Key: hashParts(parts...), Limit: lim, Forget: forget, What: what, PerUsername: parts[0] != "address"})
		}
	}
	if address != "" {
		add(l.PerPair, true, "failures for this username from this address", "pair", username, address)
		add(l.PerAddress, false, "failures from this address", "address", address)
	}
	if !known {
		add(l.PerUser, true, "failures for this username", "user", username)
	}
	return out
}

// successKeys returns the counter of a username's successful sign-ins.
func (l SignInLimits) successKeys(username string) []LimitKey {
	if l.Successes.Max < 0 {
		return nil
	}
	return []LimitKey{{Key: hashParts("success", username), Limit: l.Successes, What: "successful sign-ins for this username (the password was right)", PerUsername: true}}
}

// hashParts is the SHA-256 of parts, each with its length in front, so that
// ("a", "bc") and ("ab", "c") differ: the key of a counter, a remembered
// address or an aggregated audit entry.
func hashParts(parts ...string) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p)) + ":" + p))
	}
	return h.Sum(nil)
}

// nat64 is the well-known prefix of NAT64 (RFC 6052): 64:ff9b::a.b.c.d is
// the IPv4 client a.b.c.d reached over IPv6.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// ClientAddress turns a remote address ("host:port" or a bare IP) into the
// key its limits are counted under: the IPv4 address, or the /64 network of
// an IPv6 address, since one subscriber usually holds a whole /64. An IPv4
// address written in IPv6 (IPv4-mapped ::ffff:a.b.c.d, or NAT64's
// 64:ff9b::a.b.c.d) is that IPv4 address: otherwise every client behind a
// NAT64 gateway would share the gateway's one /64. It returns "" for what
// is not an IP address.
func ClientAddress(remote string) string {
	ap, err := netip.ParseAddrPort(remote)
	var a netip.Addr
	if err == nil {
		a = ap.Addr()
	} else if a, err = netip.ParseAddr(remote); err != nil {
		return ""
	}
	a = a.Unmap().WithZone("")
	if nat64.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte(b[12:]))
	}
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

// checkRequestor refuses an app slug longer than MaxAppSlugLen, and text no
// slug can hold, before anything about a sign-in is counted or checked.
func checkRequestor(slug string) error {
	switch {
	case slug == "":
		return Errorf(EInvalid, "The X-ERP-REQUESTOR header is required.")
	case len(slug) > MaxAppSlugLen && utf8.RuneCountInString(slug) > MaxAppSlugLen:
		return Errorf(EInvalid, "The X-ERP-REQUESTOR header is longer than %d characters.", MaxAppSlugLen)
	case !utf8.ValidString(slug) || strings.ContainsRune(slug, 0):
		return Errorf(EInvalid, "The X-ERP-REQUESTOR header holds a character that no app slug has.")
	}
	return nil
}

// maxWaiting bounds the sign-ins one address may have waiting for its
// share of the hashing capacity; more are refused at once.
const maxWaiting = 64

// maxWaitingPerUsername bounds the sign-ins of one username waiting for
// their turn to be counted against its per-username limit: as many as
// the server takes connections in practice, so that a crowd of right
// passwords (one user on many machines) waits rather than fails; more are
// refused at once.
const maxWaitingPerUsername = 4096

// inFlight gives each key (a client address, or a username) its share of
// the sign-ins in progress in this process: a key's sign-ins beyond its
// share wait for one of its own slots, not for everyone's. Entries exist
// only while a sign-in of that key is in progress, so the map is bounded
// by the connections the server holds.
type inFlight struct {
	mu    sync.Mutex
	share int
	// waiting bounds the sign-ins of one key that wait for a slot; 0 is
	// maxWaiting.
	waiting int
	keys    map[string]*keySlots
}

type keySlots struct {
	slots chan struct{}
	users int // running and waiting
}

// enter waits for one of key's slots and returns the function that gives
// it back. It fails with ETooMany when too many of the key's sign-ins are
// waiting already, and with EUnavailable when ctx ends first. The empty
// key waits for nothing.
func (f *inFlight) enter(ctx context.Context, key string) (leave func(), err error) {
	if key == "" {
		return func() {}, nil
	}
	waiting := f.waiting
	if waiting <= 0 {
		waiting = maxWaiting
	}
	f.mu.Lock()
	a := f.keys[key]
	if a == nil {
		a = &keySlots{slots: make(chan struct{}, f.share)}
		f.keys[key] = a
	}
	if a.users >= f.share+waiting {
		f.mu.Unlock()
		return nil, tooManySignIns(time.Second)
	}
	a.users++
	f.mu.Unlock()
	release := func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if a.users--; a.users == 0 {
			delete(f.keys, key)
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

// countSignIn counts one attempt of username from address against keys.
// It fails with ETooMany, with the time to wait, when any limit is used up;
// the refused attempt is then counted nowhere, and recorded in the audit
// log (see auditRefused).
func (s *Service) countSignIn(ctx context.Context, keys []LimitKey, now time.Time, app, username, address string) error {
	if len(keys) == 0 {
		return nil
	}
	by, until, err := s.signIns.CountSignIn(ctx, keys, now)
	if err != nil || by < 0 {
		return err
	}
	s.auditRefused(ctx, keys[by], app, username, address)
	return tooManySignIns(until.Sub(now))
}

// auditRefused records a sign-in that the limit of k refused: the refusals
// of one counter within a minute share an entry, which names the username
// only when the counter is a username's (and a user of that name exists).
func (s *Service) auditRefused(ctx context.Context, k LimitKey, app, username, address string) {
	e := AuditEvent{Action: AuditThrottled, App: app, Address: address, Detail: "refused: the limit of " + k.What}
	if k.PerUsername {
		e.Username = username
	}
	s.auditAttempt(ctx, e, k.Key)
}

// countSuccess counts a sign-in whose password was right against the
// Successes limit; past it the error is ETooMany, and no token is issued.
func (s *Service) countSuccess(ctx context.Context, username, app, address string, now time.Time) error {
	err := s.countSignIn(ctx, s.limits.successKeys(username), now, app, username, address)
	if e, ok := err.(*Error); ok && e.Code == ETooMany {
		return &Error{Code: ETooMany, Message: "Too many sign-ins for this user; try again later.", RetryAfter: e.RetryAfter}
	}
	return err
}

// tooManySignIns is the refusal of a throttled sign-in; it says nothing
// about whether the username exists.
func tooManySignIns(wait time.Duration) *Error {
	if wait < time.Second {
		wait = time.Second
	}
	return &Error{Code: ETooMany, Message: "Too many failed sign-ins; try again later.", RetryAfter: wait}
}
