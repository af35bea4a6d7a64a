package cloudspot

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzResponseError feeds the error constructor hostile answers: whatever
// comes back, the error names the request's path, carries a short message
// and never shows the call's token.
func FuzzResponseError(f *testing.F) {
	f.Add(502, "text/html", "<html><title>Bad Gateway</title></html>")
	f.Add(401, "application/json", `{"message": "No valid token found."}`)
	f.Add(401, "application/json", `{"message": "token s3cret-token-value is unknown"}`)
	f.Add(500, "", "\xff\xfe")
	f.Add(400, "application/json", `{"message": {"nested": true}}`)
	f.Add(200, "text/html", "<!DOCTYPE html><title>s3cret-token-value</title>")
	base, _ := url.Parse("http://127.0.0.1:1/erp/api/v1")
	tr := &transport{base: base}
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}}, Body: io.NopCloser(strings.NewReader(body))}
		c := call{method: "GET", path: "auth/get-user", kind: userTokenCall, token: "s3cret-token-value"}
		e := tr.responseError(c, resp, nil)
		if e.StatusCode != status || e.Message == "" || e.Path != "/erp/api/v1/auth/get-user/" {
			t.Fatalf("status %d: err = %#v, want an *Error with the status, a message and the request's path", status, e)
		}
		if len(e.Message) > 1000 {
			t.Fatalf("message of %d bytes: a hostile body must not flood the error", len(e.Message))
		}
		if strings.Contains(e.Error(), "s3cret-token-value") {
			t.Fatalf("the error shows the token: %v", e)
		}
	})
}
