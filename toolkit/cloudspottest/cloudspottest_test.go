package cloudspottest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// These tests use the package as a user's tests would: fixtures in, the SDK
// against the server out.

func TestFixtures(t *testing.T) {
	t.Parallel()
	f := shop
	f.Companies = append(f.Companies, cloudspottest.Company{Slug: "rival",
		Tokens:   []cloudspottest.CompanyToken{{Name: "all", Artikels: true, Klanten: true, Secret: "RivalTokenChosenByTheTest000000000000"}},
		Artikels: []cloudspot.Artikel{{Naam: "Thee", SKU: "THE-001"}},
	})
	f.Users = append(f.Users,
		// The child is listed before its parent: it is granted after it.
		cloudspottest.User{Username: "piet", Password: "another pass", FirstName: "Piet", Email: "piet@acme.be", Company: "acme",
			Permissions: []string{"timeapp_timetracking_create", "timeapp_use"}},
		cloudspottest.User{Username: "gone", Password: "another pass", Company: "acme", Inactive: true},
	)
	srv := cloudspottest.Start(t, f)
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("timeapp", srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}

	s, err := api.Authenticate(ctx, "piet", "another pass")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Permissions, ","); got != "timeapp_use,timeapp_timetracking_create" {
		t.Errorf("piet's permissions = %s", got)
	}
	u, err := api.User(ctx, s.Token)
	if err != nil {
		t.Fatal(err)
	}
	if u.FirstName != "Piet" || u.Email != "piet@acme.be" {
		t.Errorf("user = %+v", u)
	}
	if _, err := api.Authenticate(ctx, "gone", "another pass"); !errors.Is(err, cloudspot.ErrBadCredentials) {
		t.Errorf("inactive user: err = %v, want ErrBadCredentials", err)
	}

	// Each token sees its own company only.
	rival, err := cloudspot.NewCompanyAPI("RivalTokenChosenByTheTest000000000000", srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	as, err := rival.Artikels.List(ctx)
	if err != nil || len(as) != 1 || as[0].SKU != "THE-001" {
		t.Errorf("rival's artikels = %+v, %v", as, err)
	}
	if ks, err := rival.Klanten.List(ctx); err != nil || len(ks) != 0 {
		t.Errorf("rival's klanten = %+v, %v", ks, err)
	}
	if srv.CompanyToken("rival", "all") != "RivalTokenChosenByTheTest000000000000" {
		t.Error("CompanyToken does not return the secret the fixtures chose")
	}
	acme, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "crm"), srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acme.Artikels.List(ctx); !errors.Is(err, cloudspot.ErrForbidden) {
		t.Errorf("crm token reading artikels: err = %v, want ErrForbidden", err)
	}
}

func TestFixturesRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		f    cloudspottest.Fixtures
		want string
	}{
		{"ShortPassword", cloudspottest.Fixtures{
			Companies: []cloudspottest.Company{{Slug: "acme"}},
			Users:     []cloudspottest.User{{Username: "jan", Password: "short", Company: "acme"}}}, "at least 8 characters"},
		{"UnknownCompany", cloudspottest.Fixtures{
			Users: []cloudspottest.User{{Username: "jan", Password: "long enough", Company: "nope"}}}, `company "nope" does not exist`},
		{"PermissionOfNoApp", cloudspottest.Fixtures{
			Companies: []cloudspottest.Company{{Slug: "acme"}},
			Users:     []cloudspottest.User{{Username: "jan", Password: "long enough", Company: "acme", Permissions: []string{"x_use"}}}}, `permission "x_use" does not exist`},
		{"ChildWithoutParent", cloudspottest.Fixtures{
			Companies: []cloudspottest.Company{{Slug: "acme"}},
			Apps:      shop.Apps,
			Users:     []cloudspottest.User{{Username: "jan", Password: "long enough", Company: "acme", Permissions: []string{"timeapp_timetracking_create"}}}}, "parent"},
		{"TokenWithoutRights", cloudspottest.Fixtures{
			Companies: []cloudspottest.Company{{Slug: "acme", Tokens: []cloudspottest.CompanyToken{{Name: "t"}}}}}, "at least one right"},
		{"TwoTokensOneName", cloudspottest.Fixtures{
			Companies: []cloudspottest.Company{{Slug: "acme", Tokens: []cloudspottest.CompanyToken{{Name: "t", Artikels: true}, {Name: "t", Klanten: true}}}}}, `two tokens named "t"`},
		{"ArtikelWithoutSKU", cloudspottest.Fixtures{
			Companies: []cloudspottest.Company{{Slug: "acme", Artikels: []cloudspot.Artikel{{Naam: "x"}}}}}, "SKU"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, err := cloudspottest.New(context.Background(), tc.f)
			if err == nil {
				srv.Close()
				t.Fatal("New accepted the fixtures")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestStartStopsWithTheTest(t *testing.T) {
	t.Parallel()
	var base string
	t.Run("user test", func(t *testing.T) {
		srv := cloudspottest.Start(t, cloudspottest.Fixtures{})
		base = srv.BaseURL
		res, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	})
	res, err := http.Get(base + "/artikels/")
	if err == nil {
		res.Body.Close()
		t.Fatalf("the server still answers after its test ended: %s", res.Status)
	}
}

func TestCompanyTokenPanicsForAMistake(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, shop)
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(string), `"nope"`) {
			t.Errorf("recover() = %v, want a panic naming the token", v)
		}
	}()
	srv.CompanyToken("acme", "nope")
}

