package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// request is one signed-in request: the console user, the form token of
// their session, and a context whose changes the audit log records as
// theirs.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	ctx  context.Context
	user *erp.ConsoleUser
	csrf string
}

// handler is a signed-in page. An error it returns is shown as a page:
// ENotFound as "not found", anything else as a failure that is logged.
type handler func(q *request) error

// signedIn serves h to a browser with a live session, and sends any other
// to the sign-in page. A POST must carry its session's form token.
func (c *Console) signedIn(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret := c.cookie(r, sessionCookie)
		u, err := c.svc.ConsoleSession(r.Context(), secret)
		if err != nil {
			if erp.ErrorCode(err) != erp.EUnauthorized {
				c.fail(w, r, err)
				return
			}
			if secret != "" {
				c.setCookie(w, r, sessionCookie, "", -1)
				c.setFlash(w, r, erp.MsgSessionEnded)
			}
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		q := &request{w: w, r: r, ctx: erp.WithActor(r.Context(), erp.ConsoleActor(u.Username)), user: u, csrf: c.sessionToken(secret)}
		if r.Method == http.MethodPost && !isUpload(r) && !q.tokenOK(r.PostFormValue("csrf")) {
			c.message(w, r, http.StatusForbidden, "Refused", "This form's token is missing or belongs to another session, so it was not accepted. Reload the page and try again.")
			return
		}
		if err := h(q); err != nil {
			c.fail(w, r, err)
		}
	})
}

// tokenOK reports, in constant time, whether a form carried its session's
// token.
func (q *request) tokenOK(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(q.csrf)) == 1
}

// fail shows err as a page: not found, or a failure (logged, never shown)
// for anything the page did not expect.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	switch {
	case erp.ErrorCode(err) == erp.ENotFound:
		c.message(w, r, http.StatusNotFound, "Not found", erp.ErrorMessage(err))
	case errors.As(err, &mbe):
		c.message(w, r, http.StatusRequestEntityTooLarge, "Too large", "The form is larger than the console takes.")
	case erp.ErrorCode(err) == erp.EUnavailable:
		c.message(w, r, http.StatusServiceUnavailable, "Try again", erp.ErrorMessage(err))
	default:
		c.log.Error("console page failed", "method", r.Method, "path", r.URL.Path, "err", err)
		c.message(w, r, http.StatusInternalServerError, "Something went wrong", "The console could not do this; the server's log says why.")
	}
}

// signInPage is what the sign-in form shows.
type signInPage struct {
	Username string
}

func (c *Console) signInForm(w http.ResponseWriter, r *http.Request) {
	if _, err := c.svc.ConsoleSession(r.Context(), c.cookie(r, sessionCookie)); err == nil {
		http.Redirect(w, r, "/companies", http.StatusSeeOther)
		return
	}
	c.render(w, r, http.StatusOK, "signin", view{Title: "Sign in", CSRF: c.signInToken(w, r), Flash: c.takeFlash(w, r), Data: signInPage{}})
}

// signIn checks a console user's password (counted against the same
// limits as the API's sign-ins) and opens a session.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	username := r.PostFormValue("username")
	if len(username) > 4*erp.MaxUsernameLen {
		username = username[:4*erp.MaxUsernameLen]
	}
	again := func(status int, errs ...fieldError) {
		c.render(w, r, status, "signin", view{Title: "Sign in", CSRF: c.signInToken(w, r), Errors: errs, Data: signInPage{Username: username}})
	}
	if !c.signInTokenOK(r) {
		again(http.StatusForbidden, fieldError{"username", "The sign-in form expired. Sign in again."})
		return
	}
	password := r.PostFormValue("password")
	var missing []fieldError
	if username == "" {
		missing = append(missing, fieldError{"username", "Enter your username."})
	}
	if password == "" {
		missing = append(missing, fieldError{"password", "Enter your password."})
	}
	if len(missing) > 0 {
		again(http.StatusBadRequest, missing...)
		return
	}
	secret, _, err := c.svc.ConsoleSignIn(r.Context(), httpapi.ClientAddress(r, c.cfg.TrustedProxies), username, password)
	if err != nil {
		if erp.ErrorCode(err) == erp.EInternal || erp.ErrorCode(err) == "" {
			c.fail(w, r, err)
			return
		}
		var de *erp.Error
		if errors.As(err, &de) && de.RetryAfter > 0 {
			w.Header().Set("Retry-After", retryAfter(de))
		}
		again(httpapi.StatusOf(err), fieldError{"username", erp.ErrorMessage(err)})
		return
	}
	c.setCookie(w, r, sessionCookie, secret, 0)
	c.setCookie(w, r, signInCookie, "", -1)
	http.Redirect(w, r, "/companies", http.StatusSeeOther)
}

// signOut ends the session. It needs the session's form token, so that no
// other site can sign a console user out.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	secret := c.cookie(r, sessionCookie)
	if secret != "" {
		if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(c.sessionToken(secret))) != 1 {
			c.message(w, r, http.StatusForbidden, "Refused", "This form's token is missing or belongs to another session, so it was not accepted. Reload the page and try again.")
			return
		}
		if err := c.svc.ConsoleSignOut(r.Context(), secret); err != nil {
			c.fail(w, r, err)
			return
		}
		c.setCookie(w, r, sessionCookie, "", -1)
	}
	c.setFlash(w, r, "You are signed out.")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
