package erp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestAuditLog: sign-ins (success, wrong password, unknown user), a burst of
// throttled attempts (one entry counting them), token issue and revocation
// and admin changes are in the log, filterable, and no entry holds a
// password or a token, nor a username no user has.
func TestAuditLog(t *testing.T) {
	t.Parallel()
	limits := erp.SignInLimits{PerPair: erp.Limit{Max: 2}}
	forEachEngine(t, erp.Config{SignInLimits: limits}, func(t *testing.T, w *world) {
		ctx := context.Background()
		const addr = "203.0.113.7"
		s := erptest.Must(w.svc.SignInFrom(ctx, addr, "timeapp", "an", password))(t)
		w.svc.SignInFrom(ctx, addr, "timeapp", "bert", "pw-guess-1")
		w.svc.SignInFrom(ctx, addr, "timeapp", "correct horse battery staple", "pw-guess-2")
		w.svc.SignInFrom(ctx, addr, "timeapp", "bert", "pw-guess-3")
		// A password typed as the username, refused on its third try.
		for range 3 {
			w.svc.SignInFrom(ctx, "198.51.100.9", "timeapp", "correct horse battery staple", "pw-guess-4")
		}
		for i := range 20 {
			if _, err := w.svc.SignInFrom(ctx, addr, "timeapp", "bert", "guess"); erp.ErrorCode(err) != erp.ETooMany {
				t.Fatalf("attempt %d past the limit: %v, want ETooMany", i, err)
			}
		}
		erptest.Must(w.svc.RevokeUserTokens(ctx, "an"))(t)
		if err := w.svc.SetPassword(ctx, "bert", "a new password for bert"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SetUserActive(ctx, "bert", false); err != nil {
			t.Fatal(err)
		}
		secret, ct, err := w.svc.IssueCompanyToken(ctx, "acme", "audit test", erp.Rights{Artikels: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RevokeCompanyToken(ctx, ct.ID); err != nil {
			t.Fatal(err)
		}

		all := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{}))(t)
		var lines []string
		for _, e := range all {
			lines = append(lines, fmt.Sprintf("%s|%s|%s|%s|%s|%d", e.Action, e.Username, e.App, e.Address, e.Detail, e.Attempts))
			for name, secret := range map[string]string{"password": password, "guessed password": "pw-guess-", "new password": "a new password",
				"user token": s.Token, "company token": secret, "typed username": "correct horse battery staple"} {
				if strings.Contains(fmt.Sprintf("%+v", e), secret) {
					t.Errorf("an audit entry holds the %s: %+v", name, e)
				}
			}
		}
		text := strings.Join(lines, "\n")
		for _, want := range []string{
			"company.create||||acme|1", "user.create|an|||company acme|1", "permission.grant|an|||timeapp_use|1", "import.artikels||||company acme: 2 created, 0 updated|1",
			"signin.success|an|timeapp|203.0.113.7|user token ",
			"signin.failure|bert|timeapp|203.0.113.7|wrong password|2",
			"signin.failure||timeapp|203.0.113.7|unknown username|3",
			"signin.throttled|bert|timeapp|203.0.113.7|refused: the limit of failures for this username from this address|20",
			"signin.throttled||timeapp|198.51.100.9|refused: the limit of failures for this username from this address|1",
			"user.tokens.revoke|an|||1 user tokens revoked|1",
			"user.password|bert|||password changed; 0 user tokens revoked|1",
			"user.deactivate|bert|||",
			fmt.Sprintf("company.token.issue||||company acme, token %d \"audit test\", rights artikels|1", ct.ID),
			fmt.Sprintf("company.token.revoke||||token %d \"audit test\"|1", ct.ID),
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the audit log lacks %q:\n%s", want, text)
			}
		}
		if n := strings.Count(text, "signin.throttled|bert"); n != 1 {
			t.Errorf("%d throttling entries for bert's burst within a minute, want 1", n)
		}
		w.advance(2 * time.Minute)
		w.svc.SignInFrom(ctx, addr, "timeapp", "bert", "guess")
		if n := len(erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditThrottled, Username: "bert"}))(t)); n != 2 {
			t.Errorf("%d throttling entries of bert a minute later, want 2", n)
		}

		signIns := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: "signin."}))(t)
		for _, e := range signIns {
			if !strings.HasPrefix(e.Action, "signin.") {
				t.Errorf("filter signin. returned %s", e.Action)
			}
		}
		berts := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Username: "bert", Action: erp.AuditSignInFailed}))(t)
		if len(berts) != 1 || berts[0].Attempts != 2 {
			t.Errorf("bert's failed sign-ins within a minute: %+v, want one entry counting 2", berts)
		}
		last := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Limit: 2}))(t)
		if len(last) != 2 || last[1].ID != all[len(all)-1].ID+1 || last[0].ID >= last[1].ID {
			t.Errorf("the newest two, oldest first: %+v", last)
		}
		if got := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Since: w.now()}))(t); len(got) != 1 {
			t.Errorf("%d entries since the last minute, want the one throttling entry", len(got))
		}
		if got := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: "signin%"}))(t); len(got) != 0 {
			t.Errorf("a wildcard in an action matched %d entries", len(got))
		}
	})
}
