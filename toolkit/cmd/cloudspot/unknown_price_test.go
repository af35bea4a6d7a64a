package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestUnknownPriceSurvives: a price the ERP does not know (null in JSON,
// an empty cell in CSV) is imported, stored, served, read by the SDK and
// shown by the CLI as unknown, never as 0; a price of zero stays 0.00.
func TestUnknownPriceSurvives(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "erp.db")
	srv := erptest.Start(t, erptest.Options{Demo: true, DB: db})
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "artikels.json")
	if err := os.WriteFile(jsonFile, []byte(`[{"naam": "Onbekend", "SKU": "UNK-JSON", "voorraad_bijhouden": "NIET",
		"verkoopprijs_excl": "0.00", "verkoopprijs_incl": "0.00", "inkoopprijs_excl": null, "BTW": "21",
		"bestellingtype": "IDEAAL", "status": "ZICHTBAAR"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	csvFile := filepath.Join(dir, "artikels.csv")
	if err := os.WriteFile(csvFile, []byte("naam,SKU,voorraad_bijhouden,verkoopprijs_excl,verkoopprijs_incl,inkoopprijs_excl,BTW,bestellingtype,status\n"+
		"Onbekend,UNK-CSV,NIET,0.00,0.00,,21,IDEAAL,ZICHTBAAR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	admin := erptest.Build(t, "./cmd/cloudspot-server")
	for _, f := range []string{jsonFile, csvFile} {
		if out, errOut, code := erptest.Run(t, "", []string{"CLOUDSPOT_DB="}, admin, "admin", "--db", db, "import", "artikels", "--company", "demo", f); code != 0 {
			t.Fatalf("admin import %s: exit %d\n%s%s", filepath.Base(f), code, out, errOut)
		}
	}

	api := erptest.Must(cloudspot.NewCompanyAPI(demo.CompanyToken, cloudspot.WithBaseURL(srv.URL)))(t)
	as := erptest.Must(api.Artikels.List(context.Background()))(t)
	seen := 0
	for _, a := range as {
		if !strings.HasPrefix(a.SKU, "UNK-") {
			continue
		}
		seen++
		if a.InkoopprijsExcl.Known() {
			t.Errorf("SDK: %s inkoopprijs_excl = %q, want unknown", a.SKU, a.InkoopprijsExcl)
		}
		if !a.VerkoopprijsExcl.Known() || a.VerkoopprijsExcl.String() != "0.00" {
			t.Errorf("SDK: %s verkoopprijs_excl = %q (known %v), want a known 0.00", a.SKU, a.VerkoopprijsExcl, a.VerkoopprijsExcl.Known())
		}
	}
	if seen != 2 {
		t.Fatalf("SDK: %d imported products listed, want 2", seen)
	}

	s := newSandbox(t, srv.URL)
	args := []string{"artikels", "list", "--search", "Onbekend", "--fields", "SKU,inkoopprijs_excl,verkoopprijs_excl"}
	r := s.ok("", companyEnv, append(args, "-o", "json")...)
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
		t.Fatalf("-o json: %v\n%s", err, r.stdout)
	}
	if len(items) != 2 {
		t.Fatalf("-o json listed %d products, want 2:\n%s", len(items), r.stdout)
	}
	for _, it := range items {
		if v, ok := it["inkoopprijs_excl"]; !ok || v != nil {
			t.Errorf("-o json: %v inkoopprijs_excl = %#v, want null", it["SKU"], v)
		}
		if v := it["verkoopprijs_excl"]; v != 0.0 {
			t.Errorf("-o json: %v verkoopprijs_excl = %#v, want 0", it["SKU"], v)
		}
	}
	r = s.ok("", companyEnv, append(args, "-o", "csv")...)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("-o csv: %v\n%s", err, r.stdout)
	}
	for _, row := range rows[1:] {
		if row[1] != "" || row[2] != "0.00" {
			t.Errorf("-o csv row %q: want an empty inkoopprijs_excl and 0.00", row)
		}
	}
}
