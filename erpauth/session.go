package erpauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Session is one signed-in browser, as a Store keeps it.
type Session struct {
	// ID is 256 random bits, new at every sign-in, so that an id known
	// before a sign-in never becomes a signed-in session.
	ID   string
	User User
	// CSRF is the session's form token (see CSRFToken).
	CSRF      string
	Created   time.Time // the sign-in
	LastSeen  time.Time // the latest request, to a minute
	CheckedAt time.Time // when the ERP last confirmed the token and the permissions
	// Expires is the session's absolute end (Created + Config.MaxAge): no
	// cookie of it is valid afterwards, so a store may forget it then,
	// and whatever it keeps of it once deleted.
	Expires time.Time
}

// ErrNoSession is what a Store returns for a cookie that names no live
// session: unknown, malformed, deleted or expired.
var ErrNoSession = errors.New("erpauth: no such session")

// A Store keeps sessions. Its methods are called concurrently, also for one
// session. Whatever it puts in the cookie must reveal nothing of the
// session (erpauthtest.TestStore checks that no field is readable in it).
// Run erpauthtest.TestStore against an implementation of your own, such as
// one on Redis or SQL.
type Store interface {
	// Create stores a new session and returns the value of the cookie
	// that names it.
	Create(ctx context.Context, s *Session) (cookie string, err error)
	// Update stores changes to a session that Create stored (LastSeen,
	// CheckedAt, the permissions) and returns the cookie's value from now
	// on. A session that Delete ended, or that the store forgot, is not
	// brought back: Update returns ErrNoSession.
	Update(ctx context.Context, s *Session) (cookie string, err error)
	// Load returns the session that a cookie's value names, or
	// ErrNoSession. The session is the caller's to change.
	Load(ctx context.Context, cookie string) (*Session, error)
	// Delete ends a session: every cookie that named it, copies included,
	// is refused from now on. Deleting an unknown session is no error.
	Delete(ctx context.Context, s *Session) error
}

// sessionWire is the encoding of a Session: every field, the token too.
type sessionWire struct {
	V           int       `json:"v"`
	ID          string    `json:"id"`
	CSRF        string    `json:"csrf"`
	Username    string    `json:"username"`
	FirstName   string    `json:"first_name,omitempty"`
	LastName    string    `json:"last_name,omitempty"`
	Email       string    `json:"email,omitempty"`
	Company     string    `json:"company,omitempty"`
	Permissions []string  `json:"permissions"`
	Token       string    `json:"token"`
	Created     time.Time `json:"created"`
	LastSeen    time.Time `json:"last_seen"`
	CheckedAt   time.Time `json:"checked_at"`
	Expires     time.Time `json:"expires"`
}

// MarshalBinary encodes every field of the session, the ERP token
// included, for a Store to keep; UnmarshalBinary reads it back. Keep it
// where only the app can read it.
func (s *Session) MarshalBinary() ([]byte, error) {
	return json.Marshal(sessionWire{V: 1, ID: s.ID, CSRF: s.CSRF, Username: s.User.Username, FirstName: s.User.FirstName,
		LastName: s.User.LastName, Email: s.User.Email, Company: s.User.Company, Permissions: s.User.Permissions,
		Token: s.User.Token, Created: s.Created, LastSeen: s.LastSeen, CheckedAt: s.CheckedAt, Expires: s.Expires})
}

// UnmarshalBinary reads what MarshalBinary wrote. Anything else, and a
// session without an id, is an error.
func (s *Session) UnmarshalBinary(b []byte) error {
	var w sessionWire
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("erpauth: session: %w", err)
	}
	if w.V != 1 || w.ID == "" {
		return errors.New("erpauth: session: not a session of this version")
	}
	perms := cloudspot.Permissions(w.Permissions)
	if perms == nil {
		perms = cloudspot.Permissions{}
	}
	*s = Session{ID: w.ID, CSRF: w.CSRF, User: User{Username: w.Username, FirstName: w.FirstName, LastName: w.LastName,
		Email: w.Email, Company: w.Company, Permissions: perms, Token: w.Token},
		Created: w.Created, LastSeen: w.LastSeen, CheckedAt: w.CheckedAt, Expires: w.Expires}
	return nil
}

// clone returns a copy of s that shares nothing with it.
func (s *Session) clone() *Session {
	c := *s
	c.User.Permissions = append(cloudspot.Permissions{}, s.User.Permissions...)
	return &c
}

// randomID returns 256 random bits, URL-safe base64 encoded (43 characters).
func randomID() string {
	var b [32]byte
	rand.Read(b[:]) // never fails: crypto/rand panics rather than return an error
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// clockSetter is implemented by the built-in stores, which judge expiry by
// the Auth's clock (Config.Now).
type clockSetter interface {
	setClock(now func() time.Time)
}
