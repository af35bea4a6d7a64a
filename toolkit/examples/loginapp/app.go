package main

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

// The external app the ERP signs users in for, and its permissions.
const (
	appSlug                = "timeapp"
	permUse                = "timeapp_use"                 // may use the app at all
	permTimetracking       = "timeapp_timetracking_use"    // may open the time tracking page
	permTimetrackingCreate = "timeapp_timetracking_create" // may create time entries
)

// config is everything the app can be told; see parseConfig.
type config struct {
	Addr, ERPURL                string
	SecureCookies, InsecureHTTP bool
	SessionIdle, SessionMaxAge  time.Duration    // 0: erpauth's defaults (30 minutes, 12 hours)
	Logger                      *slog.Logger     // default discards
	Now                         func() time.Time // default time.Now
}

func defaultConfig() config { return config{Addr: "127.0.0.1:8001", ERPURL: cloudspot.TestURL} }

//go:embed templates/*.html static/style.css
var files embed.FS

func page(name string) *template.Template {
	return template.Must(template.New(name+".html").ParseFS(files, "templates/base.html", "templates/"+name+".html"))
}

// app holds the time entries in memory (a real app keeps them in a
// database): by username, newest first, at most maxEntries each.
type app struct {
	timetracking *template.Template
	mu           sync.Mutex
	entries      map[string][]entry
}

type entry struct {
	At          time.Time
	Description string
}

const maxEntries = 50

// newApp returns the app's handler: erpauth's login page and logout, and the
// app's pages behind its checks.
func newApp(cfg config) (http.Handler, error) {
	// The SDK sends passwords and tokens only to the ERP's origin, and over
	// plain http only to this machine unless told the network is trusted.
	opts := []cloudspot.Option{cloudspot.WithBaseURL(cfg.ERPURL), cloudspot.WithHTTPClient(&http.Client{Timeout: 15 * time.Second})}
	if cfg.InsecureHTTP {
		opts = append(opts, cloudspot.WithInsecureHTTP())
	}
	api, err := cloudspot.NewUserAPI(appSlug, opts...)
	if errors.Is(err, cloudspot.ErrInsecure) {
		return nil, fmt.Errorf("-erp %s is plain http to another machine: anyone on the network could read the users' passwords and tokens; use https, or -insecure-http on a network you trust", cfg.ERPURL)
	} else if err != nil {
		return nil, err
	}
	auth, err := erpauth.New(api, erpauth.Config{
		AppName: "TimeApp", AppPermission: permUse, LoginPath: "/", AfterLogin: "/dashboard",
		CookieName: "loginapp", SecureCookies: cfg.SecureCookies, IdleTimeout: cfg.SessionIdle, MaxAge: cfg.SessionMaxAge,
		LoginTemplate: page("login"), ErrorTemplate: page("message"), Logger: cfg.Logger, Now: cfg.Now,
	})
	if err != nil {
		return nil, err
	}
	a := &app{timetracking: page("timetracking"), entries: map[string][]entry{}}
	mux := http.NewServeMux()
	mux.Handle("/{$}", auth.LoginHandler())
	mux.Handle("POST /logout", auth.LogoutHandler())
	// The dashboard as the reference Django example's; the time tracking
	// page shows the create form to those who may, the POST checks again.
	mux.Handle("GET /dashboard", auth.Require()(a.show(page("dashboard"))))
	mux.Handle("GET /timetracking", auth.Require(permTimetracking)(a.show(a.timetracking)))
	mux.Handle("POST /timetracking", auth.Require(permTimetracking, permTimetrackingCreate)(http.HandlerFunc(a.createEntry)))
	mux.Handle("GET /static/", http.FileServerFS(files))
	return secure(mux, cfg.SecureCookies), nil
}

// view is what the app's own pages show: CSRF is the session's form token
// (for the logout form and the app's forms), Token the ERP token masked.
type view struct {
	User                            erpauth.User
	CSRF, Token, Error, Description string
	Entries                         []entry
}

func (a *app) view(r *http.Request) view {
	u, _ := erpauth.UserFrom(r.Context())
	a.mu.Lock()
	defer a.mu.Unlock()
	return view{User: u, CSRF: erpauth.CSRFToken(r.Context()), Token: maskToken(u.Token), Entries: append([]entry(nil), a.entries[u.Username]...)}
}

func (a *app) show(t *template.Template) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { render(w, t, http.StatusOK, a.view(r)) })
}

func (a *app) createEntry(w http.ResponseWriter, r *http.Request) {
	desc := strings.TrimSpace(r.PostFormValue("description"))
	if desc == "" || !utf8.ValidString(desc) || utf8.RuneCountInString(desc) > 200 {
		v := a.view(r)
		v.Error, v.Description = "Describe what you are working on in 1 to 200 characters.", desc
		render(w, a.timetracking, http.StatusUnprocessableEntity, v)
		return
	}
	u, _ := erpauth.UserFrom(r.Context())
	a.mu.Lock()
	a.entries[u.Username] = append([]entry{{At: time.Now(), Description: desc}}, a.entries[u.Username][:min(len(a.entries[u.Username]), maxEntries-1)]...)
	a.mu.Unlock()
	http.Redirect(w, r, "/timetracking", http.StatusSeeOther)
}

// render writes a page, rendered first so that a template's error is a
// clean 500 rather than half a page.
func render(w http.ResponseWriter, t *template.Template, status int, v view) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// maskToken shows enough of a token to tell two apart and nothing to use.
func maskToken(t string) string {
	if len(t) < 16 {
		return "…"
	}
	return t[:8] + "…" + t[len(t)-4:]
}

// contentSecurityPolicy allows the app's own stylesheet and forms, and
// nothing else: no scripts, no framing, no form posts to other sites.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// secure sets the headers of every response (behind a TLS proxy,
// -secure-cookies, browsers are told to keep to HTTPS) and caps request
// bodies: the app's forms are small.
func secure(next http.Handler, behindTLS bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil || behindTLS {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		next.ServeHTTP(w, r)
	})
}
