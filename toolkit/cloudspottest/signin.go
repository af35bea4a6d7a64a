package cloudspottest

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// SignIn signs a user of the fixtures in to a web app through its login
// page at loginURL, as a browser does: it opens the page, reads the form's
// csrf field, and sends the form with the username and the password the
// fixtures gave the user. It returns an HTTP client whose cookie jar holds
// the app's session, to test the app's pages as that user; it follows
// redirects like any client. A sign-in the app refuses fails the test with
// the app's status and message.
//
// The login page is erpauth's contract (erpauth.LoginPage): a form posted
// to loginURL with the fields csrf, username and password. The app should
// be in front of this server (its UserAPI made with Options).
func (s *Server) SignIn(t testing.TB, loginURL, username string) *http.Client {
	t.Helper()
	password, ok := s.passwords[username]
	if !ok {
		t.Fatalf("cloudspottest: SignIn: no user %q in the fixtures", username)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	status, page, err := fetch(hc, http.MethodGet, loginURL, nil)
	if err != nil {
		t.Fatalf("cloudspottest: SignIn: opening the login page: %v", err)
	}
	token, ok := formField(page, "csrf")
	if status != http.StatusOK || !ok {
		t.Fatalf("cloudspottest: SignIn: %s answered %d without a login form with a csrf field:\n%s", loginURL, status, clip(page))
	}
	status, page, err = fetch(hc, http.MethodPost, loginURL, url.Values{"csrf": {token}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatalf("cloudspottest: SignIn as %s: %v", username, err)
	}
	if status != http.StatusSeeOther && status != http.StatusFound {
		t.Fatalf("cloudspottest: SignIn as %s: the app answered %d: %s", username, status, appMessage(page))
	}
	hc.CheckRedirect = nil
	return hc
}

// fetch sends a request, the form when there is one, and reads at most
// 1 MiB of the answer.
func fetch(hc *http.Client, method, target string, form url.Values) (int, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return 0, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res.StatusCode, string(b), err
}

var (
	inputRE = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	attrRE  = regexp.MustCompile(`(?is)\b(name|value)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
	alertRE = regexp.MustCompile(`(?is)role="alert"[^>]*>(.*?)<`)
)

// formField finds the value of the input named name in an HTML page.
func formField(page, name string) (string, bool) {
	for _, input := range inputRE.FindAllString(page, -1) {
		attrs := map[string]string{}
		for _, m := range attrRE.FindAllStringSubmatch(input, -1) {
			attrs[strings.ToLower(m[1])] = m[2] + m[3] + m[4]
		}
		if html.UnescapeString(attrs["name"]) == name {
			return html.UnescapeString(attrs["value"]), true
		}
	}
	return "", false
}

// appMessage is what a refused sign-in's page says: its alert, else its
// beginning.
func appMessage(page string) string {
	if m := alertRE.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(strings.TrimSpace(m[1]))
	}
	return clip(page)
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		return fmt.Sprintf("%s… (%d bytes)", s[:300], len(s))
	}
	return s
}
