package storetest

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// consoleTests hold erp.ConsoleStore to its rules: console users apart
// from ERP users, sessions by hash read with their user, and sessions
// ended with a deactivation or a new password, in the same transaction.
var consoleTests = []test{
	{"ConsoleUsers", testConsoleUsers},
	{"ConsoleSessions", testConsoleSessions},
	{"SessionsEndWithTheUser", testConsoleSessionsEnd},
	{"PurgeConsoleSessions", testPurgeConsoleSessions},
	{"ConsoleKey", testConsoleKey},
}

func newConsoleUser(t *testing.T, st erp.ConsoleStore, name string) *erp.ConsoleUser {
	t.Helper()
	u := &erp.ConsoleUser{Username: name, PasswordHash: "$argon2id$" + name, Active: true, CreatedAt: t0}
	check(t, st.CreateConsoleUser(ctx, u))
	if u.ID == 0 {
		t.Fatal("CreateConsoleUser set no id")
	}
	return u
}

func newConsoleSession(t *testing.T, st erp.ConsoleStore, userID int64, n byte) *erp.ConsoleSession {
	t.Helper()
	s := &erp.ConsoleSession{Hash: hash(n), UserID: userID, CreatedAt: t0, LastSeenAt: t0}
	check(t, st.CreateConsoleSession(ctx, s))
	return s
}

func testConsoleUsers(t *testing.T, st erp.Store) {
	if us := erptest.Must(st.ConsoleUsers(ctx))(t); len(us) != 0 || us == nil {
		t.Fatalf("ConsoleUsers of an empty store = %#v, want an empty, non-nil list", us)
	}
	// An ERP user of the same name is another account.
	newFixture(t, st, "acme")
	b := newConsoleUser(t, st, "user-acme")
	a := newConsoleUser(t, st, "Anna")
	got := erptest.Must(st.ConsoleUserByUsername(ctx, "Anna"))(t)
	sameTime(t, "CreatedAt", got.CreatedAt, t0)
	if !reflect.DeepEqual(*got, *a) {
		t.Errorf("ConsoleUserByUsername = %+v, want %+v", *got, *a)
	}
	_, err := st.ConsoleUserByUsername(ctx, "anna")
	wantCode(t, "a console username in another case", err, erp.ENotFound)
	_, err = st.ConsoleUserByUsername(ctx, "nul\x00")
	wantCode(t, "a console username with a NUL", err, erp.ENotFound)
	err = st.CreateConsoleUser(ctx, &erp.ConsoleUser{Username: "Anna", PasswordHash: "h", Active: true, CreatedAt: t0})
	wantCode(t, "a second console user of one name", err, erp.EConflict)
	var names []string
	for _, u := range erptest.Must(st.ConsoleUsers(ctx))(t) {
		names = append(names, u.Username)
	}
	if want := []string{"Anna", "user-acme"}; !reflect.DeepEqual(names, want) {
		t.Errorf("ConsoleUsers %q, want %q (bytewise)", names, want)
	}
	check(t, st.SetConsoleUserPassword(ctx, b.ID, "$argon2id$new"))
	if got := erptest.Must(st.ConsoleUserByUsername(ctx, "user-acme"))(t).PasswordHash; got != "$argon2id$new" {
		t.Errorf("password hash %q after setting it", got)
	}
	wantCode(t, "the password of a missing console user", st.SetConsoleUserPassword(ctx, b.ID+100, "h"), erp.ENotFound)
	wantCode(t, "deactivating a missing console user", st.SetConsoleUserActive(ctx, b.ID+100, false), erp.ENotFound)
	check(t, st.SetConsoleUserActive(ctx, a.ID, false))
	if erptest.Must(st.ConsoleUserByUsername(ctx, "Anna"))(t).Active {
		t.Error("a deactivated console user reads back active")
	}
	check(t, st.SetConsoleUserActive(ctx, a.ID, true))
	if !erptest.Must(st.ConsoleUserByUsername(ctx, "Anna"))(t).Active {
		t.Error("a reactivated console user reads back inactive")
	}
}

