package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestDemoCredentialsKeepTheServerOnLoopback seeds the demo, then serves
// the database without --demo: refused on every address but loopback, with
// a warning on loopback, until `admin demo remove` deletes the demo; then
// the published credentials no longer work and any address serves.
func TestDemoCredentialsKeepTheServerOnLoopback(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	db := filepath.Join(t.TempDir(), "erp.db")
	erptest.Must(erpserver.NewService(context.Background(), erpserver.Config{Config: erp.Config{Store: openForTest(t, db)}, Demo: true}))(t)
	secrets := []string{demo.Password, demo.CompanyToken}

	for _, addr := range []string{"0.0.0.0:0", ":0"} {
		_, errOut, code := erptest.Run(t, "", nil, bin, "serve", "--addr", addr, "--db", db)
		if code == 0 || !strings.Contains(errOut, "demo's published credentials") || !strings.Contains(errOut, "admin demo remove") {
			t.Errorf("serving a demo database on %s without --demo: exit %d, %q; want a refusal naming the remedy", addr, code, errOut)
		}
		for _, s := range secrets {
			if strings.Contains(errOut, s) {
				t.Errorf("the refusal repeats a credential: %q", errOut)
			}
		}
	}

	p := erptest.StartProcess(t, bin, "--db", db)
	// Its stderr is a pipe of its own, read apart from the stdout line that
	// StartProcess waits for: wait for the log line that follows the
	// warning before reading.
	p.WaitStderr(t, "msg=serving", time.Minute)
	if errOut := p.Stderr(); !strings.Contains(errOut, "WARNING") || !strings.Contains(errOut, "admin demo remove") {
		t.Errorf("serving a demo database on loopback without --demo: stderr %q, want a loud warning", errOut)
	}
	if _, errOut, code := erptest.Run(t, "", nil, bin, "admin", "--db", db, "demo", "check"); code != 1 || !strings.Contains(errOut, "demo remove") {
		t.Errorf("demo check with the demo present: exit %d, %q; want 1", code, errOut)
	}
	out, errOut, code := erptest.Run(t, "", nil, bin, "admin", "--db", db, "demo", "remove")
	if code != 0 || !strings.Contains(out, "removed the demo company") {
		t.Fatalf("demo remove: exit %d, %q %q", code, out, errOut)
	}
	ctx := context.Background()
	users := erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(p.URL)))(t)
	if _, err := users.Authenticate(ctx, demo.Username, demo.Password); !errors.Is(err, cloudspot.ErrBadCredentials) {
		t.Errorf("the demo user after removal: %v, want bad credentials", err)
	}
	company := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(p.URL)))(t)
	if _, err := company.Artikels.List(ctx); !errors.Is(err, cloudspot.ErrNoValidToken) {
		t.Errorf("the demo company token after removal: %v, want no valid token", err)
	}
	if out, _, code := erptest.Run(t, "", nil, bin, "admin", "--db", db, "demo", "check"); code != 0 || !strings.Contains(out, "no demo credentials") {
		t.Errorf("demo check after removal: exit %d, %q", code, out)
	}
	p.Stop()
	wide := erptest.StartProcess(t, bin, "--db", db, "--addr", "0.0.0.0:0")
	wide.WaitStderr(t, "msg=serving", time.Minute)
	if strings.Contains(wide.Stderr(), "WARNING") {
		t.Errorf("a warning without the demo: %q", wide.Stderr())
	}
}
