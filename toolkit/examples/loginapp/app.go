package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// appSlug is the external app the ERP signs users in for; the permission
// slugs below belong to it.
const appSlug = "timeapp"

// Permissions of the timeapp that the app checks.
const (
	permUse                = "timeapp_use"                 // may use the app at all
	permTimetracking       = "timeapp_timetracking_use"    // may open the time tracking page
	permTimetrackingCreate = "timeapp_timetracking_create" // may create time entries
)

// config is everything the app can be told.
type config struct {
	Addr          string // listen address
	ERPURL        string // the ERP's API base URL
	SecureCookies bool   // cookies are Secure even for plain HTTP requests
	InsecureHTTP  bool   // passwords and tokens may go over plain http to an ERP on another machine

	SessionIdle   time.Duration // a session ends after this long without a request
	SessionMaxAge time.Duration // and at the latest this long after sign-in

	HTTPClient *http.Client     // for calls to the ERP; default one with a 15 s timeout
	Logger     *slog.Logger     // default discards
	Now        func() time.Time // default time.Now
}

func defaultConfig() config {
	return config{
		Addr:          "127.0.0.1:8001",
		ERPURL:        cloudspot.TestURL,
		SessionIdle:   30 * time.Minute,
		SessionMaxAge: 12 * time.Hour,
	}
}

// app holds what the handlers share. Everything in it is safe for
// concurrent use.
type app struct {
	api           *cloudspot.UserAPI
	sessions      *sessionStore
	entries       *entryStore
	csrfKey       []byte
	secureCookies bool
	pages         map[string]*template.Template
	log           *slog.Logger
	now           func() time.Time
}

// newApp returns the app's handler. Zero durations in cfg take the defaults.
func newApp(cfg config) (http.Handler, error) {
	def := defaultConfig()
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = def.SessionIdle
	}
	if cfg.SessionMaxAge <= 0 {
		cfg.SessionMaxAge = def.SessionMaxAge
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	api, err := newUserAPI(cfg)
	if errors.Is(err, cloudspot.ErrInsecure) {
		return nil, fmt.Errorf("-erp %s is plain http to another machine: anyone on the network could read the users' passwords and tokens; use https, or -insecure-http on a network you trust", cfg.ERPURL)
	}
	if err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	rand.Read(key)
	a := &app{
		api:           api,
		sessions:      newSessionStore(cfg.SessionIdle, cfg.SessionMaxAge, cfg.Now),
		entries:       newEntryStore(),
		csrfKey:       key,
		secureCookies: cfg.SecureCookies,
		pages:         pages,
		log:           cfg.Logger,
		now:           cfg.Now,
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.loginPage)
	mux.HandleFunc("POST /{$}", a.login)
	mux.HandleFunc("GET /dashboard", a.signedIn(a.dashboard))
	mux.HandleFunc("GET /timetracking", a.signedIn(a.timetracking))
	mux.HandleFunc("POST /timetracking", a.signedIn(a.createEntry))
	mux.HandleFunc("POST /logout", a.logout)
	mux.HandleFunc("GET /static/style.css", serveStyle)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.message(w, r, http.StatusForbidden, "Request refused",
			"This form was sent from another site, so it was refused.", "/", "Go to TimeApp")
	}))
	return securityHeaders(cop.Handler(limitBody(mux)), cfg.SecureCookies), nil
}

// limitBody caps request bodies: the app's forms are small.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		next.ServeHTTP(w, r)
	})
}

// loginPage shows the login form, or sends a signed-in user on.
func (a *app) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.sessions.get(a.cookie(r, sessionCookie)); ok {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	v := view{Title: "Login", Flash: a.takeFlash(w, r)}
	v.LoginCSRF = a.loginCSRFToken(w, r)
	a.render(w, r, http.StatusOK, "login", v)
}

// badCredentials is the reference Django example's message for a refused
// sign-in. It does not say whether the username exists.
const badCredentials = "Username or password not correct."

