package erpauth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

// crossSite are the headers of a form another site's page sends, as
// browsers mark it.
var crossSite = [][]string{
	{"Sec-Fetch-Site", "cross-site"},
	{"Sec-Fetch-Site", "same-site"},
	{"Origin", "http://evil.example"},
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{})
	creds := url.Values{"username": {"jan"}, "password": {password}}
	with := func(v url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}

	t.Run("LoginWithoutToken", func(t *testing.T) {
		c := app.client(t)
		c.get("/login")
		res := c.post("/login", creds)
		wantStatus(t, res, http.StatusForbidden)
		wantBody(t, res, "The login form had expired. Please try again.")
		if c.cookie("erpauth") != nil {
			t.Error("a login form without its token signed in")
		}
	})
	t.Run("LoginWithAnotherBrowsersToken", func(t *testing.T) {
		// A page of the attacker's can copy a token from its own visit,
		// but not the victim's cookie it was made for.
		token := loginToken(t, app.client(t).get("/login").body)
		victim := app.client(t)
		wantStatus(t, victim.post("/login", with(creds, "csrf", token)), http.StatusForbidden)
		victim.get("/login")
		wantStatus(t, victim.post("/login", with(creds, "csrf", token)), http.StatusForbidden)
		// Nor can a planted cookie of its choosing help it.
		victim.setCookie("erpauth_csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
		wantStatus(t, victim.post("/login", with(creds, "csrf", token)), http.StatusForbidden)
	})
	t.Run("LoginTokenOfAnotherKey", func(t *testing.T) {
		// A token signed by another app's key does not pass.
		other := startApp(t, erp, erpauth.Config{Keys: keys(1)})
		oc := other.client(t)
		page := oc.get("/login")
		c := app.client(t)
		c.get("/login")
		c.setCookie("erpauth_csrf", oc.cookie("erpauth_csrf").Value)
		wantStatus(t, c.post("/login", with(creds, "csrf", loginToken(t, page.body))), http.StatusForbidden)
	})
	for _, h := range crossSite {
		t.Run("LoginCrossSite/"+h[0]+"="+h[1], func(t *testing.T) {
			c := app.client(t)
			token := loginToken(t, c.get("/login").body)
			res := c.post("/login", with(creds, "csrf", token), h...)
			wantStatus(t, res, http.StatusForbidden)
			wantBody(t, res, "This form was sent from another site, so it was refused.")
			wantRedirect(t, c.post("/login", with(creds, "csrf", token), "Origin", app.srv.URL, "Sec-Fetch-Site", "same-origin"), "/")
		})
	}

	c := app.client(t)
	token := c.mustSignIn("jan")
	other := app.client(t).mustSignIn("jan")
	t.Run("SignedIn", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			form   url.Values
			header []string
			status int
		}{
			{"NoToken", url.Values{}, nil, 403},
			{"AnotherSessionsToken", url.Values{"csrf": {other}}, nil, 403},
			{"EmptyToken", url.Values{"csrf": {""}}, nil, 403},
			{"Token", url.Values{"csrf": {token}}, nil, 200},
			{"TokenInHeader", url.Values{}, []string{"X-CSRF-Token", token}, 200},
			{"WrongTokenInHeader", url.Values{"csrf": {token}}, []string{"X-CSRF-Token", other}, 403},
			{"TokenCrossSite", url.Values{"csrf": {token}}, []string{"Sec-Fetch-Site", "cross-site"}, 403},
			{"TokenOtherOrigin", url.Values{"csrf": {token}}, []string{"Origin", "http://evil.example"}, 403},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := c.post("/tt", tc.form, tc.header...)
				wantStatus(t, res, tc.status)
				if tc.status == 200 {
					wantBody(t, res, "created by jan")
				} else if strings.Contains(res.body, "created") {
					t.Error("the refused form reached the handler")
				}
			})
		}
		for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
			wantStatus(t, c.do(method, "/tt", url.Values{}), http.StatusForbidden)
			wantStatus(t, c.do(method, "/tt", url.Values{}, "X-CSRF-Token", token), http.StatusOK)
		}
	})
	t.Run("Logout", func(t *testing.T) {
		wantStatus(t, c.post("/logout", url.Values{}), http.StatusForbidden)
		wantStatus(t, c.post("/logout", url.Values{"csrf": {other}}), http.StatusForbidden)
		wantStatus(t, c.post("/logout", url.Values{"csrf": {token}}, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden)
		wantStatus(t, c.get("/"), http.StatusOK) // still signed in
	})

	t.Run("CrossOriginOnly", func(t *testing.T) {
		app := startApp(t, erp, erpauth.Config{CrossOriginOnly: true})
		c := app.client(t)
		c.mustSignIn("jan")
		wantStatus(t, c.post("/tt", url.Values{}), http.StatusOK)
		wantStatus(t, c.post("/tt", url.Values{}, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden)
		wantRedirect(t, c.post("/logout", url.Values{}), "/login")
	})
}
