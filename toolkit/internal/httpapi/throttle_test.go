package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// checkCounter counts the user lookups of a Store: the service looks a user
// up exactly when it is about to check a password, so this is the number
// of password checks.
type checkCounter struct {
	erp.Store
	mu     sync.Mutex
	checks map[string]int
}

func (c *checkCounter) UserByUsername(ctx context.Context, username string) (*erp.User, error) {
	c.mu.Lock()
	c.checks[username]++
	c.mu.Unlock()
	return c.Store.UserByUsername(ctx, username)
}

func (c *checkCounter) count(prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for u, k := range c.checks {
		if strings.HasPrefix(u, prefix) {
			n += k
		}
	}
	return n
}

// limitedServer serves the demo with the default sign-in limits behind a
// trusted proxy on loopback, so that a test picks each request's client
// address with X-Forwarded-For.
func limitedServer(t *testing.T, st erp.Store) (url string, svc *erp.Service, checks *checkCounter) {
	t.Helper()
	return limitedServerWith(t, st, func(*erp.Config) {})
}

// limitedServerWith is limitedServer with the service's configuration
// changed by set.
func limitedServerWith(t *testing.T, st erp.Store, set func(*erp.Config)) (url string, svc *erp.Service, checks *checkCounter) {
	t.Helper()
	checks = &checkCounter{Store: st, checks: map[string]int{}}
	c := erp.Config{Store: checks, Argon2: erp.Argon2Params{Memory: 64, Time: 1, Threads: 1}}
	set(&c)
	svc = erptest.Must(erpserver.NewService(context.Background(), erpserver.Config{Config: c, Demo: true}))(t)
	checks.checks = map[string]int{} // seeding looked users up
	hs := httptest.NewServer(httpapi.New(svc, nil, httpapi.TrustProxies(netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))))
	t.Cleanup(hs.Close)
	return hs.URL + httpapi.Prefix, svc, checks
}

func signIn(t *testing.T, url, from, username, password string) (int, string, []byte) {
	t.Helper()
	body := fmt.Sprintf(`{"username": %q, "password": %q}`, username, password)
	status, h, b := send(t, url, request{method: "POST", path: "/api/v1/auth/signin-external-app/", body: body,
		headers: map[string]string{"X-ERP-REQUESTOR": demo.App, "X-Forwarded-For": from}})
	return status, h.Get("Retry-After"), b
}

// inParallel runs n calls of fn, `at` at a time, and counts the statuses.
func inParallel(n, at int, fn func(i int) int) map[int]int {
	var mu sync.Mutex
	statuses := map[int]int{}
	sem := make(chan struct{}, at)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s := fn(i)
			mu.Lock()
			statuses[s]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return statuses
}

// TestSignInLimitsHoldInParallel attacks the sign-in as the attack review
// did, on each engine: bursts of wrong passwords at once may check no more
// passwords than the limits allow, and refused attempts say 429 with
// Retry-After whether or not the username exists.
func TestSignInLimitsHoldInParallel(t *testing.T) {
	t.Parallel()
	def := erp.DefaultSignInLimits()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			url, _, checks := limitedServer(t, e.Open(t))

			// One attacker, one account: 200 guesses, 50 at a time.
			got := inParallel(200, 50, func(i int) int {
				s, _, _ := signIn(t, url, "203.0.113.7", demo.Username, "guess-"+strconv.Itoa(i))
				return s
			})
			if n := checks.count(demo.Username); n > def.PerPair.Max {
				t.Errorf("%d password checks for one username from one address, limit %d (statuses %v)", n, def.PerPair.Max, got)
			}
			if got[401] > def.PerPair.Max || got[429] < 200-def.PerPair.Max {
				t.Errorf("statuses %v: want at most %d 401s, the rest 429", got, def.PerPair.Max)
			}
			// Even the right password waits now, from that address...
			if s, _, _ := signIn(t, url, "203.0.113.7", demo.Username, demo.Password); s != 429 {
				t.Errorf("the right password from the attacking address: %d, want 429", s)
			}
			// ...but the real user, elsewhere, is not locked out.
			if s, _, b := signIn(t, url, "198.51.100.20", demo.Username, demo.Password); s != 200 {
				t.Errorf("the real user from another address: %d %s, want 200", s, b)
			}

			// Known and unknown usernames are refused alike.
			for i := range def.PerPair.Max {
				signIn(t, url, "203.0.113.8", "nobody-here", "guess-"+strconv.Itoa(i))
			}
			s1, ra1, b1 := signIn(t, url, "203.0.113.7", demo.Username, "again")
			s2, ra2, b2 := signIn(t, url, "203.0.113.8", "nobody-here", "again")
			if s1 != 429 || s2 != 429 || string(b1) != string(b2) || ra1 == "" || ra2 == "" {
				t.Errorf("refusals differ or lack Retry-After: known %d %q %s, unknown %d %q %s", s1, ra1, b1, s2, ra2, b2)
			}
			var m map[string]any
			if err := json.Unmarshal(b1, &m); err != nil || len(m) != 1 || m["message"] == nil {
				t.Errorf("429 body %s, want {\"message\": ...}", b1)
			}
			if secs, err := strconv.Atoi(ra1); err != nil || secs < 1 || secs > 15*60 {
				t.Errorf("Retry-After %q, want seconds up to the window of 15 minutes", ra1)
			}

			// Spraying: one address, 300 usernames, 50 at a time.
			got = inParallel(300, 50, func(i int) int {
				s, _, _ := signIn(t, url, "203.0.113.9", fmt.Sprintf("spray-%03d", i), "Welkom123")
				return s
			})
			if n := checks.count("spray-"); n > def.PerAddress.Max {
				t.Errorf("%d password checks from one address over many usernames, limit %d (statuses %v)", n, def.PerAddress.Max, got)
			}

			// Many addresses, one account: the per-username limit holds.
			got = inParallel(120, 40, func(i int) int {
				s, _, _ := signIn(t, url, fmt.Sprintf("192.0.2.%d", i%60+1), demo.Viewer, "guess-"+strconv.Itoa(i))
				return s
			})
			if n := checks.count(demo.Viewer); n > def.PerUser.Max {
				t.Errorf("%d password checks for one username from 60 addresses, limit %d (statuses %v)", n, def.PerUser.Max, got)
			}
		})
	}
}

