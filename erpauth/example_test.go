package erpauth_test

import (
	"context"
	"fmt"
	"html/template"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

// A whole app: a login page, a logout, a home page for anyone signed in
// and a page for those with a permission. The stand-in ERP plays the real
// one; leave WithBaseURL out for erp.cloudspot.be.
func Example() {
	erp := newStandIn()
	defer erp.srv.Close()

	userAPI, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(erp.url()))
	if err != nil {
		log.Fatal(err)
	}
	auth, err := erpauth.New(userAPI, erpauth.Config{AppName: "TimeApp"})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/login", auth.LoginHandler())
	mux.Handle("POST /logout", auth.LogoutHandler())
	mux.Handle("/{$}", auth.Require()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := erpauth.UserFrom(r.Context())
		fmt.Fprintf(w, "Hello %s\n", u.Name())
	})))
	mux.Handle("/timetracking", auth.Require("timeapp_timetracking_use")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "Time tracking")
	})))
	app := httptest.NewServer(mux)
	defer app.Close()

	jan := newBrowser(app.URL)
	fmt.Println(jan.get("/timetracking"))
	fmt.Println(jan.signIn("jan", "s3cret-password"))
	fmt.Println(jan.get("/"))
	fmt.Println(jan.get("/timetracking"))

	lotte := newBrowser(app.URL)
	lotte.signIn("lotte", "s3cret-password")
	fmt.Println(lotte.get("/timetracking"))
	// Output:
	// 303 → /login?next=%2Ftimetracking
	// 303 → /
	// 200 Hello Jan Peeters
	// 200 Time tracking
	// 403 <!doctype html>
}

// The configuration of an app in production behind a proxy that ends TLS:
// keys from the environment (two while rotating), Secure cookies, the
// end user's address from the proxy, sent on to an ERP that trusts the
// app (cloudspot-server --trusted-proxies), and a Recheck of a minute.
func ExampleConfig() {
	cfg := erpauth.Config{
		Keys:              [][]byte{[]byte("a new key of at least thirty-two bytes....."), []byte("the previous key, until a MaxAge has passed")},
		AppName:           "TimeApp",
		AppPermission:     "timeapp_use",
		LoginPath:         "/login",
		AfterLogin:        "/dashboard",
		SecureCookies:     true,
		ClientAddr:        erpauth.BehindProxies(netip.MustParsePrefix("10.0.0.0/8")),
		ForwardClientAddr: true,
		Recheck:           time.Minute,
		Logger:            slog.New(slog.NewJSONHandler(os.Stderr, nil)),
	}
	userAPI, err := cloudspot.NewUserAPI("timeapp")
	if err != nil {
		log.Fatal(err)
	}
	_, err = erpauth.New(userAPI, cfg)
	fmt.Println(err)
	// Output: <nil>
}

// New checks the configuration at once.
func ExampleNew() {
	userAPI, err := cloudspot.NewUserAPI("timeapp")
	if err != nil {
		log.Fatal(err)
	}
	_, err = erpauth.New(userAPI, erpauth.Config{Keys: [][]byte{[]byte("too short")}})
	fmt.Println(err)
	_, err = erpauth.New(userAPI, erpauth.Config{AfterLogin: "https://elsewhere.example/"})
	fmt.Println(err)
	// Output:
	// erpauth: key 1 has 9 bytes; want at least 32 random bytes
	// erpauth: Config.AfterLogin "https://elsewhere.example/": want a path of this app, starting with one /
}

// startExample starts the stand-in ERP and an app with cfg whose routes
// come from routes; the caller closes both.
func startExample(cfg erpauth.Config, routes func(*erpauth.Auth, *http.ServeMux)) (erp *standIn, app *httptest.Server) {
	erp = newStandIn()
	auth, err := erpauth.New(erp.userAPI(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/login", auth.LoginHandler())
	mux.Handle("POST /logout", auth.LogoutHandler())
	routes(auth, mux)
	return erp, httptest.NewServer(mux)
}

// hello answers with the signed-in user's name and form token.
var hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	u, _ := erpauth.UserFrom(r.Context())
	fmt.Fprintf(w, "Hello %s\ncsrf=%s\n", u.Name(), erpauth.CSRFToken(r.Context()))
})

