package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzSignInBody holds the strict sign-in parser to what encoding/json
// reads from the same bytes: whatever it accepts is one JSON object of
// exactly two strings, username and password, with the same values a
// standard decoder sees, and nothing after it. So a proxy that inspects the
// body with any JSON parser sees what the server acts on.
func FuzzSignInBody(f *testing.F) {
	for _, s := range []string{
		`{"username": "demo", "password": "cloudspot-demo"}`,
		`{"password": "p", "username": "u"}`,
		`{"username": "demo", "password": "x", "username": "nobody"}`,
		`{"USERNAME": "demo", "password": "x"}`,
		`{"username": "demo", "password": "x"}{}`,
		`{"username": "demo", "password": "x"} `,
		`{"username": "d\u0065mo", "pass\u0077ord": "x"}`,
		`{"username": ["demo"], "password": {}}`,
		`{"username": "demo\xff", "password": "x"}`,
		`[{"username": "demo", "password": "x"}]`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		u, p, err := parseSignIn(body)
		if err != nil {
			return
		}
		if !utf8.Valid(body) {
			t.Fatalf("accepted invalid UTF-8: %q", body)
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", body, err)
		}
		if dec.More() {
			t.Fatalf("accepted %q with data after the object", body)
		}
		if len(m) != 2 || m["username"] != u || m["password"] != p {
			t.Fatalf("accepted %q as (%q, %q); encoding/json reads %v", body, u, p, m)
		}
	})
}

func TestJSONType(t *testing.T) {
	t.Parallel()
	for ct, want := range map[string]bool{
		"application/json":                  true,
		"Application/JSON":                  true,
		"application/json; charset=utf-8":   true,
		"application/json;charset=UTF-8":    true,
		"application/json; charset=latin1":  false,
		"application/json; boundary=x":      false,
		"text/plain":                        false,
		"application/x-www-form-urlencoded": false,
		"application/jsonx":                 false,
		"":                                  false,
	} {
		if got := isJSONType(ct); got != want {
			t.Errorf("isJSONType(%q) = %v, want %v", ct, got, want)
		}
	}
}