// TestSignInLimitKeyIsTheUsername: usernames are matched exactly, so
// failures for "jan" count nothing against "Jan".
func TestSignInLimitKeyIsTheUsername(t *testing.T) {
	t.Parallel()
	url, svc, _ := limitedServer(t, erptest.OpenSQLite(t))
	erptest.Must(svc.CreateUser(context.Background(), erp.NewUser{Username: "Jan", Password: "Jan's own password", Company: demo.Company}))(t)
	for i := range 2 * erp.DefaultSignInLimits().PerPair.Max {
		signIn(t, url, "203.0.113.7", "jan", "guess-"+strconv.Itoa(i))
	}
	if s, _, b := signIn(t, url, "203.0.113.7", "Jan", "Jan's own password"); s != 200 {
		t.Errorf("Jan after failures for jan: %d %s, want 200", s, b)
	}
}

// TestLongUsernamesAreRefusedBeforeCounting: a username over the maximum is
// a 400 and leaves nothing in the database, however many arrive at once.
func TestLongUsernamesAreRefusedBeforeCounting(t *testing.T) {
	t.Parallel()
	st := erptest.OpenSQLite(t)
	url, _, checks := limitedServer(t, st)
	long := strings.Repeat("é", erp.MaxUsernameLen+1)
	got := inParallel(100, 25, func(i int) int {
		s, _, b := signIn(t, url, fmt.Sprintf("192.0.2.%d", i+1), long+strconv.Itoa(i), "x")
		if !strings.Contains(string(b), strconv.Itoa(erp.MaxUsernameLen)) {
			t.Errorf("refusal does not name the maximum: %s", b)
		}
		return s
	})
	if got[400] != 100 {
		t.Errorf("statuses %v, want 100 × 400", got)
	}
	if n := checks.count(long); n != 0 {
		t.Errorf("%d lookups of over-long usernames", n)
	}
	var rows int
	if err := st.(interface{ DB() *sql.DB }).DB().QueryRow(`SELECT COUNT(*) FROM sign_in_counts`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Errorf("%d sign-in counters stored for refused usernames", rows)
	}
	// The longest allowed username is an ordinary failed sign-in.
	if s, _, _ := signIn(t, url, "192.0.2.200", strings.Repeat("é", erp.MaxUsernameLen), "x"); s != 401 {
		t.Errorf("a username of exactly %d characters: %d, want 401", erp.MaxUsernameLen, s)
	}
}

// TestForwardedForIsBelievedOnlyFromTrustedProxies: without a trusted
// proxy, a client cannot escape its limit by naming another address.
func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	st := erptest.OpenSQLite(t)
	svc := erptest.Must(erpserver.NewService(context.Background(), erpserver.Config{
		Config: erp.Config{Store: st, Argon2: erp.Argon2Params{Memory: 64, Time: 1, Threads: 1}},
		Demo:   true,
	}))(t)
	hs := httptest.NewServer(httpapi.New(svc, nil))
	t.Cleanup(hs.Close)
	url := hs.URL + httpapi.Prefix
	max := erp.DefaultSignInLimits().PerPair.Max
	statuses := map[int]int{}
	for i := range max + 5 {
		s, _, _ := signIn(t, url, fmt.Sprintf("192.0.2.%d", i+1), demo.Username, "guess")
		statuses[s]++
	}
	if statuses[401] != max || statuses[429] != 5 {
		t.Errorf("statuses %v with a new X-Forwarded-For each time and no trusted proxy: want %d × 401, 5 × 429", statuses, max)
	}
}