func webshop(t *testing.T, srv *cloudspottest.Server) *cloudspot.CompanyAPI {
	t.Helper()
	c, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "webshop"), srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFaultStatus(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, shop)
	company := webshop(t, srv)
	srv.Inject(cloudspottest.Fault{Path: "artikels", Status: http.StatusServiceUnavailable})
	_, err := company.Artikels.List(context.Background())
	var apiErr *cloudspot.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Message != "Injected fault: Service Unavailable." {
		t.Errorf("err = %#v, want the JSON 503", err)
	}
	// Another call is not affected.
	if _, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "crm"), srv.Options()...); err != nil {
		t.Fatal(err)
	}
	crm, _ := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "crm"), srv.Options()...)
	if _, err := crm.Klanten.List(context.Background()); err != nil {
		t.Errorf("klanten with a fault on artikels: %v", err)
	}
}

func TestFaultHTML(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, shop)
	srv.Inject(cloudspottest.Fault{Status: http.StatusBadGateway, HTML: true})
	res, err := srv.Client().Get(srv.BaseURL + "/artikels/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 502 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "<title>502 Bad Gateway</title>") {
		t.Errorf("got %s %s %q", res.Status, res.Header.Get("Content-Type"), body)
	}
	_, err = webshop(t, srv).Artikels.List(context.Background())
	if err == nil || !strings.Contains(err.Error(), `"502 Bad Gateway"`) {
		t.Errorf("SDK err = %v, want the page's title", err)
	}
}

func TestFaultCutShort(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, shop)
	srv.Inject(cloudspottest.Fault{Path: "/artikels/", CutShort: true})
	res, err := srv.Client().Get(srv.BaseURL + "/artikels/?x=1")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 401 || !errors.Is(err, io.ErrUnexpectedEOF) || len(body) == 0 || int64(len(body)) >= res.ContentLength {
		t.Errorf("got %s, %d of %d bytes, err %v; want a 401 cut short", res.Status, len(body), res.ContentLength, err)
	}
	if _, err := webshop(t, srv).Artikels.List(context.Background()); err == nil {
		t.Error("the SDK accepted a body cut short")
	}
}

func TestFaultDelay(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, shop)
	srv.Inject(cloudspottest.Fault{Delay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := webshop(t, srv).Artikels.List(ctx)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("answered through an hour's delay: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestFaultTimes injects a fault for five calls and makes forty at once:
// exactly five must meet it.
func TestFaultTimes(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, shop)
	srv.Inject(cloudspottest.Fault{Path: "/artikels", Times: 5, Status: http.StatusTooManyRequests})
	company := webshop(t, srv)
	var failed, ok atomic.Int32
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			_, err := company.Artikels.List(context.Background())
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, cloudspot.ErrRateLimited):
				failed.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if failed.Load() != 5 || ok.Load() != 35 {
		t.Errorf("%d calls failed and %d succeeded, want 5 and 35", failed.Load(), ok.Load())
	}
}

func TestFaultMisuse(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, cloudspottest.Fixtures{})
	for _, f := range []cloudspottest.Fault{{Status: 500, CutShort: true}, {HTML: true}, {Status: 42}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Inject(%+v) did not panic", f)
				}
			}()
			srv.Inject(f)
		}()
	}
}
