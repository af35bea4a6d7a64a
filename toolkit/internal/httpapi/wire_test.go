package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The wire test pins the protocol as literal data, because the reference
// client crashes on a key it does not know and on a body that is not JSON:
// for every call and every error, the exact status, the protocol's key set
// and JSON types (protocol_test.go, transcribed from the protocol's documentation) and the
// exact answer (testdata/wire/*.golden). Nothing here comes from the code
// under test, so a renamed key, an extra key, a changed status or message,
// or an error page that is not JSON fails it.

// wireCase is one request and what must come back.
type wireCase struct {
	name   string
	srv    *erptest.Server
	req    request
	status int
	shape  body
	golden string // file name under testdata/wire; default name
	// prepare runs first, in the case's own subtest.
	prepare func(t *testing.T)
	// id is the product id the body must carry; the golden file holds
	// idMarker in its place.
	id int64
	// masks are literal pieces the body must carry, each with what the
	// golden file holds in its place: ids the database chose.
	masks []mask
}

type mask struct{ literal, marker string }

const idMarker = `"id":"<the id asked for>"`

// TestWire runs every case against each storage engine: lists are
// streamed from the database's own text of each column, so an engine's way
// of storing a value could reach the wire. The servers for the failure
// cases are shared.
func TestWire(t *testing.T) {
	t.Parallel()
	strict := erptest.Start(t, erptest.Options{Demo: true, StrictApps: true})
	faulty := erptest.Start(t, erptest.Options{Store: faultyStore{erptest.OpenSQLite(t)}, Demo: true})
	down := erptest.Start(t, erptest.Options{Store: unavailableStore{erptest.OpenSQLite(t)}, Demo: true})
	runWire(t, func(t *testing.T, st erp.Store) []wireCase { return wireCases(t, st, strict, faulty, down) })
}

// runWire checks the cases that cases returns for an empty store of each
// engine, each case in a parallel subtest of its engine's.
func runWire(t *testing.T, cases func(t *testing.T, st erp.Store) []wireCase) {
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range cases(t, e.Open(t)) {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					checkWire(t, tc)
				})
			}
		})
	}
}