// An Auth guards the routes of a mux; one serves the whole app.
func ExampleAuth() {
	erp, app := startExample(erpauth.Config{}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/", auth.Require()(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	fmt.Println(newBrowser(app.URL).get("/reports?year=2026"))
	// Output: 303 → /login?next=%2Freports%3Fyear%3D2026
}

// The login page: a wrong password, then the right one, which lands on
// the page that was asked for.
func ExampleAuth_LoginHandler() {
	erp, app := startExample(erpauth.Config{}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/", auth.Require()(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	b := newBrowser(app.URL)
	fmt.Println(b.get("/reports"))
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/login?next=%2Freports", nil)
	_, page := b.do(req)
	token := csrfRE.FindStringSubmatch(page)[1]
	fmt.Println(b.post("/login", url.Values{"csrf": {token}, "next": {"/reports"}, "username": {"jan"}, "password": {"a guess"}}))
	fmt.Println(b.post("/login", url.Values{"csrf": {token}, "next": {"/reports"}, "username": {"jan"}, "password": {"s3cret-password"}}))
	// Output:
	// 303 → /login?next=%2Freports
	// 401 <!doctype html>
	// 303 → /reports
}

// A logout is a POST with the session's form token; afterwards the
// session is over on the server too.
func ExampleAuth_LogoutHandler() {
	erp, app := startExample(erpauth.Config{}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/{$}", auth.Require()(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	b := newBrowser(app.URL)
	b.signIn("jan", "s3cret-password")
	fmt.Println(b.post("/logout", url.Values{"csrf": {b.formToken("/")}}))
	fmt.Println(b.get("/"))
	// Output:
	// 303 → /login
	// 303 → /login?next=%2F
}

// Require with several permissions wants them all; with none, any
// signed-in user.
func ExampleAuth_Require() {
	erp, app := startExample(erpauth.Config{}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/{$}", auth.Require()(hello))
		mux.Handle("/entries/new", auth.Require("timeapp_timetracking_use", "timeapp_timetracking_create")(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	jan, lotte := newBrowser(app.URL), newBrowser(app.URL)
	jan.signIn("jan", "s3cret-password")
	lotte.signIn("lotte", "s3cret-password")
	fmt.Println(jan.get("/entries/new"))
	fmt.Println(lotte.get("/"))
	fmt.Println(lotte.get("/entries/new"))
	// Output:
	// 200 Hello Jan Peeters
	// 200 Hello Lotte Janssens
	// 403 <!doctype html>
}

// RequireAny lets through a user with at least one of the permissions.
func ExampleAuth_RequireAny() {
	erp, app := startExample(erpauth.Config{}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/reports", auth.RequireAny("timeapp_reports", "timeapp_timetracking_use")(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	jan, lotte := newBrowser(app.URL), newBrowser(app.URL)
	jan.signIn("jan", "s3cret-password")
	lotte.signIn("lotte", "s3cret-password")
	fmt.Println(jan.get("/reports"))
	fmt.Println(lotte.get("/reports"))
	// Output:
	// 200 Hello Jan Peeters
	// 403 <!doctype html>
}

// In a handler behind Require: who is signed in, their company, their
// permissions, and the token for the app's own calls to the ERP.
func ExampleUserFrom() {
	var userAPI *cloudspot.UserAPI
	erp, app := startExample(erpauth.Config{}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/{$}", auth.Require()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, ok := erpauth.UserFrom(r.Context())
			fmt.Println(ok, u.Username, u.Email, u.Company)
			fmt.Println(u.Permissions.Has("timeapp_timetracking_create"))
			// The app's own call to the ERP, as the user.
			profile, err := userAPI.User(r.Context(), u.Token)
			fmt.Println(profile.Name(), err)
		})))
	})
	defer erp.srv.Close()
	defer app.Close()
	userAPI = erp.userAPI()
	b := newBrowser(app.URL)
	b.signIn("jan", "s3cret-password")
	b.get("/")
	// Output:
	// true jan jan@koffiehuis.example 0f4a2c6e-3b1d-4e8a-9c57-6d2e1f8b4a90
	// true
	// Jan Peeters <nil>
}

// The app's forms carry the session's form token; Require refuses an
// unsafe request without it.
func ExampleCSRFToken() {
	form := template.Must(template.New("form").Parse(`<form method="post" action="/entries">
<input type="hidden" name="csrf" value="{{.}}">
<input name="description"><button>Create</button>
</form>`))
	erp, app := startExample(erpauth.Config{}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("GET /entries", auth.Require()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			form.Execute(w, erpauth.CSRFToken(r.Context()))
		})))
		mux.Handle("POST /entries", auth.Require()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintln(w, "created:", r.PostFormValue("description"))
		})))
	})
	defer erp.srv.Close()
	defer app.Close()
	b := newBrowser(app.URL)
	b.signIn("jan", "s3cret-password")
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/entries", nil)
	_, page := b.do(req)
	token := csrfRE.FindStringSubmatch(page)[1]
	fmt.Println(b.post("/entries", url.Values{"description": {"forged"}}))
	fmt.Println(b.post("/entries", url.Values{"csrf": {token}, "description": {"Espresso machine"}}))
	// Output:
	// 403 <!doctype html>
	// 200 created: Espresso machine
}

