package erpauth_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

// behindTestProxy counts requests under the address in X-Forwarded-For,
// as an app behind its own proxy on 127.0.0.1 does.
var behindTestProxy = erpauth.BehindProxies(netip.MustParsePrefix("127.0.0.1/32"))

// TestFailedSignInLimit: 50 guesses at once from one address reach the ERP
// no more often than the limit allows; the address is then refused by
// erpauth itself, with the wait; a user elsewhere signs in all along.
func TestFailedSignInLimit(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{MaxFailedSignIns: 5, FailedSignInWindow: 10 * time.Minute, ClientAddr: behindTestProxy})
	attacker := app.client(t)
	form := loginToken(t, attacker.get("/login").body)
	from := []string{"X-Forwarded-For", "203.0.113.9"}

	var refused, wrong atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			res := attacker.post("/login", url.Values{"csrf": {form}, "username": {"jan"}, "password": {"guess-" + string(rune('a'+i))}}, from...)
			switch {
			case res.StatusCode == http.StatusTooManyRequests && strings.Contains(res.body, "Too many failed sign-ins. Please try again in 10 minutes.") && res.Header.Get("Retry-After") == "600":
				refused.Add(1)
			case res.StatusCode == http.StatusUnauthorized:
				wrong.Add(1)
			default:
				t.Errorf("a guess got %s, Retry-After %q", res.Status, res.Header.Get("Retry-After"))
			}
		})
	}
	wg.Wait()
	if wrong.Load() != 5 || refused.Load() != 45 {
		t.Errorf("%d guesses were sent to the ERP and %d refused; want 5 and 45", wrong.Load(), refused.Load())
	}
	if n := erp.count("auth/signin-external-app"); n != 5 {
		t.Errorf("the ERP got %d sign-ins, want 5", n)
	}
	// Even the right password is refused from that address for now.
	wantStatus(t, attacker.post("/login", url.Values{"csrf": {form}, "username": {"jan"}, "password": {password}}, from...), http.StatusTooManyRequests)
	// The same /64 of IPv6 is one address; another address is not held up.
	user := app.client(t)
	page := user.get("/login")
	wantRedirect(t, user.post("/login", url.Values{"csrf": {loginToken(t, page.body)}, "username": {"jan"}, "password": {password}}, "X-Forwarded-For", "198.51.100.20"), "/")
	// Once the window has passed, the address may try again.
	app.clock.advance(10 * time.Minute)
	wantRedirect(t, attacker.post("/login", url.Values{"csrf": {form}, "username": {"jan"}, "password": {password}}, from...), "/")
	if !strings.Contains(app.logs.String(), `"reason":"too many failed sign-ins from this address"`) {
		t.Error("no record of the refusals")
	}
}

// TestFailedSignInLimitCountsFailuresOnly: right passwords, and sign-ins
// the ERP could not judge, use no attempt; wrong ones and the ERP's own
// refusals (429) do.
func TestFailedSignInLimitCountsFailuresOnly(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{MaxFailedSignIns: 2})
	for range 5 {
		wantRedirect(t, app.client(t).signIn("jan", password), "/")
	}
	erp.setFault(downPage)
	for range 5 {
		wantStatus(t, app.client(t).signIn("jan", password), http.StatusBadGateway)
	}
	erp.setFault(nil)
	wantStatus(t, app.client(t).signIn("jan", "guess-1"), http.StatusUnauthorized)
	wantStatus(t, app.client(t).signIn("jan", "guess-2"), http.StatusUnauthorized)
	wantStatus(t, app.client(t).signIn("jan", password), http.StatusTooManyRequests)
	wantStatus(t, app.client(t).signIn("lotte", password), http.StatusTooManyRequests) // the address, not the user

	other := startApp(t, erp, erpauth.Config{MaxFailedSignIns: 2})
	erp.setFault(func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	})
	before := erp.count("auth/signin-external-app")
	for range 4 {
		wantStatus(t, other.client(t).signIn("jan", password), http.StatusTooManyRequests)
	}
	if n := erp.count("auth/signin-external-app") - before; n != 2 {
		t.Errorf("the ERP refusing sign-ins itself got %d of them, want 2", n)
	}
}

// TestForwardClientAddr: with ForwardClientAddr the ERP is told whom a
// sign-in is for; without it, nothing.
func TestForwardClientAddr(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	plain := startApp(t, erp, erpauth.Config{ClientAddr: behindTestProxy})
	forwarding := startApp(t, erp, erpauth.Config{ClientAddr: behindTestProxy, ForwardClientAddr: true})
	for _, app := range []*testApp{plain, forwarding} {
		c := app.client(t)
		page := c.get("/login")
		c.post("/login", url.Values{"csrf": {loginToken(t, page.body)}, "username": {"jan"}, "password": {password}}, "X-Forwarded-For", "10.9.8.7, 203.0.113.5")
	}
	if got := erp.forwarded(); len(got) != 2 || got[0] != "" || got[1] != "203.0.113.5" {
		t.Errorf("the ERP was told %q; want nothing, then 203.0.113.5", got)
	}
}

func TestBehindProxies(t *testing.T) {
	t.Parallel()
	proxies := erpauth.BehindProxies(netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48"))
	for _, tc := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"Direct", "203.0.113.1:5000", nil, "203.0.113.1"},
		{"DirectWithHeader", "203.0.113.1:5000", []string{"198.51.100.1"}, "203.0.113.1"},
		{"Proxied", "10.0.0.2:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"ClientWroteMore", "10.0.0.2:5000", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"TwoProxies", "10.0.0.2:5000", []string{"198.51.100.1, 10.0.0.9"}, "198.51.100.1"},
		{"TwoHeaders", "10.0.0.2:5000", []string{"1.2.3.4, 198.51.100.1", "10.0.0.9"}, "198.51.100.1"},
		{"Garbage", "10.0.0.2:5000", []string{"198.51.100.1, not-an-address"}, "10.0.0.2"},
		{"AllTrusted", "10.0.0.2:5000", []string{"10.0.0.3"}, "10.0.0.3"},
		{"ProxyWithoutHeader", "10.0.0.2:5000", nil, "10.0.0.2"},
		{"IPv6", "[2001:db8:ffff::1]:5000", []string{"2001:db8:1::7"}, "2001:db8:1::7"},
		{"Mapped", "[::ffff:10.0.0.2]:5000", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
		{"Long", "10.0.0.2:5000", []string{strings.Repeat("10.1.1.1, ", 10000) + "10.0.0.9"}, "10.1.1.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := proxies(r); got.String() != tc.want {
				t.Errorf("address %s, want %s", got, tc.want)
			}
		})
	}
}
