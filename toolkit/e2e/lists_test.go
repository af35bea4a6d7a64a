package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestListsNeverStale: servers keep each list's body for as long as its
// company's catalogue does not change, so a change made anywhere must be in
// the very next list of every server: an import, a rename and a deletion of
// a category, each made by another process (this test's own store) while
// both servers (on PostgreSQL; one on SQLite) hold the list from before and
// a list is being read from each. A list read across the change is entirely
// the old data or entirely the new.
func TestListsNeverStale(t *testing.T) {
	t.Parallel()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			db := e.DB(t)
			srv := erptest.Start(t, erptest.Options{Demo: true, Process: true, DB: db})
			urls := []string{srv.URL}
			if e.Name == "postgres" {
				urls = append(urls, erptest.StartProcess(t, erptest.Build(t, "./cmd/cloudspot-server"), "--db", db).URL)
			}
			ctx := context.Background()
			svc := srv.Service
			// Enough products that a list is far larger than what the
			// sockets hold, so that a list read across a change is still
			// being sent when the change commits.
			var many []cloudspot.Artikel
			for i := range 3000 {
				many = append(many, cloudspot.Artikel{Naam: fmt.Sprintf("Voorraadartikel %d met een lange naam", i), SKU: fmt.Sprintf("VRD-%05d", i),
					Beschrijving: strings.Repeat("Een beschrijving die de lijst groot maakt. ", 10), VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek,
					Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar, Categorie: "Capsules"})
			}
			erptest.Must(svc.ImportArtikels(ctx, demo.Company, erp.Records(many)))(t)
			co := erptest.Must(srv.Store.CompanyBySlug(ctx, demo.Company))(t)
			capsules := int64(0)
			for _, c := range erptest.Must(srv.Store.Categorieen(ctx, co.ID))(t) {
				if c.Naam == "Capsules" {
					capsules = c.ID
				}
			}
			if capsules == 0 {
				t.Fatal("the demo has no category Capsules")
			}

			for _, change := range []struct {
				name string
				make func(t *testing.T)
				// seen reports whether a 0.6 list body shows the change.
				seen func(body []byte) bool
			}{
				{"Import", func(t *testing.T) {
					erptest.Must(svc.ImportArtikels(ctx, demo.Company, erp.Records([]cloudspot.Artikel{{Naam: "Nieuw", SKU: "NIEUW-1",
						VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet, Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar}})))(t)
				}, func(body []byte) bool { return bytes.Contains(body, []byte(`"SKU":"NIEUW-1"`)) }},
				{"Rename", func(t *testing.T) {
					if err := svc.RenameCategorie(ctx, demo.Company, capsules, "Capsules hernoemd"); err != nil {
						t.Fatal(err)
					}
				}, func(body []byte) bool {
					return bytes.Contains(body, []byte(`"naam":"Capsules hernoemd"`)) && !bytes.Contains(body, []byte(`"Capsules"`))
				}},
				{"Delete", func(t *testing.T) {
					erptest.Must(svc.DeleteCategorie(ctx, demo.Company, capsules, true))(t)
				}, func(body []byte) bool { return !bytes.Contains(body, []byte(`"Capsules hernoemd"`)) }},
			} {
				t.Run(change.name, func(t *testing.T) {
					old := make([][]byte, len(urls))
					for i, u := range urls {
						old[i] = list(t, u)
						if change.seen(old[i]) {
							t.Fatalf("server %d shows the change before it was made", i)
						}
						if i > 0 && !bytes.Equal(old[i], old[0]) {
							t.Fatalf("the servers send different lists before the change")
						}
					}
					// A list on each server, its first bytes read, the
					// rest read once the change committed.
					open := make([]*http.Response, len(urls))
					heads := make([][]byte, len(urls))
					for i, u := range urls {
						open[i] = request(t, u)
						heads[i] = make([]byte, 4096)
						if _, err := io.ReadFull(open[i].Body, heads[i]); err != nil {
							t.Fatal(err)
						}
					}
					change.make(t)
					for i, resp := range open {
						rest, err := io.ReadAll(resp.Body)
						resp.Body.Close()
						if err != nil {
							t.Fatalf("server %d: reading the list across the change: %v", i, err)
						}
						across := append(heads[i], rest...)
						if !bytes.Equal(across, old[i]) && !bytes.Equal(across, list(t, urls[i])) {
							t.Errorf("server %d: the list read across the change is neither the old data nor the new (%d bytes)", i, len(across))
						}
					}
					for i, u := range urls {
						if now := list(t, u); !change.seen(now) {
							t.Errorf("server %d: the very next list does not show the change", i)
						}
					}
				})
			}
		})
	}
}

// request asks for a company's products in version 0.6 with the demo's
// token and returns the response, its body unread.
func request(t *testing.T, base string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/artikels/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-ERP-TOKEN", demo.CompanyToken)
	req.Header.Set("X-Cloudspot-API-Version", "0.6")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		t.Fatalf("GET %s/artikels/: %s", base, resp.Status)
	}
	return resp
}

// list reads a company's products in version 0.6.
func list(t *testing.T, base string) []byte {
	t.Helper()
	resp := request(t, base)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}
