package erp

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. The HTTP API maps each to one status in one table; storage
// engines translate their own errors (unique violations, lost connections)
// into these.
const (
	EInvalid      = "invalid"      // bad input
	EUnauthorized = "unauthorized" // bad credentials or token
	EForbidden    = "forbidden"    // valid token without the right
	ENotFound     = "not_found"
	EConflict     = "conflict"    // already exists
	ETooMany      = "too_many"    // too many attempts; wait
	EUnavailable  = "unavailable" // storage unreachable; try again
	EInternal     = "internal"
)

// Error is a domain error whose Message is safe to show to a client.
type Error struct {
	Code    string
	Message string
	// RetryAfter, when set, is how long the client should wait before
	// trying again (ETooMany).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the client-safe message of err: an *Error's own
// message, and "Internal error." for anything else, whose text may hold
// details a client must not see.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// Messages the protocol's clients know.
const (
	MsgBadCredentials = "Username or password not correct."
	MsgNoValidToken   = "No valid token found."
)

// The errors the service returns most, each made fresh so that no caller
// can change what another one receives.
func errBusy() *Error {
	return &Error{Code: EUnavailable, Message: "The server is busy; try again shortly."}
}

func errBadCredentials() *Error { return &Error{Code: EUnauthorized, Message: MsgBadCredentials} }

func errNoValidToken() *Error { return &Error{Code: EUnauthorized, Message: MsgNoValidToken} }