// headers makes a request's headers of name, value pairs.
func headers(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// wireCases starts the server on st with the demo and the wire company,
// and returns every case.
func wireCases(t *testing.T, st erp.Store, strict, faulty, down *erptest.Server) []wireCase {
	t.Helper()
	ctx := context.Background()
	// A stopped clock makes the 429's Retry-After exact: the whole window.
	stopped := time.Now()
	srv := erptest.Start(t, erptest.Options{Demo: true, Store: st, Now: func() time.Time { return stopped }})

	co, company, productsOnly := seedWireCompany(t, srv)
	wireProducts := erptest.Must(srv.Store.Artikels(ctx, co.ID))(t)
	demoCo := erptest.Must(srv.Store.CompanyBySlug(ctx, demo.Company))(t)
	demoProduct := erptest.Must(srv.Store.Artikels(ctx, demoCo.ID))(t)[0].ID
	s := erptest.Must(srv.Service.SignIn(ctx, demo.App, demo.Username, demo.Password))(t)
	leaving := erptest.Must(srv.Service.SignIn(ctx, demo.App, demo.Username, demo.Password))(t)

	const signInPath = "/api/v1/auth/signin-external-app/"
	requestor := map[string]string{"X-ERP-REQUESTOR": "timeapp"}
	user := map[string]string{"X-ERP-REQUESTOR": "timeapp", "X-ERP-TOKEN": s.Token}
	companyToken := map[string]string{"X-ERP-TOKEN": company}
	demoToken := map[string]string{"X-ERP-TOKEN": demo.CompanyToken}
	signIn := `{"username": "` + demo.Username + `", "password": "` + demo.Password + `"}`
	byID := func(id int64) string { return "/api/v1/artikels/?id=" + strconv.FormatInt(id, 10) }
	// Ten failed sign-ins of a username of its own; the case's eleventh is
	// refused.
	const throttled = "throttled-user"
	guess := `{"username": "` + throttled + `", "password": "a guess"}`
	failTen := func(t *testing.T) {
		for range 10 {
			if status, _, b := send(t, srv.URL, request{"POST", signInPath, requestor, guess}); status != http.StatusUnauthorized {
				t.Fatalf("a failed sign-in below the limit: %d %s, want 401", status, b)
			}
		}
	}

	return []wireCase{
		// 1. Sign in.
		{name: "SignIn", srv: srv, req: request{"POST", signInPath, requestor, signIn}, status: 200, shape: signInShape},
		{name: "SignInNoTrailingSlash", srv: srv, req: request{"POST", strings.TrimSuffix(signInPath, "/"), requestor, signIn}, status: 200, shape: signInShape, golden: "SignIn"},
		{name: "SignInRequestorCase", srv: srv, req: request{"POST", signInPath, map[string]string{"X-ERP-REQUESTOR": "TimeApp"}, signIn}, status: 200, shape: signInShape, golden: "SignIn"},
		{name: "SignInUnknownApp", srv: srv, req: request{"POST", signInPath, map[string]string{"X-ERP-REQUESTOR": "nosuchapp"}, signIn}, status: 200, shape: signInShape},
		{name: "ErrSignInBadPassword", srv: srv, req: request{"POST", signInPath, requestor, `{"username": "demo", "password": "wrong"}`}, status: 401, shape: errorShape},
		{name: "ErrSignInUnknownUser", srv: srv, req: request{"POST", signInPath, requestor, `{"username": "nobody", "password": "cloudspot-demo"}`}, status: 401, shape: errorShape, golden: "ErrSignInBadPassword"},
		{name: "ErrSignInNotJSON", srv: srv, req: request{"POST", signInPath, requestor, `username=demo`}, status: 400, shape: errorShape},
		{name: "ErrSignInMissingPassword", srv: srv, req: request{"POST", signInPath, requestor, `{"username": "demo"}`}, status: 400, shape: errorShape},
		{name: "ErrSignInNoRequestor", srv: srv, req: request{"POST", signInPath, nil, signIn}, status: 400, shape: errorShape},
		{name: "ErrSignInEmptyBody", srv: srv, req: request{"POST", signInPath, requestor, ``}, status: 400, shape: errorShape, golden: "ErrSignInNotJSON"},
		{name: "ErrSignInArrayBody", srv: srv, req: request{"POST", signInPath, requestor, `[]`}, status: 400, shape: errorShape, golden: "ErrSignInNotJSON"},
		{name: "ErrSignInStringBody", srv: srv, req: request{"POST", signInPath, requestor, `"demo"`}, status: 400, shape: errorShape, golden: "ErrSignInNotJSON"},
		{name: "ErrSignInWrongTypes", srv: srv, req: request{"POST", signInPath, requestor, `{"username": 1, "password": true}`}, status: 400, shape: errorShape},
		{name: "ErrSignInNullFields", srv: srv, req: request{"POST", signInPath, requestor, `{"username": null, "password": null}`}, status: 400, shape: errorShape, golden: "ErrSignInWrongTypes"},
		{name: "ErrSignInInvalidUTF8", srv: srv, req: request{"POST", signInPath, requestor, "{\"username\": \"demo\xff\xfe\", \"password\": \"cloudspot-demo\"}"}, status: 400, shape: errorShape},
		// Strictness: what a proxy inspecting the body sees is what counts.
		{name: "ErrSignInDuplicateKey", srv: srv, req: request{"POST", signInPath, requestor, `{"username": "nobody", "password": "x", "username": "demo"}`}, status: 400, shape: errorShape},
		{name: "ErrSignInKeyCase", srv: srv, req: request{"POST", signInPath, requestor, `{"Username": "demo", "password": "cloudspot-demo"}`}, status: 400, shape: errorShape, golden: "ErrSignInExtraKey"},
		{name: "ErrSignInKeyFolded", srv: srv, req: request{"POST", signInPath, requestor, `{"username": "demo", "paſsword": "cloudspot-demo"}`}, status: 400, shape: errorShape, golden: "ErrSignInExtraKey"},
		{name: "ErrSignInExtraKey", srv: srv, req: request{"POST", signInPath, requestor, `{"username": "demo", "password": "cloudspot-demo", "pin": "1234"}`}, status: 400, shape: errorShape},
		{name: "ErrSignInTrailingData", srv: srv, req: request{"POST", signInPath, requestor, signIn + `{}`}, status: 400, shape: errorShape},
		{name: "ErrSignInNotJSONType", srv: srv, req: request{"POST", signInPath, map[string]string{"X-ERP-REQUESTOR": "timeapp", "Content-Type": "text/plain"}, signIn}, status: 415, shape: errorShape},
		{name: "ErrSignInNoType", srv: srv, req: request{"POST", signInPath, map[string]string{"X-ERP-REQUESTOR": "timeapp", "Content-Type": ""}, signIn}, status: 415, shape: errorShape, golden: "ErrSignInNotJSONType"},
		{name: "SignInJSONCharset", srv: srv, req: request{"POST", signInPath, map[string]string{"X-ERP-REQUESTOR": "timeapp", "Content-Type": "application/json; charset=utf-8"}, signIn}, status: 200, shape: signInShape, golden: "SignIn"},
		{name: "ErrPathEncodedSlash", srv: srv, req: request{"GET", "/api/v1/auth%2Fget-user/", user, ""}, status: 404, shape: errorShape, golden: "ErrUnknownPath"},
		{name: "ErrPathEncodedLetter", srv: srv, req: request{"GET", "/api/v1/%61rtikels/", demoToken, ""}, status: 404, shape: errorShape, golden: "ErrUnknownPath"},
		{name: "ErrPathDotSegment", srv: srv, req: request{"GET", "/api/v1/x/../artikels/", demoToken, ""}, status: 404, shape: errorShape, golden: "ErrUnknownPath"},
		{name: "ErrPathDot", srv: srv, req: request{"GET", "/api/v1/./artikels/", demoToken, ""}, status: 404, shape: errorShape, golden: "ErrUnknownPath"},
		{name: "ErrPathDoubleSlash", srv: srv, req: request{"GET", "/api/v1//artikels/", demoToken, ""}, status: 404, shape: errorShape, golden: "ErrUnknownPath"},
		{name: "ErrPathTrailingSlashes", srv: srv, req: request{"GET", "/api/v1/artikels//", demoToken, ""}, status: 404, shape: errorShape, golden: "ErrUnknownPath"},
		{name: "ErrSignInNUL", srv: srv, req: request{"POST", signInPath, requestor, `{"username": "demo\u0000", "password": "cloudspot-demo"}`}, status: 400, shape: errorShape},
		{name: "ErrSignInTooLarge", srv: srv, req: request{"POST", signInPath, requestor, `{"username": "` + strings.Repeat("a", 70<<10) + `"}`}, status: 413, shape: errorShape},
		{name: "ErrSignInUnknownAppStrict", srv: strict, req: request{"POST", signInPath, map[string]string{"X-ERP-REQUESTOR": "nosuchapp"}, signIn}, status: 403, shape: errorShape},
		{name: "ErrSignInTooMany", srv: srv, req: request{"POST", signInPath, requestor, guess}, status: 429, shape: errorShape, prepare: failTen},
		{name: "ErrSignInGET", srv: srv, req: request{"GET", signInPath, nil, ""}, status: 405, shape: errorShape},
		{name: "ErrSignInAppTooLong", srv: srv, req: request{"POST", signInPath, map[string]string{"X-ERP-REQUESTOR": strings.Repeat("a", 101)}, signIn}, status: 400, shape: errorShape},
		// Sign-out, an extension: JSON like every answer.
		{name: "SignOut", srv: srv, req: request{"POST", "/api/v1/auth/signout/", map[string]string{"X-ERP-REQUESTOR": "timeapp", "X-ERP-TOKEN": leaving.Token}, ""}, status: 200, shape: errorShape},
		{name: "ErrSignOutNoToken", srv: srv, req: request{"POST", "/api/v1/auth/signout/", requestor, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		{name: "ErrSignOutGET", srv: srv, req: request{"GET", "/api/v1/auth/signout/", user, ""}, status: 405, shape: errorShape},
		// 2. Permissions for a token.
		{name: "Permissions", srv: srv, req: request{"GET", "/api/v1/auth/get-permissions/", user, ""}, status: 200, shape: permissionsShape},
		{name: "ErrPermissionsNoToken", srv: srv, req: request{"GET", "/api/v1/auth/get-permissions/", requestor, ""}, status: 401, shape: errorShape},
		{name: "ErrPermissionsOtherApp", srv: srv, req: request{"GET", "/api/v1/auth/get-permissions/", map[string]string{"X-ERP-REQUESTOR": "otherapp", "X-ERP-TOKEN": s.Token}, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		{name: "ErrPermissionsCompanyToken", srv: srv, req: request{"GET", "/api/v1/auth/get-permissions/", map[string]string{"X-ERP-REQUESTOR": "timeapp", "X-ERP-TOKEN": company}, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		// 3. User for a token.
		{name: "User", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", user, ""}, status: 200, shape: userShape},
		{name: "ErrUserBadToken", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", map[string]string{"X-ERP-REQUESTOR": "timeapp", "X-ERP-TOKEN": "x"}, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		{name: "ErrUserPOST", srv: srv, req: request{"POST", "/api/v1/auth/get-user/", user, "{}"}, status: 405, shape: errorShape},
		// 4. Products.
		{name: "Artikels", srv: srv, req: request{"GET", "/api/v1/artikels/", companyToken, ""}, status: 200, shape: artikelsShape},
		{name: "ArtikelsNoTrailingSlash", srv: srv, req: request{"GET", "/api/v1/artikels", companyToken, ""}, status: 200, shape: artikelsShape, golden: "Artikels"},
		{name: "ArtikelsProductsOnly", srv: srv, req: request{"GET", "/api/v1/artikels/", map[string]string{"X-ERP-TOKEN": productsOnly}, ""}, status: 200, shape: artikelsShape, golden: "Artikels"},
		{name: "ArtikelByID", srv: srv, req: request{"GET", byID(wireProducts[1].ID), companyToken, ""}, status: 200, shape: artikelByIDShape, id: wireProducts[1].ID},
		{name: "ErrArtikelByIDNotANumber", srv: srv, req: request{"GET", "/api/v1/artikels/?id=GER-HAM-500", companyToken, ""}, status: 400, shape: errorShape},
		{name: "ErrArtikelByIDUnknown", srv: srv, req: request{"GET", byID(1 << 40), companyToken, ""}, status: 404, shape: errorShape},
		{name: "ErrArtikelByIDOtherCompany", srv: srv, req: request{"GET", byID(demoProduct), companyToken, ""}, status: 404, shape: errorShape, golden: "ErrArtikelByIDUnknown"},
		{name: "ErrArtikelsNoToken", srv: srv, req: request{"GET", "/api/v1/artikels/", nil, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		{name: "ErrArtikelsUserToken", srv: srv, req: request{"GET", "/api/v1/artikels/", user, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		{name: "ErrArtikelsHugeToken", srv: srv, req: request{"GET", "/api/v1/artikels/", map[string]string{"X-ERP-TOKEN": strings.Repeat("A", 64<<10)}, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		{name: "ErrArtikelsTokenNotASCII", srv: srv, req: request{"GET", "/api/v1/artikels/", map[string]string{"X-ERP-TOKEN": "caf\xc3\xa9\xff" + company}, ""}, status: 401, shape: errorShape, golden: "ErrPermissionsNoToken"},
		{name: "ErrArtikelsPOST", srv: srv, req: request{"POST", "/api/v1/artikels/", companyToken, "{}"}, status: 405, shape: errorShape},
		{name: "ErrArtikelsInternal", srv: faulty, req: request{"GET", "/api/v1/artikels/", demoToken, ""}, status: 500, shape: errorShape, golden: "ErrInternal"},
		{name: "ErrArtikelsUnavailable", srv: down, req: request{"GET", "/api/v1/artikels/", demoToken, ""}, status: 503, shape: errorShape},
		// 5. Clients.
		{name: "Klanten", srv: srv, req: request{"GET", "/api/v1/klanten/", companyToken, ""}, status: 200, shape: klantenShape},
		{name: "ErrKlantenWithoutRight", srv: srv, req: request{"GET", "/api/v1/klanten/", map[string]string{"X-ERP-TOKEN": productsOnly}, ""}, status: 403, shape: errorShape},
		{name: "ErrKlantenDELETE", srv: srv, req: request{"DELETE", "/api/v1/klanten/", companyToken, ""}, status: 405, shape: errorShape},
		{name: "ErrKlantenInternal", srv: faulty, req: request{"GET", "/api/v1/klanten/", demoToken, ""}, status: 500, shape: errorShape, golden: "ErrInternal"},
		// Everything else.
		{name: "ErrUnknownPath", srv: srv, req: request{"GET", "/api/v1/facturen/", companyToken, ""}, status: 404, shape: errorShape},
		{name: "ErrAPIRoot", srv: srv, req: request{"GET", "/api/v1/", nil, ""}, status: 404, shape: errorShape, golden: "ErrUnknownPath"},
		{name: "ErrRoot", srv: srv, req: request{"GET", "/", nil, ""}, status: 404, shape: errorShape, golden: "ErrUnknownPath"},
		{name: "ErrMadeUpMethod", srv: srv, req: request{"BREW-" + strings.Repeat("X", 4<<10), "/api/v1/artikels/", companyToken, ""}, status: 405, shape: errorShape},
		{name: "ErrBodyTooLarge", srv: srv, req: request{"GET", "/api/v1/artikels/", companyToken, strings.Repeat(" ", 70<<10)}, status: 413, shape: errorShape, golden: "ErrSignInTooLarge"},
		{name: "Healthz", srv: srv, req: request{"GET", "/healthz", nil, ""}, status: 200, shape: errorShape},
		{name: "Readyz", srv: srv, req: request{"GET", "/readyz", nil, ""}, status: 200, shape: errorShape, golden: "Healthz"},
		{name: "ErrReadyzUnavailable", srv: down, req: request{"GET", "/readyz", nil, ""}, status: 503, shape: errorShape},
	}
}

// checkWire sends a case's request and holds the answer to the protocol's
// shape and to its golden file.
func checkWire(t *testing.T, tc wireCase) {
	if tc.prepare != nil {
		tc.prepare(t)
	}
	status, h, b := send(t, tc.srv.URL, tc.req)
	if status != tc.status {
		t.Errorf("status %d, want %d; body %s", status, tc.status, b)
	}
	for _, p := range tc.shape.check(b) {
		t.Errorf("not the protocol's body: %s", p)
	}
	if tc.id != 0 {
		got := fmt.Sprintf(`"id":%d`, tc.id)
		if !bytes.Contains(b, []byte(got)) {
			t.Errorf("the body does not carry %s: %s", got, b)
		}
		b = bytes.Replace(b, []byte(got), []byte(idMarker), 1)
	}
	for _, m := range tc.masks {
		if !bytes.Contains(b, []byte(m.literal)) {
			t.Errorf("the body does not carry %s: %s", m.literal, b)
		}
		b = bytes.ReplaceAll(b, []byte(m.literal), []byte(m.marker))
	}
	name := tc.golden
	if name == "" {
		name = tc.name
	}
	wantGolden(t, name, response(status, h, b))
}
