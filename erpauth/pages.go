package erpauth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"strings"
	"time"
)

// LoginPage is what Config.LoginTemplate is executed with. The form posts
// to Action with the fields csrf (the value of CSRF), next (the value of
// Next), username and password:
//
//	<form method="post" action="{{.Action}}">
//	  <input type="hidden" name="csrf" value="{{.CSRF}}">
//	  <input type="hidden" name="next" value="{{.Next}}">
//	  <input name="username" value="{{.Username}}" autocomplete="username">
//	  <input name="password" type="password" autocomplete="current-password">
//	  <button>Log in</button>
//	</form>
//
// Error is one of these texts, with Status:
//
//	401 Username or password not correct.              (also for an unknown user)
//	429 Too many failed sign-ins. Please try again in 15 minutes.   (the wait: erpauth's, or the ERP's Retry-After)
//	502 The ERP could not be reached. Please try again in a moment.  (down, an HTML page, an error status)
//	403 The login form had expired. Please try again.  (its csrf did not match its cookie)
//	403 Your ERP account has no access to TimeApp. Ask your ERP administrator for the permission timeapp_use.
//	400 The form could not be read.
//	500 Your session could not be started. Please try again in a moment.  (the Store failed)
//
// Flash says why an earlier session ended, shown once: "You have been
// logged out.", "Your session has ended. Please log in again." or "Your ERP
// account no longer has access to TimeApp."
type LoginPage struct {
	AppName  string // Config.AppName
	Action   string // Config.LoginPath
	CSRF     string // the form's token
	Next     string // the page to land on after the sign-in; "" for Config.AfterLogin
	Username string // what the user typed, kept after a failed try
	Error    string // why the last try failed, or ""
	Flash    string // why the last session ended, or ""
	Status   int    // the HTTP status of the page
}

// ErrorPage is what Config.ErrorTemplate is executed with, for a request
// that Require, RequireAny or LogoutHandler refuse, or for a sign-in form
// sent from another site. Message is one of these texts, with Status and
// Title:
//
//	403 No access         You do not have the permission timeapp_timetracking_use. Ask your ERP administrator if you need it.
//	403 No access         You need one of the permissions a or b. Ask your ERP administrator if you need one.
//	403 Request refused   This form was sent from another site, so it was refused.
//	403 Request refused   The form did not carry a valid security token, so it was refused. Please go back, reload the page and try again.
//	502 ERP not reachable The ERP could not be reached. Please try again in a moment.
//	503 Not available     Your session could not be read. Please try again in a moment.
type ErrorPage struct {
	AppName string // Config.AppName
	Status  int
	Title   string
	Message string
	// Missing are the permissions the user lacks, for a 403 of Require or
	// RequireAny.
	Missing []string
	// User is the signed-in user, when there is one; CSRF is then the
	// session's form token, for a logout form on the page.
	User *User
	CSRF string
	Home string // Config.AfterLogin
}

