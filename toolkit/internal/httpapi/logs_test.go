package httpapi_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestLogsCarryNoSecrets signs in, uses the token and a company token, and
// fails a sign-in, all at debug level: the log must show the requests and
// the unknown-app warning, and no password or token.
func TestLogsCarryNoSecrets(t *testing.T) {
	t.Parallel()
	var logs erptest.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := erptest.Start(t, erptest.Options{Demo: true, Logger: log})
	ctx := context.Background()
	users := erptest.Must(cloudspot.NewUserAPI("timeapp", cloudspot.WithBaseURL(srv.URL)))(t)
	s := erptest.Must(users.Authenticate(ctx, demo.Username, demo.Password))(t)
	erptest.Must(users.Permissions(ctx, s.Token))(t)
	users.Authenticate(ctx, demo.Username, "wrong-password-xyz")
	unknown := erptest.Must(cloudspot.NewUserAPI("timeap", cloudspot.WithBaseURL(srv.URL)))(t)
	s2 := erptest.Must(unknown.Authenticate(ctx, demo.Username, demo.Password))(t)
	erptest.Must(erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(srv.URL)))(t).Artikels.List(ctx))(t)

	out := logs.String()
	for _, want := range []string{"path=/api/v1/auth/signin-external-app/", "status=401", "sign-in for an unknown app", "app=timeap"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for name, secret := range map[string]string{"password": demo.Password, "wrong password": "wrong-password-xyz",
		"user token": s.Token, "unknown app's token": s2.Token, "company token": demo.CompanyToken} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows the %s", name)
		}
	}
}
