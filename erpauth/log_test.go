package erpauth_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/erpauth"
)

// TestLogs: every outcome of a sign-in and every end of a session is a
// record; none holds a password, a token or a form token.
func TestLogs(t *testing.T) {
	t.Parallel()
	erp := startStandIn(t)
	app := startApp(t, erp, erpauth.Config{MaxFailedSignIns: 2, AppPermission: "timeapp_use"})
	const secret = "hunter2-is-my-password"
	c := app.client(t)
	c.signIn("jan", secret)
	c.signIn(secret, secret) // a password typed in the username field
	c.signIn("jan", secret)  // over the limit
	app.clock.advance(time.Hour)
	app.client(t).signIn("outsider", password)
	erp.setFault(downPage)
	app.client(t).signIn("jan", password)
	erp.setFault(nil)
	token := c.mustSignIn("jan")
	c.post("/logout", url.Values{"csrf": {token}})
	c.mustSignIn("jan")
	erp.revoke("jan")
	app.clock.advance(5 * time.Minute)
	c.get("/")

	logs := app.logs.String()
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec struct {
			Msg    string `json:"msg"`
			Reason string `json:"reason"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON record: %q", line)
		}
		msgs = append(msgs, strings.TrimSpace(rec.Msg+" "+rec.Reason))
	}
	want := []string{
		"erpauth: sign-in refused bad credentials",
		"erpauth: sign-in refused bad credentials",
		"erpauth: sign-in refused too many failed sign-ins from this address",
		"erpauth: sign-in refused no access to the app",
		"erpauth: ERP not reachable",
		"erpauth: signed in",
		"erpauth: session ended logout",
		"erpauth: signed in",
		"erpauth: session ended the ERP no longer accepts the token",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	for what, re := range map[string]*regexp.Regexp{
		"the password":  regexp.MustCompile(regexp.QuoteMeta(secret)),
		"a token":       regexp.MustCompile(`csu_`),
		"a form token":  regexp.MustCompile(regexp.QuoteMeta(token)),
		"demo password": regexp.MustCompile(regexp.QuoteMeta(password)),
	} {
		if re.MatchString(logs) {
			t.Errorf("the log holds %s:\n%s", what, logs)
		}
	}
}

// TestUserHidesToken: a User printed or logged by mistake shows no token.
func TestUserHidesToken(t *testing.T) {
	t.Parallel()
	u := erpauth.User{Username: "jan", FirstName: "Jan", Permissions: cloudspot.Permissions{"timeapp_use"}, Token: "csu_SECRET"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "user", u)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "user", u)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		fmt.Fprintf(&buf, verb+"\n", u)
		fmt.Fprintf(&buf, verb+"\n", &u)
	}
	b, _ := json.Marshal(u)
	buf.Write(b)
	if strings.Contains(buf.String(), "SECRET") || strings.Contains(buf.String(), "534543524554") {
		t.Errorf("the token shows:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "[redacted]") || !strings.Contains(buf.String(), `"username":"jan"`) {
		t.Errorf("the output:\n%s", buf.String())
	}
	if u.Token != "csu_SECRET" {
		t.Error("printing changed the user")
	}
}
