// Package console is cloudspot-server's web console: the admin commands'
// daily work in a browser, on a listener of its own (serve
// --console-addr). Every screen does what the matching admin command does,
// through the same erp.Service calls, so the CLI and the console are two
// faces of one set of rules; every change is in the audit log with the
// console user as its actor.
//
// The pages are rendered on the server with html/template from embedded
// templates and one stylesheet, and work without JavaScript; one small
// embedded script adds a copy button for a token's secret. No asset comes
// from another origin. Console users are accounts of their own (see
// erp.ConsoleUser); their sessions are cookies of their own, ended by
// idleness, age, sign-out, deactivation or a new password. Every form
// carries a token, and http.CrossOriginProtection refuses any form a
// browser sends from another origin.
package console

// The screenshots of docs/console.md, taken by the tests' walk through the
// screens on SQLite (Chromium needed):
//
//go:generate go test -count=1 -run TestConsoleScreens/sqlite . -args -screenshots ../../../docs/console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Config configures a Console. Service is required.
type Config struct {
	Service *erp.Service
	// Logger receives what goes wrong; default discarded.
	Logger *slog.Logger
	// BehindTLS says that browsers reach the console over HTTPS through a
	// proxy: its cookies are then Secure, with the __Host- prefix, and
	// its answers ask for HTTPS (Strict-Transport-Security). A request
	// that came over TLS itself is treated so in any case.
	BehindTLS bool
	// TrustedProxies are the proxies whose X-Forwarded-For is believed
	// when a sign-in is counted, as for the API's sign-ins.
	TrustedProxies []netip.Prefix
	// MaxUpload bounds an import file's size; default DefaultMaxUpload.
	MaxUpload int64
	// TempDir is where uploaded import files wait for their import; a
	// directory of the console's own is made in it (default
	// os.TempDir()) and removed by Close.
	TempDir string
}

// DefaultMaxUpload is the largest import file the console takes: a
// catalogue of a few hundred thousand products with their details.
const DefaultMaxUpload = 512 << 20

// Console serves the web console. Close it to stop its imports and remove
// its files.
type Console struct {
	svc     *erp.Service
	log     *slog.Logger
	cfg     Config
	key     []byte // signs forms and messages: see erp.Service.ConsoleKey
	pages   map[string]*pageTemplate
	handler http.Handler
	imports *imports
}

// New builds a console on cfg.Service.
func New(ctx context.Context, cfg Config) (*Console, error) {
	if cfg.Service == nil {
		return nil, errors.New("console: no service")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	key, err := cfg.Service.ConsoleKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("console: reading its key: %w", err)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(cfg.TempDir, "cloudspot-console-")
	if err != nil {
		return nil, fmt.Errorf("console: a directory for uploads: %w", err)
	}
	c := &Console{svc: cfg.Service, log: cfg.Logger, cfg: cfg, key: key, pages: pages, imports: newImports(dir)}
	c.handler = c.routes()
	return c, nil
}

// Handler serves the console.
func (c *Console) Handler() http.Handler { return c.handler }

// Close stops the imports that still run (an import stopped halfway writes
// nothing) and removes the uploaded files.
func (c *Console) Close() error { return c.imports.close() }

// routes lists every page. A page that changes something takes a POST with
// the session's form token; a signed-in page is served only with a live
// session. Each handler does what the admin command named beside it does.
func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", c.staticFiles(static)))
	mux.HandleFunc("GET /signin", c.signInForm)
	mux.HandleFunc("POST /signin", c.signIn)
	mux.HandleFunc("POST /signout", c.signOut)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/companies", http.StatusSeeOther) })

	get := func(pattern string, h handler) { mux.Handle("GET "+pattern, c.signedIn(h)) }
	post := func(pattern string, h handler) { mux.Handle("POST "+pattern, c.signedIn(h)) }
	get("/companies", c.listCompanies)                                      // admin company list
	post("/companies", c.createCompany)                                     // admin company create
	get("/companies/{company}", c.showCompany)                              // admin company show
	post("/companies/{company}/uid", c.setCompanyUID)                       // admin company set-uid
	post("/companies/{company}/tokens", c.createToken)                      // admin token create
	post("/companies/{company}/tokens/{id}/name", c.renameToken)            // admin token rename
	post("/companies/{company}/tokens/{id}/version", c.setTokenVersion)     // admin token set-api-version
	post("/companies/{company}/tokens/{id}/revoke", c.revokeToken)          // admin token revoke
	get("/companies/{company}/artikels", c.listArtikels)                    // (read-only)
	get("/companies/{company}/artikels/{id}", c.showArtikel)                // (read-only)
	get("/companies/{company}/klanten", c.listKlanten)                      // (read-only)
	get("/companies/{company}/categorieen", c.showCategorieen)              // admin categorieen list
	get("/companies/{company}/import", c.importForm)                        // admin import --template
	post("/companies/{company}/import", c.uploadImport)                     // (the preview)
	get("/import-templates/{file}", c.importTemplate)                       // admin import --template
	get("/imports/{id}", c.showImport)                                      // (progress)
	post("/imports/{id}/run", c.runImport)                                  // admin import
	get("/users", c.listUsers)                                              // admin user list
	post("/users", c.createUser)                                            // admin user create
	get("/users/{user}", c.showUser)                                        // admin user tokens
	post("/users/{user}/active", c.setUserActive)                           // admin user activate|deactivate
	post("/users/{user}/password", c.setPassword)                           // admin user set-password
	post("/users/{user}/pin", c.setPin)                                     // admin user set-pin
	post("/users/{user}/tokens/revoke", c.revokeUserTokens)                 // admin user revoke-tokens
	post("/users/{user}/tokens/{id}/revoke", c.revokeUserToken)             // admin user revoke-token
	get("/users/{user}/apps/{app}", c.showGrants)                           // admin user permissions
	post("/users/{user}/apps/{app}", c.setGrant)                            // admin grant|revoke
	get("/apps", c.listApps)                                                // admin app list
	post("/apps", c.createApp)                                              // admin app create
	get("/apps/{app}", c.showApp)                                           // admin app permissions
	post("/apps/{app}/version", c.setAppVersion)                            // admin app set-api-version
	post("/apps/{app}/permissions", c.addPermission)                        // admin app add-permission
	post("/apps/{app}/permissions/{perm}/label", c.renamePermission)        // admin app rename-permission
	get("/apps/{app}/permissions/{perm}/remove", c.confirmRemovePermission) // (a confirmation)
	post("/apps/{app}/permissions/{perm}/remove", c.removePermission)       // admin app remove-permission
	get("/audit", c.showAudit)                                              // admin audit
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c.message(w, r, http.StatusNotFound, "Not found", "There is no such page.")
	})

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.message(w, r, http.StatusForbidden, "Refused", "This form was sent from another site, so it was not accepted. Open the console itself and try again.")
	}))
	return c.headers(cop.Handler(c.limitBodies(mux)))
}

// staticFiles serves the embedded stylesheet and script; a directory
// listing is not served.
func (c *Console) staticFiles(files fs.FS) http.Handler {
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		fileServer.ServeHTTP(w, r)
	})
}