func ExampleUser() {
	u := erpauth.User{Username: "jan", FirstName: "Jan", LastName: "Peeters", Company: "0f4a2c6e",
		Permissions: cloudspot.Permissions{"timeapp_use"}, Token: "csu_the_token"}
	fmt.Println(u.Name(), u.Permissions.Has("timeapp_use"))
	// Output: Jan Peeters true
}

// Name falls back to the username for a user the ERP knows no name of.
func ExampleUser_Name() {
	fmt.Println(erpauth.User{Username: "jan", FirstName: "Jan", LastName: "Peeters"}.Name())
	fmt.Println(erpauth.User{Username: "kassa-3"}.Name())
	// Output:
	// Jan Peeters
	// kassa-3
}

// A User logged with slog shows who, never the token.
func ExampleUser_LogValue() {
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	u := erpauth.User{Username: "jan", Company: "0f4a2c6e", Token: "csu_the_token"}
	log.Info("entry created", "user", u)
	// Output: level=INFO msg="entry created" user.username=jan user.company=0f4a2c6e
}

// A User printed by mistake does not show its token.
func ExampleUser_Format() {
	u := erpauth.User{Username: "jan", Token: "csu_the_token"}
	fmt.Printf("%+v\n", u)
	// Output: {Username:jan FirstName: LastName: Email: Company: Permissions:[] Token:[redacted]}
}

// A Session is what a Store keeps; it encodes whole, for a store of the
// app's own.
func ExampleSession() {
	s := erpauth.Session{ID: "0wBf...", User: erpauth.User{Username: "jan", Token: "csu_the_token"},
		Created: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)}
	s.Expires = s.Created.Add(12 * time.Hour)
	fmt.Println(s.User.Username, s.Expires.Format(time.DateTime))
	// Output: jan 2026-03-14 21:00:00
}

func ExampleSession_MarshalBinary() {
	s := &erpauth.Session{ID: "id", User: erpauth.User{Username: "jan", Token: "csu_the_token"}}
	b, err := s.MarshalBinary()
	fmt.Println(err, strings.Contains(string(b), "csu_the_token")) // keep it where only the app reads it
	// Output: <nil> true
}

func ExampleSession_UnmarshalBinary() {
	b, _ := (&erpauth.Session{ID: "id", User: erpauth.User{Username: "jan", Token: "csu_the_token"}}).MarshalBinary()
	var s erpauth.Session
	err := s.UnmarshalBinary(b)
	fmt.Println(err, s.User.Username, s.User.Token)
	fmt.Println(s.UnmarshalBinary([]byte(`{"v": 99}`)))
	// Output:
	// <nil> jan csu_the_token
	// erpauth: session: not a session of this version
}

// loggingStore is a Store that says what is asked of it, around another.
type loggingStore struct{ erpauth.Store }

func (l loggingStore) Create(ctx context.Context, s *erpauth.Session) (string, error) {
	fmt.Println("create the session of", s.User.Username)
	return l.Store.Create(ctx, s)
}

func (l loggingStore) Delete(ctx context.Context, s *erpauth.Session) error {
	fmt.Println("delete the session of", s.User.Username)
	return l.Store.Delete(ctx, s)
}

