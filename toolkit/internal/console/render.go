package console

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// view is what every page's template gets.
type view struct {
	Page  string // the page's name, on its <main> for tests and styles
	Title string
	// Nav names the menu entry of the page: companies, users, apps, audit.
	Nav   string
	User  *erp.ConsoleUser // nil on the sign-in page
	CSRF  string           // the form token
	Flash string           // a message carried over a redirect
	// Errors are the form's problems, each with the id of its field, for
	// the summary at the top of the form.
	Errors []fieldError
	// Refresh reloads the page after that many seconds (an import in
	// progress); 0 for never.
	Refresh int
	Data    any
}

// fieldError is a problem of a form's field: Field is the field's id, which
// the error summary links to.
type fieldError struct {
	Field   string
	Message string
}

// ErrorFor is the message about a field, for the field itself; "" for
// none.
func (v view) ErrorFor(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// pageTemplate is one page: the layout with the page's own blocks.
type pageTemplate struct{ t *template.Template }

// parsePages parses each page's template with the layout.
func parsePages() (map[string]*pageTemplate, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*pageTemplate{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("console: template %s: %w", n, err)
		}
		pages[name] = &pageTemplate{t}
	}
	return pages, nil
}

// render writes a page whole or, when its template fails, a failure: the
// page is made in memory first, so a half page is never sent.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	p, ok := c.pages[name]
	if !ok {
		c.log.Error("console: no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v.Page = name
	var b bytes.Buffer
	if err := p.t.Execute(&b, v); err != nil {
		c.log.Error("console: rendering a page failed", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// page renders a signed-in page.
func (q *request) page(c *Console, status int, name, nav, title string, data any, errs ...fieldError) error {
	c.render(q.w, q.r, status, name, view{Title: title, Nav: nav, User: q.user, CSRF: q.csrf, Flash: c.takeFlash(q.w, q.r), Errors: errs, Data: data})
	return nil
}

// done ends a change: the message is shown on the page the browser is
// sent to (a POST is always followed by a GET, so a reload repeats
// nothing).
func (q *request) done(c *Console, to, msg string) error {
	if msg != "" {
		c.setFlash(q.w, q.r, msg)
	}
	http.Redirect(q.w, q.r, to, http.StatusSeeOther)
	return nil
}

// message is a page that only says something, such as a refusal.
type message struct{ Heading, Text string }

func (c *Console) message(w http.ResponseWriter, r *http.Request, status int, heading, text string) {
	c.render(w, r, status, "message", view{Title: heading, Data: message{heading, text}})
}

// refused shows a domain error of a form on the form's page: the caller
// renders the page with the error at field. Errors that are not the
// form's (a storage failure) are returned.
func refused(err error, field string) ([]fieldError, int, error) {
	switch erp.ErrorCode(err) {
	case erp.EInvalid, erp.EConflict, erp.ENotFound, erp.EForbidden:
		return []fieldError{{field, erp.ErrorMessage(err)}}, httpapi.StatusOf(err), nil
	}
	return nil, 0, err
}

// retryAfter is a throttled answer's wait in whole seconds, rounded up.
func retryAfter(e *erp.Error) string {
	return strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds())))
}

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	// when shows a time in UTC to the minute; "-" for none.
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04")
	},
	// lastUsed is a token's last use: "never" until its first.
	"lastUsed": func(used bool, t time.Time) string {
		if !used {
			return "never"
		}
		return t.UTC().Format("2006-01-02 15:04")
	},
	// path escapes one segment of a path, such as a username.
	"path": url.PathEscape,
	// query makes a query string of name, value pairs, leaving out the
	// empty ones.
	"query": func(pairs ...any) string {
		v := url.Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			val := fmt.Sprint(pairs[i+1])
			if val != "" && val != "0" {
				v.Set(fmt.Sprint(pairs[i]), val)
			}
		}
		if len(v) == 0 {
			return ""
		}
		return "?" + v.Encode()
	},
	"versions": erp.APIVersions,
	"div":      func(a, b int64) int64 { return a / b },
	// indent is a permission's or category's depth as a class name.
	"indent": func(depth int) string { return "depth-" + strconv.Itoa(min(depth, 9)) },
}
