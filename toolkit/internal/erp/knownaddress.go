package erp

import (
	"context"
	"time"
)

// KnownAddress is an address (IPv4, or IPv6 /64, as ClientAddress gives
// it) that a user signed in from with a right password: OWASP's device
// cookie, applied to addresses. From a known address a user is spared the
// per-username limit, so that an attacker who locks the username from
// elsewhere does not lock the user out where they usually sign in. Key is
// the SHA-256 of the username and the address, so that a lookup before the
// password check costs the same for every username and no address is
// stored beside the user in the clear.
type KnownAddress struct {
	Key    []byte
	UserID int64
	// Until is when the address is forgotten unless the user signs in
	// from it again.
	Until time.Time
}

// KnownAddressTTL is how long an address stays known after the user's last
// successful sign-in from it.
const KnownAddressTTL = 30 * 24 * time.Hour

// MaxKnownAddresses is how many addresses are known per user: the newest
// ones. A user with a valid password cannot make the table grow without
// bound, and a laptop's many networks still fit.
const MaxKnownAddresses = 20

func knownAddressKey(username, address string) []byte {
	return hashParts("known", username, address)
}

// isKnownAddress reports whether username signed in from address before.
// It runs for every sign-in with an address, before the password check, so
// it costs the same for known and unknown usernames.
func (s *Service) isKnownAddress(ctx context.Context, username, address string, now time.Time) (bool, error) {
	if address == "" {
		return false, nil
	}
	return s.signIns.IsKnownAddress(ctx, knownAddressKey(username, address), now)
}

// rememberAddress records a successful sign-in of u from address. A
// failure is logged, not returned: the sign-in itself succeeded.
func (s *Service) rememberAddress(ctx context.Context, u *User, address string, now time.Time) {
	if address == "" {
		return
	}
	a := KnownAddress{Key: knownAddressKey(u.Username, address), UserID: u.ID, Until: now.Add(KnownAddressTTL)}
	if err := s.signIns.RememberAddress(ctx, a, MaxKnownAddresses); err != nil {
		s.log.Warn("remembering the address of a successful sign-in failed", "err", err)
	}
}