func testConsoleSessions(t *testing.T, st erp.Store) {
	u := newConsoleUser(t, st, "anna")
	s := newConsoleSession(t, st, u.ID, 1)
	other := newConsoleSession(t, st, u.ID, 2)
	if s.ID == 0 || s.ID == other.ID {
		t.Fatalf("session ids %d and %d", s.ID, other.ID)
	}
	gs, gu, err := st.ConsoleSessionByHash(ctx, s.Hash)
	check(t, err)
	if !reflect.DeepEqual(*gs, *s) || !reflect.DeepEqual(*gu, *u) {
		t.Errorf("ConsoleSessionByHash = %+v, %+v; want %+v, %+v", *gs, *gu, *s, *u)
	}
	_, _, err = st.ConsoleSessionByHash(ctx, hash(9))
	wantCode(t, "an unknown session", err, erp.ENotFound)
	_, _, err = st.ConsoleSessionByHash(ctx, s.Hash[:31])
	wantCode(t, "a session hash cut short", err, erp.ENotFound)
	check(t, st.TouchConsoleSession(ctx, s.ID, t0.Add(time.Minute)))
	gs, _, err = st.ConsoleSessionByHash(ctx, s.Hash)
	check(t, err)
	sameTime(t, "LastSeenAt after a touch", gs.LastSeenAt, t0.Add(time.Minute))
	sameTime(t, "CreatedAt after a touch", gs.CreatedAt, t0)
	check(t, st.DeleteConsoleSession(ctx, s.ID))
	_, _, err = st.ConsoleSessionByHash(ctx, s.Hash)
	wantCode(t, "a deleted session", err, erp.ENotFound)
	check(t, st.DeleteConsoleSession(ctx, s.ID)) // gone already: no error
	if _, _, err := st.ConsoleSessionByHash(ctx, other.Hash); err != nil {
		t.Errorf("the user's other session: %v", err)
	}
}

func testConsoleSessionsEnd(t *testing.T, st erp.Store) {
	a := newConsoleUser(t, st, "anna")
	b := newConsoleUser(t, st, "bert")
	sa := newConsoleSession(t, st, a.ID, 1)
	sb := newConsoleSession(t, st, b.ID, 2)
	check(t, st.SetConsoleUserActive(ctx, a.ID, false))
	_, _, err := st.ConsoleSessionByHash(ctx, sa.Hash)
	wantCode(t, "a deactivated console user's session", err, erp.ENotFound)
	if _, _, err := st.ConsoleSessionByHash(ctx, sb.Hash); err != nil {
		t.Errorf("another console user's session after a deactivation: %v", err)
	}
	check(t, st.SetConsoleUserPassword(ctx, b.ID, "$argon2id$new"))
	_, _, err = st.ConsoleSessionByHash(ctx, sb.Hash)
	wantCode(t, "a session after its user's password changed", err, erp.ENotFound)
	check(t, st.SetConsoleUserActive(ctx, a.ID, true))
	newConsoleSession(t, st, a.ID, 3)
}

func testPurgeConsoleSessions(t *testing.T, st erp.Store) {
	u := newConsoleUser(t, st, "anna")
	idle := newConsoleSession(t, st, u.ID, 1)
	old := &erp.ConsoleSession{Hash: hash(2), UserID: u.ID, CreatedAt: t0, LastSeenAt: t0.Add(2 * time.Hour)}
	check(t, st.CreateConsoleSession(ctx, old))
	live := &erp.ConsoleSession{Hash: hash(3), UserID: u.ID, CreatedAt: t0.Add(time.Hour), LastSeenAt: t0.Add(2 * time.Hour)}
	check(t, st.CreateConsoleSession(ctx, live))
	n := erptest.Must(st.PurgeConsoleSessions(ctx, t0.Add(time.Hour), t0.Add(30*time.Minute)))(t)
	if n != 2 {
		t.Errorf("purged %d sessions, want 2 (one idle, one too old)", n)
	}
	for _, s := range []*erp.ConsoleSession{idle, old} {
		_, _, err := st.ConsoleSessionByHash(ctx, s.Hash)
		wantCode(t, "a purged session", err, erp.ENotFound)
	}
	if _, _, err := st.ConsoleSessionByHash(ctx, live.Hash); err != nil {
		t.Errorf("a live session after the purge: %v", err)
	}
}

// testConsoleKey: the first key offered is stored and every later call,
// however many at once, gets that one.
func testConsoleKey(t *testing.T, st erp.Store) {
	keys := make([][]byte, 8)
	errs := parallel(len(keys), func(i int) error {
		var err error
		keys[i], err = st.ConsoleKey(ctx, hash(byte(i+1)))
		return err
	})
	for i, err := range errs {
		check(t, err)
		if !bytes.Equal(keys[i], keys[0]) {
			t.Errorf("call %d got key %x, call 0 %x", i, keys[i], keys[0])
		}
	}
	if got := erptest.Must(st.ConsoleKey(ctx, hash(99)))(t); !bytes.Equal(got, keys[0]) || len(got) != 32 {
		t.Errorf("a later call got %x, want the stored %x", got, keys[0])
	}
}
