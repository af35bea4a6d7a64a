package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestDamagedRow: a row changed behind the server's back (by hand, by
// another program) must end as an error, never as a body that breaks its
// shape. A product's lists are copied unchecked, so for them the database
// is the guard: it refuses to store anything but a JSON array. Text columns
// still take anything, so a price that is no number is still the encoder's
// to catch; on SQLite an integer column takes text too.
func TestDamagedRow(t *testing.T) {
	t.Parallel()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			srv := erptest.Start(t, erptest.Options{Demo: true, Store: e.Open(t)})
			db := srv.Store.(interface{ DB() *sql.DB }).DB()
			ctx := context.Background()
			var first int64
			if err := db.QueryRowContext(ctx, `SELECT MIN(d.product_id) FROM product_details d JOIN products p ON p.id = d.product_id
				JOIN companies c ON c.id = p.company_id WHERE c.slug = $1`, demo.Company).Scan(&first); err != nil {
				t.Fatal(err)
			}
			get := func(t *testing.T, path, version string) (int, []byte) {
				t.Helper()
				req, _ := http.NewRequest("GET", srv.URL+path, nil)
				req.Header.Set("X-ERP-TOKEN", demo.CompanyToken)
				if version != "" {
					req.Header.Set("X-Cloudspot-API-Version", version)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatalf("GET %s: %v", path, err)
				}
				return resp.StatusCode, body
			}
			type call struct{ path, version string }
			byID := call{"/artikels/?id=" + strconv.FormatInt(first, 10), "0.6"}
			calls := []call{{"/artikels/", ""}, {"/artikels/", "0.6"}, byID}
			whole := func(t *testing.T) {
				t.Helper()
				for _, c := range calls {
					if status, body := get(t, c.path, c.version); status != http.StatusOK || !json.Valid(body) {
						t.Errorf("GET %s in %q: %d, valid JSON %v", c.path, c.version, status, json.Valid(body))
					}
				}
			}
			broken := func(t *testing.T, calls ...call) {
				t.Helper()
				for _, c := range calls {
					status, body := get(t, c.path, c.version)
					var msg struct{ Message string }
					if status != http.StatusInternalServerError || json.Unmarshal(body, &msg) != nil || msg.Message != "Internal error." {
						t.Errorf("GET %s in %q: %d %.200q, want the JSON 500", c.path, c.version, status, body)
					}
				}
			}
			exec := func(t *testing.T, query string, args ...any) error {
				t.Helper()
				_, err := db.ExecContext(ctx, query, args...)
				return err
			}

			t.Run("ListNotAnArray", func(t *testing.T) {
				for _, v := range []string{`[{"url":"https://img.example.com/1.jpg"`, `{"url":"https://img.example.com/1.jpg"}`, ``} {
					if err := exec(t, `UPDATE product_details SET fotos = $1 WHERE product_id = $2`, v, first); err == nil {
						t.Errorf("the database stored fotos %q", v)
					}
				}
				whole(t)
			})
			t.Run("PriceNotANumber", func(t *testing.T) {
				var was string
				if err := db.QueryRowContext(ctx, `SELECT verkoopprijs_excl FROM products WHERE id = $1`, first).Scan(&was); err != nil {
					t.Fatal(err)
				}
				if err := exec(t, `UPDATE products SET verkoopprijs_excl = 'twaalf' WHERE id = $1`, first); err != nil {
					t.Fatal(err)
				}
				broken(t, calls...)
				if err := exec(t, `UPDATE products SET verkoopprijs_excl = $1 WHERE id = $2`, was, first); err != nil {
					t.Fatal(err)
				}
				whole(t)
			})
			t.Run("IntegerNotANumber", func(t *testing.T) {
				err := exec(t, `UPDATE product_details SET merk_id = 'twaalf' WHERE product_id = $1`, first)
				switch {
				case e.Name != "sqlite" && err == nil:
					t.Error("the database stored merk_id 'twaalf'")
				case e.Name == "sqlite" && err != nil:
					t.Fatal(err)
				case e.Name == "sqlite":
					// The protocol's list does not read merk_id.
					broken(t, calls[1], byID)
					if err := exec(t, `UPDATE product_details SET merk_id = NULL WHERE product_id = $1`, first); err != nil {
						t.Fatal(err)
					}
				}
				whole(t)
			})
		})
	}
}
