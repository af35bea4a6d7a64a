package cloudspottest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// shop is the ERP of the examples: one company with a product and a client,
// an app with a small permission tree, and a user.
var shop = cloudspottest.Fixtures{
	Companies: []cloudspottest.Company{{
		Slug: "acme", Name: "Acme BV",
		Tokens: []cloudspottest.CompanyToken{
			{Name: "webshop", Artikels: true},
			{Name: "crm", Klanten: true},
		},
		Artikels: []cloudspot.Artikel{{Naam: "Koffiebonen 1 kg", SKU: "KOF-001", VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek,
			OpVoorraad: cloudspot.NewDecimal(12, 0), VerkoopprijsIncl: cloudspot.NewDecimal(2450, 2), BTW: cloudspot.NewDecimal(6, 0),
			Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar}},
		Klanten: []cloudspot.Klant{{Klantennummer: 1001, Voornaam: "Jan", Achternaam: "Peeters", Land: "BE"}},
	}},
	Apps: []cloudspottest.App{{
		Slug: "timeapp",
		Permissions: []cloudspottest.Permission{{Slug: "timeapp_use", Children: []cloudspottest.Permission{
			{Slug: "timeapp_timetracking_create"},
		}}},
	}},
	Users: []cloudspottest.User{{
		Username: "jan", Password: "correct horse", FirstName: "Jan", LastName: "Peeters", Company: "acme",
		Permissions: []string{"timeapp_use"},
	}},
}

// runTest stands in for go test in these examples: in your own test, t is
// the test's *testing.T.
func runTest(test func(t testing.TB)) {
	testing.Benchmark(func(b *testing.B) {
		test(b)
		b.SkipNow() // one run is enough
	})
}

func ExampleStart() {
	runTest(func(t testing.TB) {
		srv := cloudspottest.Start(t, shop)

		api, err := cloudspot.NewUserAPI("timeapp", srv.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		s, err := api.Authenticate(context.Background(), "jan", "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println(s.Permissions)
	})
	// Output: [timeapp_use]
}

func ExampleNew() {
	ctx := context.Background()
	srv, err := cloudspottest.New(ctx, shop)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(srv.BaseURL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = api.Authenticate(ctx, "jan", "wrong password")
	fmt.Println(errors.Is(err, cloudspot.ErrBadCredentials))
	// Output: true
}

func ExampleServer_CompanyToken() {
	srv, err := cloudspottest.New(context.Background(), shop)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	company, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "webshop"), srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	artikels, err := company.Artikels.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(artikels[0].SKU, artikels[0].VerkoopprijsIncl)

	// The webshop token may not read clients.
	_, err = company.Klanten.List(context.Background())
	fmt.Println(errors.Is(err, cloudspot.ErrForbidden))
	// Output:
	// KOF-001 24.50
	// true
}

func ExampleServer_Options() {
	srv, err := cloudspottest.New(context.Background(), shop)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// Options adds the server's address to options of your own.
	company, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "crm"), srv.Options(cloudspot.WithRetries(2))...)
	if err != nil {
		log.Fatal(err)
	}
	klanten, err := company.Klanten.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(klanten[0].Klantennummer, klanten[0].Voornaam)
	// Output: 1001 Jan
}

func ExampleServer_Client() {
	srv, err := cloudspottest.New(context.Background(), shop)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	res, err := srv.Client().Get(srv.BaseURL + "/klanten/")
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()
	fmt.Println(res.Status)
	// Output: 401 Unauthorized
}

func ExampleServer_Inject() {
	srv, err := cloudspottest.New(context.Background(), shop)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	company, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "webshop"), srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}

	// The next call to /artikels/ meets a proxy that lost the ERP.
	srv.Inject(cloudspottest.Fault{Path: "/artikels/", Times: 1, Status: 502, HTML: true})
	_, err = company.Artikels.List(context.Background())
	var apiErr *cloudspot.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, strings.Contains(err.Error(), "HTML page"))
	}

	// A slow ERP, and a caller that does not wait that long.
	srv.Inject(cloudspottest.Fault{Path: "/artikels/", Times: 1, Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = company.Artikels.List(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))

	// The faults are spent: the next call is answered normally.
	artikels, err := company.Artikels.List(context.Background())
	fmt.Println(len(artikels), err)
	// Output:
	// 502 true
	// true
	// 1 <nil>
}

func ExampleServer_ClearFaults() {
	srv, err := cloudspottest.New(context.Background(), shop)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	company, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "webshop"), srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}

	srv.Inject(cloudspottest.Fault{Status: 503}) // every call, until cleared
	_, err = company.Artikels.List(context.Background())
	var apiErr *cloudspot.Error
	fmt.Println(errors.As(err, &apiErr) && apiErr.StatusCode == 503)

	srv.ClearFaults()
	_, err = company.Artikels.List(context.Background())
	fmt.Println(err)
	// Output:
	// true
	// <nil>
}
