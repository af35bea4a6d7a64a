package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// TestGolden runs each command as a user would, against the demo ERP, and
// compares stdout with testdata/*.golden: one file per output format at
// least. go test ./cmd/cloudspot -run TestGolden -update rewrites them.
func TestGolden(t *testing.T) {
	t.Parallel()
	s, _ := demoSandbox(t)
	s.login("demo")

	cases := []struct {
		name string
		env  []string
		args []string
	}{
		// Products: one golden per format.
		{"artikels_table", companyEnv, []string{"artikels", "list", "-o", "table", "--status", "NIET_VERKOOPBAAR,GEDEACTIVEERD"}},
		{"artikels_table_narrow", append([]string{"COLUMNS=64"}, companyEnv...), []string{"artikels", "list", "-o", "table", "--status", "not-sellable"}},
		{"artikels_json", companyEnv, []string{"artikels", "list", "-o", "json", "--search", "ARABICA"}},
		{"artikels_ndjson", companyEnv, []string{"artikels", "list", "-o", "ndjson", "--stock", "digital", "--fields", "sku,naam,verkoopprijs_excl,BTW,status"}},
		{"artikels_csv", companyEnv, []string{"artikels", "list", "-o", "csv", "--stock", "NIET", "--fields", "SKU,naam,beschrijving,verkoopprijs_incl,status"}},
		// Clients: a pipe gets JSON without asking; UTF-8 names in every format.
		{"klanten_pipe_default", companyEnv, []string{"klanten", "list", "--country", "fr"}},
		{"klanten_table", companyEnv, []string{"klanten", "list", "-o", "table", "--country", "NL,FR,LU,DE"}},
		{"klanten_ndjson", companyEnv, []string{"klanten", "list", "-o", "ndjson", "--type", "company", "--search", "ça va"}},
		{"klanten_csv", companyEnv, []string{"klanten", "list", "-o", "csv", "--fields", "klantennummer,voornaam,achternaam,bedrijfsnaam,land,is_bedrijf"}},
		{"klanten_search_accents", companyEnv, []string{"klanten", "list", "-o", "csv", "--search", "francoise", "--fields", "klantennummer,voornaam,achternaam"}},
		// The signed-in user.
		{"whoami_table", nil, []string{"whoami", "-o", "table"}},
		{"whoami_json", nil, []string{"whoami"}},
		{"permissions", nil, []string{"permissions"}},
		{"permissions_json", nil, []string{"permissions", "-o", "json"}},
		{"permissions_csv", nil, []string{"permissions", "-o", "csv"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := s.run("", tc.env, tc.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			golden(t, tc.name, r.stdout)
		})
	}
}

// TestOutputIsParseable checks the machine formats with their own parsers,
// so that the golden files cannot hold broken JSON or CSV.
func TestOutputIsParseable(t *testing.T) {
	t.Parallel()
	s, _ := demoSandbox(t)

	r := s.ok("", companyEnv, "artikels", "list", "-o", "json")
	var products []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &products); err != nil {
		t.Fatalf("-o json is not a JSON array: %v", err)
	}
	if len(products) != 74 {
		t.Errorf("got %d products, want the demo's 74", len(products))
	}
	// Decimals keep their exact digits: 21.70, not 21.7.
	if got := string(products[0]["verkoopprijs_excl"]); got != "21.70" {
		t.Errorf("verkoopprijs_excl = %s, want 21.70", got)
	}

	r = s.ok("", companyEnv, "klanten", "list", "-o", "ndjson")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 66 {
		t.Errorf("got %d NDJSON lines, want 66", len(lines))
	}
	for i, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Fatalf("line %d is not JSON: %s", i+1, l)
		}
	}

	r = s.ok("", companyEnv, "artikels", "list", "-o", "csv")
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("-o csv does not parse: %v", err)
	}
	if len(recs) != 75 || len(recs[0]) != 14 || recs[0][2] != "SKU" {
		t.Errorf("csv: %d rows of %d fields, header %v; want 75 rows of 14 with SKU third", len(recs), len(recs[0]), recs[0])
	}

	// --limit and filters compose.
	r = s.ok("", companyEnv, "artikels", "list", "-o", "ndjson", "--status", "ZICHTBAAR", "--stock", "FYSIEK", "--limit", "5")
	if n := strings.Count(r.stdout, "\n"); n != 5 {
		t.Errorf("--limit 5 gave %d lines", n)
	}
}
