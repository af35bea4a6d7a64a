package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestDamagedRow: a row changed behind the server's back (by hand, by
// another program) must end as an error, never as a body that breaks its
// shape. Lists copy each row's wire JSON, written when the row was. A
// product's lists of version 0.6 are copied into it unchecked, so for them
// the database is the guard: it refuses anything but a JSON array. A
// column that takes anything (a price as text; on SQLite an integer column
// too) is not in the lists, and the encoder refuses it when the row's JSON
// is written again: a rename of a category the product names, or a store
// opening on a row marked to be written. A damaged wire column is refused
// by the list that reads it.
func TestDamagedRow(t *testing.T) {
	t.Parallel()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			dsn := e.DB(t)
			srv := erptest.Start(t, erptest.Options{Demo: true, DB: dsn})
			db := srv.Store.(interface{ DB() *sql.DB }).DB()
			ctx := context.Background()
			var first, main int64
			if err := db.QueryRowContext(ctx, `SELECT MIN(d.product_id) FROM product_details d JOIN products p ON p.id = d.product_id
				JOIN companies c ON c.id = p.company_id WHERE c.slug = $1 AND d.categorie_id IS NOT NULL`, demo.Company).Scan(&first); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRowContext(ctx, `SELECT categorie_id FROM product_details WHERE product_id = $1`, first).Scan(&main); err != nil {
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
			list04, list06 := call{"/artikels/", ""}, call{"/artikels/", "0.6"}
			calls := []call{list04, list06, byID}
			// bodies reads every call, each a whole JSON body.
			bodies := func(t *testing.T) map[call]string {
				t.Helper()
				out := map[call]string{}
				for _, c := range calls {
					status, body := get(t, c.path, c.version)
					if status != http.StatusOK || !json.Valid(body) {
						t.Errorf("GET %s in %q: %d, valid JSON %v", c.path, c.version, status, json.Valid(body))
					}
					out[c] = string(body)
				}
				return out
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
			// A program that changes rows behind the server's back and
			// says so, as the stamp of the company's catalogue does.
			restamp := func(t *testing.T) {
				t.Helper()
				if err := exec(t, `UPDATE catalogue_stamps SET stamp = stamp + 1`); err != nil {
					t.Fatal(err)
				}
			}
			// rewritten: writing the product's JSON again refuses the
			// damage, naming the product, and changes no list.
			rewritten := func(t *testing.T, before map[call]string) {
				t.Helper()
				err := srv.Service.RenameCategorie(ctx, demo.Company, main, "Hernoemd")
				if err == nil || !strings.Contains(err.Error(), "product "+strconv.FormatInt(first, 10)) {
					t.Errorf("renaming the damaged product's category: %v, want an error naming product %d", err, first)
				}
				if after := bodies(t); !maps.Equal(after, before) {
					t.Error("the refused rename changed the lists")
				}
			}
			before := bodies(t)

			t.Run("ListNotAnArray", func(t *testing.T) {
				for _, v := range []string{`[{"url":"https://img.example.com/1.jpg"`, `{"url":"https://img.example.com/1.jpg"}`, ``} {
					if err := exec(t, `UPDATE product_details SET fotos = $1 WHERE product_id = $2`, v, first); err == nil {
						t.Errorf("the database stored fotos %q", v)
					}
				}
				restamp(t)
				if !maps.Equal(bodies(t), before) {
					t.Error("the lists changed")
				}
			})
			t.Run("PriceNotANumber", func(t *testing.T) {
				var was, wire string
				if err := db.QueryRowContext(ctx, `SELECT verkoopprijs_excl, wire FROM products WHERE id = $1`, first).Scan(&was, &wire); err != nil {
					t.Fatal(err)
				}
				if err := exec(t, `UPDATE products SET verkoopprijs_excl = 'twaalf' WHERE id = $1`, first); err != nil {
					t.Fatal(err)
				}
				restamp(t)
				if !maps.Equal(bodies(t), before) {
					t.Error("the damaged price reached the lists")
				}
				// Marked to be written again, the row stops a store
				// that opens on it, and no list sends it.
				if err := exec(t, `UPDATE products SET wire = '' WHERE id = $1`, first); err != nil {
					t.Fatal(err)
				}
				restamp(t)
				if st, err := erpserver.OpenDB(ctx, dsn); err == nil || !strings.Contains(err.Error(), "product "+strconv.FormatInt(first, 10)) {
					if err == nil {
						st.Close()
					}
					t.Errorf("opening the database with the damaged row: %v, want an error naming product %d", err, first)
				}
				broken(t, calls...)
				if err := exec(t, `UPDATE products SET verkoopprijs_excl = $1, wire = $2 WHERE id = $3`, was, wire, first); err != nil {
					t.Fatal(err)
				}
				restamp(t)
				if !maps.Equal(bodies(t), before) {
					t.Error("the repaired row does not send what it did")
				}
			})
			t.Run("IntegerNotANumber", func(t *testing.T) {
				err := exec(t, `UPDATE product_details SET merk_id = 'twaalf' WHERE product_id = $1`, first)
				switch {
				case e.Name != "sqlite" && err == nil:
					t.Error("the database stored merk_id 'twaalf'")
				case e.Name == "sqlite" && err != nil:
					t.Fatal(err)
				case e.Name == "sqlite":
					restamp(t)
					if !maps.Equal(bodies(t), before) {
						t.Error("the damaged merk_id reached the lists")
					}
					rewritten(t, before)
					if err := exec(t, `UPDATE product_details SET merk_id = NULL WHERE product_id = $1`, first); err != nil {
						t.Fatal(err)
					}
				}
			})
			t.Run("WireNotWhole", func(t *testing.T) {
				for _, c := range []struct {
					table, key, wire string
					broken           []call
				}{
					{"products", "id", `{"naam":"Hamer"`, calls},
					{"products", "id", `"naam":"Hamer"}`, calls},
					{"products", "id", ``, calls},
					{"product_details", "product_id", `,"interne_notitie":null`, []call{list06, byID}},
					{"product_details", "product_id", ``, []call{list06, byID}},
				} {
					var was string
					if err := db.QueryRowContext(ctx, `SELECT wire FROM `+c.table+` WHERE `+c.key+` = $1`, first).Scan(&was); err != nil {
						t.Fatal(err)
					}
					if err := exec(t, `UPDATE `+c.table+` SET wire = $1 WHERE `+c.key+` = $2`, c.wire, first); err != nil {
						t.Fatal(err)
					}
					restamp(t)
					broken(t, c.broken...)
					if err := exec(t, `UPDATE `+c.table+` SET wire = $1 WHERE `+c.key+` = $2`, was, first); err != nil {
						t.Fatal(err)
					}
					restamp(t)
					if !maps.Equal(bodies(t), before) {
						t.Errorf("%s.wire repaired: the lists are not what they were", c.table)
					}
				}
			})
		})
	}
}
