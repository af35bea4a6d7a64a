package cloudspot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// TestErrorsNameTheRequest: whatever went wrong, and wherever the SDK found
// out (the ERP's refusal, an HTML page, no token before sending, a sign-in
// without a token, a body too large), the error's Path is the path the
// request went to.
func TestErrorsNameTheRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		call    func(*cloudspot.UserAPI) error
		path    string
		status  int
	}{
		{"Refused", reply(401, "application/json", `{"message": "No valid token found."}`),
			func(a *cloudspot.UserAPI) error { _, err := a.User(ctx, "tok"); return err }, "/erp/api/v1/auth/get-user/", 401},
		{"HTMLOn200", reply(200, "text/html", "<title>portal</title>"),
			func(a *cloudspot.UserAPI) error { _, err := a.User(ctx, "tok"); return err }, "/erp/api/v1/auth/get-user/", 200},
		{"TruncatedJSON", reply(200, "application/json", `{"permissions": [`),
			func(a *cloudspot.UserAPI) error { _, err := a.Permissions(ctx, "tok"); return err }, "/erp/api/v1/auth/get-permissions/", 200},
		{"NoToken", reply(200, "application/json", `{}`),
			func(a *cloudspot.UserAPI) error { _, err := a.Permissions(ctx, ""); return err }, "/erp/api/v1/auth/get-permissions/", 0},
		{"SignInWithoutToken", reply(200, "application/json", `{"permissions": []}`),
			func(a *cloudspot.UserAPI) error { _, err := a.Authenticate(ctx, "u", "p"); return err }, "/erp/api/v1/auth/signin-external-app/", 200},
		{"TooLarge", reply(200, "application/json", `{"first_name": "`+strings.Repeat("a", 2000)+`"}`),
			func(a *cloudspot.UserAPI) error { _, err := a.User(ctx, "tok"); return err }, "/erp/api/v1/auth/get-user/", 200},
	} {
		_, base := newStub(t, tc.handler)
		api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base), cloudspot.WithMaxResponseBytes(1000)))(t)
		var e *cloudspot.Error
		if err := tc.call(api); !errors.As(err, &e) {
			t.Errorf("%s: err = %v (%T), want an *Error", tc.name, err, err)
		} else if e.Path != tc.path || e.StatusCode != tc.status || e.Method == "" {
			t.Errorf("%s: %s %s status %d, want %s with %d", tc.name, e.Method, e.Path, e.StatusCode, tc.path, tc.status)
		}
	}
}

// TestSecretsNeverInErrors: a server (or proxy) that echoes the token or
// the password in its message does not get it into the error.
func TestSecretsNeverInErrors(t *testing.T) {
	t.Parallel()
	_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		echo := r.Header.Get("X-ERP-TOKEN")
		if echo == "" {
			echo = "password pw-Geheim-123 is wrong"
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(400)
		w.Write([]byte("<html><title>Rejected " + echo + "</title></html>"))
	})
	api := must(cloudspot.NewUserAPI("a", cloudspot.WithBaseURL(base)))(t)
	_, errToken := api.User(context.Background(), "tok-Geheim-456")
	_, errSignIn := api.Authenticate(context.Background(), "jan", "pw-Geheim-123")
	for _, err := range []error{errToken, errSignIn} {
		if err == nil || strings.Contains(err.Error(), "Geheim") || !strings.Contains(err.Error(), "[redacted]") {
			t.Errorf("err = %v; want the echoed secret replaced by [redacted]", err)
		}
	}
}

// TestZeroValuesDoNotPanic: a Session, UserAPI or CompanyAPI not made by
// the package's constructors fails its calls with an error.
func TestZeroValuesDoNotPanic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var zero cloudspot.Session
	var nilSession *cloudspot.Session
	calls := map[string]func() error{
		"Session.LoadPermissions":    func() error { return zero.LoadPermissions(ctx) },
		"Session.LoadUser":           func() error { return zero.LoadUser(ctx) },
		"nil Session.LoadUser":       func() error { return nilSession.LoadUser(ctx) },
		"UserAPI{}.Session.LoadUser": func() error { return (&cloudspot.UserAPI{}).Session("tok").LoadUser(ctx) },
		"UserAPI{}.Authenticate":     func() error { _, err := (&cloudspot.UserAPI{}).Authenticate(ctx, "u", "p"); return err },
		"nil UserAPI.Permissions":    func() error { _, err := (*cloudspot.UserAPI)(nil).Permissions(ctx, "tok"); return err },
		"ArtikelService{}.List":      func() error { _, err := (&cloudspot.ArtikelService{}).List(ctx); return err },
		"CompanyAPI{}.Artikels.List": func() error { _, err := (&cloudspot.CompanyAPI{}).Artikels.List(ctx); return err },
		"CompanyAPI{}.Artikels.Get":  func() error { _, err := (&cloudspot.CompanyAPI{}).Artikels.Get(ctx, 1); return err },
		"CompanyAPI{}.Klanten.List":  func() error { _, err := (&cloudspot.CompanyAPI{}).Klanten.List(ctx); return err },
		"CompanyAPI{}.Klanten.All": func() error {
			for _, err := range (&cloudspot.CompanyAPI{}).Klanten.All(ctx) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s panicked: %v", name, p)
				}
			}()
			if err := call(); err == nil || !strings.Contains(err.Error(), "not created by") {
				t.Errorf("%s: err = %v, want one saying how to create it", name, err)
			}
		}()
	}
}

// TestNotFoundNamesABaseURLWithoutAPIPath: a 404 from a base URL that lacks
// /api/v1 says so and what to try; from one that has it, the error is the
// ERP's answer alone (another service answers there, or the object is
// gone), with no guess about the URL.
func TestNotFoundNamesABaseURLWithoutAPIPath(t *testing.T) {
	t.Parallel()
	_, base := newStub(t, reply(404, "application/json", `{"message": "Not found."}`))
	host := strings.TrimSuffix(base, "/erp/api/v1/")
	for _, tc := range []struct{ base, hint string }{
		{host, "the base URL " + host + " does not end in /api/v1, under which the API's calls are: try " + host + "/api/v1"},
		{host + "/erp/", "the base URL " + host + "/erp does not end in /api/v1, under which the API's calls are: try " + host + "/erp/api/v1"},
		{host + "/erp/api/v1/", ""},
	} {
		api := must(cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(tc.base)))(t)
		_, err := api.Artikels.List(context.Background())
		var e *cloudspot.Error
		if !errors.As(err, &e) || !errors.Is(err, cloudspot.ErrNotFound) || e.Message != "Not found." {
			t.Fatalf("base %s: err = %v, want ErrNotFound with the ERP's message", tc.base, err)
		}
		if tc.hint == "" && strings.Contains(err.Error(), "/api/v1,") {
			t.Errorf("base %s: %q guesses about a base URL that ends in /api/v1", tc.base, err)
		}
		if tc.hint != "" && !strings.HasSuffix(err.Error(), ": Not found. ("+tc.hint+")") {
			t.Errorf("base %s: %q; want it to end in the hint %q", tc.base, err, tc.hint)
		}
	}
}
