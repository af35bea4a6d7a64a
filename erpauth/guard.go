package erpauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// touchEvery is how stale a session's LastSeen may be before a request
// stores it again: the idle timeout is kept to a minute, and a session
// used all the time is not written on every request.
const touchEvery = time.Minute

// Require returns middleware that lets a request through only for a signed-in
// user who holds every one of perms; with none, any signed-in user.
//
// A request without a live session goes to the login page, a 303 to
// Config.LoginPath with the page in next, or gets a plain 401 when it asks
// for JSON (Accept: application/json). A user without a permission gets the
// error page, 403 (a JSON 403 when asked). An unsafe request (POST, PUT,
// PATCH, DELETE, ...) from another site is refused with 403, and so is one
// without the session's form token (see CSRFToken and
// Config.CrossOriginOnly). Every Config.Recheck the ERP is asked for the
// user's permissions again (see Config.Recheck and Config.Grace). The user is
// on the request's context for the handler (UserFrom), and the answer is
// marked Cache-Control: no-store.
func (a *Auth) Require(perms ...string) func(http.Handler) http.Handler {
	checkPerms("Require", perms, false)
	perms = slices.Clone(perms) // the caller's slice may change later
	return a.guard(func(have cloudspot.Permissions) []string {
		var missing []string
		for _, p := range perms {
			if !have.Has(p) {
				missing = append(missing, p)
			}
		}
		return missing
	}, false)
}

// RequireAny is Require for a user who holds at least one of perms; it
// panics without any, as a route that nobody may open is a mistake.
func (a *Auth) RequireAny(perms ...string) func(http.Handler) http.Handler {
	checkPerms("RequireAny", perms, true)
	perms = slices.Clone(perms)
	return a.guard(func(have cloudspot.Permissions) []string {
		if slices.ContainsFunc(perms, have.Has) {
			return nil
		}
		return perms
	}, true)
}

func checkPerms(fn string, perms []string, atLeastOne bool) {
	if atLeastOne && len(perms) == 0 {
		panic("erpauth: " + fn + " without a permission")
	}
	if slices.Contains(perms, "") {
		panic("erpauth: " + fn + " with an empty permission")
	}
}

