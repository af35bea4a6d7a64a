package demo_test

import (
	"context"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestSeedTwice: seeding a database that holds the demo creates nothing and
// is not an error, so a server started with --demo can restart.
func TestSeedTwice(t *testing.T) {
	ctx := context.Background()
	svc := erptest.Must(erp.NewService(erp.Config{Store: erptest.OpenSQLite(t)}))(t)
	first, err := demo.Seed(ctx, svc)
	if err != nil || !first.Created {
		t.Fatalf("first Seed = %+v, %v; want created", first, err)
	}
	again, err := demo.Seed(ctx, svc)
	if err != nil || again.Created {
		t.Fatalf("second Seed = %+v, %v; want nothing created", again, err)
	}
	users := erptest.Must(svc.Users(ctx))(t)
	tokens := erptest.Must(svc.CompanyTokens(ctx, demo.Company))(t)
	if len(users) != 2 || len(tokens) != 1 {
		t.Errorf("after two seeds: %d users and %d company tokens, want 2 and 1", len(users), len(tokens))
	}
}
