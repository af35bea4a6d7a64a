package cloudspot_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// A CompanyAPI reads one company's products and clients with the token an
// ERP administrator generated for it; what the token may read is the
// administrator's choice.
func ExampleCompanyAPI() {
	erp := startStandIn()
	defer erp.Close()
	ctx := context.Background()
	company, err := cloudspot.NewCompanyAPI("tok-boekhouding", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	klanten, err := company.Klanten.List(ctx)
	fmt.Println(len(klanten), "clients", err)

	_, err = company.Artikels.List(ctx)
	fmt.Println(errors.Is(err, cloudspot.ErrNoValidToken))
	// Output:
	// 2 clients <nil>
	// true
}

// The products, read whole.
func ExampleArtikelService() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	var artikels *cloudspot.ArtikelService = company.Artikels
	list, err := artikels.List(context.Background())
	fmt.Println(len(list), err)
	// Output: 2 <nil>
}

func ExampleArtikelService_List() {
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

// One product by the ERP's id; one that does not exist, or belongs to
// another company, matches ErrNotFound.
func ExampleArtikelService_Get() {
	erp := startStandIn()
	defer erp.Close()
	ctx := context.Background()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	a, err := company.Artikels.Get(ctx, 7)
	fmt.Println(a.ID, a.Naam, err)

	_, err = company.Artikels.Get(ctx, 8)
	fmt.Println(errors.Is(err, cloudspot.ErrNotFound))
	// Output:
	// 7 Koffie <nil>
	// true
}

// The clients, read whole.
func ExampleKlantService() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-boekhouding", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	var klanten *cloudspot.KlantService = company.Klanten
	list, err := klanten.List(context.Background())
	fmt.Println(len(list), err)
	// Output: 2 <nil>
}

func ExampleKlantService_List() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-boekhouding", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	klanten, err := company.Klanten.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range klanten {
		fmt.Println(k.Klantennummer, k.IsBedrijf, k.Geboortedatum)
	}
	// Output:
	// 1001 false 1990-04-12
	// 1002 true
}

// Counting clients per country without holding the list.
func ExampleKlantService_All() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-boekhouding", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	perLand := map[string]int{}
	for k, err := range company.Klanten.All(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		perLand[k.Land]++
	}
	fmt.Println(perLand)
	// Output: map[BE:2]
}

// One UserAPI per app, shared by every user.
func ExampleUserAPI() {
	erp := startStandIn()
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	session, err := api.Authenticate(context.Background(), "jan", "s3cret-password")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(session.Permissions.Has("timeapp_use"))
	// Output: true
}

// The slug is lower-cased, as the ERP matches it.
func ExampleUserAPI_App() {
	api, err := cloudspot.NewUserAPI("TimeApp")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(api.App())
	// Output: timeapp
}

// A signed-in user: the token to keep between requests (in a server-side
// session store), and the permissions of the sign-in.
func ExampleSession() {
	erp := startStandIn()
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	s, err := api.Authenticate(context.Background(), "jan", "s3cret-password")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Token, s.Permissions, s.User == cloudspot.User{}) // User is loaded on demand
	// Output: tok-jan [timeapp_use timeapp_timetracking_create] true
}

// Permissions change in the ERP while a user is signed in: load them again
// before a decision that matters.
func ExampleSession_LoadPermissions() {
	erp := startStandIn()
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	s := api.Session("tok-jan")
	if err := s.LoadPermissions(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Permissions.Has("timeapp_timetracking_create"))

	expired := api.Session("tok-from-last-year")
	fmt.Println(errors.Is(expired.LoadPermissions(context.Background()), cloudspot.ErrNoValidToken))
	// Output:
	// true
	// true
}

func ExampleSession_LoadUser() {
	erp := startStandIn()
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	s := api.Session("tok-jan")
	if err := s.LoadUser(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Welcome,", s.User.Name())
	// Output: Welcome, Jan Peeters
}

// Options are checked when the client is made, not when it is first used.
func ExampleOption() {
	_, err := cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL("erp.example.be/api/v1"))
	fmt.Println(err != nil)

	opts := []cloudspot.Option{cloudspot.WithTestMode(), cloudspot.WithRetries(2)}
	_, err = cloudspot.NewCompanyAPI("tok", opts...)
	fmt.Println(err)
	// Output:
	// true
	// <nil>
}

// A self-hosted cloudspot-server, or any other ERP at its own address.
func ExampleWithBaseURL() {
	erp := startStandIn()
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1/")) // the trailing slash is optional
	if err != nil {
		log.Fatal(err)
	}
	user, err := api.User(context.Background(), "tok-jan")
	fmt.Println(user.Email, err)

	_, err = cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL("ftp://erp.example.be"))
	fmt.Println(err != nil)
	// Output:
	// jan@example.be <nil>
	// true
}

