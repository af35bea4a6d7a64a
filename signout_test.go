package cloudspot_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// TestSignOut: SignOut posts the token and app to auth/signout/ and is
// done on a 200; a server without the call (404 or 405, JSON or not) is
// errors.ErrUnsupported with the server's *Error inside; a refused token
// is ErrNoValidToken; nothing else is taken for "unsupported".
func TestSignOut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		unsupported bool
		is          error
	}{
		{"signed out", 200, "application/json", `{"message": "Signed out."}`, false, nil},
		{"no such call", 404, "application/json", `{"message": "Not found."}`, true, cloudspot.ErrNotFound},
		{"no such method", 405, "application/json", `{"message": "Method POST not allowed."}`, true, nil},
		{"a proxy's page", 404, "text/html", `<html><title>Not Found</title></html>`, true, nil},
		{"token refused", 401, "application/json", `{"message": "No valid token found."}`, false, cloudspot.ErrNoValidToken},
		{"server error", 500, "application/json", `{"message": "Internal error."}`, false, nil},
		{"too many", 429, "application/json", `{"message": "Slow down."}`, false, cloudspot.ErrRateLimited},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, base := newStub(t, reply(tc.status, tc.contentType, tc.body))
			api := must(cloudspot.NewUserAPI("TimeApp", cloudspot.WithBaseURL(base)))(t)
			err := api.SignOut(context.Background(), "tok-jan")
			r := s.last()
			if r.Method != "POST" || r.URL.Path != "/erp/api/v1/auth/signout/" || r.Header.Get("X-ERP-TOKEN") != "tok-jan" || r.Header.Get("X-ERP-REQUESTOR") != "timeapp" {
				t.Errorf("sent %s %s token %q app %q", r.Method, r.URL.Path, r.Header.Get("X-ERP-TOKEN"), r.Header.Get("X-ERP-REQUESTOR"))
			}
			if tc.status == 200 {
				if err != nil {
					t.Fatalf("SignOut: %v", err)
				}
				return
			}
			if got := errors.Is(err, errors.ErrUnsupported); got != tc.unsupported {
				t.Errorf("%v: matches ErrUnsupported %v, want %v", err, got, tc.unsupported)
			}
			var e *cloudspot.Error
			if !errors.As(err, &e) || e.StatusCode != tc.status {
				t.Errorf("%v: want the server's *Error with status %d", err, tc.status)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("%v: want it to match %v", err, tc.is)
			}
		})
	}
}

// TestSignOutSendsNothingWithoutAToken and is never retried: a sign-out
// that failed on its way may have revoked the token already.
func TestSignOutSendsNothingWithoutAToken(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	_, base := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		reply(503, "application/json", `{"message": "Busy."}`)(w, r)
	})
	api := must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(base), cloudspot.WithRetries(3)))(t)
	if err := api.SignOut(context.Background(), ""); !errors.Is(err, cloudspot.ErrNoValidToken) || calls.Load() != 0 {
		t.Errorf("an empty token: %v after %d requests, want ErrNoValidToken and none sent", err, calls.Load())
	}
	if err := api.SignOut(context.Background(), "tok"); err == nil || calls.Load() != 1 {
		t.Errorf("a 503: %v after %d requests, want an error after one", err, calls.Load())
	}
	var zero *cloudspot.UserAPI
	if err := zero.SignOut(context.Background(), "tok"); err == nil {
		t.Error("a nil UserAPI signed out")
	}
}
