package erp

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestClientAddress(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.7:51234":                    "203.0.113.7",
		"203.0.113.7":                          "203.0.113.7",
		"[::ffff:203.0.113.7]:80":              "203.0.113.7",
		"[2001:db8:1:2:3:4:5:6]:443":           "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff:ffff:ffff:ffff]:1": "2001:db8:1:2::/64",
		"[fe80::1%eth0]:80":                    "fe80::/64",
		"[64:ff9b::203.0.113.7]:443":           "203.0.113.7",
		"64:ff9b::cb00:7107":                   "203.0.113.7",
		"::ffff:198.51.100.1":                  "198.51.100.1",
		"[64:ff9b:1::203.0.113.7]:443":         "64:ff9b:1::/64", // a local-use NAT64 prefix: not the well-known one
		"not an address":                       "",
		"":                                     "",
		"@":                                    "",
	} {
		if got := ClientAddress(in); got != want {
			t.Errorf("ClientAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAddressShare: an address past its share of password checks waits for
// one of its own slots, while another address goes ahead.
func TestAddressShare(t *testing.T) {
	t.Parallel()
	f := &inFlight{share: 1, keys: map[string]*keySlots{}}
	leave, err := f.enter(context.Background(), "203.0.113.7")
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.enter(cancelled, "203.0.113.7"); ErrorCode(err) != EUnavailable {
		t.Fatalf("a second check of a busy address: %v, want to wait (and give up with EUnavailable)", err)
	}
	other, err := f.enter(context.Background(), "198.51.100.1")
	if err != nil {
		t.Fatalf("another address: %v", err)
	}
	other()
	leave()
	if len(f.keys) != 0 {
		t.Errorf("%d addresses still tracked after every sign-in ended", len(f.keys))
	}
}

// TestAddressQueueIsBounded: past maxWaiting queued sign-ins an address is
// refused at once, so one client cannot pile up unbounded work.
func TestAddressQueueIsBounded(t *testing.T) {
	t.Parallel()
	f := &inFlight{share: 1, keys: map[string]*keySlots{}}
	f.keys["a"] = &keySlots{slots: make(chan struct{}, 1), users: 1 + maxWaiting}
	_, err := f.enter(context.Background(), "a")
	if e, ok := err.(*Error); !ok || e.Code != ETooMany || e.RetryAfter <= 0 {
		t.Fatalf("enter with a full queue: %v, want ETooMany with RetryAfter", err)
	}
}

func TestUsernameLength(t *testing.T) {
	t.Parallel()
	ok := strings.Repeat("é", MaxUsernameLen) // two bytes each: characters count, not bytes
	if err := checkUsername(ok); err != nil {
		t.Errorf("%d characters refused: %v", MaxUsernameLen, err)
	}
	if err := checkUsername(ok + "x"); ErrorCode(err) != EInvalid {
		t.Errorf("%d characters: %v, want EInvalid", MaxUsernameLen+1, err)
	}
	for _, bad := range []string{"demo\x00", "\x00", "demo\xff", "\xc3"} {
		if err := checkUsername(bad); ErrorCode(err) != EInvalid {
			t.Errorf("%q: %v, want EInvalid", bad, err)
		}
	}
}

// TestSignInWaitIsBounded: when every password check is taken for longer
// than SignInWait, a sign-in is told the server is busy while its own
// request is still alive, instead of queueing until the connection is cut.
func TestSignInWaitIsBounded(t *testing.T) {
	t.Parallel()
	svc, err := NewService(Config{Store: noUsers{}, Argon2: cheap, SignInWait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for range cap(svc.hashing) {
		svc.hashing <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = svc.SignInFrom(ctx, "203.0.113.7", "timeapp", "jan", "guess")
	if ErrorCode(err) != EUnavailable {
		t.Fatalf("sign-in with every check taken: %v, want EUnavailable", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the sign-in waited for its request to end instead of for SignInWait")
	}
}
