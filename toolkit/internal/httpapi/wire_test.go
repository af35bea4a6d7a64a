package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The wire test pins what the reference client depends on: for every call
// and every error, the status and the exact set of keys. The reference
// client crashes on a key it does not know and on a body that is not JSON.

type request struct {
	method, path string
	headers      map[string]string
	body         string
}

func send(t *testing.T, base string, r request) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(r.method, strings.TrimSuffix(base, "/api/v1")+r.path, strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func keys(t *testing.T, b []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, b)
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(ks ...string) []string {
	out := slices.Clone(ks)
	sort.Strings(out)
	return out
}

// itemKeys returns the key sets of the objects in the list under key.
func itemKeys(t *testing.T, b []byte, key string) [][]string {
	t.Helper()
	var m map[string]json.RawMessage
	var list []json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(m[key], &list); err != nil {
		t.Fatalf("%s is not a list: %v", key, err)
	}
	var out [][]string
	for _, item := range list {
		out = append(out, keys(t, item))
	}
	return out
}

func TestWire(t *testing.T) {
	t.Parallel()
	srv := erptest.Start(t, erptest.Options{Demo: true})
	ctx := context.Background()
	signIn := `{"username": "` + demo.Username + `", "password": "` + demo.Password + `"}`
	s, err := srv.Service.SignIn(ctx, "timeapp", demo.Username, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	productsOnly, _, err := srv.Service.IssueCompanyToken(ctx, demo.Company, "products only", erp.Rights{Products: true})
	if err != nil {
		t.Fatal(err)
	}
	user := map[string]string{"X-ERP-REQUESTOR": "timeapp", "X-ERP-TOKEN": s.Token}
	demoCo, err := srv.Store.CompanyBySlug(ctx, demo.Company)
	if err != nil {
		t.Fatal(err)
	}
	firstID := strconv.FormatInt(erptest.Must(srv.Store.Products(ctx, demoCo.ID))(t)[0].ID, 10)
	company := map[string]string{"X-ERP-TOKEN": demo.CompanyToken}
	msg := []string{"message"}

	for _, tc := range []struct {
		name   string
		req    request
		status int
		keys   []string
		list   string   // key of a list whose items are checked
		items  []string // exact keys of each item
	}{
		{"SignIn", request{"POST", "/api/v1/auth/signin-external-app/", map[string]string{"X-ERP-REQUESTOR": "timeapp"}, signIn}, 200, sorted("token", "permissions"), "permissions", []string{"permission"}},
		{"SignInNoTrailingSlash", request{"POST", "/api/v1/auth/signin-external-app", map[string]string{"X-ERP-REQUESTOR": "timeapp"}, signIn}, 200, sorted("token", "permissions"), "", nil},
		{"SignInUnknownApp", request{"POST", "/api/v1/auth/signin-external-app/", map[string]string{"X-ERP-REQUESTOR": "nosuchapp"}, signIn}, 200, sorted("token", "permissions"), "", nil},
		{"ErrSignInBadPassword", request{"POST", "/api/v1/auth/signin-external-app/", map[string]string{"X-ERP-REQUESTOR": "timeapp"}, `{"username": "demo", "password": "wrong"}`}, 401, msg, "", nil},
		{"ErrSignInNotJSON", request{"POST", "/api/v1/auth/signin-external-app/", map[string]string{"X-ERP-REQUESTOR": "timeapp"}, `username=demo`}, 400, msg, "", nil},
		{"ErrSignInMissingPassword", request{"POST", "/api/v1/auth/signin-external-app/", map[string]string{"X-ERP-REQUESTOR": "timeapp"}, `{"username": "demo"}`}, 400, msg, "", nil},
		{"ErrSignInNoRequestor", request{"POST", "/api/v1/auth/signin-external-app/", nil, signIn}, 400, msg, "", nil},
		{"ErrSignInTooLarge", request{"POST", "/api/v1/auth/signin-external-app/", map[string]string{"X-ERP-REQUESTOR": "timeapp"}, `{"username": "` + strings.Repeat("a", 70<<10) + `"}`}, 400, msg, "", nil},
		{"ErrSignInGET", request{"GET", "/api/v1/auth/signin-external-app/", nil, ""}, 405, msg, "", nil},
		{"Permissions", request{"GET", "/api/v1/auth/get-permissions/", user, ""}, 200, []string{"permissions"}, "permissions", []string{"permission"}},
		{"ErrPermissionsNoToken", request{"GET", "/api/v1/auth/get-permissions/", map[string]string{"X-ERP-REQUESTOR": "timeapp"}, ""}, 401, msg, "", nil},
		{"ErrPermissionsOtherApp", request{"GET", "/api/v1/auth/get-permissions/", map[string]string{"X-ERP-REQUESTOR": "otherapp", "X-ERP-TOKEN": s.Token}, ""}, 401, msg, "", nil},
		{"User", request{"GET", "/api/v1/auth/get-user/", user, ""}, 200, sorted("first_name", "last_name", "email"), "", nil},
		{"ErrUserBadToken", request{"GET", "/api/v1/auth/get-user/", map[string]string{"X-ERP-REQUESTOR": "timeapp", "X-ERP-TOKEN": "x"}, ""}, 401, msg, "", nil},
		{"ErrUserPOST", request{"POST", "/api/v1/auth/get-user/", user, "{}"}, 405, msg, "", nil},
		{"Artikels", request{"GET", "/api/v1/artikels/", company, ""}, 200, []string{"data"}, "data", sorted(cloudspot.ArtikelKeys()...)},
		{"ArtikelsNoTrailingSlash", request{"GET", "/api/v1/artikels", company, ""}, 200, []string{"data"}, "data", sorted(cloudspot.ArtikelKeys()...)},
		{"ArtikelByID", request{"GET", "/api/v1/artikels/?id=" + firstID, company, ""}, 200, []string{"data"}, "data", sorted(append(cloudspot.ArtikelKeys(), "id")...)},
		{"ErrArtikelByIDNotANumber", request{"GET", "/api/v1/artikels/?id=SKU-1", company, ""}, 400, msg, "", nil},
		{"ErrArtikelByIDUnknown", request{"GET", "/api/v1/artikels/?id=999999", company, ""}, 404, msg, "", nil},
		{"ErrArtikelsNoToken", request{"GET", "/api/v1/artikels/", nil, ""}, 401, msg, "", nil},
		{"ErrArtikelsUserToken", request{"GET", "/api/v1/artikels/", user, ""}, 401, msg, "", nil},
		{"Klanten", request{"GET", "/api/v1/klanten/", company, ""}, 200, []string{"data"}, "data", sorted(cloudspot.KlantKeys()...)},
		{"ErrKlantenWithoutRight", request{"GET", "/api/v1/klanten/", map[string]string{"X-ERP-TOKEN": productsOnly}, ""}, 403, msg, "", nil},
		{"ErrKlantenDELETE", request{"DELETE", "/api/v1/klanten/", company, ""}, 405, msg, "", nil},
		{"ErrUnknownPath", request{"GET", "/api/v1/facturen/", company, ""}, 404, msg, "", nil},
		{"ErrAPIRoot", request{"GET", "/api/v1/", nil, ""}, 404, msg, "", nil},
		{"ErrRoot", request{"GET", "/", nil, ""}, 404, msg, "", nil},
		{"Healthz", request{"GET", "/healthz", nil, ""}, 200, msg, "", nil},
		{"Readyz", request{"GET", "/readyz", nil, ""}, 200, msg, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, h, body := send(t, srv.URL, tc.req)
			if status != tc.status {
				t.Errorf("status = %d, want %d; body %s", status, tc.status, body)
			}
			if ct := h.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			if got := keys(t, body); !slices.Equal(got, tc.keys) {
				t.Errorf("keys = %v, want exactly %v", got, tc.keys)
			}
			if tc.list != "" {
				items := itemKeys(t, body, tc.list)
				if len(items) == 0 {
					t.Fatalf("%s is empty", tc.list)
				}
				for i, got := range items {
					if !slices.Equal(got, tc.items) {
						t.Fatalf("%s[%d] keys = %v, want exactly %v", tc.list, i, got, tc.items)
					}
				}
			}
			if status == http.StatusMethodNotAllowed && h.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
}

// faultyStore fails in the two ways a store can: a panic, and an error
// whose text must not reach the client.
type faultyStore struct{ erp.Store }

func (faultyStore) StreamProducts(ctx context.Context, companyID int64, fn erp.RowFunc) error {
	panic("products exploded")
}

func (faultyStore) StreamClients(ctx context.Context, companyID int64, fn erp.RowFunc) error {
	return errors.New("connection to 10.0.0.7 user=erp password=hunter2 failed")
}

func TestWireInternalErrors(t *testing.T) {
	t.Parallel()
	srv := erptest.Start(t, erptest.Options{Store: faultyStore{erptest.OpenSQLite(t)}, Demo: true})
	for _, path := range []string{"/api/v1/artikels/", "/api/v1/klanten/"} {
		status, h, body := send(t, srv.URL, request{"GET", path, map[string]string{"X-ERP-TOKEN": demo.CompanyToken}, ""})
		if status != http.StatusInternalServerError {
			t.Errorf("%s: status %d, want 500", path, status)
		}
		if h.Get("Content-Type") != "application/json" || !bytes.Equal(bytes.TrimSpace(body), []byte(`{"message":"Internal error."}`)) {
			t.Errorf("%s: body %s (%s), want exactly {\"message\":\"Internal error.\"}", path, body, h.Get("Content-Type"))
		}
	}
}

func TestWireTooManySignIns(t *testing.T) {
	t.Parallel()
	srv := erptest.Start(t, erptest.Options{Demo: true})
	req := request{"POST", "/api/v1/auth/signin-external-app/", map[string]string{"X-ERP-REQUESTOR": "timeapp"}, `{"username": "demo", "password": "wrong"}`}
	for range 10 {
		send(t, srv.URL, req)
	}
	status, h, body := send(t, srv.URL, req)
	if status != http.StatusTooManyRequests || h.Get("Content-Type") != "application/json" || !slices.Equal(keys(t, body), []string{"message"}) {
		t.Errorf("11th failed sign-in: %d %s %s, want 429 with exactly {\"message\"}", status, h.Get("Content-Type"), body)
	}
}
