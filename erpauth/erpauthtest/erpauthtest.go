// Package erpauthtest holds the conformance suite of erpauth's Store: the
// behaviour erpauth relies on, which a store of your own (on Redis, on
// SQL) must have too. Run it from a test:
//
//	func TestMyStore(t *testing.T) {
//		erpauthtest.TestStore(t, func(t *testing.T) erpauth.Store {
//			return mystore.New(t) // a new, empty store of its own
//		})
//	}
//
// It uses the standard library only.
package erpauthtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

// TestStore runs the conformance suite against the stores that newStore
// makes: each call must return a new, empty store that shares no sessions
// with the others, and that judges expiry by the wall clock. Its subtests
// run in parallel; run it with -race.
func TestStore(t *testing.T, newStore func(t *testing.T) erpauth.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		test func(*testing.T, func(*testing.T) erpauth.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"LoadGivesACopy", testLoadGivesACopy},
		{"Update", testUpdate},
		{"DeleteEndsEveryCopy", testDeleteEndsEveryCopy},
		{"UnknownAndMalformed", testUnknownAndMalformed},
		{"Tampered", testTampered},
		{"OtherStore", testOtherStore},
		{"Expired", testExpired},
		{"CookieRevealsNothing", testCookieRevealsNothing},
		{"CookieFitsACookie", testCookieFitsACookie},
		{"Independent", testIndependent},
		{"Concurrent", testConcurrent},
		{"NoResurrection", testNoResurrection},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.test(t, newStore)
		})
	}
}

// newSession returns a session with every field set, its times in whole
// seconds (a store may keep less than nanoseconds) and its absolute end an
// hour away.
func newSession() *erpauth.Session {
	now := time.Now().Truncate(time.Second)
	return &erpauth.Session{
		ID:   random(32),
		CSRF: random(32),
		User: erpauth.User{Username: "jan.peeters", FirstName: "Jan", LastName: "Peeters", Email: "jan@koffiehuis.example",
			Company:     "0f4a2c6e-3b1d-4e8a-9c57-6d2e1f8b4a90",
			Permissions: cloudspot.Permissions{"timeapp_use", "timeapp_timetracking_use", "timeapp_timetracking_create"},
			Token:       "csu_" + random(40)},
		Created: now.Add(-10 * time.Minute), LastSeen: now.Add(-time.Minute), CheckedAt: now.Add(-2 * time.Minute),
		Expires: now.Add(time.Hour),
	}
}

func random(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// same describes how got differs from want, or returns "".
func same(want, got *erpauth.Session) string {
	var diffs []string
	check := func(name string, ok bool, w, g any) {
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: got %v, want %v", name, g, w))
		}
	}
	wu, gu := want.User, got.User
	check("ID", want.ID == got.ID, want.ID, got.ID)
	check("CSRF", want.CSRF == got.CSRF, want.CSRF, got.CSRF)
	check("Username", wu.Username == gu.Username, wu.Username, gu.Username)
	check("FirstName", wu.FirstName == gu.FirstName, wu.FirstName, gu.FirstName)
	check("LastName", wu.LastName == gu.LastName, wu.LastName, gu.LastName)
	check("Email", wu.Email == gu.Email, wu.Email, gu.Email)
	check("Company", wu.Company == gu.Company, wu.Company, gu.Company)
	check("Permissions", slices.Equal(wu.Permissions, gu.Permissions), wu.Permissions, gu.Permissions)
	check("Token", wu.Token == gu.Token, "the token", "another token")
	check("Created", want.Created.Equal(got.Created), want.Created, got.Created)
	check("LastSeen", want.LastSeen.Equal(got.LastSeen), want.LastSeen, got.LastSeen)
	check("CheckedAt", want.CheckedAt.Equal(got.CheckedAt), want.CheckedAt, got.CheckedAt)
	check("Expires", want.Expires.Equal(got.Expires), want.Expires, got.Expires)
	return strings.Join(diffs, "\n")
}

func create(t *testing.T, st erpauth.Store, s *erpauth.Session) string {
	t.Helper()
	cookie, err := st.Create(context.Background(), s)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return cookie
}

func load(t *testing.T, st erpauth.Store, cookie string) *erpauth.Session {
	t.Helper()
	s, err := st.Load(context.Background(), cookie)
	if err != nil {
		t.Fatalf("Load of a live session: %v", err)
	}
	return s
}