func (a *Auth) guard(missing func(cloudspot.Permissions) []string, anyOf bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if a.cop.Check(r) != nil {
				a.refuse(w, r, nil, ErrorPage{Status: http.StatusForbidden, Title: "Request refused", Message: msgCrossSite})
				return
			}
			s := a.session(w, r)
			if s == nil {
				return
			}
			if lack := missing(s.User.Permissions); len(lack) > 0 {
				a.log.InfoContext(r.Context(), "erpauth: permission missing", "user", s.User, "missing", lack)
				a.refuse(w, r, s, ErrorPage{Status: http.StatusForbidden, Title: "No access", Message: missingMessage(lack, anyOf), Missing: lack})
				return
			}
			w.Header().Set("Cache-Control", "no-store")
			ctx := context.WithValue(r.Context(), ctxKey{}, &signedIn{user: s.User, csrf: s.CSRF})
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// session returns the request's live session, checked with the ERP if its
// Recheck is due, or answers the request itself and returns nil.
func (a *Auth) session(w http.ResponseWriter, r *http.Request) *Session {
	ctx := r.Context()
	value := a.cookie(r, sessionCookie)
	if value == "" {
		a.signInFirst(w, r, "")
		return nil
	}
	s, err := a.store.Load(ctx, value)
	switch {
	case errors.Is(err, ErrNoSession):
		a.setCookie(w, r, sessionCookie, "")
		a.signInFirst(w, r, flashEnded)
		return nil
	case err != nil:
		a.log.ErrorContext(ctx, "erpauth: session store failed", "err", err)
		a.refuse(w, r, nil, ErrorPage{Status: http.StatusServiceUnavailable, Title: "Not available", Message: msgStoreDown})
		return nil
	case a.expired(s):
		a.log.InfoContext(ctx, "erpauth: session ended", "reason", "timeout", "user", s.User)
		a.end(w, r, s, flashEnded)
		return nil
	}
	if unsafeMethod(r.Method) && !a.cfg.CrossOriginOnly && !formTokenOK(r, s.CSRF) {
		a.log.InfoContext(ctx, "erpauth: request refused", "reason", "no valid form token", "user", s.User)
		a.refuse(w, r, s, ErrorPage{Status: http.StatusForbidden, Title: "Request refused", Message: msgBadFormToken})
		return nil
	}
	now := a.now()
	dirty := now.Sub(s.LastSeen) >= touchEvery
	if now.Sub(s.CheckedAt) >= a.cfg.Recheck {
		ok := a.recheck(w, r, s, now)
		if !ok {
			return nil
		}
		dirty = true
	}
	if dirty {
		s.LastSeen = now
		v, err := a.store.Update(ctx, s)
		if errors.Is(err, ErrNoSession) { // ended meanwhile, by a logout
			a.setCookie(w, r, sessionCookie, "")
			a.signInFirst(w, r, flashEnded)
			return nil
		}
		if err != nil {
			a.log.ErrorContext(ctx, "erpauth: session store failed", "err", err)
		} else if v != value {
			a.setCookie(w, r, sessionCookie, v)
		}
	}
	return s
}

// recheck asks the ERP for the session's permissions, or uses the answer of
// the check already made for it, and applies it to s. It reports false when
// it answered the request itself: the session ended, or the ERP cannot be
// reached and no Grace is left.
func (a *Auth) recheck(w http.ResponseWriter, r *http.Request, s *Session, now time.Time) bool {
	ctx := r.Context()
	k, leader := a.checks.get(ctx, s, now, func(ctx context.Context) (cloudspot.Permissions, error) {
		return a.api.Permissions(ctx, s.User.Token)
	})
	switch {
	case k.err == nil:
		before := s.User.Permissions
		s.User.Permissions = append(cloudspot.Permissions{}, k.perms...)
		s.CheckedAt = k.at
		if a.cfg.AppPermission != "" && !k.perms.Has(a.cfg.AppPermission) {
			if leader {
				a.log.InfoContext(ctx, "erpauth: session ended", "reason", "no access to the app any more", "user", s.User)
			}
			a.end(w, r, s, flashNoAccess)
			return false
		}
		if leader && !slices.Equal(before, k.perms) {
			a.log.InfoContext(ctx, "erpauth: permissions changed", "user", s.User, "before", len(before), "now", len(k.perms))
			if a.cfg.PermissionsChanged != nil {
				a.cfg.PermissionsChanged(ctx, s.User, before)
			}
		}
		return true
	case errors.Is(k.err, cloudspot.ErrNoValidToken):
		if leader {
			a.log.InfoContext(ctx, "erpauth: session ended", "reason", "the ERP no longer accepts the token", "user", s.User)
		}
		a.end(w, r, s, flashEnded)
		return false
	case ctx.Err() != nil:
		return false // the browser went away
	case now.Sub(s.CheckedAt) < a.cfg.Recheck+a.cfg.Grace:
		if leader {
			a.log.WarnContext(ctx, "erpauth: ERP not reachable, the last answer stands", "user", s.User, "err", k.err)
		}
		return true
	default:
		if leader {
			a.log.ErrorContext(ctx, "erpauth: ERP not reachable", "call", "get permissions", "user", s.User, "err", k.err)
		}
		a.refuse(w, r, s, ErrorPage{Status: http.StatusBadGateway, Title: "ERP not reachable", Message: msgUnreachable})
		return false
	}
}

// expired reports whether s has been idle for too long or lived too long.
func (a *Auth) expired(s *Session) bool {
	now := a.now()
	return now.Sub(s.LastSeen) >= a.cfg.IdleTimeout || !now.Before(s.Created.Add(a.cfg.MaxAge))
}

// end ends a session and sends the browser to the login page, where flash
// says why.
func (a *Auth) end(w http.ResponseWriter, r *http.Request, s *Session, flash string) {
	a.endSession(w, r, s)
	a.signInFirst(w, r, flash)
}

// endSession is where every session ends (a logout, a timeout, a token the
// ERP refused, access taken away): on the server, so that no copy of its
// cookie is accepted any more, and in the browser.
func (a *Auth) endSession(w http.ResponseWriter, r *http.Request, s *Session) {
	if err := a.store.Delete(r.Context(), s); err != nil {
		a.log.ErrorContext(r.Context(), "erpauth: session store failed", "err", err)
	}
	a.checks.forget(s.ID)
	a.setCookie(w, r, sessionCookie, "")
}

// signOutWait bounds how long a logout waits for the ERP to revoke the
// session's token.
const signOutWait = 5 * time.Second

// signOut asks the ERP to revoke the session's token, so that a copy of it
// (in a log, a proxy, a stolen session store) is refused from now on. The
// session has ended whatever the answer: an ERP without the call keeps the
// token valid until it expires, which is logged, as is a failure.
func (a *Auth) signOut(r *http.Request, s *Session) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), signOutWait)
	defer cancel()
	switch err := a.api.SignOut(ctx, s.User.Token); {
	case err == nil:
	case errors.Is(err, errors.ErrUnsupported):
		a.log.InfoContext(r.Context(), "erpauth: the ERP does not revoke tokens on sign-out; the session's token stays valid until it expires", "user", s.User)
	case errors.Is(err, cloudspot.ErrNoValidToken):
		// Revoked or expired already.
	default:
		a.log.WarnContext(r.Context(), "erpauth: the ERP did not revoke the session's token", "user", s.User, "err", err)
	}
}

