package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestAdminTokenAPIVersion: a company token's version, set by the admin,
// chooses the bodies its calls get, and the token list shows it.
func TestAdminTokenAPIVersion(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	p := filepath.Join(t.TempDir(), "artikels.csv")
	writeFile(t, p, "naam,SKU,voorraad_bijhouden,bestellingtype,status,merk\nKoffie,K-1,NIET,IDEAAL,ZICHTBAAR,Noord\n")
	a.ok("", "import", "artikels", "--company", "acme", p)
	secret := strings.TrimSpace(a.ok("", "token", "create", "--company", "acme", "--name", "shop", "--rights", "artikels"))
	if out := a.ok("", "token", "list", "--company", "acme"); !strings.Contains(out, "VERSION") || !strings.Contains(out, "shop  artikels  0.4") {
		t.Errorf("token list before set-api-version:\n%s", out)
	}
	srv := erptest.Start(t, erptest.Options{Store: openForTest(t, a.db)})
	keys := func() int {
		t.Helper()
		data, _ := getJSON(t, srv.URL+"/artikels/", secret, "")["data"].([]any)
		if len(data) != 1 {
			t.Fatalf("GET /artikels/: %v", data)
		}
		return len(data[0].(map[string]any))
	}
	if n := keys(); n != 14 {
		t.Errorf("a product by default has %d keys, want the protocol's 14", n)
	}
	for _, tc := range []struct {
		version, shown string
		keys           int
	}{{"0.6", "0.6", 28}, {"0.5", "0.5", 14}, {"latest", "0.6", 28}, {"0.4", "0.4", 14}} {
		if out := a.ok("", "token", "set-api-version", "1", tc.version); !strings.Contains(out, "company token 1 now answers in API version "+tc.shown) {
			t.Errorf("set-api-version %s: %q", tc.version, out)
		}
		if out := a.ok("", "token", "list", "--company", "acme"); !strings.Contains(out, "shop  artikels  "+tc.shown) {
			t.Errorf("token list after set-api-version %s:\n%s", tc.version, out)
		}
		if n := keys(); n != tc.keys {
			t.Errorf("after set-api-version %s a product has %d keys, want %d", tc.version, n, tc.keys)
		}
	}
	a.fails(1, "is not one this server speaks", "", "token", "set-api-version", "1", "0.9")
	a.fails(1, "does not exist", "", "token", "set-api-version", "99", "0.5")
	a.fails(2, "is not a number", "", "token", "set-api-version", "shop", "0.5")
	a.fails(2, "a token id and a version", "", "token", "set-api-version", "1")
}
