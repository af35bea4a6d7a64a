package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestAdminSetsWhatSignInSends sets up an app for the 0.5 reference client
// with the admin commands (a company's uid, a user's pin, the app's API
// version), then signs in over HTTP on the same database: the answers carry
// the uid and pin the commands set, in exactly the 0.5 keys.
func TestAdminSetsWhatSignInSends(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	const (
		uid      = "6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914"
		password = "Tr0ub4dor&3-horse"
		pin      = "0427"
	)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	if out := a.ok("", "company", "list"); !strings.Contains(out, "UID") || strings.Contains(out, uid) {
		t.Errorf("company list before set-uid (a random uid, not ours):\n%s", out)
	}
	a.ok("", "company", "set-uid", "acme", uid)
	if out := a.ok("", "company", "list"); !strings.Contains(out, uid) {
		t.Errorf("company list does not show the uid:\n%s", out)
	}
	a.fails(1, "use 1 to 64 letters, digits and -", "", "company", "set-uid", "acme", "not a uid!")
	a.ok("", "company", "create", "other", "--name", "Other BV")
	a.fails(1, "is another company's", "", "company", "set-uid", "other", uid)

	a.ok(password+"\n", "user", "create", "an", "--company", "acme", "--first-name", "An", "--last-name", "Claes", "--email", "an@acme.be")
	for _, bad := range []string{"12", "12a4", "١٢٣٤", strings.Repeat("9", 13), "0427 "} {
		a.fails(1, "a pin is 4 to 12 digits", bad+"\n", "user", "set-pin", "an")
	}
	a.fails(1, "no pin given", "\n", "user", "set-pin", "an")
	out, errOut, code := a.run(pin+"\n", "user", "set-pin", "an")
	if code != 0 || strings.Contains(out+errOut, pin) {
		t.Errorf("set-pin: exit %d, output %q %q (the pin must never be printed)", code, out, errOut)
	}

	a.ok("", "app", "create", "shopapp", "--name", "ShopApp")
	a.ok("", "app", "add-permission", "shopapp", "shopapp_use", "--label", "ShopApp: toegang")
	a.ok("", "grant", "an", "shopapp_use")
	if out := a.ok("", "app", "list"); !strings.Contains(out, "shopapp  ShopApp  0.4") {
		t.Errorf("app list before set-api-version:\n%s", out)
	}
	a.fails(1, "is not one this server speaks", "", "app", "set-api-version", "shopapp", "0.9")
	a.fails(1, "does not exist", "", "app", "set-api-version", "nosuchapp", "0.5")
	a.ok("", "app", "set-api-version", "shopapp", "latest")
	if out := a.ok("", "app", "list"); !strings.Contains(out, "shopapp  ShopApp  0.6") {
		t.Errorf("app list after set-api-version latest:\n%s", out)
	}

	srv := erptest.Start(t, erptest.Options{Store: openForTest(t, a.db)})
	signIn := postSignIn(t, srv.URL+"/auth/signin-external-app/", "shopapp", `{"username": "an", "password": "`+password+`"}`)
	if got, want := sortedKeys(signIn), []string{"company", "permissions", "token"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sign-in keys %v, want %v", got, want)
	}
	if signIn["company"] != uid {
		t.Errorf("sign-in company %v, want %s", signIn["company"], uid)
	}
	user := getUser(t, srv.URL+"/auth/get-user/", "shopapp", signIn["token"].(string))
	want := map[string]any{"first_name": "An", "last_name": "Claes", "email": "an@acme.be", "company": uid, "pin": pin}
	if !reflect.DeepEqual(user, want) {
		t.Errorf("get-user = %v, want %v", user, want)
	}
	// Each change reaches a running server at once, though it keeps token
	// checks in memory.
	const uid2 = "9b0e4c1a-7d2f-4e6b-8a31-5c9d0f2e7a46"
	a.ok("", "company", "set-uid", "acme", uid2)
	if user := getUser(t, srv.URL+"/auth/get-user/", "shopapp", signIn["token"].(string)); user["company"] != uid2 {
		t.Errorf("company after set-uid = %v, want %s", user["company"], uid2)
	}
	a.ok("", "user", "set-pin", "an", "--clear")
	if user := getUser(t, srv.URL+"/auth/get-user/", "shopapp", signIn["token"].(string)); user["pin"] != nil {
		t.Errorf("pin after --clear = %v, want null", user["pin"])
	}
	a.ok("", "app", "set-api-version", "shopapp", "0.4")
	if user := getUser(t, srv.URL+"/auth/get-user/", "shopapp", signIn["token"].(string)); len(user) != 3 {
		t.Errorf("get-user after set-api-version 0.4 = %v, want the three keys of 0.4", user)
	}
}

func postSignIn(t *testing.T, url, app, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-ERP-REQUESTOR", app)
	return answerOf(t, req)
}

func getUser(t *testing.T, url, app, token string) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-ERP-REQUESTOR", app)
	req.Header.Set("X-ERP-TOKEN", token)
	return answerOf(t, req)
}

func answerOf(t *testing.T, req *http.Request) map[string]any {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &m) != nil {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return m
}

func sortedKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
