package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/postgres"
)

// twoServers starts two server processes on one new database, the first
// seeding the demo.
func twoServers(t *testing.T) (a, b *erptest.Process, dsn string) {
	t.Helper()
	dsn = erptest.PostgresDSN(t)
	a = server(t, dsn, "--demo")
	b = server(t, dsn)
	return a, b, dsn
}

// TestTwoServersShareTokens signs in on one server and uses the token on the
// other, and sees admin changes (revocations, deactivation) on both at once.
func TestTwoServersShareTokens(t *testing.T) {
	t.Parallel()
	a, b, dsn := twoServers(t)
	ctx := context.Background()
	ua, ub := userAPI(t, a), userAPI(t, b)

	s1 := erptest.Must(ua.Authenticate(ctx, demo.Username, demo.Password))(t)
	s2 := erptest.Must(ub.Authenticate(ctx, demo.Username, demo.Password))(t)
	for _, c := range []struct {
		api   *cloudspot.UserAPI
		token string
	}{{ub, s1.Token}, {ua, s2.Token}} {
		perms := erptest.Must(c.api.Permissions(ctx, c.token))(t)
		if !sameSlugs(perms, demo.Granted()) {
			t.Errorf("permissions on the other server = %q, want %q", perms, demo.Granted())
		}
		if u := erptest.Must(c.api.User(ctx, c.token))(t); u.Name() != "Jan Peeters" {
			t.Errorf("user on the other server = %+v", u)
		}
	}

	wantRejected := func(what, token string) {
		t.Helper()
		for _, api := range []*cloudspot.UserAPI{ua, ub} {
			if _, err := api.Permissions(ctx, token); !errors.Is(err, cloudspot.ErrNoValidToken) {
				t.Errorf("%s: %v, want ErrNoValidToken on both servers", what, err)
			}
		}
	}
	admin(t, dsn, "", "user", "revoke-tokens", demo.Username)
	wantRejected("a token after revoke-tokens", s1.Token)
	wantRejected("a token after revoke-tokens", s2.Token)

	s3 := erptest.Must(ua.Authenticate(ctx, demo.Username, demo.Password))(t)
	erptest.Must(ub.Permissions(ctx, s3.Token))(t)
	admin(t, dsn, "", "user", "deactivate", demo.Username)
	wantRejected("a token of a deactivated user", s3.Token)
	for _, api := range []*cloudspot.UserAPI{ua, ub} {
		if _, err := api.Authenticate(ctx, demo.Username, demo.Password); !errors.Is(err, cloudspot.ErrBadCredentials) {
			t.Errorf("signing in as a deactivated user: %v, want ErrBadCredentials", err)
		}
	}
	admin(t, dsn, "", "user", "activate", demo.Username)
	s4 := erptest.Must(ub.Authenticate(ctx, demo.Username, demo.Password))(t)
	erptest.Must(ua.Permissions(ctx, s4.Token))(t)

	secret, created := admin(t, dsn, "", "token", "create", "--company", demo.Company, "--name", "shared", "--rights", "artikels")
	m := regexp.MustCompile(`company token (\d+)`).FindStringSubmatch(created)
	if m == nil {
		t.Fatalf("no token id in %q", created)
	}
	token := regexp.MustCompile(`\S+`).FindString(secret)
	for _, p := range []*erptest.Process{a, b} {
		if ps := erptest.Must(companyAPI(t, p, token).Artikels.List(ctx))(t); len(ps) == 0 {
			t.Error("a new company token lists no products")
		}
	}
	admin(t, dsn, "", "token", "revoke", m[1])
	for _, p := range []*erptest.Process{a, b} {
		if _, err := companyAPI(t, p, token).Artikels.List(ctx); !errors.Is(err, cloudspot.ErrNoValidToken) {
			t.Errorf("a revoked company token: %v, want ErrNoValidToken", err)
		}
	}
}