func wantGone(t *testing.T, st erpauth.Store, cookie, why string) {
	t.Helper()
	s, err := st.Load(context.Background(), cookie)
	if !errors.Is(err, erpauth.ErrNoSession) {
		t.Errorf("Load %s: %v, %v; want erpauth.ErrNoSession", why, s, err)
	}
}

func testRoundTrip(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	st := newStore(t)
	s := newSession()
	got := load(t, st, create(t, st, s))
	if d := same(s, got); d != "" {
		t.Errorf("a session loaded is not the one created:\n%s", d)
	}
	// No permissions at all is a session too.
	s = newSession()
	s.User.Permissions = cloudspot.Permissions{}
	if got := load(t, st, create(t, st, s)); len(got.User.Permissions) != 0 {
		t.Errorf("permissions %q, want none", got.User.Permissions)
	}
}

func testLoadGivesACopy(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	st := newStore(t)
	s := newSession()
	cookie := create(t, st, s)
	want := newSession()
	*want = *s
	want.User.Permissions = slices.Clone(s.User.Permissions)
	s.User.Permissions[0] = "changed after Create"
	s.LastSeen = time.Time{}
	got := load(t, st, cookie)
	got.User.Permissions[0] = "changed after Load"
	got.CSRF = "changed after Load"
	if d := same(want, load(t, st, cookie)); d != "" {
		t.Errorf("changing a session after Create or Load changed the stored one:\n%s", d)
	}
}

func testUpdate(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	st := newStore(t)
	s := newSession()
	cookie := create(t, st, s)
	s = load(t, st, cookie)
	s.LastSeen = s.LastSeen.Add(time.Minute)
	s.CheckedAt = s.CheckedAt.Add(2 * time.Minute)
	s.User.Permissions = cloudspot.Permissions{"timeapp_use"}
	cookie, err := st.Update(context.Background(), s)
	if err != nil {
		t.Fatalf("Update of a live session: %v", err)
	}
	if d := same(s, load(t, st, cookie)); d != "" {
		t.Errorf("a session loaded after Update is not the one stored:\n%s", d)
	}
}

func testDeleteEndsEveryCopy(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	ctx := context.Background()
	st := newStore(t)
	s := newSession()
	first := create(t, st, s)
	s.LastSeen = s.LastSeen.Add(time.Minute)
	second, err := st.Update(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, s); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantGone(t, st, first, "of the cookie from Create after Delete")
	wantGone(t, st, second, "of the cookie from Update after Delete")
	if _, err := st.Update(ctx, s); !errors.Is(err, erpauth.ErrNoSession) {
		t.Errorf("Update after Delete: %v, want erpauth.ErrNoSession", err)
	}
	wantGone(t, st, second, "after an Update of a deleted session")
	if err := st.Delete(ctx, s); err != nil {
		t.Errorf("Delete again: %v, want nil", err)
	}
	if err := st.Delete(ctx, newSession()); err != nil {
		t.Errorf("Delete of a session never stored: %v, want nil", err)
	}
}

func testUnknownAndMalformed(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	st := newStore(t)
	create(t, st, newSession())
	for _, c := range []string{"", "x", random(32), random(64), strings.Repeat("A", 43), strings.Repeat("a", 5000), strings.Repeat("é", 30),
		"%00", "\x00\x01", "a b", `"quoted"`, "AQ", base64.RawURLEncoding.EncodeToString([]byte{1}), base64.RawURLEncoding.EncodeToString(make([]byte, 200))} {
		wantGone(t, st, c, fmt.Sprintf("of the cookie %.40q", c))
	}
}

func testTampered(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	st := newStore(t)
	cookie := create(t, st, newSession())
	for _, i := range []int{0, len(cookie) / 2, len(cookie) - 1} {
		b := []byte(cookie)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		wantGone(t, st, string(b), fmt.Sprintf("of the cookie with its byte %d changed", i))
	}
	wantGone(t, st, cookie[:len(cookie)-1], "of the cookie cut short")
	wantGone(t, st, cookie+"A", "of the cookie made longer")
}

func testOtherStore(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	a, b := newStore(t), newStore(t)
	wantGone(t, b, create(t, a, newSession()), "in another store of a cookie from the first")
}

