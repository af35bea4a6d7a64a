package postgres_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/internal/erptest"
)

// TestOutage stops PostgreSQL under a running server: every call that needs
// the database answers 503 with a JSON message, /readyz fails while /healthz
// does not, and the server recovers by itself once the database is back.
func TestOutage(t *testing.T) {
	t.Parallel()
	cluster := erptest.StartPostgresCluster(t) // its own: it is stopped below
	p := server(t, cluster.NewDatabase(t), "--demo")
	ctx := context.Background()
	s := erptest.Must(userAPI(t, p).Authenticate(ctx, demo.Username, demo.Password))(t)

	signIn := `{"username": "` + demo.Username + `", "password": "` + demo.Password + `"}`
	calls := []struct {
		name, method, url, body string
		headers                 []string
	}{
		{"sign-in", http.MethodPost, p.URL + "/auth/signin-external-app/", signIn, []string{"X-ERP-REQUESTOR", demo.App}},
		{"permissions", http.MethodGet, p.URL + "/auth/get-permissions/", "", []string{"X-ERP-REQUESTOR", demo.App, "X-ERP-TOKEN", s.Token}},
		{"products", http.MethodGet, p.URL + "/artikels/", "", []string{"X-ERP-TOKEN", demo.CompanyToken}},
		{"clients", http.MethodGet, p.URL + "/klanten/", "", []string{"X-ERP-TOKEN", demo.CompanyToken}},
		{"readyz", http.MethodGet, root(p) + "/readyz", "", nil},
	}
	for _, c := range calls {
		if code, _ := get(t, c.method, c.url, c.body, c.headers...); code != http.StatusOK {
			t.Fatalf("%s before the outage: %d", c.name, code)
		}
	}

	cluster.Stop()
	for round := range 2 { // the first round finds dead connections, the second none
		for _, c := range calls {
			code, msg := get(t, c.method, c.url, c.body, c.headers...)
			if code != http.StatusServiceUnavailable || msg == "" {
				t.Errorf("round %d, %s during the outage: %d %q, want 503 with a JSON message", round, c.name, code, msg)
			}
		}
	}
	if code, _ := get(t, http.MethodGet, root(p)+"/healthz", ""); code != http.StatusOK {
		t.Errorf("healthz during the outage: %d, want 200: the process itself is fine", code)
	}

	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	// Recovery takes as long as reconnecting does; wait for it, boundedly.
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, _ := get(t, http.MethodGet, root(p)+"/readyz", "")
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz still %d a minute after the database came back", code)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, c := range calls {
		if code, msg := get(t, c.method, c.url, c.body, c.headers...); code != http.StatusOK {
			t.Errorf("%s after the outage: %d %q, want 200 without a restart", c.name, code, msg)
		}
	}
	if strings.Contains(p.Stderr(), demo.Password) || strings.Contains(p.Stderr(), s.Token) {
		t.Error("the server logged a secret")
	}
}