// signInFirst sends a browser to the login page, with the page it asked
// for in next and flash saying why, or answers 401 to a request for JSON.
func (a *Auth) signInFirst(w http.ResponseWriter, r *http.Request, flash string) {
	if wantsJSON(r) {
		writeJSON(w, http.StatusUnauthorized, msgSignInFirst)
		return
	}
	if flash != "" {
		a.setCookie(w, r, flashCookie, flash)
	}
	to := a.cfg.LoginPath
	if next, ok := safeNext(r.URL.RequestURI()); ok {
		to += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// LogoutHandler ends the session on a POST that carries its form token
// (see CSRFToken), on the server as well as in the browser, asks the ERP to
// revoke the session's token (UserAPI.SignOut; an ERP without the call keeps
// it valid until it expires), and sends the browser to the login page.
// Mount it for POST:
//
//	mux.Handle("POST /logout", auth.LogoutHandler())
//
// A POST from another site, or without the token, is refused with 403, so
// that no other site can log a user out.
func (a *Auth) LogoutHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if a.cop.Check(r) != nil {
			a.refuse(w, r, nil, ErrorPage{Status: http.StatusForbidden, Title: "Request refused", Message: msgCrossSite})
			return
		}
		s := a.current(r)
		if s == nil {
			a.setCookie(w, r, sessionCookie, "")
			http.Redirect(w, r, a.cfg.LoginPath, http.StatusSeeOther)
			return
		}
		if !a.cfg.CrossOriginOnly && !formTokenOK(r, s.CSRF) {
			a.refuse(w, r, s, ErrorPage{Status: http.StatusForbidden, Title: "Request refused", Message: msgBadFormToken})
			return
		}
		a.log.InfoContext(r.Context(), "erpauth: session ended", "reason", "logout", "user", s.User)
		a.endSession(w, r, s)
		a.signOut(r, s)
		a.setCookie(w, r, flashCookie, flashLoggedOut)
		http.Redirect(w, r, a.cfg.LoginPath, http.StatusSeeOther)
	})
}

// unsafeMethod reports whether a request may change something: anything but
// GET, HEAD, OPTIONS and TRACE.
func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// formTokenOK reports whether a request carries the session's form token,
// in the X-CSRF-Token header or the form field csrf, compared in constant
// time.
func formTokenOK(r *http.Request, want string) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
