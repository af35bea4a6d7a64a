package erpauth_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// browser stands in for a person's browser in the examples: it keeps
// cookies and shows each answer as one line, its status, then where a
// redirect goes or the page's first line.
type browser struct {
	base string
	hc   *http.Client
}

func newBrowser(base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{base: base, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) (line, body string) {
	res, err := b.hc.Do(req)
	if err != nil {
		return err.Error(), ""
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	body = string(raw)
	if loc := res.Header.Get("Location"); loc != "" {
		return fmt.Sprintf("%d → %s", res.StatusCode, loc), body
	}
	first, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
	return fmt.Sprintf("%d %s", res.StatusCode, first), body
}

// get opens a page.
func (b *browser) get(path string) string {
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	line, _ := b.do(req)
	return line
}

// post sends a form from the app's own page.
func (b *browser) post(path string, form url.Values) string {
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	line, _ := b.do(req)
	return line
}

// signIn opens the login page and sends its form.
func (b *browser) signIn(username, pw string) string {
	req, _ := http.NewRequest(http.MethodGet, b.base+"/login", nil)
	_, page := b.do(req)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		return "no login form"
	}
	return b.post("/login", url.Values{"csrf": {m[1]}, "username": {username}, "password": {pw}})
}

// formToken opens a page of the examples' app and reads the session's
// form token from its "csrf=" line.
func (b *browser) formToken(path string) string {
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	_, page := b.do(req)
	_, token, _ := strings.Cut(page, "csrf=")
	return strings.TrimSpace(token)
}
