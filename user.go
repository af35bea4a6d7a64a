package cloudspot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// UserAPI signs users in for one external app and answers questions about
// their tokens. Create one per app with [NewUserAPI] and share it: it keeps
// no per-user state.
type UserAPI struct {
	t   *transport
	app string
}

// NewUserAPI returns a UserAPI for the external app with the given slug. The
// ERP maps permissions by this slug, so a wrong one signs users in with the
// wrong (usually no) permissions; it is lower-cased as the ERP expects.
func NewUserAPI(app string, opts ...Option) (*UserAPI, error) {
	app = strings.ToLower(strings.TrimSpace(app))
	if app == "" {
		return nil, errors.New("cloudspot: NewUserAPI: empty app slug")
	}
	t, err := newTransport(opts)
	if err != nil {
		return nil, err
	}
	return &UserAPI{t: t, app: app}, nil
}

// App is the app slug sent with every request, lower-cased.
func (u *UserAPI) App() string { return u.app }

// Session is one signed-in user of an app: the token the ERP issued and what
// is known about it so far. It mirrors the reference client's api.token,
// api.permissions and api.user, but per user, so that many users can be
// served at once. A Session is not safe for concurrent mutation.
type Session struct {
	api         *UserAPI
	Token       string
	Permissions Permissions
	// Company is the uid of the user's company, from the sign-in answer of
	// API version 0.5 or 0.6; empty from a server that sends version
	// 0.4's bodies, and for a Session made from a token (LoadUser fills
	// User.Company instead).
	Company string
	User    User // zero until LoadUser
}

// Session returns a Session for a token obtained earlier, such as one kept in
// a cookie store. Nothing is checked until a call is made. A Session made
// otherwise (the zero Session) fails every call with an error.
func (u *UserAPI) Session(token string) *Session {
	return &Session{api: u, Token: token}
}

// Authenticate signs a user in with their ERP username and password and
// returns a Session holding the new token and the user's permissions for
// this app. A refusal is an error matching [ErrBadCredentials]; a sign-in is
// never retried, since each one issues a token.
func (u *UserAPI) Authenticate(ctx context.Context, username, password string) (*Session, error) {
	if u == nil {
		return nil, errZeroValue("Authenticate")
	}
	var out struct {
		Token       flexString  `json:"token"`
		Permissions Permissions `json:"permissions"`
		Company     flexString  `json:"company"`
	}
	c := call{method: http.MethodPost, path: "auth/signin-external-app", kind: signInCall, app: u.app,
		body: map[string]string{"username": username, "password": password}, secrets: []string{password}}
	if err := u.t.do(ctx, c, &out); err != nil {
		return nil, err
	}
	if out.Token == "" {
		return nil, u.t.newError(c, http.StatusOK, ErrBadCredentials, "sign-in answered without a token")
	}
	return &Session{api: u, Token: string(out.Token), Permissions: out.Permissions, Company: string(out.Company)}, nil
}

// Permissions returns the permissions of the user behind token for this app.
// An empty token fails with [ErrNoValidToken] before any request is sent.
func (u *UserAPI) Permissions(ctx context.Context, token string) (Permissions, error) {
	if u == nil {
		return nil, errZeroValue("Permissions")
	}
	var out struct {
		Permissions Permissions `json:"permissions"`
	}
	c := call{method: http.MethodGet, path: "auth/get-permissions", kind: userTokenCall, app: u.app, token: token}
	if err := u.t.do(ctx, c, &out); err != nil {
		return nil, err
	}
	if out.Permissions == nil {
		out.Permissions = Permissions{}
	}
	return out.Permissions, nil
}

// User returns the person behind token. An empty token fails with
// [ErrNoValidToken] before any request is sent.
func (u *UserAPI) User(ctx context.Context, token string) (User, error) {
	if u == nil {
		return User{}, errZeroValue("User")
	}
	var out User
	c := call{method: http.MethodGet, path: "auth/get-user", kind: userTokenCall, app: u.app, token: token}
	if err := u.t.do(ctx, c, &out); err != nil {
		return User{}, err
	}
	return out, nil
}

