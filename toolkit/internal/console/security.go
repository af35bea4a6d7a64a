package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// The console's defences, in one place:
//
//   - every answer carries a Content-Security-Policy that allows scripts,
//     styles and images from the console itself only (no inline script or
//     style), forbids framing, and limits forms to the console;
//   - http.CrossOriginProtection (in routes) refuses a form a browser sent
//     from another origin, and every form also carries a token that
//     another site cannot know: the session's own, or on the sign-in form
//     a signed double-submit cookie, which stops a sign-in forged into the
//     attacker's account;
//   - cookies are HttpOnly and SameSite=Strict, Secure with the __Host-
//     prefix behind TLS, and hold no more than a random secret;
//   - bodies are bounded before they are read.

// contentSecurityPolicy allows nothing that does not come from the console
// itself.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// headers sets the security headers of every answer.
func (c *Console) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cache-Control", "no-store")
		if c.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// maxFormBytes bounds every body but an import file's.
const maxFormBytes = 64 << 10

// limitBodies bounds a request's body; an upload has its own bound (see
// uploadImport).
func (c *Console) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && !isUpload(r) {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// secure reports whether the browser reached the console over HTTPS.
func (c *Console) secure(r *http.Request) bool { return r.TLS != nil || c.cfg.BehindTLS }

// Cookie names, before the __Host- prefix that secure cookies get.
const (
	sessionCookie = "cloudspot_console"
	signInCookie  = "cloudspot_console_signin"
	flashCookie   = "cloudspot_console_flash"
)

// cookieName gives secure cookies the __Host- prefix, with which a browser
// takes a cookie only from a secure origin, for Path=/ and without a
// Domain, so that neither another host nor plain HTTP can set it.
func (c *Console) cookieName(r *http.Request, name string) string {
	if c.secure(r) {
		return "__Host-" + name
	}
	return name
}

// setCookie sets a host-only, HttpOnly, SameSite=Strict cookie for the
// whole console that ends with the browser; maxAge < 0 deletes it.
func (c *Console) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     c.cookieName(r, name),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   c.secure(r),
		SameSite: http.SameSiteStrictMode,
	})
}

// cookie is the value of the named cookie, or "".
func (c *Console) cookie(r *http.Request, name string) string {
	ck, err := r.Cookie(c.cookieName(r, name))
	if err != nil {
		return ""
	}
	return ck.Value
}

// sign is the console key's HMAC of what, for purpose: a value that only
// the console can make, and only for that purpose.
func (c *Console) sign(purpose, what string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(purpose + "\x00" + what))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// signed reports, in constant time, whether got is sign(purpose, what).
func (c *Console) signed(got, purpose, what string) bool {
	return got != "" && hmac.Equal([]byte(got), []byte(c.sign(purpose, what)))
}

// sessionToken is the form token of a session: derived from its secret,
// which only that browser holds, so a token of another session (or of one
// that ended) is good for nothing.
func (c *Console) sessionToken(secret string) string { return c.sign("session", secret) }

// signInToken returns the sign-in form's token, setting its nonce cookie
// when the browser has none (an existing one is kept, so that several
// open sign-in tabs all work).
func (c *Console) signInToken(w http.ResponseWriter, r *http.Request) string {
	nonce := c.cookie(r, signInCookie)
	if !validNonce(nonce) {
		nonce = randomNonce()
		c.setCookie(w, r, signInCookie, nonce, 0)
	}
	return c.sign("signin", nonce)
}

// signInTokenOK reports whether the sign-in form's token matches its
// cookie: a cookie that another site planted comes without the token, which
// only the console can make.
func (c *Console) signInTokenOK(r *http.Request) bool {
	nonce := c.cookie(r, signInCookie)
	return validNonce(nonce) && c.signed(r.PostFormValue("csrf"), "signin", nonce)
}

func randomNonce() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// validNonce accepts only what randomNonce makes.
func validNonce(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// maxFlash bounds a message carried over a redirect.
const maxFlash = 300

// setFlash carries a message to the page a redirect leads to, signed so
// that no other page (another site on this host, which may set cookies
// for it) can make the console say anything.
func (c *Console) setFlash(w http.ResponseWriter, r *http.Request, msg string) {
	if len(msg) > maxFlash {
		msg = msg[:maxFlash]
	}
	v := base64.RawURLEncoding.EncodeToString([]byte(msg))
	c.setCookie(w, r, flashCookie, v+"."+c.sign("flash", v), 0)
}

// takeFlash returns the message a redirect carried, once.
func (c *Console) takeFlash(w http.ResponseWriter, r *http.Request) string {
	v := c.cookie(r, flashCookie)
	if v == "" {
		return ""
	}
	c.setCookie(w, r, flashCookie, "", -1)
	text, sig, ok := strings.Cut(v, ".")
	if !ok || !c.signed(sig, "flash", text) {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return ""
	}
	return strings.ToValidUTF8(string(b), "")
}
