// Package erpauth puts a sign-in with the Cloudspot ERP in front of a
// net/http app: the app's users sign in with their ERP username and
// password, and see what their permissions for the app allow.
//
//	userAPI, err := cloudspot.NewUserAPI("timeapp")
//	auth, err := erpauth.New(userAPI, erpauth.Config{Keys: keys})
//	mux.Handle("/login", auth.LoginHandler())           // GET the form, POST the sign-in
//	mux.Handle("POST /logout", auth.LogoutHandler())
//	mux.Handle("/", auth.Require()(home))                 // any signed-in user
//	mux.Handle("/timetracking", auth.Require("timeapp_timetracking_use")(page))
//
// In a handler, UserFrom says who is signed in: their name and email,
// their company's uid (from API version 0.5 on), their permissions, and
// the ERP token for the app's own calls to the ERP on their behalf.
//
// # What it defends
//
// Sessions get a new random id at every sign-in (no fixation), end after
// Config.IdleTimeout without a request and Config.MaxAge after the
// sign-in, and end on the server at logout. The cookies are HttpOnly,
// SameSite=Lax, host-only, and over TLS Secure with the __Host- prefix;
// the session cookie holds a random id (MemoryStore, the default) or the
// session sealed with AES-GCM (CookieStore), so nothing in it can be read.
// Unsafe requests from other sites are refused (net/http's
// CrossOriginProtection), forms carry a token (the login form a signed
// double-submit token, the app's forms the session's, see CSRFToken),
// and a sign-in lands only on a path of this app. Every Config.Recheck
// the ERP is asked for the user's permissions again, once per session
// however many requests arrive, so that a revoked token or permission
// reaches the app; while the ERP cannot be reached it fails closed unless
// Config.Grace says otherwise. Failed sign-ins are limited per end-user
// address by erpauth itself, since every sign-in reaches the ERP from the
// app's one address, and the address can be sent on to an ERP that trusts
// the app (Config.ForwardClientAddr). Records of sign-ins go to
// Config.Logger, never a password or a token.
//
// The security model, the defaults and deployment behind TLS and a proxy
// are in docs/erpauth.md of the repository.
//
// # Stores
//
// Sessions live in a Store: MemoryStore (the default) or CookieStore, or
// one of the app's own on Redis or SQL, which erpauthtest.TestStore
// checks.
//
// # Pages
//
// The login page and the page of a refused request are html/template
// templates of the app's, or plain defaults; LoginPage and ErrorPage are
// their data, with the texts they show.
package erpauth
