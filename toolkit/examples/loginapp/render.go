package main

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// view is what every page template may show. One struct for all pages
// keeps the templates simple; each page fills what it needs.
type view struct {
	Page  string // id of <main>, one per page
	Title string
	CSRF  string // the session's form token; set only for signed-in pages
	Flash string // an informational message
	Error string // an error message

	LoginCSRF string // the login form's token
	Username  string // the login form's username, kept after a failed try

	Name            string
	Token           string
	Permissions     []string
	CanTimetracking bool

	CanCreate   bool
	Entries     []entry
	Description string

	Back, BackLabel string
}

// parsePages parses each page together with the shared layout.
func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range []string{"login", "dashboard", "timetracking", "message"} {
		t, err := template.ParseFS(templateFS, "templates/base.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes a page with the given status. The page is rendered into a
// buffer first, so a template error becomes a clean 500, not half a page.
// Pages are never stored by caches: they hold form tokens and, once signed
// in, the user's data.
func (a *app) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	v.Page = page
	var buf bytes.Buffer
	if err := a.pages[page].ExecuteTemplate(&buf, "base", v); err != nil {
		a.log.Error("render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// message renders a page that only says what went wrong.
func (a *app) message(w http.ResponseWriter, r *http.Request, status int, title, text, back, backLabel string) {
	a.render(w, r, status, "message", view{Title: title, Error: text, Back: back, BackLabel: backLabel})
}

// maskToken shows enough of a token to tell two apart (the kind's prefix,
// four characters, the last four) and nothing to use: the page is not a
// place for a secret, which screenshots, shoulder-surfers and browser
// caches would keep.
func maskToken(t string) string {
	if len(t) < 16 {
		return "…"
	}
	return t[:8] + "…" + t[len(t)-4:]
}

// contentSecurityPolicy allows the app's own stylesheet and forms, and
// nothing else: no scripts, no framing, no form posts to other sites.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every response carries. behindTLS says
// a TLS proxy is in front (-secure-cookies): browsers then get HSTS even
// though the request reached the app over plain HTTP, so that they never
// try plain HTTP again.
func securityHeaders(next http.Handler, behindTLS bool) http.Handler {
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
		next.ServeHTTP(w, r)
	})
}

// serveStyle serves the stylesheet; it may be cached, it holds nothing
// private.
func serveStyle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, "style.css", time.Time{}, bytes.NewReader(styleCSS))
}
