package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestWireVersions pins the bodies of each API version: by default the
// protocol's own (0.4), whatever else the server stores; 0.5 when an app is
// set to it or a request asks for it with X-Cloudspot-API-Version; and an
// answer a client asks for wins over its app's setting, both ways.
func TestWireVersions(t *testing.T) {
	t.Parallel()
	runWire(t, versionCases)
}

func versionCases(t *testing.T, st erp.Store) []wireCase {
	t.Helper()
	ctx := context.Background()
	srv := erptest.Start(t, erptest.Options{Demo: true, Store: st})
	// nieuweapp is built on the 0.5 reference client, which cannot say so:
	// its administrator set it.
	const newApp = "nieuweapp"
	erptest.Must(srv.Service.CreateApp(ctx, newApp, "Nieuwe App"))(t)
	erptest.Must(srv.Service.AddPermission(ctx, newApp, newApp+"_use", "Nieuwe App: toegang", ""))(t)
	if err := srv.Service.Grant(ctx, demo.Username, newApp+"_use"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Service.SetAppAPIVersion(ctx, newApp, erp.APIVersion05); err != nil {
		t.Fatal(err)
	}
	_, company, _ := seedWireCompany(t, srv)
	old := erptest.Must(srv.Service.SignIn(ctx, demo.App, demo.Username, demo.Password))(t).Token
	viewer := erptest.Must(srv.Service.SignIn(ctx, demo.App, demo.Viewer, demo.Password))(t).Token
	newer := erptest.Must(srv.Service.SignIn(ctx, newApp, demo.Username, demo.Password))(t).Token

	const signInPath = "/api/v1/auth/signin-external-app/"
	signIn := `{"username": "` + demo.Username + `", "password": "` + demo.Password + `"}`
	h := headers
	const (
		req = "X-ERP-REQUESTOR"
		tok = "X-ERP-TOKEN"
		ver = "X-Cloudspot-API-Version"
	)
	return []wireCase{
		// The default stays the protocol's, byte for byte.
		{name: "SignInDefault", srv: srv, req: request{"POST", signInPath, h(req, demo.App), signIn}, status: 200, shape: signInShape, golden: "SignIn"},
		{name: "UserDefault", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", h(req, demo.App, tok, old), ""}, status: 200, shape: userShape, golden: "User"},
		// Asked for by the request.
		{name: "SignIn05", srv: srv, req: request{"POST", signInPath, h(req, demo.App, ver, "0.5"), signIn}, status: 200, shape: signIn05Shape},
		{name: "SignInLatest", srv: srv, req: request{"POST", signInPath, h(req, demo.App, ver, " Latest "), signIn}, status: 200, shape: signIn05Shape, golden: "SignIn05"},
		{name: "SignIn06", srv: srv, req: request{"POST", signInPath, h(req, demo.App, ver, "0.6"), signIn}, status: 200, shape: signIn05Shape, golden: "SignIn05"},
		{name: "User06", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", h(req, demo.App, tok, old, ver, "0.6"), ""}, status: 200, shape: user05Shape, golden: "User05"},
		{name: "SignIn050", srv: srv, req: request{"POST", signInPath, h(req, demo.App, ver, "0.5.0"), signIn}, status: 200, shape: signIn05Shape, golden: "SignIn05"},
		{name: "User05", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", h(req, demo.App, tok, old, ver, "0.5"), ""}, status: 200, shape: user05Shape},
		{name: "User05NoPin", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", h(req, demo.App, tok, viewer, ver, "latest"), ""}, status: 200, shape: user05Shape},
		// Set for the app.
		{name: "SignInApp05", srv: srv, req: request{"POST", signInPath, h(req, newApp), signIn}, status: 200, shape: signIn05Shape},
		{name: "UserApp05", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", h(req, newApp, tok, newer), ""}, status: 200, shape: user05Shape, golden: "User05"},
		// The request wins over the app's setting.
		{name: "SignInApp05Asked04", srv: srv, req: request{"POST", signInPath, h(req, newApp, ver, "0.4"), signIn}, status: 200, shape: signInShape},
		{name: "UserApp05Asked04", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", h(req, newApp, tok, newer, ver, "0.4"), ""}, status: 200, shape: userShape, golden: "User"},
		// Calls whose bodies 0.5 leaves alone (version 0.6 and its
		// products: wire_details_test.go).
		{name: "PermissionsLatest", srv: srv, req: request{"GET", "/api/v1/auth/get-permissions/", h(req, demo.App, tok, old, ver, "latest"), ""}, status: 200, shape: permissionsShape, golden: "Permissions"},
		{name: "Artikels05", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok, company, ver, "0.5"), ""}, status: 200, shape: artikelsShape, golden: "Artikels"},
		{name: "ArtikelsDefault", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok, company), ""}, status: 200, shape: artikelsShape, golden: "Artikels"},
		// A version nobody speaks is refused before anything happens.
		{name: "ErrAPIVersionUnknown", srv: srv, req: request{"POST", signInPath, h(req, demo.App, ver, "0.9"), signIn}, status: 400, shape: errorShape},
		{name: "ErrAPIVersionUnknownUser", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", h(req, demo.App, tok, old, ver, "0.9"), ""}, status: 400, shape: errorShape, golden: "ErrAPIVersionUnknown"},
		{name: "ErrAPIVersionUnknownArtikels", srv: srv, req: request{"GET", "/api/v1/artikels/", h(tok, demo.CompanyToken, ver, "0.9"), ""}, status: 400, shape: errorShape, golden: "ErrAPIVersionUnknown"},
		{name: "ErrAPIVersionEmpty", srv: srv, req: request{"GET", "/api/v1/auth/get-user/", h(req, demo.App, tok, old, ver, ""), ""}, status: 400, shape: errorShape},
		{name: "ErrAPIVersionHostile", srv: srv, req: request{"GET", "/api/v1/klanten/", h(tok, demo.CompanyToken, ver, "0.5\xc3\xa9<script>"+strings.Repeat("9", 8<<10)), ""}, status: 400, shape: errorShape, golden: "ErrAPIVersionUnknown"},
	}
}
