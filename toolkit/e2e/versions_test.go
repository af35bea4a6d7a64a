package e2e_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestUIDAndPin: the SDK asks for the newest bodies and reads what
// version 0.5 adds (the company's uid, the user's pin) from the real
// server; through a proxy that drops its header the server answers in 0.4,
// and the SDK works the same with those fields empty. Every exchange is
// validated against the OpenAPI description.
func TestUIDAndPin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	jan := cloudspot.User{FirstName: "Jan", LastName: "Peeters", Email: "jan.peeters@koffiehuis-demo.be"}
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			srv := erptest.Start(t, erptest.Options{Demo: true, DB: e.DB(t)})
			for _, tc := range []struct {
				name       string
				dropHeader bool
				company    string
				user       cloudspot.User
			}{
				{name: "Asked", company: demo.CompanyUID, user: withUIDAndPin(jan, demo.CompanyUID, demo.Pin)},
				{name: "ServerIgnoresTheHeader", dropHeader: true, user: jan},
			} {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					client := validatingClient(t)
					if tc.dropHeader {
						client.Transport = dropVersion{client.Transport}
					}
					api := erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(srv.URL), cloudspot.WithHTTPClient(client)))(t)
					s := erptest.Must(api.Authenticate(ctx, demo.Username, demo.Password))(t)
					if s.Company != tc.company {
						t.Errorf("Session.Company = %q, want %q", s.Company, tc.company)
					}
					if err := s.LoadUser(ctx); err != nil {
						t.Fatal(err)
					}
					if d := cmp.Diff(tc.user, s.User); d != "" {
						t.Errorf("LoadUser (-want +got):\n%s", d)
					}
					if err := s.LoadPermissions(ctx); err != nil || !s.Permissions.Has("timeapp_use") {
						t.Errorf("LoadPermissions: %v %v", s.Permissions, err)
					}
					viewer := erptest.Must(api.Authenticate(ctx, demo.Viewer, demo.Password))(t)
					if u := erptest.Must(api.User(ctx, viewer.Token))(t); u.Pin != "" || u.Company != tc.company {
						t.Errorf("the viewer (no pin) = %+v, want company %q and no pin", u, tc.company)
					}
					company := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(srv.URL), cloudspot.WithHTTPClient(client)))(t)
					if as := erptest.Must(company.Artikels.List(ctx))(t); len(as) == 0 {
						t.Error("no products")
					}
				})
			}
		})
	}
}

func withUIDAndPin(u cloudspot.User, company, pin string) cloudspot.User {
	u.Company, u.Pin = company, pin
	return u
}

// dropVersion is a proxy that does not pass on the SDK's version header,
// as a server that does not know it would ignore it.
type dropVersion struct{ next http.RoundTripper }

func (d dropVersion) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if r.Header.Get("X-Cloudspot-API-Version") == "" {
		return nil, errors.New("the SDK did not ask for a version")
	}
	r.Header.Del("X-Cloudspot-API-Version")
	return d.next.RoundTrip(r)
}