// The default pages: plain HTML, no script, no style that a strict
// Content-Security-Policy would block.
const defaultLogin = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · {{.AppName}}</title>
</head>
<body>
<main id="login">
<h1>Log in to {{.AppName}}</h1>
<p>Use your Cloudspot ERP username and password.</p>
{{- if .Flash}}
<p class="flash" role="status">{{.Flash}}</p>
{{- end}}
{{- if .Error}}
<p class="error" role="alert">{{.Error}}</p>
{{- end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<input type="hidden" name="next" value="{{.Next}}">
<p><label for="username">Username</label><br>
<input id="username" name="username" value="{{.Username}}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="150" required></p>
<p><label for="password">Password</label><br>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit" id="submit">Log in</button></p>
</form>
</main>
</body>
</html>
`

const defaultError = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · {{.AppName}}</title>
</head>
<body>
<main id="error">
<h1>{{.Title}}</h1>
<p class="error" role="alert">{{.Message}}</p>
<p><a href="{{.Home}}">Back to {{.AppName}}</a></p>
</main>
</body>
</html>
`

var (
	defaultLoginTemplate = template.Must(template.New("login").Parse(defaultLogin))
	defaultErrorTemplate = template.Must(template.New("error").Parse(defaultError))
)

// Texts of the pages; LoginPage and ErrorPage list them.
const (
	msgBadCredentials = "Username or password not correct."
	msgUnreachable    = "The ERP could not be reached. Please try again in a moment."
	msgFormExpired    = "The login form had expired. Please try again."
	msgFormUnreadable = "The form could not be read."
	msgStoreFailed    = "Your session could not be started. Please try again in a moment."
	msgStoreDown      = "Your session could not be read. Please try again in a moment."
	msgCrossSite      = "This form was sent from another site, so it was refused."
	msgBadFormToken   = "The form did not carry a valid security token, so it was refused. Please go back, reload the page and try again."
	msgSignInFirst    = "Please log in first."
)

func msgTooMany(wait time.Duration) string {
	return "Too many failed sign-ins. Please try again in " + inWords(wait) + "."
}

// inWords says a wait in whole seconds up to two minutes, else in minutes,
// rounded up.
func inWords(d time.Duration) string {
	switch s := int((d + time.Second - 1) / time.Second); {
	case s <= 1:
		return "1 second"
	case s < 120:
		return fmt.Sprintf("%d seconds", s)
	default:
		return fmt.Sprintf("%d minutes", (s+59)/60)
	}
}

func (a *Auth) msgNoAccess() string {
	return "Your ERP account has no access to " + a.cfg.AppName + ". Ask your ERP administrator for the permission " + a.cfg.AppPermission + "."
}

// missingMessage says which permissions a refused request lacked.
func missingMessage(missing []string, anyOf bool) string {
	switch {
	case anyOf:
		return "You need one of the permissions " + strings.Join(missing, " or ") + ". Ask your ERP administrator if you need one."
	case len(missing) == 1:
		return "You do not have the permission " + missing[0] + ". Ask your ERP administrator if you need it."
	default:
		return "You do not have the permissions " + strings.Join(missing, " and ") + ". Ask your ERP administrator if you need them."
	}
}

// Flash codes: the cookie holds one of these, never a text, so that nobody
// can make the login page say anything else.
const (
	flashEnded     = "ended"
	flashLoggedOut = "loggedout"
	flashNoAccess  = "noaccess"
)

func (a *Auth) flashText(code string) string {
	switch code {
	case flashEnded:
		return "Your session has ended. Please log in again."
	case flashLoggedOut:
		return "You have been logged out."
	case flashNoAccess:
		return "Your ERP account no longer has access to " + a.cfg.AppName + "."
	}
	return ""
}

// page writes a rendered page. It is rendered into a buffer first, so
// that a template's error is a clean 500, not half a page; no cache keeps
// it, since it holds a form token or the user's data.
func (a *Auth) page(w http.ResponseWriter, r *http.Request, t *template.Template, status int, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		a.log.ErrorContext(r.Context(), "erpauth: page template failed", "template", t.Name(), "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if h.Get("X-Frame-Options") == "" {
		h.Set("X-Frame-Options", "DENY") // a sign-in form in another site's frame is a trap
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// refuse answers a request that may not go on: the error page for a
// browser, {"message": ...} for a request that asks for JSON.
func (a *Auth) refuse(w http.ResponseWriter, r *http.Request, s *Session, p ErrorPage) {
	if wantsJSON(r) {
		writeJSON(w, p.Status, p.Message)
		return
	}
	p.AppName, p.Home = a.cfg.AppName, a.cfg.AfterLogin
	if s != nil {
		u := s.User
		p.User, p.CSRF = &u, s.CSRF
	}
	a.page(w, r, a.errorTemplate, p.Status, p)
}

// wantsJSON reports whether a request asks for JSON rather than a page:
// its Accept header names a JSON type and not HTML.
func wantsJSON(r *http.Request) bool {
	json, html := false, false
	for _, part := range strings.Split(strings.Join(r.Header.Values("Accept"), ","), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch {
		case mt == "text/html":
			html = true
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			json = true
		}
	}
	return json && !html
}

func writeJSON(w http.ResponseWriter, status int, message string) {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{message})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
