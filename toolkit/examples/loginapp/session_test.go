package main

import (
	"testing"
	"time"
)

func TestSessionStore(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	st := newSessionStore(time.Hour, 8*time.Hour, func() time.Time { return now })

	a := st.create("demo", "Jan Peeters", "token-a")
	b := st.create("demo", "Jan Peeters", "token-b")
	if a == b || len(a) != 43 {
		t.Fatalf("ids %q and %q: want two different 256-bit ids", a, b)
	}
	sa, ok := st.get(a)
	if !ok || sa.Token != "token-a" || sa.Username != "demo" || sa.CSRF == "" {
		t.Fatalf("get(a) = %+v, %v", sa, ok)
	}
	if sb, _ := st.get(b); sb.CSRF == sa.CSRF {
		t.Error("two sessions share a CSRF token")
	}
	for _, id := range []string{"", "nope", a + "x"} {
		if _, ok := st.get(id); ok {
			t.Errorf("get(%q) found a session", id)
		}
	}

	st.delete(a)
	if _, ok := st.get(a); ok {
		t.Error("a deleted session is still there")
	}

	// Expired sessions are refused, and swept when the next one is made,
	// so abandoned sessions do not pile up.
	now = now.Add(2 * time.Hour)
	if _, ok := st.get(b); ok {
		t.Error("an idle session did not expire")
	}
	for range 5 {
		st.create("demo", "Jan Peeters", "t")
	}
	now = now.Add(2 * time.Hour)
	st.create("demo", "Jan Peeters", "t")
	if n := st.len(); n != 1 {
		t.Errorf("the store holds %d sessions, want 1", n)
	}
}
