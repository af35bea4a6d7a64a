package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// Forms are protected against cross-site request forgery twice:
//
//   - http.CrossOriginProtection refuses every POST that a browser marks as
//     coming from another origin (Sec-Fetch-Site, or Origin against Host);
//   - every form carries a token that another site cannot know. Signed-in
//     forms carry the session's own token. The login form, which has no
//     session yet, uses a signed double-submit cookie: the cookie holds a
//     random nonce and the form an HMAC of it under a key only this process
//     has, so a planted cookie is useless without the matching form value.
//     This stops login CSRF, where a victim is signed in to the attacker's
//     account.

// Cookie names, before the __Host- prefix that secure cookies get.
const (
	sessionCookie   = "loginapp_session"
	loginCSRFCookie = "loginapp_csrf"
	flashCookie     = "loginapp_flash"
)

// secure reports whether cookies for r must be Secure: the request came over
// TLS, or the app was told that a TLS proxy is in front of it.
func (a *app) secure(r *http.Request) bool {
	return r.TLS != nil || a.secureCookies
}

// cookieName gives secure cookies the __Host- prefix, with which a browser
// accepts the cookie only from a secure origin, for Path=/ and without a
// Domain, so neither a sibling subdomain nor plain HTTP can overwrite it.
func (a *app) cookieName(r *http.Request, name string) string {
	if a.secure(r) {
		return "__Host-" + name
	}
	return name
}

// setCookie sets a host-only, HttpOnly, SameSite=Lax cookie for the whole
// app that lasts until the browser closes; maxAge < 0 deletes it.
func (a *app) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     a.cookieName(r, name),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   a.secure(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// cookie returns the value of the named cookie, or "".
func (a *app) cookie(r *http.Request, name string) string {
	c, err := r.Cookie(a.cookieName(r, name))
	if err != nil {
		return ""
	}
	return c.Value
}

// loginCSRFToken returns the login form's token, setting the nonce cookie
// when the browser has none (an existing one is kept, so several open login
// tabs all work).
func (a *app) loginCSRFToken(w http.ResponseWriter, r *http.Request) string {
	nonce := a.cookie(r, loginCSRFCookie)
	if !validNonce(nonce) {
		nonce = randomToken()
		a.setCookie(w, r, loginCSRFCookie, nonce, 0)
	}
	return a.signNonce(nonce)
}

// checkLoginCSRF reports whether the login form's token matches its cookie.
func (a *app) checkLoginCSRF(r *http.Request) bool {
	nonce := a.cookie(r, loginCSRFCookie)
	if !validNonce(nonce) {
		return false
	}
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(a.signNonce(nonce)))
}

func (a *app) signNonce(nonce string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte("login-csrf\x00"))
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validNonce accepts only what randomToken makes.
func validNonce(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// checkSessionCSRF reports whether a signed-in form carried its session's
// token, comparing in constant time.
func checkSessionCSRF(s session, r *http.Request) bool {
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) == 1
}

// Flash messages survive one redirect in a cookie. The cookie holds only a
// code that flashMessage knows, so nobody can make the login page say
// anything else.
const (
	flashEnded     = "ended"
	flashLoggedOut = "loggedout"
	flashNoAccess  = "noaccess"
)

func flashMessage(code string) string {
	switch code {
	case flashEnded:
		return "Your session has ended. Please log in again."
	case flashLoggedOut:
		return "You have been logged out."
	case flashNoAccess:
		return "Your ERP account no longer has access to TimeApp."
	}
	return ""
}

func (a *app) setFlash(w http.ResponseWriter, r *http.Request, code string) {
	a.setCookie(w, r, flashCookie, code, 0)
}

// takeFlash returns the pending flash message, if any, and clears it.
func (a *app) takeFlash(w http.ResponseWriter, r *http.Request) string {
	code := a.cookie(r, flashCookie)
	if code == "" {
		return ""
	}
	a.setCookie(w, r, flashCookie, "", -1)
	return flashMessage(code)
}
