package cloudspottest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// What a test needs and nothing more: the zero Fixtures is an ERP that
// knows nobody.
func ExampleFixtures() {
	srv, err := cloudspottest.New(context.Background(), cloudspottest.Fixtures{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	company, err := cloudspot.NewCompanyAPI("a-token-nobody-issued", srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	_, err = company.Artikels.List(context.Background())
	fmt.Println(errors.Is(err, cloudspot.ErrNoValidToken))
	// Output: true
}

// A company with its data, and a token for each program that reads it.
func ExampleCompany() {
	srv, err := cloudspottest.New(context.Background(), cloudspottest.Fixtures{Companies: []cloudspottest.Company{{
		Slug:     "bakkerij",
		Tokens:   []cloudspottest.CompanyToken{{Name: "kassa", Artikels: true}},
		Artikels: []cloudspot.Artikel{{Naam: "Croissant", SKU: "CRO-1"}, {Naam: "Pistolet", SKU: "PIS-1"}},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	company, err := cloudspot.NewCompanyAPI(srv.CompanyToken("bakkerij", "kassa"), srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	artikels, err := company.Artikels.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range artikels {
		fmt.Println(a.SKU, a.Naam, a.Status) // an empty Status became ZICHTBAAR
	}
	// Output:
	// CRO-1 Croissant ZICHTBAAR
	// PIS-1 Pistolet ZICHTBAAR
}

// A fixed secret, for a test that compares it with a configuration file.
func ExampleCompanyToken() {
	const secret = "TestTokenOfTheCrmWithThirtyTwoOrMoreCharacters"
	srv, err := cloudspottest.New(context.Background(), cloudspottest.Fixtures{Companies: []cloudspottest.Company{{
		Slug:    "acme",
		Tokens:  []cloudspottest.CompanyToken{{Name: "crm", Klanten: true, Secret: secret}},
		Klanten: []cloudspot.Klant{{Klantennummer: 7, Voornaam: "Els"}},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	company, err := cloudspot.NewCompanyAPI(secret, srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	klanten, err := company.Klanten.List(context.Background())
	fmt.Println(srv.CompanyToken("acme", "crm") == secret, len(klanten), err)
	// Output: true 1 <nil>
}

// An app's permission tree, as the ERP's permission screen shows it.
func ExampleApp() {
	srv, err := cloudspottest.New(context.Background(), cloudspottest.Fixtures{
		Companies: []cloudspottest.Company{{Slug: "acme"}},
		Apps: []cloudspottest.App{{Slug: "timeapp", Name: "TimeApp", Permissions: []cloudspottest.Permission{
			{Slug: "timeapp_use", Label: "Toegang", Children: []cloudspottest.Permission{
				{Slug: "timeapp_timetracking_use", Label: "Timetrackings", Children: []cloudspottest.Permission{
					{Slug: "timeapp_timetracking_create", Label: "Aanmaken"},
				}},
			}},
		}}},
		Users: []cloudspottest.User{{Username: "els", Password: "a long password", Company: "acme",
			Permissions: []string{"timeapp_use", "timeapp_timetracking_use", "timeapp_timetracking_create"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	api, err := cloudspot.NewUserAPI("timeapp", srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	s, err := api.Authenticate(context.Background(), "els", "a long password")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Permissions)
	// Output: [timeapp_use timeapp_timetracking_use timeapp_timetracking_create]
}

// A child permission needs its parent, as in the ERP.
func ExamplePermission() {
	_, err := cloudspottest.New(context.Background(), cloudspottest.Fixtures{
		Companies: []cloudspottest.Company{{Slug: "acme"}},
		Apps: []cloudspottest.App{{Slug: "timeapp", Permissions: []cloudspottest.Permission{
			{Slug: "timeapp_use", Children: []cloudspottest.Permission{{Slug: "timeapp_timetracking_create"}}},
		}}},
		Users: []cloudspottest.User{{Username: "els", Password: "a long password", Company: "acme",
			Permissions: []string{"timeapp_timetracking_create"}}},
	})
	fmt.Println(err)
	// Output: user "els": grant "timeapp_use" first: a permission can be granted only with its parent
}

// An inactive user is refused like a wrong password: the ERP does not
// say which.
func ExampleUser() {
	srv, err := cloudspottest.New(context.Background(), cloudspottest.Fixtures{
		Companies: []cloudspottest.Company{{Slug: "acme"}},
		Apps:      []cloudspottest.App{{Slug: "timeapp", Permissions: []cloudspottest.Permission{{Slug: "timeapp_use"}}}},
		Users: []cloudspottest.User{
			{Username: "els", Password: "a long password", FirstName: "Els", LastName: "Wouters", Company: "acme", Permissions: []string{"timeapp_use"}},
			{Username: "piet", Password: "a long password", Company: "acme", Inactive: true},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("timeapp", srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	s, err := api.Authenticate(ctx, "els", "a long password")
	if err != nil {
		log.Fatal(err)
	}
	u, err := api.User(ctx, s.Token)
	fmt.Println(u.Name(), err)
	_, err = api.Authenticate(ctx, "piet", "a long password")
	fmt.Println(errors.Is(err, cloudspot.ErrBadCredentials))
	// Output:
	// Els Wouters <nil>
	// true
}

// A body cut short: the SDK says so instead of returning a short list.
func ExampleFault() {
	srv, err := cloudspottest.New(context.Background(), shop)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	company, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "webshop"), srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	srv.Inject(cloudspottest.Fault{Path: "/artikels/", Times: 1, CutShort: true})
	artikels, err := company.Artikels.List(context.Background())
	fmt.Println(len(artikels), err != nil)
	// Output: 0 true
}

// One server for several tests, or for a program under test that takes an
// address rather than SDK options.
func ExampleServer() {
	srv, err := cloudspottest.New(context.Background(), shop)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	res, err := http.Get(srv.BaseURL + "/no-such-call/")
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("Content-Type"))
	// Output: 404 application/json
}

// After Close the address answers no more.
func ExampleServer_Close() {
	srv, err := cloudspottest.New(context.Background(), shop)
	if err != nil {
		log.Fatal(err)
	}
	srv.Close()
	srv.Close() // a second Close does nothing
	_, err = http.Get(srv.BaseURL + "/artikels/")
	fmt.Println(err != nil)
	// Output: true
}