// login signs a user in through the ERP and starts a session.
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		a.message(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.", "/", "Back to the login page")
		return
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	form := func(status int, msg string) {
		v := view{Title: "Login", Error: msg, Username: username}
		v.LoginCSRF = a.loginCSRFToken(w, r)
		a.render(w, r, status, "login", v)
	}
	if !a.checkLoginCSRF(r) {
		form(http.StatusForbidden, "The login form had expired. Please try again.")
		return
	}
	if username == "" || password == "" || len(username) > 150 || len(password) > 1024 {
		form(http.StatusUnauthorized, badCredentials)
		return
	}

	s, err := a.api.Authenticate(r.Context(), username, password)
	switch {
	case errors.Is(err, cloudspot.ErrBadCredentials):
		a.log.Info("sign-in refused") // no username: people type passwords there by mistake
		form(http.StatusUnauthorized, badCredentials)
		return
	case errors.Is(err, cloudspot.ErrRateLimited):
		a.log.Info("sign-in throttled by the ERP")
		form(http.StatusTooManyRequests, "Too many failed sign-ins. Please wait a few minutes and try again.")
		return
	case err != nil:
		a.erpDown(w, r, "sign-in", err)
		return
	}
	if !s.Permissions.Has(permUse) {
		a.log.Info("sign-in without access to the app", "username", username)
		form(http.StatusForbidden, "Your ERP account has no access to TimeApp. Ask your ERP administrator for the permission "+permUse+".")
		return
	}
	if err := s.LoadUser(r.Context()); err != nil {
		a.erpDown(w, r, "get user", err)
		return
	}
	name := s.User.Name()
	if strings.TrimSpace(name) == "" {
		name = username
	}

	// A new id on every sign-in: an id known before it (planted, or left
	// on a shared computer) never becomes a signed-in session.
	if old := a.cookie(r, sessionCookie); old != "" {
		a.sessions.delete(old)
	}
	id := a.sessions.create(username, name, s.Token)
	a.setCookie(w, r, sessionCookie, id, 0)
	a.setCookie(w, r, loginCSRFCookie, "", -1)
	a.log.Info("signed in", "username", username)
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// request is a signed-in request whose token the ERP has just accepted.
type request struct {
	id    string // the session id
	sess  session
	perms cloudspot.Permissions
}

// signedIn wraps a handler for signed-in users. It checks, in this order:
// a live session (else back to the login page), the form's CSRF token on a
// POST (else 403), and the ERP token, by asking the ERP for the user's
// permissions on every request so that a token revoked in the ERP ends the
// session at once (else back to the login page with a message).
func (a *app) signedIn(h func(http.ResponseWriter, *http.Request, *request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := a.cookie(r, sessionCookie)
		s, ok := a.sessions.get(id)
		if !ok {
			if id != "" {
				a.endSession(w, r, id, flashEnded)
				return
			}
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil || !checkSessionCSRF(s, r) {
				a.message(w, r, http.StatusForbidden, "Request refused",
					"The form did not carry a valid security token, so it was refused. Please go back, reload the page and try again.", "/dashboard", "Back to the dashboard")
				return
			}
		}
		perms, err := a.api.Permissions(r.Context(), s.Token)
		switch {
		case errors.Is(err, cloudspot.ErrNoValidToken):
			a.log.Info("token no longer valid", "username", s.Username)
			a.endSession(w, r, id, flashEnded)
			return
		case err != nil:
			a.erpDown(w, r, "get permissions", err)
			return
		}
		if !perms.Has(permUse) {
			a.log.Info("access to the app withdrawn", "username", s.Username)
			a.endSession(w, r, id, flashNoAccess)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r, &request{id: id, sess: s, perms: perms})
	}
}

// endSession forgets the session, clears its cookie and sends the browser
// to the login page, where the flash message says why.
func (a *app) endSession(w http.ResponseWriter, r *http.Request, id, flash string) {
	a.sessions.delete(id)
	a.setCookie(w, r, sessionCookie, "", -1)
	a.setFlash(w, r, flash)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// erpDown answers 502 when the ERP could not be asked or answered
// something unexpected. The error is logged (the SDK's errors carry no
// token); the page does not show it.
func (a *app) erpDown(w http.ResponseWriter, r *http.Request, what string, err error) {
	if errors.Is(err, context.Canceled) {
		return // the browser went away
	}
	a.log.Error("ERP call failed", "call", what, "err", err)
	a.message(w, r, http.StatusBadGateway, "ERP not reachable",
		"The ERP could not be reached. Please try again in a moment.", r.URL.Path, "Try again")
}

// dashboard shows the user, the token and the permissions, as the reference
// Django example does.
func (a *app) dashboard(w http.ResponseWriter, r *http.Request, q *request) {
	a.render(w, r, http.StatusOK, "dashboard", view{
		Title:           "Dashboard",
		CSRF:            q.sess.CSRF,
		Name:            q.sess.Name,
		Token:           maskToken(q.sess.Token),
		Permissions:     q.perms,
		CanTimetracking: q.perms.Has(permTimetracking),
	})
}

// logout ends the session. It is a POST with the session's CSRF token, so
// another site cannot log a user out. The ERP token is not revoked: the
// ERP's API has no call for it, and it expires on its own.
func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	id := a.cookie(r, sessionCookie)
	s, ok := a.sessions.get(id)
	if !ok {
		a.setCookie(w, r, sessionCookie, "", -1)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if err := r.ParseForm(); err != nil || !checkSessionCSRF(s, r) {
		a.message(w, r, http.StatusForbidden, "Request refused",
			"The form did not carry a valid security token, so it was refused.", "/dashboard", "Back to the dashboard")
		return
	}
	a.log.Info("logged out", "username", s.Username)
	a.endSession(w, r, id, flashLoggedOut)
}