// SignOut asks the server to revoke token, so that it is refused from the
// next call on: what "sign out" should mean, beyond forgetting the token.
// It is cloudspot-server's extension of the API (POST auth/signout/), which
// the reference client does not know. A server without it (404 or 405, as
// the ERP's own API answers) makes SignOut return an error matching
// [errors.ErrUnsupported] (and, with errors.As, the server's [*Error]): the
// token then stays valid until it expires, unless an administrator revokes
// it. A token the server does not accept (already signed out, expired,
// issued to another app) is an error matching [ErrNoValidToken]; an empty
// token fails so before anything is sent. It is never retried.
func (u *UserAPI) SignOut(ctx context.Context, token string) error {
	if u == nil {
		return errZeroValue("SignOut")
	}
	var out struct {
		Message flexString `json:"message"`
	}
	c := call{method: http.MethodPost, path: "auth/signout", kind: userTokenCall, app: u.app, token: token}
	err := u.t.do(ctx, c, &out)
	if e := (*Error)(nil); errors.As(err, &e) && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusMethodNotAllowed) {
		return fmt.Errorf("cloudspot: %s %s: the server does not offer sign-out; the token stays valid until it expires (%w): %w",
			c.method, u.t.urlOf(c).Path, errors.ErrUnsupported, e)
	}
	return err
}

// LoadPermissions fetches the session's permissions again and replaces
// s.Permissions, like the reference client's get_permissions().
func (s *Session) LoadPermissions(ctx context.Context) error {
	if s == nil || s.api == nil {
		return errZeroValue("Session.LoadPermissions")
	}
	p, err := s.api.Permissions(ctx, s.Token)
	if err != nil {
		return err
	}
	s.Permissions = p
	return nil
}

// LoadUser fetches the person behind the session's token into s.User, like
// the reference client's get_user().
func (s *Session) LoadUser(ctx context.Context) error {
	if s == nil || s.api == nil {
		return errZeroValue("Session.LoadUser")
	}
	usr, err := s.api.User(ctx, s.Token)
	if err != nil {
		return err
	}
	s.User = usr
	return nil
}

// User is the person behind a user token.
type User struct {
	FirstName string
	LastName  string
	Email     string
	// Company is the uid of the user's company and Pin the user's pin
	// (digits, for apps such as time clocks), keys of API versions 0.5
	// and 0.6; they are empty from a server that sends version 0.4's
	// bodies, and Pin also when the user has none.
	Company string
	Pin     string
}

func (u *User) fields() []field {
	return []field{
		{key: "first_name", ptr: &u.FirstName},
		{key: "last_name", ptr: &u.LastName},
		{key: "email", ptr: &u.Email},
		{key: "company", ptr: &u.Company, extension: true},
		{key: "pin", ptr: &u.Pin, extension: true},
	}
}

// Name is the user's full name, "First Last".
func (u User) Name() string {
	switch {
	case u.FirstName == "":
		return u.LastName
	case u.LastName == "":
		return u.FirstName
	}
	return u.FirstName + " " + u.LastName
}

// MarshalJSON writes first_name, last_name and email, and company and pin
// only when set (so a user read from a server that sends version 0.4's
// bodies encodes to those keys alone); unlike the product models an empty
// string stays "" because the ERP sends it so.
func (u User) MarshalJSON() ([]byte, error) {
	m := map[string]string{"first_name": u.FirstName, "last_name": u.LastName, "email": u.Email}
	if u.Company != "" {
		m["company"] = u.Company
	}
	if u.Pin != "" {
		m["pin"] = u.Pin
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the keys of every version and ignores others; null
// leaves a field empty.
func (u *User) UnmarshalJSON(b []byte) error {
	*u = User{}
	fs := u.fields()
	return unmarshalOne(b, func(s *scanner) error { return decodeFields(s, "user", fs) })
}

// Permissions are the slugs of what a user may do in one external app, such
// as "timeapp_use". Order is the server's.
type Permissions []string

// Has reports whether slug is among p.
func (p Permissions) Has(slug string) bool {
	for _, s := range p {
		if s == slug {
			return true
		}
	}
	return false
}

// MarshalJSON writes the wire form, a list of {"permission": slug} objects.
func (p Permissions) MarshalJSON() ([]byte, error) {
	out := make([]map[string]string, len(p))
	for i, s := range p {
		out[i] = map[string]string{"permission": s}
	}
	return json.Marshal(out)
}

// UnmarshalJSON accepts the wire form and, tolerantly, a plain list of slugs
// or null.
func (p *Permissions) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return decodeError("permissions", "a list", b, err)
	}
	out := make(Permissions, 0, len(raw))
	for _, r := range raw {
		var slug string
		if json.Unmarshal(r, &slug) != nil {
			var obj struct {
				Permission flexString `json:"permission"`
			}
			if err := json.Unmarshal(r, &obj); err != nil {
				return decodeError("permission", "an object or a slug", r, err)
			}
			slug = string(obj.Permission)
		}
		if slug != "" {
			out = append(out, slug)
		}
	}
	*p = out
	return nil
}
