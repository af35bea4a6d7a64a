package cloudspot_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/big"
	"net/http"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// A UserAPI is made once per app and shared by every user and goroutine.
// The options say where the ERP is and how to reach it; without
// WithBaseURL it is the real ERP.
func ExampleNewUserAPI() {
	erp := startStandIn() // a stand-in ERP; leave WithBaseURL out for the real one
	defer erp.Close()

	api, err := cloudspot.NewUserAPI("TimeApp",
		cloudspot.WithBaseURL(erp.URL+"/api/v1"),
		cloudspot.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}), // copied, never changed
		cloudspot.WithRetries(2),                                          // reads only: a sign-in is never retried
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(api.App())
	// Output: timeapp
}

// Signing a user in for an external app, as the reference wrapper's
// CloudspotERP_UserAPI('timeapp').authenticate(username, password) does.
func ExampleUserAPI_Authenticate() {
	erp := startStandIn()
	defer erp.Close()
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}

	_, err = api.Authenticate(ctx, "jan", "a-wrong-password")
	if errors.Is(err, cloudspot.ErrBadCredentials) {
		fmt.Println("Username or password not correct.")
	}

	session, err := api.Authenticate(ctx, "jan", "s3cret-password")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token:", session.Token)
	for _, perm := range session.Permissions {
		fmt.Println(perm)
	}
	// Output:
	// Username or password not correct.
	// token: tok-jan
	// timeapp_use
	// timeapp_timetracking_create
}

// Checking a token kept from an earlier sign-in, as get_permissions(token)
// does. An unknown, expired or revoked token matches ErrNoValidToken.
func ExampleUserAPI_Permissions() {
	erp := startStandIn()
	defer erp.Close()
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}

	perms, err := api.Permissions(ctx, "tok-jan")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("may create:", perms.Has("timeapp_timetracking_create"))
	fmt.Println("may delete:", perms.Has("timeapp_timetracking_delete"))

	if _, err := api.Permissions(ctx, "an-expired-token"); errors.Is(err, cloudspot.ErrNoValidToken) {
		fmt.Println("please sign in again")
	}
	// Output:
	// may create: true
	// may delete: false
	// please sign in again
}

// The person behind a token, as get_user(token) does.
func ExampleUserAPI_User() {
	erp := startStandIn()
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	user, err := api.User(context.Background(), "tok-jan")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.FirstName, user.LastName, user.Email)
	// Output: Jan Peeters jan@example.be
}

// Signing a user out for real: cloudspot-server revokes the token at once.
// The ERP's own API has no such call; SignOut then matches
// errors.ErrUnsupported and the token stays valid until it expires, so
// forget it anyway.
func ExampleUserAPI_SignOut() {
	erp := startStandIn()
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	err = api.SignOut(context.Background(), "tok-jan")
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		fmt.Println("the server cannot revoke tokens: the token expires on its own")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("signed out: the token is revoked")
	}
	// Output: signed out: the token is revoked
}

// A Session keeps one user's token, permissions and person together, like
// the reference client's api.token, api.permissions and api.user.
func ExampleUserAPI_Session() {
	erp := startStandIn()
	defer erp.Close()
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	s := api.Session("tok-jan") // a token kept in your session store
	if err := s.LoadPermissions(ctx); err != nil {
		log.Fatal(err)
	}
	if err := s.LoadUser(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.User.FirstName, len(s.Permissions), "permissions")
	// Output: Jan 2 permissions
}

// Reading a company's products with its API token, as
// CloudspotERP_CompanyAPI(token).artikels.list() does.
func ExampleNewCompanyAPI() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	artikels, err := company.Artikels.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range artikels {
		fmt.Println(a.Naam, a.VerkoopprijsIncl)
	}
	// Output:
	// Koffie 2.50
	// Croissant 1.80
}

// Every refusal is an *Error: errors.Is tells its category, errors.As gives
// the status and the ERP's message (the reference's hasError and
// error.message).
func ExampleError() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	_, err = company.Klanten.List(context.Background())
	fmt.Println("forbidden:", errors.Is(err, cloudspot.ErrForbidden))
	var apiErr *cloudspot.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Path, apiErr.Message)
	}
	// Output:
	// forbidden: true
	// 403 /api/v1/klanten/ This token has no right to see clients.
}

// Plain http is allowed to this machine only: anyone on the network could
// read the passwords and tokens. WithInsecureHTTP allows it on a network
// you trust.
func ExampleWithInsecureHTTP() {
	_, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL("http://erp.internal:8000/api/v1"))
	fmt.Println(errors.Is(err, cloudspot.ErrInsecure))

	_, err = cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL("http://erp.internal:8000/api/v1"), cloudspot.WithInsecureHTTP())
	fmt.Println(err)

	_, err = cloudspot.NewUserAPI("timeapp", cloudspot.WithTestMode()) // localhost
	fmt.Println(err)
	// Output:
	// true
	// <nil>
	// <nil>
}

// A response larger than the limit ends the call with ErrResponseTooLarge
// instead of filling the program's memory.
func ExampleWithMaxResponseBytes() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"), cloudspot.WithMaxResponseBytes(64))
	if err != nil {
		log.Fatal(err)
	}
	_, err = company.Artikels.List(context.Background())
	fmt.Println(errors.Is(err, cloudspot.ErrResponseTooLarge))
	// Output: true
}

// Reading a list too large to hold, one product at a time as the body
// arrives. A body cut short ends the loop with an error, so a loop that
// ends without one has seen every product.
func ExampleArtikelService_All() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	withoutPurchasePrice := 0
	for a, err := range company.Artikels.All(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		if !a.InkoopprijsExcl.Known() {
			withoutPurchasePrice++
		}
	}
	fmt.Println("products without a purchase price:", withoutPurchasePrice)
	// Output: products without a purchase price: 2
}

// Exact decimals keep their scale, tell an unknown price (the ERP's null)
// from a price of zero, and convert to big.Rat for exact arithmetic.
func ExampleDecimal() {
	price := cloudspot.MustParseDecimal("19.99")
	var unknown cloudspot.Decimal // what null decodes to
	fmt.Println(price, price.Scale(), unknown.Known(), price.Cmp(cloudspot.NewDecimal(20, 0)))

	total := new(big.Rat).Mul(price.Rat(), big.NewRat(3, 1))
	vat := new(big.Rat).Mul(total, big.NewRat(21, 100))
	fmt.Println(total.FloatString(2), vat.FloatString(2))
	// Output:
	// 19.99 2 false -1
	// 59.97 12.59
}