// The reference client's test_mode: an ERP on this machine's port 8000,
// such as `cloudspot-server serve --demo`.
func ExampleWithTestMode() {
	_, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithTestMode())
	fmt.Println(cloudspot.TestURL, err)
	// Output: http://localhost:8000/api/v1 <nil>
}

// Your own client: its timeout, proxy and transport are used, and it is
// not changed.
func ExampleWithHTTPClient() {
	erp := startStandIn()
	defer erp.Close()
	mine := &http.Client{Timeout: 5 * time.Second}
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"), cloudspot.WithHTTPClient(mine))
	if err != nil {
		log.Fatal(err)
	}
	artikels, err := company.Artikels.List(context.Background())
	fmt.Println(len(artikels), err, mine.CheckRedirect == nil)
	// Output: 2 <nil> true
}

// The ERP's administrators see which program calls.
func ExampleWithUserAgent() {
	seen := make(chan string, 1)
	erp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.UserAgent()
		io.WriteString(w, `{"data": []}`)
	}))
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(erp.URL+"/api/v1"), cloudspot.WithUserAgent("kassa/2.1"))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := company.Artikels.List(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(<-seen)
	// Output: kassa/2.1
}

// A read tried again after a 503, as the server's Retry-After asks.
func ExampleWithRetries() {
	var calls atomic.Int32
	erp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"message": "Maintenance."}`)
			return
		}
		io.WriteString(w, `{"data": [{"naam": "Koffie"}]}`)
	}))
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(erp.URL+"/api/v1"), cloudspot.WithRetries(2))
	if err != nil {
		log.Fatal(err)
	}
	artikels, err := company.Artikels.List(context.Background())
	fmt.Println(len(artikels), err, calls.Load(), "requests")
	// Output: 1 <nil> 2 requests
}

// The message says which call was refused and why, never the token.
func ExampleError_Error() {
	erp := startStandIn()
	defer erp.Close()
	company, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	_, err = company.Klanten.List(context.Background())
	fmt.Println(err)
	// Output: cloudspot: GET /api/v1/klanten/: 403 Forbidden: This token has no right to see clients.
}

// The category of a refusal, what errors.Is matches.
func ExampleError_Unwrap() {
	erp := startStandIn()
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	_, err = api.Authenticate(context.Background(), "jan", "wrong")
	var apiErr *cloudspot.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Unwrap() == cloudspot.ErrBadCredentials)
	}
	// Output: true
}

// A program that needs only version 0.4's fields asks for that version:
// a cloudspot-server then sends products without brands, categories,
// photos and texts, several times smaller. What is not a version is
// refused when the client is made.
func ExampleWithAPIVersion() {
	_, err := cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithTestMode(), cloudspot.WithAPIVersion("0.4"))
	fmt.Println(err)

	_, err = cloudspot.NewCompanyAPI("tok-koffiehuis", cloudspot.WithAPIVersion("newest"))
	fmt.Println(err)
	// Output:
	// <nil>
	// cloudspot: WithAPIVersion("newest"): want "latest", "0.6", "0.5" or "0.4"
}

// A web app that signs its users in calls the ERP on their behalf: under
// ForwardedFor, the ERP (if it trusts the app as a proxy) counts a failed
// sign-in against the person's address rather than the app's.
func ExampleForwardedFor() {
	erp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("X-Forwarded-For:", r.Header.Get("X-Forwarded-For"))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"token": "tok-jan", "permissions": []}`)
	}))
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}

	// In an http.Handler: the address of the browser that sent the form.
	client := netip.MustParseAddr("203.0.113.7")
	ctx := cloudspot.ForwardedFor(context.Background(), client)
	if _, err := api.Authenticate(ctx, "jan", "s3cret-password"); err != nil {
		log.Fatal(err)
	}
	// Output: X-Forwarded-For: 203.0.113.7
}

// A 429 says how long to wait: the ERP's Retry-After, for a message such
// as "try again in 15 minutes".
func ExampleError_retryAfter() {
	erp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "900")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message": "Too many failed sign-ins; try again later."}`)
	}))
	defer erp.Close()
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.URL+"/api/v1"))
	if err != nil {
		log.Fatal(err)
	}
	_, err = api.Authenticate(context.Background(), "jan", "a-guess")
	var apiErr *cloudspot.Error
	if errors.Is(err, cloudspot.ErrRateLimited) && errors.As(err, &apiErr) {
		fmt.Println("try again in", apiErr.RetryAfter)
	}
	// Output: try again in 15m0s
}
