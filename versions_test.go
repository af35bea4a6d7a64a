package cloudspot_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// TestVersion05Fields: every request asks for the richest bodies, what
// version 0.5 adds is read in whatever form it comes, and an answer without
// it (a server that ignores the header) leaves the fields empty.
func TestVersion05Fields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name, signIn, user string
		company            string
		want               cloudspot.User
	}{
		{"Version05",
			`{"token": "t0k", "permissions": [], "company": "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914"}`,
			`{"first_name": "An", "last_name": "Claes", "email": "an@acme.be", "company": "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914", "pin": "0427"}`,
			"6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914",
			cloudspot.User{FirstName: "An", LastName: "Claes", Email: "an@acme.be", Company: "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914", Pin: "0427"}},
		{"Version04",
			`{"token": "t0k", "permissions": []}`,
			`{"first_name": "An", "last_name": "Claes", "email": "an@acme.be"}`,
			"",
			cloudspot.User{FirstName: "An", LastName: "Claes", Email: "an@acme.be"}},
		{"NullsAndNumbers",
			`{"token": "t0k", "permissions": [], "company": null}`,
			`{"first_name": "An", "last_name": null, "email": "an@acme.be", "company": 42, "pin": 1234}`,
			"",
			cloudspot.User{FirstName: "An", Email: "an@acme.be", Company: "42", Pin: "1234"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, base := newStub(t, nil)
			st.fn = reply(200, "application/json", tc.signIn)
			users := must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base)))(t)
			s := must(users.Authenticate(ctx, "an", "secret-password"))(t)
			if got := st.last().Header.Get("X-Cloudspot-API-Version"); got != "latest" {
				t.Errorf("sign-in sent X-Cloudspot-API-Version %q, want latest", got)
			}
			if s.Company != tc.company {
				t.Errorf("Session.Company = %q, want %q", s.Company, tc.company)
			}
			st.fn = reply(200, "application/json", tc.user)
			if err := s.LoadUser(ctx); err != nil {
				t.Fatal(err)
			}
			if got := st.last().Header.Get("X-Cloudspot-API-Version"); got != "latest" {
				t.Errorf("get-user sent X-Cloudspot-API-Version %q, want latest", got)
			}
			if d := diff(tc.want, s.User); d != "" {
				t.Error(d)
			}
		})
	}
}

// TestUserMarshalKeepsVersion04Keys: a user read from a 0.4 server writes
// exactly the keys of version 0.4; company and pin appear only when set.
func TestUserMarshalKeepsVersion04Keys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		u    cloudspot.User
		want string
	}{
		{cloudspot.User{FirstName: "An", LastName: "Claes", Email: "an@acme.be"}, `{"email":"an@acme.be","first_name":"An","last_name":"Claes"}`},
		{cloudspot.User{FirstName: "An", Company: "c-1", Pin: "0427"}, `{"company":"c-1","email":"","first_name":"An","last_name":"","pin":"0427"}`},
	} {
		b := must(json.Marshal(tc.u))(t)
		if string(b) != tc.want {
			t.Errorf("json.Marshal(%+v) = %s, want %s", tc.u, b, tc.want)
		}
		var back cloudspot.User
		if err := json.Unmarshal(b, &back); err != nil || back != tc.u {
			t.Errorf("round trip: %+v, %v; want %+v", back, err, tc.u)
		}
	}
}

// TestWithAPIVersion: the version asked for goes on every call, user and
// company alike; without the option it is latest; what could not be a
// version (or could smuggle a header) is refused by the constructor.
func TestWithAPIVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		opts []cloudspot.Option
		want string
	}{
		{nil, "latest"},
		{[]cloudspot.Option{cloudspot.WithAPIVersion("0.4")}, "0.4"},
		{[]cloudspot.Option{cloudspot.WithAPIVersion(" 0.5 ")}, "0.5"},
		{[]cloudspot.Option{cloudspot.WithAPIVersion("0.4"), cloudspot.WithAPIVersion("latest")}, "latest"},
	} {
		st, base := newStub(t, nil)
		opts := append([]cloudspot.Option{cloudspot.WithBaseURL(base)}, tc.opts...)
		st.fn = reply(200, "application/json", `{"data": []}`)
		company := must(cloudspot.NewCompanyAPI("tok", opts...))(t)
		if _, err := company.Artikels.List(ctx); err != nil {
			t.Fatal(err)
		}
		if got := st.last().Header.Get("X-Cloudspot-API-Version"); got != tc.want {
			t.Errorf("list sent X-Cloudspot-API-Version %q, want %q", got, tc.want)
		}
		st.fn = reply(200, "application/json", `{"permissions": []}`)
		users := must(cloudspot.NewUserAPI("timeapp", opts...))(t)
		if _, err := users.Permissions(ctx, "t0k"); err != nil {
			t.Fatal(err)
		}
		if got := st.last().Header.Get("X-Cloudspot-API-Version"); got != tc.want {
			t.Errorf("get-permissions sent X-Cloudspot-API-Version %q, want %q", got, tc.want)
		}
	}
	for _, bad := range []string{"", "4", "v0.4", "0.5.1", "0.7", "1.0", "0.4.1.2", "0..4", "0.4\r\nX-ERP-TOKEN: x", "0.12345", "Latest "} {
		if _, err := cloudspot.NewCompanyAPI("tok", cloudspot.WithAPIVersion(bad)); err == nil {
			t.Errorf("WithAPIVersion(%q) was accepted", bad)
		}
	}
}
