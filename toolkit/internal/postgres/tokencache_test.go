package postgres_test

import (
	"context"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestTwoServersSeeGrantChangesAtOnce: both server processes answer token
// checks from memory; a grant taken away or given by the admin command (a
// third process) shows on the very next check on each of them.
func TestTwoServersSeeGrantChangesAtOnce(t *testing.T) {
	t.Parallel()
	a, b, dsn := twoServers(t)
	ctx := context.Background()
	ua, ub := userAPI(t, a), userAPI(t, b)
	token := erptest.Must(ua.Authenticate(ctx, demo.Username, demo.Password))(t).Token
	want := func(what string, slugs ...string) {
		t.Helper()
		for _, name := range []string{"a", "b"} {
			api := ua
			if name == "b" {
				api = ub
			}
			for range 2 { // the second answer comes from memory
				got, err := api.Permissions(ctx, token)
				if err != nil || !sameSlugs(got, slugs) {
					t.Fatalf("%s, server %s: %q, %v; want %q", what, name, got, err, slugs)
				}
			}
		}
	}
	want("after sign-in", demo.Granted()...)
	admin(t, dsn, "", "revoke", demo.Username, "timeapp_timetracking_use")
	want("after admin revoke", "timeapp_use")
	admin(t, dsn, "", "grant", demo.Username, "timeapp_timetracking_use")
	want("after admin grant", "timeapp_use", "timeapp_timetracking_use")
}
