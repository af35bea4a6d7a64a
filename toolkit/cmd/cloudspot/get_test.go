package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

func TestArtikelsGet(t *testing.T) {
	t.Parallel()
	s, srv := demoSandbox(t)
	ctx := context.Background()
	co := erptest.Must(srv.Store.CompanyBySlug(ctx, demo.Company))(t)
	first := erptest.Must(srv.Store.Artikels(ctx, co.ID))(t)[0]
	id := strconv.FormatInt(first.ID, 10)

	r := s.ok("", companyEnv, "artikels", "get", id, "-o", "json", "--fields", "id,SKU,verkoopprijs_incl")
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, r.stdout)
	}
	if got["SKU"] != "KOF-ARA-1000" || got["id"] != float64(first.ID) || !strings.Contains(r.stdout, `"verkoopprijs_incl": 23.00`) {
		t.Errorf("artikels get %s = %s", id, r.stdout)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"artikels", "get", "99999999"}, 1, "no product with id 99999999 in the token's company"},
		{[]string{"artikels", "get", "KOF-ARA-1000"}, 2, `"KOF-ARA-1000" is not a product id`},
		{[]string{"artikels", "get"}, 2, "takes one product id"},
	} {
		r := s.run("", companyEnv, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("cloudspot %s: exit %d, %q; want exit %d and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.code, tc.want)
		}
	}
}