// Any Store will do: one of the app's own on Redis or SQL (which
// erpauthtest.TestStore checks), or, here, one around the MemoryStore.
func ExampleStore() {
	erp, app := startExample(erpauth.Config{Store: loggingStore{erpauth.NewMemoryStore(0)}}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/{$}", auth.Require()(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	b := newBrowser(app.URL)
	b.signIn("jan", "s3cret-password")
	b.post("/logout", url.Values{"csrf": {b.formToken("/")}})
	// Output:
	// create the session of jan
	// delete the session of jan
}

// The default Store; give one of your own size in Config.Store.
func ExampleMemoryStore() {
	store := erpauth.NewMemoryStore(10_000)
	erp, app := startExample(erpauth.Config{Store: store}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/{$}", auth.Require()(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	newBrowser(app.URL).signIn("jan", "s3cret-password")
	newBrowser(app.URL).signIn("lotte", "s3cret-password")
	fmt.Println(store.Len(), "sessions")
	// Output: 2 sessions
}

func ExampleNewMemoryStore() {
	store := erpauth.NewMemoryStore(0) // DefaultMaxSessions
	fmt.Println(store.Len())
	// Output: 0
}

// A session's times as Auth sets them, for the examples of the stores.
func exampleSession() *erpauth.Session {
	now := time.Now()
	return &erpauth.Session{ID: "pQ6NzKcK3v2bV8mX1sY0tR4uW7yZ9aB3cD5eF7gH8iJ", User: erpauth.User{Username: "jan", Token: "csu_the_token"},
		Created: now, LastSeen: now, CheckedAt: now, Expires: now.Add(12 * time.Hour)}
}

// The cookie of a MemoryStore's session is its id, nothing else.
func ExampleMemoryStore_Create() {
	store := erpauth.NewMemoryStore(0)
	s := exampleSession()
	cookie, err := store.Create(context.Background(), s)
	fmt.Println(cookie == s.ID, err)
	// Output: true <nil>
}

func ExampleMemoryStore_Load() {
	ctx := context.Background()
	store := erpauth.NewMemoryStore(0)
	cookie, _ := store.Create(ctx, exampleSession())
	s, err := store.Load(ctx, cookie)
	fmt.Println(s.User.Username, err)
	_, err = store.Load(ctx, "made-up")
	fmt.Println(err)
	// Output:
	// jan <nil>
	// erpauth: no such session
}

func ExampleMemoryStore_Update() {
	ctx := context.Background()
	store := erpauth.NewMemoryStore(0)
	s := exampleSession()
	cookie, _ := store.Create(ctx, s)
	s.User.Permissions = cloudspot.Permissions{"timeapp_use"}
	store.Update(ctx, s)
	got, _ := store.Load(ctx, cookie)
	fmt.Println(got.User.Permissions)
	// Output: [timeapp_use]
}

func ExampleMemoryStore_Delete() {
	ctx := context.Background()
	store := erpauth.NewMemoryStore(0)
	s := exampleSession()
	cookie, _ := store.Create(ctx, s)
	store.Delete(ctx, s)
	_, err := store.Load(ctx, cookie)
	fmt.Println(err)
	_, err = store.Update(ctx, s) // a request still under way does not bring it back
	fmt.Println(err)
	// Output:
	// erpauth: no such session
	// erpauth: no such session
}

func ExampleMemoryStore_Len() {
	ctx := context.Background()
	store := erpauth.NewMemoryStore(1) // at most one session: a new one pushes the oldest out
	store.Create(ctx, exampleSession())
	s := exampleSession()
	s.ID = "another id of forty-three characters, as Auth's"
	store.Create(ctx, s)
	fmt.Println(store.Len())
	// Output: 1
}

// exampleKey is a key for the examples; a real one comes from a secret
// store: 32 random bytes or more.
var exampleKey = []byte("an example key of 32 bytes or more, not a real one")

// A CookieStore keeps the session in its sealed cookie: nothing on the
// server but the ids of sessions ended early.
func ExampleCookieStore() {
	store, err := erpauth.NewCookieStore(0, exampleKey)
	if err != nil {
		log.Fatal(err)
	}
	erp, app := startExample(erpauth.Config{Store: store, Keys: [][]byte{exampleKey}}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/{$}", auth.Require()(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	b := newBrowser(app.URL)
	b.signIn("jan", "s3cret-password")
	fmt.Println(b.get("/"))
	// Output: 200 Hello Jan Peeters
}

// Keys rotate: the first seals, every one opens.
func ExampleNewCookieStore() {
	newKey := []byte("the new key, also of 32 bytes or more, not a real one")
	before, _ := erpauth.NewCookieStore(0, exampleKey)
	during, _ := erpauth.NewCookieStore(0, newKey, exampleKey)
	ctx := context.Background()
	cookie, _ := before.Create(ctx, exampleSession())
	s, err := during.Load(ctx, cookie)
	fmt.Println(s.User.Username, err)
	_, err = erpauth.NewCookieStore(0, []byte("short"))
	fmt.Println(err)
	// Output:
	// jan <nil>
	// erpauth: key 1 has 5 bytes; want at least 32 random bytes
}

// The cookie is the sealed session: it shows nothing of it.
func ExampleCookieStore_Create() {
	store, _ := erpauth.NewCookieStore(0, exampleKey)
	cookie, err := store.Create(context.Background(), exampleSession())
	fmt.Println(err, strings.Contains(cookie, "jan"), len(cookie) > 100)
	// Output: <nil> false true
}

func ExampleCookieStore_Load() {
	ctx := context.Background()
	store, _ := erpauth.NewCookieStore(0, exampleKey)
	cookie, _ := store.Create(ctx, exampleSession())
	s, err := store.Load(ctx, cookie)
	fmt.Println(s.User.Username, err)
	other, _ := erpauth.NewCookieStore(0, []byte("another app's key, of 32 bytes or more, not a real one"))
	forged, _ := other.Create(ctx, exampleSession())
	_, err = store.Load(ctx, forged) // not sealed with this store's keys
	fmt.Println(err)
	// Output:
	// jan <nil>
	// erpauth: no such session
}

// Every Update seals the session anew: the cookie changes.
func ExampleCookieStore_Update() {
	ctx := context.Background()
	store, _ := erpauth.NewCookieStore(0, exampleKey)
	s := exampleSession()
	first, _ := store.Create(ctx, s)
	s.User.Permissions = cloudspot.Permissions{"timeapp_use"}
	second, _ := store.Update(ctx, s)
	got, _ := store.Load(ctx, second)
	fmt.Println(first != second, got.User.Permissions)
	// Output: true [timeapp_use]
}

// After Delete a copy of the cookie, taken before, is refused.
func ExampleCookieStore_Delete() {
	ctx := context.Background()
	store, _ := erpauth.NewCookieStore(0, exampleKey)
	s := exampleSession()
	cookie, _ := store.Create(ctx, s)
	store.Delete(ctx, s)
	_, err := store.Load(ctx, cookie)
	fmt.Println(err)
	// Output: erpauth: no such session
}

// An app's own login page: the form's fields are the contract.
func ExampleLoginPage() {
	login := template.Must(template.New("login").Parse(`<h1>Sign in to {{.AppName}}</h1>
{{if .Error}}<p class="error">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="next" value="{{.Next}}">
<input name="username" value="{{.Username}}"><input name="password" type="password"><button>Sign in</button>
</form>`))
	erp, app := startExample(erpauth.Config{AppName: "TimeApp", LoginTemplate: login}, func(*erpauth.Auth, *http.ServeMux) {})
	defer erp.srv.Close()
	defer app.Close()
	b := newBrowser(app.URL)
	fmt.Println(b.get("/login"))
	fmt.Println(b.signIn("jan", "a guess"))
	// Output:
	// 200 <h1>Sign in to TimeApp</h1>
	// 401 <h1>Sign in to TimeApp</h1>
}

// An app's own page for a refused request.
func ExampleErrorPage() {
	refused := template.Must(template.New("refused").Parse(`{{.Status}} {{.Title}}: {{.Message}}{{range .Missing}} [{{.}}]{{end}}`))
	erp, app := startExample(erpauth.Config{ErrorTemplate: refused}, func(auth *erpauth.Auth, mux *http.ServeMux) {
		mux.Handle("/timetracking", auth.Require("timeapp_timetracking_use")(hello))
	})
	defer erp.srv.Close()
	defer app.Close()
	b := newBrowser(app.URL)
	b.signIn("lotte", "s3cret-password")
	fmt.Println(b.get("/timetracking"))
	// Output: 403 403 No access: You do not have the permission timeapp_timetracking_use. Ask your ERP administrator if you need it. [timeapp_timetracking_use]
}

// Behind a load balancer of the app's own, at 10.0.0.0/8: the address a
// failed sign-in is counted against is the one it names.
func ExampleBehindProxies() {
	clientAddr := erpauth.BehindProxies(netip.MustParsePrefix("10.0.0.0/8"))
	r := httptest.NewRequest(http.MethodPost, "/login", nil)
	r.RemoteAddr = "10.0.0.7:51234"
	r.Header.Set("X-Forwarded-For", "192.0.2.1, 203.0.113.50") // what the client wrote, what the balancer saw
	fmt.Println(clientAddr(r))
	r.RemoteAddr = "198.51.100.9:40000" // not the balancer: the header is not believed
	fmt.Println(clientAddr(r))
	// Output:
	// 203.0.113.50
	// 198.51.100.9
}
