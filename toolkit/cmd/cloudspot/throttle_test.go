package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
)

// TestLoginThrottled: when the ERP refuses sign-ins after too many failures,
// login says to wait, in one line, with exit code 1 (not "wrong password").
func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	s, _ := demoSandbox(t)
	login := []string{"login", "--app", "timeapp", "--username", demo.Username, "--password-stdin"}
	for i := range 10 {
		if r := s.run("guess-"+strconv.Itoa(i)+"\n", nil, login...); r.code != 4 {
			t.Fatalf("failed sign-in %d: exit %d, want 4\n%s", i, r.code, r.stderr)
		}
	}
	r := s.run(demo.Password+"\n", nil, login...)
	if r.code != 1 || !strings.Contains(r.stderr, "wait a few minutes and try again") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("throttled login: exit %d, stderr %q; want exit 1 and one line saying to wait", r.code, r.stderr)
	}
}