func testExpired(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	ctx := context.Background()
	st := newStore(t)
	s := newSession()
	s.Expires = time.Now().Add(-time.Second)
	cookie, err := st.Create(ctx, s)
	if err != nil {
		return // a store may refuse it at once
	}
	wantGone(t, st, cookie, "of a session past its Expires")
	if _, err := st.Update(ctx, s); !errors.Is(err, erpauth.ErrNoSession) {
		t.Errorf("Update of a session past its Expires: %v, want erpauth.ErrNoSession", err)
	}
}

// testCookieRevealsNothing: the cookie is the browser's to read, and the
// browser's user, scripts of a page with a flaw, a proxy's log. No field
// of the session may be in it, as it is or in base64.
func testCookieRevealsNothing(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	st := newStore(t)
	s := newSession()
	cookie := create(t, st, s)
	views := [][]byte{[]byte(cookie)}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(cookie); err == nil {
			views = append(views, b)
		}
	}
	secrets := map[string]string{"token": s.User.Token, "form token": s.CSRF, "username": s.User.Username,
		"email": s.User.Email, "company": s.User.Company, "a permission": s.User.Permissions[1]}
	for name, secret := range secrets {
		for _, v := range views {
			if bytes.Contains(v, []byte(secret)) {
				t.Errorf("the cookie shows the session's %s", name)
			}
		}
	}
}

func testCookieFitsACookie(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	st := newStore(t)
	cookie := create(t, st, newSession())
	if len(cookie) == 0 || len(cookie) > 4000 {
		t.Errorf("the cookie has %d bytes; want 1 to 4000 (browsers keep 4096, name and attributes included)", len(cookie))
	}
	for _, c := range []byte(cookie) {
		// RFC 6265's cookie-octet: printable ASCII but space, ", comma, ; and \.
		if c <= ' ' || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\' {
			t.Errorf("the cookie holds %q, which a cookie may not", c)
			break
		}
	}
	if other := create(t, st, newSession()); other == cookie {
		t.Error("two sessions have the same cookie")
	}
}

func testIndependent(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	ctx := context.Background()
	st := newStore(t)
	a, b := newSession(), newSession()
	ca, cb := create(t, st, a), create(t, st, b)
	if err := st.Delete(ctx, a); err != nil {
		t.Fatal(err)
	}
	wantGone(t, st, ca, "of a deleted session")
	if d := same(b, load(t, st, cb)); d != "" {
		t.Errorf("deleting one session changed another:\n%s", d)
	}
}

// testConcurrent: many sessions created, loaded, updated and deleted at
// once, as a busy app does.
func testConcurrent(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	ctx := context.Background()
	st := newStore(t)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			s := newSession()
			cookie, err := st.Create(ctx, s)
			if err != nil {
				t.Errorf("Create: %v", err)
				return
			}
			for i := range 10 {
				got, err := st.Load(ctx, cookie)
				if err != nil {
					t.Errorf("Load: %v", err)
					return
				}
				if got.ID != s.ID || got.User.Token != s.User.Token {
					t.Error("Load gave another session")
					return
				}
				got.LastSeen = got.LastSeen.Add(time.Duration(i) * time.Second)
				if cookie, err = st.Update(ctx, got); err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
			if err := st.Delete(ctx, s); err != nil {
				t.Errorf("Delete: %v", err)
				return
			}
			if _, err := st.Load(ctx, cookie); !errors.Is(err, erpauth.ErrNoSession) {
				t.Errorf("Load after Delete: %v, want erpauth.ErrNoSession", err)
			}
		})
	}
	wg.Wait()
}

// testNoResurrection: requests of a session still update it while a logout
// deletes it; once Delete has returned, no Update brings it back.
func testNoResurrection(t *testing.T, newStore func(*testing.T) erpauth.Store) {
	ctx := context.Background()
	st := newStore(t)
	for range 20 {
		s := newSession()
		cookie := create(t, st, s)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 8 {
			wg.Go(func() {
				<-start
				for range 20 {
					got, err := st.Load(ctx, cookie)
					if err != nil {
						return
					}
					got.LastSeen = got.LastSeen.Add(time.Second)
					st.Update(ctx, got)
				}
			})
		}
		close(start)
		if err := st.Delete(ctx, s); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		wantGone(t, st, cookie, "of a session deleted while it was being updated")
		if _, err := st.Update(ctx, s); !errors.Is(err, erpauth.ErrNoSession) {
			t.Fatalf("Update after Delete: %v, want erpauth.ErrNoSession", err)
		}
	}
}
