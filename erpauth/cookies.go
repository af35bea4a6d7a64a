package erpauth

import (
	"encoding/base64"
	"net/http"
)

// The cookies, by the suffix they add to Config.CookieName.
const (
	sessionCookie = ""       // the session: its id, or the sealed session
	loginCookie   = "_csrf"  // the login form's nonce
	flashCookie   = "_flash" // why the last session ended, as a code
)

// secure reports whether cookies for r are Secure: the request came over
// TLS, or the app was told that TLS ends in front of it.
func (a *Auth) secure(r *http.Request) bool {
	return r.TLS != nil || a.cfg.SecureCookies
}

// cookieName gives a Secure cookie the __Host- prefix, with which a browser
// keeps the cookie only from a secure origin, for Path=/ and without a
// Domain, so that neither a sibling subdomain nor plain HTTP can set it.
func (a *Auth) cookieName(r *http.Request, suffix string) string {
	if a.secure(r) {
		return "__Host-" + a.cfg.CookieName + suffix
	}
	return a.cfg.CookieName + suffix
}

// setCookie sets a host-only, HttpOnly, SameSite=Lax cookie for the whole
// app that ends with the browser; an empty value deletes it.
func (a *Auth) setCookie(w http.ResponseWriter, r *http.Request, suffix, value string) {
	c := &http.Cookie{
		Name:     a.cookieName(r, suffix),
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   a.secure(r),
		SameSite: http.SameSiteLaxMode,
	}
	if value == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// cookie returns the value of one of the cookies, or "".
func (a *Auth) cookie(r *http.Request, suffix string) string {
	c, err := r.Cookie(a.cookieName(r, suffix))
	if err != nil {
		return ""
	}
	return c.Value
}

// The login form is protected by a signed double-submit token: its cookie
// holds a random nonce, the form an HMAC of it under Config.Keys, so that
// another site can neither read the token nor make one for a cookie it
// planted. It stops login CSRF, which would sign a victim in to the
// attacker's account.

// loginToken returns the login form's token, setting the nonce cookie
// when the browser has none (an existing one is kept, so that several
// open login tabs all work).
func (a *Auth) loginToken(w http.ResponseWriter, r *http.Request) string {
	nonce := a.cookie(r, loginCookie)
	if !validNonce(nonce) {
		nonce = randomID()
		a.setCookie(w, r, loginCookie, nonce)
	}
	return base64.RawURLEncoding.EncodeToString(a.forms.sign("login\x00" + nonce))
}

// checkLoginToken reports whether the form's token matches its cookie.
func (a *Auth) checkLoginToken(r *http.Request) bool {
	nonce := a.cookie(r, loginCookie)
	sig, err := base64.RawURLEncoding.DecodeString(r.PostFormValue(csrfField))
	return validNonce(nonce) && err == nil && a.forms.verify("login\x00"+nonce, sig)
}

// validNonce accepts only what randomID makes.
func validNonce(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// takeFlash returns the pending message of why the last session ended, and
// clears it.
func (a *Auth) takeFlash(w http.ResponseWriter, r *http.Request) string {
	code := a.cookie(r, flashCookie)
	if code == "" {
		return ""
	}
	a.setCookie(w, r, flashCookie, "")
	return a.flashText(code)
}
