package cloudspot_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Signing a user in for an external app, as the reference wrapper's
// CloudspotERP_UserAPI('timeapp').authenticate(username, password) does.
func ExampleUserAPI_Authenticate() {
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("timeapp") // cloudspot.WithTestMode() for a local ERP
	if err != nil {
		log.Fatal(err)
	}
	session, err := api.Authenticate(ctx, "jan", "s3cret-password")
	if errors.Is(err, cloudspot.ErrBadCredentials) {
		fmt.Println("Username or password not correct.")
		return
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token:", session.Token)
	for _, perm := range session.Permissions {
		fmt.Println(perm) // the slug, e.g. timeapp_timetracking_create
	}
}

// Checking a token kept from an earlier sign-in, as get_permissions(token)
// and get_user(token) do.
func ExampleUserAPI_Permissions() {
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("timeapp")
	if err != nil {
		log.Fatal(err)
	}
	token := "token-from-your-session-store"
	perms, err := api.Permissions(ctx, token)
	if errors.Is(err, cloudspot.ErrNoValidToken) {
		fmt.Println("please sign in again")
		return
	} else if err != nil {
		log.Fatal(err)
	}
	if perms.Has("timeapp_timetracking_create") {
		fmt.Println("may create timetrackings")
	}
	user, err := api.User(ctx, token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.FirstName)
}

// Reading a company's products, as CloudspotERP_CompanyAPI(token).artikels.list().
func ExampleArtikelService_List() {
	ctx := context.Background()
	api, err := cloudspot.NewCompanyAPI("company-api-token")
	if err != nil {
		log.Fatal(err)
	}
	artikels, err := api.Artikels.List(ctx)
	if err != nil {
		// The reference sets artikels.hasError and artikels.error.message;
		// here the error says the same, and errors.As gives the status.
		var apiErr *cloudspot.Error
		if errors.As(err, &apiErr) {
			fmt.Println("error:", apiErr.StatusCode, apiErr.Message)
		}
		return
	}
	for _, a := range artikels {
		fmt.Println("naam:", a.Naam, "prijs:", a.VerkoopprijsIncl.StringFixed(2))
	}
}

// Reading a company's clients.
func ExampleKlantService_List() {
	ctx := context.Background()
	api, err := cloudspot.NewCompanyAPI("company-api-token")
	if err != nil {
		log.Fatal(err)
	}
	klanten, err := api.Klanten.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range klanten {
		if k.IsBedrijf {
			fmt.Println(k.Bedrijfsnaam, k.BTWNummer)
		} else {
			fmt.Println("voornaam:", k.Voornaam)
		}
	}
}

// Exact decimals keep an invoice's totals right to the cent.
func ExampleDecimal() {
	price := cloudspot.MustParseDecimal("19.99")
	total := price.Mul(cloudspot.NewDecimal(3, 0))
	vat := total.Mul(cloudspot.MustParseDecimal("0.21")).Round(2)
	fmt.Println(total, vat, total.Add(vat))
	// Output: 59.97 12.59 72.56
}
