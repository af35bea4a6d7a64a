package cloudspottest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// TestTokenAPIVersion: a token's fixture version chooses the bodies of a
// client that does not ask, as the reference clients do not.
func TestTokenAPIVersion(t *testing.T) {
	t.Parallel()
	srv := cloudspottest.Start(t, cloudspottest.Fixtures{Companies: []cloudspottest.Company{catalogue}})
	keys := func(token string) []string {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.BaseURL+"/artikels/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-ERP-TOKEN", srv.CompanyToken("brouwerij", token))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct{ Data []map[string]json.RawMessage }
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Data) != 1 {
			t.Fatalf("GET /artikels/: %d %v %v", resp.StatusCode, body, err)
		}
		var out []string
		for k := range body.Data[0] {
			out = append(out, k)
		}
		return out
	}
	if got := keys("webshop"); len(got) != 14 || strings.Contains(strings.Join(got, ","), "merk") {
		t.Errorf("a token of the default version: keys %v, want the protocol's 14", got)
	}
	if got := keys("kassa-0.6"); len(got) != 28 || !strings.Contains(strings.Join(got, ","), "categorieen") {
		t.Errorf("a token of version 0.6: keys %v, want 28 with categorieen", got)
	}
}

// TestUIDPinAndAppVersionFixtures: a company's uid, a user's pin and an
// app's version reach the answers of API version 0.5: the SDK's, which asks
// for the latest, and those of a client that does not ask, in the app's
// version.
func TestUIDPinAndAppVersionFixtures(t *testing.T) {
	t.Parallel()
	const uid = "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914"
	srv := cloudspottest.Start(t, cloudspottest.Fixtures{
		Companies: []cloudspottest.Company{{Slug: "acme", UID: uid}},
		Apps: []cloudspottest.App{
			{Slug: "klokapp", APIVersion: "0.5", Permissions: []cloudspottest.Permission{{Slug: "klokapp_use"}}},
			{Slug: "oudeapp", Permissions: []cloudspottest.Permission{{Slug: "oudeapp_use"}}},
		},
		Users: []cloudspottest.User{{Username: "els", Password: "a long password", Company: "acme", Pin: "0427",
			Permissions: []string{"klokapp_use", "oudeapp_use"}}},
	})
	ctx := context.Background()
	api, err := cloudspot.NewUserAPI("oudeapp", srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := api.Authenticate(ctx, "els", "a long password")
	if err != nil || s.Company != uid {
		t.Fatalf("the SDK's sign-in: %+v, %v; want company %s", s, err, uid)
	}
	if u, err := api.User(ctx, s.Token); err != nil || u.Pin != "0427" || u.Company != uid {
		t.Errorf("the SDK's user: %+v, %v", u, err)
	}
	// Without the version header, as the reference clients sign in.
	signIn := func(app string) map[string]any {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.BaseURL+"/auth/signin-external-app/", strings.NewReader(`{"username": "els", "password": "a long password"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-ERP-REQUESTOR", app)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("sign-in to %s: %d %v", app, resp.StatusCode, err)
		}
		return body
	}
	if body := signIn("klokapp"); body["company"] != uid {
		t.Errorf("an app of version 0.5: %v, want company %s", body, uid)
	}
	if body := signIn("oudeapp"); len(body) != 2 {
		t.Errorf("an app of the default version: %v, want token and permissions alone", body)
	}
	_, err = cloudspottest.New(ctx, cloudspottest.Fixtures{Companies: []cloudspottest.Company{{Slug: "a"}},
		Users: []cloudspottest.User{{Username: "x", Password: "a long password", Company: "a", Pin: "12"}}})
	if err == nil || !strings.Contains(err.Error(), `user "x"`) {
		t.Errorf("a pin of two digits: %v", err)
	}
}
