package erpauth_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// standIn is a stand-in for the ERP's user calls, so that erpauth's own
// tests and examples run with the standard library alone; the end-to-end
// tests in toolkit/e2e and toolkit/examples/loginapp run against the real
// cloudspot-server. It knows users of the app timeapp, issues tokens, can
// revoke them and change permissions, counts the calls it gets, and can be
// made to fail.
type standIn struct {
	srv *httptest.Server

	mu     sync.Mutex
	users  map[string]*standInUser
	tokens map[string]string // token → username
	calls  map[string]int    // path → calls
	xff    []string          // X-Forwarded-For of each sign-in
	fault  func(w http.ResponseWriter, r *http.Request) bool
}

type standInUser struct {
	password                    string
	first, last, email, company string
	perms                       []string
}

// Users of the stand-in; every password is "s3cret-password".
const password = "s3cret-password"

func newStandIn() *standIn {
	e := &standIn{users: map[string]*standInUser{}, tokens: map[string]string{}, calls: map[string]int{}}
	e.users["jan"] = &standInUser{password: password, first: "Jan", last: "Peeters", email: "jan@koffiehuis.example",
		company: "0f4a2c6e-3b1d-4e8a-9c57-6d2e1f8b4a90", perms: []string{"timeapp_use", "timeapp_timetracking_use", "timeapp_timetracking_create"}}
	e.users["lotte"] = &standInUser{password: password, first: "Lotte", last: "Janssens", perms: []string{"timeapp_use"}}
	e.users["outsider"] = &standInUser{password: password, first: "Olaf"}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	return e
}

// startStandIn starts a stand-in for a test.
func startStandIn(t testing.TB) *standIn {
	e := newStandIn()
	t.Cleanup(e.srv.Close)
	return e
}

// url is the stand-in's API base URL.
func (e *standIn) url() string { return e.srv.URL + "/api/v1" }

// userAPI returns a UserAPI of timeapp pointed at the stand-in.
func (e *standIn) userAPI() *cloudspot.UserAPI {
	api, err := cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(e.url()))
	if err != nil {
		panic(err)
	}
	return api
}

func (e *standIn) serve(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.calls[r.URL.Path]++
	fault := e.fault
	e.mu.Unlock()
	if fault != nil && fault(w, r) {
		return
	}
	answer := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	refuse := func(status int, msg string) { answer(status, map[string]string{"message": msg}) }
	perms := func(u *standInUser) []map[string]string {
		out := []map[string]string{}
		for _, p := range u.perms {
			out = append(out, map[string]string{"permission": p})
		}
		return out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	switch r.URL.Path {
	case "/api/v1/auth/signin-external-app/":
		var in struct{ Username, Password string }
		json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in)
		e.xff = append(e.xff, r.Header.Get("X-Forwarded-For"))
		u, ok := e.users[in.Username]
		if !ok || u.password != in.Password {
			refuse(401, "Username or password not correct.")
			return
		}
		b := make([]byte, 27)
		rand.Read(b)
		token := "csu_" + base64.RawURLEncoding.EncodeToString(b)
		e.tokens[token] = in.Username
		answer(200, map[string]any{"token": token, "permissions": perms(u), "company": u.company})
	case "/api/v1/auth/get-permissions/", "/api/v1/auth/get-user/":
		name, ok := e.tokens[r.Header.Get("X-ERP-TOKEN")]
		if !ok {
			refuse(401, "No valid token found.")
			return
		}
		u := e.users[name]
		if r.URL.Path == "/api/v1/auth/get-user/" {
			answer(200, map[string]string{"first_name": u.first, "last_name": u.last, "email": u.email, "company": u.company})
			return
		}
		answer(200, map[string]any{"permissions": perms(u)})
	case "/api/v1/auth/signout/":
		token := r.Header.Get("X-ERP-TOKEN")
		if _, ok := e.tokens[token]; !ok || r.Method != http.MethodPost {
			refuse(401, "No valid token found.")
			return
		}
		delete(e.tokens, token)
		answer(200, map[string]string{"message": "Signed out."})
	default:
		refuse(404, "Not found.")
	}
}

// liveTokens is how many tokens of a user the stand-in accepts.
func (e *standIn) liveTokens(username string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, u := range e.tokens {
		if u == username {
			n++
		}
	}
	return n
}

// count is how many calls the stand-in got at the API path ("auth/get-permissions").
func (e *standIn) count(call string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls["/api/v1/"+call+"/"]
}

// revoke ends every token of a user, as an ERP administrator can.
func (e *standIn) revoke(username string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for tok, u := range e.tokens {
		if u == username {
			delete(e.tokens, tok)
		}
	}
}

// setPermissions replaces a user's permissions.
func (e *standIn) setPermissions(username string, perms ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.users[username].perms = perms
}

// setFault makes the stand-in answer with f while it returns true; nil
// clears it.
func (e *standIn) setFault(f func(w http.ResponseWriter, r *http.Request) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fault = f
}

// forwarded is the X-Forwarded-For of every sign-in so far.
func (e *standIn) forwarded() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.xff...)
}

// downPage answers every call as a proxy whose ERP is down does.
func downPage(w http.ResponseWriter, _ *http.Request) bool {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	fmt.Fprint(w, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
	return true
}
