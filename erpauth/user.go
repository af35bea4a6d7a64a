package erpauth

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/cloudspot-toolkit/cloudspot"
)

// User is the person signed in on a request: who the ERP says they are,
// their permissions for the app as the ERP last confirmed them, and the
// token the ERP issued at sign-in. Get it with UserFrom.
type User struct {
	Username  string
	FirstName string
	LastName  string
	Email     string
	// Company is the uid of the user's company, which the ERP sends from
	// API version 0.5 on; empty from an ERP that sends older answers.
	Company string
	// Permissions are the user's permission slugs for the app. Treat them
	// as read-only: every request shares them.
	Permissions cloudspot.Permissions
	// Token is the ERP user token, for the app's own calls to the ERP on
	// the user's behalf (cloudspot.UserAPI.User, .Permissions). erpauth
	// never logs it, never sends it to the browser, and leaves it out of
	// JSON, of fmt's output and of slog records of a User.
	Token string `json:"-"`
}

// Name is the user's full name ("First Last"), or the username when the
// ERP knows no name.
func (u User) Name() string {
	if n := (cloudspot.User{FirstName: u.FirstName, LastName: u.LastName}).Name(); n != "" {
		return n
	}
	return u.Username
}

// LogValue makes a User logged with slog show its username and company,
// never its token.
func (u User) LogValue() slog.Value {
	return slog.GroupValue(slog.String("username", u.Username), slog.String("company", u.Company))
}

// printedUser is a User without its methods, for Format.
type printedUser User

// Format prints a User as fmt prints a struct, with the token replaced by
// "[redacted]", whatever the verb, so that a user printed by mistake does
// not put the token in a log.
func (u User) Format(f fmt.State, verb rune) {
	if u.Token != "" {
		u.Token = "[redacted]"
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), printedUser(u))
}

// ctxKey is the context key of the signed-in request.
type ctxKey struct{}

// signedIn is what Require puts on a request's context.
type signedIn struct {
	user User
	csrf string
}

// UserFrom returns the user signed in on a request that Require or
// RequireAny let through; ok is false on any other request.
func UserFrom(ctx context.Context) (u User, ok bool) {
	s, ok := ctx.Value(ctxKey{}).(*signedIn)
	if !ok {
		return User{}, false
	}
	return s.user, true
}

// CSRFToken returns the form token of the session signed in on a request
// that Require or RequireAny let through, or "" on any other request. A
// form that the app's pages post to a guarded route carries it in a hidden
// field named "csrf" (a script sends it in the X-CSRF-Token header):
//
//	<input type="hidden" name="csrf" value="{{.CSRF}}">
func CSRFToken(ctx context.Context) string {
	if s, ok := ctx.Value(ctxKey{}).(*signedIn); ok {
		return s.csrf
	}
	return ""
}
