// Package tokenkind tells a token's kind by its prefix. cloudspot-server
// issues user tokens that start with "csu_" and company tokens that start
// with "csc_", so that a secret scanner (and a person) recognises a leaked
// one, the server refuses a token sent to the wrong kind of call without a
// lookup, and the CLI can say "this is a company token" to someone who gave
// one where a user token belongs. A token without either prefix (the real
// ERP's, the demo's, one an operator registered) has no kind that can be
// told.
package tokenkind

import "strings"

// Prefixes of the two kinds: letters, digits and "_" only, safe in a
// header, a URL and a shell, and opaque to the reference client.
const (
	UserPrefix    = "csu_"
	CompanyPrefix = "csc_"
)

// Kind is a token's kind as its prefix tells it.
type Kind int

const (
	// Unknown: no prefix; either kind.
	Unknown Kind = iota
	// User is a user token, issued by a sign-in for an external app.
	User
	// Company is a company API token, issued by an administrator.
	Company
)

// Of returns token's kind by its prefix.
func Of(token string) Kind {
	switch {
	case strings.HasPrefix(token, UserPrefix):
		return User
	case strings.HasPrefix(token, CompanyPrefix):
		return Company
	}
	return Unknown
}

// String names the kind for people: "a user token", "a company token".
func (k Kind) String() string {
	switch k {
	case User:
		return "a user token"
	case Company:
		return "a company token"
	}
	return "a token"
}