// TestTwoServersConcurrentSignIns signs in many times at once on both
// servers: every sign-in gets its own token, stored once, valid on both.
func TestTwoServersConcurrentSignIns(t *testing.T) {
	t.Parallel()
	a, b, dsn := twoServers(t)
	ctx := context.Background()
	apis := []*cloudspot.UserAPI{userAPI(t, a), userAPI(t, b)}
	const workers, each = 8, 5
	tokens := make(chan string, workers*each)
	errs := make(chan error, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				s, err := apis[w%2].Authenticate(ctx, demo.Username, demo.Password)
				if err != nil {
					errs <- err
					continue
				}
				// The other server knows the token at once.
				if _, err := apis[(w+1)%2].Permissions(ctx, s.Token); err != nil {
					errs <- fmt.Errorf("a token from one server on the other: %w", err)
				}
				tokens <- s.Token
			}
		}()
	}
	wg.Wait()
	close(tokens)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for tok := range tokens {
		if seen[tok] {
			t.Errorf("token issued twice")
		}
		seen[tok] = true
	}
	if len(seen) != workers*each {
		t.Fatalf("%d distinct tokens, want %d", len(seen), workers*each)
	}
	st, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM user_tokens`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != workers*each {
		t.Errorf("%d tokens stored, want %d", n, workers*each)
	}
}

// TestTwoServersConcurrentImports runs overlapping imports at once against
// the database both servers use: each new record is created once and counted
// created once, and both servers list the same catalogue.
func TestTwoServersConcurrentImports(t *testing.T) {
	t.Parallel()
	a, b, dsn := twoServers(t)
	ctx := context.Background()
	before := erptest.Must(companyAPI(t, a, demo.CompanyToken).Artikels.List(ctx))(t)
	klantenBefore := erptest.Must(companyAPI(t, a, demo.CompanyToken).Klanten.List(ctx))(t)
	const records = 25
	var ps []cloudspot.Artikel
	var ks []cloudspot.Klant
	for i := range records {
		p := before[i%len(before)]
		p.SKU, p.Naam = fmt.Sprintf("CONC-%03d", i), fmt.Sprintf("Gelijktijdig %d", i)
		p.ID = 0 // the server's, not the file's
		ps = append(ps, p)
		k := klantenBefore[i%len(klantenBefore)]
		k.Klantennummer = int64(900000 + i)
		ks = append(ks, k)
	}
	dir := t.TempDir()
	files := map[string]string{"artikels": filepath.Join(dir, "artikels.json"), "klanten": filepath.Join(dir, "klanten.json")}
	if err := os.WriteFile(files["artikels"], []byte(wire(t, ps)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(files["klanten"], []byte(wire(t, ks)), 0o644); err != nil {
		t.Fatal(err)
	}

	bin := erptest.Build(t, "./cmd/cloudspot-server")
	const runs = 3
	var mu sync.Mutex
	created := map[string]int{}
	updated := map[string]int{}
	re := regexp.MustCompile(`: (\d+) created, (\d+) updated`)
	var wg sync.WaitGroup
	for i := range 2 * runs {
		kind := []string{"artikels", "klanten"}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := adminAsync(bin, dsn, "import", kind, "--company", demo.Company, files[kind])
			mu.Lock()
			defer mu.Unlock()
			m := re.FindStringSubmatch(out)
			if err != nil || m == nil {
				t.Errorf("import %s: %v %q", kind, err, out)
				return
			}
			c, _ := strconv.Atoi(m[1])
			u, _ := strconv.Atoi(m[2])
			created[kind] += c
			updated[kind] += u
		}()
	}
	wg.Wait()
	for _, kind := range []string{"artikels", "klanten"} {
		if created[kind] != records || updated[kind] != (runs-1)*records {
			t.Errorf("%s: %d created and %d updated in all, want %d and %d", kind, created[kind], updated[kind], records, (runs-1)*records)
		}
	}
	var lists []string
	for _, p := range []*erptest.Process{a, b} {
		got := erptest.Must(companyAPI(t, p, demo.CompanyToken).Artikels.List(ctx))(t)
		// The ids, which version 0.6 lists, are the server's: compared
		// without them.
		want := append(before[:len(before):len(before)], ps...)
		for _, as := range [][]cloudspot.Artikel{got, want} {
			for i := range as {
				as[i].ID = 0
			}
		}
		if wire(t, got) != wire(t, want) {
			t.Errorf("products after the imports: %d, want the %d before and the %d new, in order", len(got), len(before), len(ps))
		}
		kl := erptest.Must(companyAPI(t, p, demo.CompanyToken).Klanten.List(ctx))(t)
		if len(kl) != len(klantenBefore)+records {
			t.Errorf("%d clients after the imports, want %d", len(kl), len(klantenBefore)+records)
		}
		lists = append(lists, wire(t, got)+wire(t, kl))
	}
	if lists[0] != lists[1] {
		t.Error("the two servers list different catalogues")
	}
}

// TestTwoServersShareSignInLimits guesses one user's password on two
// servers at once: the limit is the database's, not each process's, so the
// two together check no more passwords than one would.
func TestTwoServersShareSignInLimits(t *testing.T) {
	t.Parallel()
	a, b, _ := twoServers(t)
	const guesses, at = 120, 30
	var mu sync.Mutex
	statuses := map[int]int{}
	sem := make(chan struct{}, at)
	var wg sync.WaitGroup
	for i := range guesses {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			p := []*erptest.Process{a, b}[i%2]
			body := fmt.Sprintf(`{"username": %q, "password": "guess-%d"}`, demo.Username, i)
			req, _ := http.NewRequest("POST", p.URL+"/auth/signin-external-app/", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-ERP-REQUESTOR", demo.App)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	// Every 401 is a password checked; a 429 is refused before the check.
	if limit := erp.DefaultSignInLimits().PerPair.Max; statuses[401] > limit || statuses[401]+statuses[429] != guesses {
		t.Errorf("statuses over both servers %v: want at most %d password checks (401), the rest 429", statuses, limit)
	}
}

// TestTwoServersShareKnownAddressesAndAudit attacks one user through two
// server processes on one database, 50 requests at once, each from an
// address of its own behind a trusted proxy: the address the user signed
// in from on one server spares them the lockout on the other, and the
// refused attempts of both share audit entries, a few in all.
func TestTwoServersShareKnownAddressesAndAudit(t *testing.T) {
	t.Parallel()
	dsn := erptest.PostgresDSN(t)
	a := server(t, dsn, "--demo", "--trusted-proxies", "127.0.0.1")
	b := server(t, dsn, "--trusted-proxies", "127.0.0.1")
	st := erptest.OpenDB(t, dsn)
	signIn := func(p *erptest.Process, from, password string) int {
		body := fmt.Sprintf(`{"username": %q, "password": %q}`, demo.Username, password)
		req, _ := http.NewRequest("POST", p.URL+"/auth/signin-external-app/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-ERP-REQUESTOR", demo.App)
		req.Header.Set("X-Forwarded-For", from)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	flood := func(n int, from func(i int) string) map[int]int {
		var mu sync.Mutex
		statuses := map[int]int{}
		sem := make(chan struct{}, 50)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				s := signIn([]*erptest.Process{a, b}[i%2], from(i), fmt.Sprint("guess-", i))
				mu.Lock()
				statuses[s]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return statuses
	}
	const home = "198.51.100.7"
	if s := signIn(a, home, demo.Password); s != 200 {
		t.Fatalf("signing in from home on the first server: %d", s)
	}
	flood(300, func(i int) string { return fmt.Sprintf("192.0.2.%d", i%150+1) })
	if s := signIn(b, "203.0.113.99", demo.Password); s != 429 {
		t.Errorf("the right password from a new address on the second server: %d, want 429", s)
	}
	if s := signIn(b, home, demo.Password); s != 200 {
		t.Errorf("the right password from home on the second server during the lockout: %d, want 200", s)
	}
	lockOut := func() { flood(120, func(i int) string { return fmt.Sprintf("192.0.2.%d", i%150+1) }) }
	lockOut() // home's success cleared the username's counter
	entries := func() int { return len(erptest.Must(st.Audit(context.Background(), erp.AuditFilter{}))(t)) }
	before := entries()
	const n = 2000
	got := flood(n, func(i int) string { return fmt.Sprintf("10.0.%d.%d", i/250, i%250+1) })
	if grown := entries() - before; got[429] != n || grown > 2 {
		t.Errorf("%d refused attempts over two servers (statuses %v) added %d audit entries, want at most 2", n, got, grown)
	}
}
