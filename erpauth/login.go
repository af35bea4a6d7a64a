package erpauth

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot"
)

// The form fields of the login form and of the app's forms.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// Bounds of what the login form may carry, checked before anything is sent
// to the ERP: its username limit, and a password far longer than any.
const (
	maxUsername  = 150
	maxPassword  = 1024
	maxLoginForm = 16 << 10
)

// LoginHandler serves the login page at Config.LoginPath: GET shows the
// form (a signed-in browser goes on to the page it asked for), POST signs
// the user in with the ERP and starts a new session. Mount it for both:
//
//	mux.Handle("/login", auth.LoginHandler())
func (a *Auth) LoginHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			a.showLogin(w, r)
		case http.MethodPost:
			a.signIn(w, r)
		default:
			w.Header().Set("Allow", "GET, HEAD, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

func (a *Auth) showLogin(w http.ResponseWriter, r *http.Request) {
	next, _ := safeNext(r.URL.Query().Get("next"))
	if s := a.current(r); s != nil {
		http.Redirect(w, r, a.landing(next), http.StatusSeeOther)
		return
	}
	a.loginForm(w, r, LoginPage{Next: next, Flash: a.takeFlash(w, r), Status: http.StatusOK})
}

// landing is where a sign-in goes: the page asked for, else AfterLogin.
func (a *Auth) landing(next string) string {
	if next == "" {
		return a.cfg.AfterLogin
	}
	return next
}

// loginForm renders the login page p with a form token.
func (a *Auth) loginForm(w http.ResponseWriter, r *http.Request, p LoginPage) {
	p.AppName, p.Action = a.cfg.AppName, a.cfg.LoginPath
	p.CSRF = a.loginToken(w, r)
	a.page(w, r, a.loginTemplate, p.Status, p)
}

// signIn checks the form, the address's failed sign-ins and then the
// credentials with the ERP, and starts a session with a new id.
func (a *Auth) signIn(w http.ResponseWriter, r *http.Request) {
	if a.cop.Check(r) != nil {
		a.log.InfoContext(r.Context(), "erpauth: sign-in form from another site refused")
		a.refuse(w, r, nil, ErrorPage{Status: http.StatusForbidden, Title: "Request refused", Message: msgCrossSite})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		a.loginForm(w, r, LoginPage{Status: http.StatusBadRequest, Error: msgFormUnreadable})
		return
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	next, _ := safeNext(r.PostFormValue("next"))
	form := func(status int, msg string) {
		if !utf8.ValidString(username) || utf8.RuneCountInString(username) > maxUsername {
			username = ""
		}
		a.loginForm(w, r, LoginPage{Status: status, Error: msg, Username: username, Next: next})
	}
	if !a.checkLoginToken(r) {
		form(http.StatusForbidden, msgFormExpired)
		return
	}
	if username == "" || password == "" || !utf8.ValidString(username) || utf8.RuneCountInString(username) > maxUsername || len(password) > maxPassword {
		form(http.StatusUnauthorized, msgBadCredentials)
		return
	}
	ctx := r.Context()
	addr := a.clientAddr(r)
	log := a.log.With("addr", addr.String())
	if ok, wait := a.limit.take(addr, a.now()); !ok {
		log.InfoContext(ctx, "erpauth: sign-in refused", "reason", "too many failed sign-ins from this address", "retry_after", wait.Round(1e9).String())
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+1e9-1)/1e9)))
		form(http.StatusTooManyRequests, msgTooMany(wait))
		return
	}
	if a.cfg.ForwardClientAddr {
		ctx = cloudspot.ForwardedFor(ctx, addr)
	}
	es, err := a.api.Authenticate(ctx, username, password)
	var apiErr *cloudspot.Error
	switch {
	case errors.Is(err, cloudspot.ErrBadCredentials):
		// No username in the record: people type their password there.
		log.InfoContext(ctx, "erpauth: sign-in refused", "reason", "bad credentials")
		form(http.StatusUnauthorized, msgBadCredentials)
		return
	case errors.Is(err, cloudspot.ErrRateLimited):
		// Counted like a wrong password: the attempts an address sends to
		// the ERP stay bounded even while the ERP refuses them itself.
		wait := a.cfg.FailedSignInWindow
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			wait = apiErr.RetryAfter
		}
		log.InfoContext(ctx, "erpauth: sign-in refused", "reason", "the ERP's limit of failed sign-ins", "retry_after", wait.String())
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+1e9-1)/1e9)))
		form(http.StatusTooManyRequests, msgTooMany(wait))
		return
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		a.limit.giveBack(addr)
		return // the browser went away
	case err != nil:
		a.limit.giveBack(addr)
		log.ErrorContext(ctx, "erpauth: ERP not reachable", "call", "sign-in", "err", err)
		form(http.StatusBadGateway, msgUnreachable)
		return
	}
	a.limit.giveBack(addr) // only refusals count
	if a.cfg.AppPermission != "" && !es.Permissions.Has(a.cfg.AppPermission) {
		log.InfoContext(ctx, "erpauth: sign-in refused", "reason", "no access to the app", "username", username)
		form(http.StatusForbidden, a.msgNoAccess())
		return
	}
	if err := es.LoadUser(ctx); err != nil {
		log.ErrorContext(ctx, "erpauth: ERP not reachable", "call", "get user", "err", err)
		form(http.StatusBadGateway, msgUnreachable)
		return
	}
	company := es.Company
	if company == "" {
		company = es.User.Company
	}
	now := a.now()
	s := &Session{
		ID:   randomID(),
		CSRF: randomID(),
		User: User{Username: username, FirstName: es.User.FirstName, LastName: es.User.LastName, Email: es.User.Email,
			Company: company, Permissions: append(cloudspot.Permissions{}, es.Permissions...), Token: es.Token},
		Created: now, LastSeen: now, CheckedAt: now, Expires: now.Add(a.cfg.MaxAge),
	}
	// The session that this browser had, if any, ends: a sign-in always
	// starts a new one, with a new id (an id known before the sign-in,
	// planted or left on a shared computer, never becomes a signed-in
	// session).
	if old := a.cookie(r, sessionCookie); old != "" {
		if prev, err := a.store.Load(ctx, old); err == nil {
			a.store.Delete(ctx, prev)
			a.checks.forget(prev.ID)
		}
	}
	value, err := a.store.Create(ctx, s)
	if err != nil {
		log.ErrorContext(ctx, "erpauth: session store failed", "err", err)
		form(http.StatusInternalServerError, msgStoreFailed)
		return
	}
	a.setCookie(w, r, sessionCookie, value)
	a.setCookie(w, r, loginCookie, "")
	log.InfoContext(ctx, "erpauth: signed in", "user", s.User)
	http.Redirect(w, r, a.landing(next), http.StatusSeeOther)
}

// current returns the live session of a request, or nil; unlike Require it
// asks the ERP nothing and changes nothing.
func (a *Auth) current(r *http.Request) *Session {
	v := a.cookie(r, sessionCookie)
	if v == "" {
		return nil
	}
	s, err := a.store.Load(r.Context(), v)
	if err != nil || a.expired(s) {
		return nil
	}
	return s
}
