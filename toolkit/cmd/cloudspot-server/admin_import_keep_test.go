package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestAdminImportKeepsProductDetails: on the built binary and each engine,
// a product file of API version 0.6 and then a CSV of the protocol's
// columns alone, as a price update reads: the prices change and every
// product keeps its details (the data of 0.6), as the server then serves
// them in 0.6; the import says so. A CSV with one column of 0.6 then
// replaces all of them.
func TestAdminImportKeepsProductDetails(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			a := &adminRun{t: t, bin: bin, db: e.DB(t)}
			dir := t.TempDir()
			file := func(name, content string) string {
				p := filepath.Join(dir, name)
				writeFile(t, p, content)
				return p
			}
			a.ok("", "company", "create", "acme", "--name", "Acme BV")
			a.ok("", "import", "categorieen", "--company", "acme", file("categorieen.csv", "categorie\nDranken\nDranken/Bier\n"))
			out := a.ok("", "import", "artikels", "--company", "acme", file("artikels.json", `[
  {"naam": "Tripel", "SKU": "K-1", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": "2.10", "verkoopprijs_incl": "2.54",
   "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR",
   "interne_notitie": "Intern", "merk": "Westmalle", "merk_id": 4, "categorie": "Bier", "categorieen": ["Dranken", {"naam": "Bier"}],
   "fotos": [{"url": "https://img.example.com/k1.jpg", "is_hoofdfoto": true}],
   "prijscategorieen": [{"label": "Horeca", "label_id": 2, "type": "VAST", "korting": 10, "verkoopprijs_excl": "1.90", "verkoopprijs_incl": "2.30"}],
   "EAN": ["05411234567897"], "samenstellingen": [{"text": "Water, mout", "taal": "nl", "taal_display": "Nederlands"}],
   "ruwe_grondstoffen": [{"text": "Gerst", "taal": "nl"}], "gebruiksaanwijzingen": [{"text": "Koel", "taal": "nl"}],
   "meer_info": [{"text": "Abdijbier", "taal": "nl"}]},
  {"naam": "Dubbel", "SKU": "K-2", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": "1.95", "verkoopprijs_incl": "2.36",
   "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "merk": "Westmalle", "categorie_id": 1, "EAN": ["87123456"]}
]`))
			if want := "imported artikels into acme: 2 created, 0 updated\n"; out != want {
				t.Errorf("the 0.6 file: %q, want %q", out, want)
			}
			secret := strings.TrimSpace(a.ok("", "token", "create", "--company", "acme", "--name", "shop", "--rights", "artikels"))
			srv := erptest.StartProcess(t, bin, "--db", a.db)
			// The bodies compared without their white space: keys, their
			// order and the numbers' digits as sent.
			compact := func(body []byte) string {
				t.Helper()
				var b bytes.Buffer
				if err := json.Compact(&b, body); err != nil {
					t.Fatal(err)
				}
				return b.String()
			}
			read := func() string {
				t.Helper()
				return compact(getBody(t, srv.URL+"/artikels/", secret, "0.6"))
			}

			out = a.ok("", "import", "artikels", "--company", "acme", file("prijzen.csv",
				"naam;beschrijving;SKU;voorraad_bijhouden;op_voorraad;product_url;verkoopprijs_excl;verkoopprijs_incl;inkoopprijs_excl;inkoopprijs_incl;BTW;bestellingtype;units_per_bestelling;status\n"+
					"Tripel;;K-1;NIET;;;2,40;2,90;;;21;IDEAAL;;ZICHTBAAR\n"+
					"Dubbel;;K-2;NIET;;;2,15;2,60;;;21;IDEAAL;;ZICHTBAAR\n"))
			if want := "imported artikels into acme: 0 created, 2 updated (2 kept their data of API version 0.6: their records have none of that version's keys)\n"; out != want {
				t.Errorf("the protocol's CSV: %q, want %q", out, want)
			}
			if got, want := read(), compact([]byte(keptBody)); got != want {
				t.Errorf("GET /artikels/ in 0.6 after the protocol's CSV:\n%s\nwant\n%s", got, want)
			}

			// One column of 0.6 (EAN) in the file: it replaces all of that data.
			out = a.ok("", "import", "artikels", "--company", "acme", file("ean.csv",
				"naam,SKU,voorraad_bijhouden,verkoopprijs_excl,BTW,bestellingtype,status,EAN\nTripel,K-1,NIET,\"2,40\",21,IDEAAL,ZICHTBAAR,\nDubbel,K-2,NIET,\"2,15\",21,IDEAAL,ZICHTBAAR,12345670|87123456\n"))
			if want := "imported artikels into acme: 0 created, 2 updated\n"; out != want {
				t.Errorf("a CSV with an EAN column: %q, want %q", out, want)
			}
			if got, want := read(), compact([]byte(replacedBody)); got != want {
				t.Errorf("GET /artikels/ in 0.6 after a CSV with an EAN column:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// keptBody is the 0.6 list after the protocol's CSV: its prices, and the
// data of 0.6 that the first file gave.
const keptBody = `{"data": [
 {"id": 1, "naam": "Tripel", "beschrijving": null, "SKU": "K-1", "voorraad_bijhouden": "NIET", "op_voorraad": null, "product_url": null,
  "verkoopprijs_excl": 2.40, "verkoopprijs_incl": 2.90, "inkoopprijs_excl": null, "inkoopprijs_incl": null, "BTW": 21,
  "bestellingtype": "IDEAAL", "units_per_bestelling": null, "status": "ZICHTBAAR",
  "interne_notitie": "Intern", "merk": "Westmalle", "merk_id": 4, "categorie": "Bier", "categorie_id": 2,
  "categorieen": [{"id": 1, "naam": "Dranken"}, {"id": 2, "naam": "Bier"}],
  "fotos": [{"url": "https://img.example.com/k1.jpg", "is_hoofdfoto": true}],
  "prijscategorieen": [{"label": "Horeca", "label_id": 2, "type": "VAST", "korting": 10, "verkoopprijs_excl": 1.90, "verkoopprijs_incl": 2.30}],
  "EAN": ["05411234567897"],
  "samenstellingen": [{"text": "Water, mout", "taal": "nl", "taal_display": "Nederlands"}],
  "ruwe_grondstoffen": [{"text": "Gerst", "taal": "nl", "taal_display": null}],
  "gebruiksaanwijzingen": [{"text": "Koel", "taal": "nl", "taal_display": null}],
  "meer_info": [{"text": "Abdijbier", "taal": "nl", "taal_display": null}]},
 {"id": 2, "naam": "Dubbel", "beschrijving": null, "SKU": "K-2", "voorraad_bijhouden": "NIET", "op_voorraad": null, "product_url": null,
  "verkoopprijs_excl": 2.15, "verkoopprijs_incl": 2.60, "inkoopprijs_excl": null, "inkoopprijs_incl": null, "BTW": 21,
  "bestellingtype": "IDEAAL", "units_per_bestelling": null, "status": "ZICHTBAAR",
  "interne_notitie": null, "merk": "Westmalle", "merk_id": null, "categorie": "Dranken", "categorie_id": 1,
  "categorieen": [], "fotos": [], "prijscategorieen": [], "EAN": ["87123456"],
  "samenstellingen": [], "ruwe_grondstoffen": [], "gebruiksaanwijzingen": [], "meer_info": []}
]}`

// replacedBody is the 0.6 list after a CSV with an EAN column: the first
// product's cell is empty, the second's has two codes.
const replacedBody = `{"data": [
 {"id": 1, "naam": "Tripel", "beschrijving": null, "SKU": "K-1", "voorraad_bijhouden": "NIET", "op_voorraad": null, "product_url": null,
  "verkoopprijs_excl": 2.40, "verkoopprijs_incl": null, "inkoopprijs_excl": null, "inkoopprijs_incl": null, "BTW": 21,
  "bestellingtype": "IDEAAL", "units_per_bestelling": null, "status": "ZICHTBAAR",
  "interne_notitie": null, "merk": null, "merk_id": null, "categorie": null, "categorie_id": null,
  "categorieen": [], "fotos": [], "prijscategorieen": [], "EAN": [],
  "samenstellingen": [], "ruwe_grondstoffen": [], "gebruiksaanwijzingen": [], "meer_info": []},
 {"id": 2, "naam": "Dubbel", "beschrijving": null, "SKU": "K-2", "voorraad_bijhouden": "NIET", "op_voorraad": null, "product_url": null,
  "verkoopprijs_excl": 2.15, "verkoopprijs_incl": null, "inkoopprijs_excl": null, "inkoopprijs_incl": null, "BTW": 21,
  "bestellingtype": "IDEAAL", "units_per_bestelling": null, "status": "ZICHTBAAR",
  "interne_notitie": null, "merk": null, "merk_id": null, "categorie": null, "categorie_id": null,
  "categorieen": [], "fotos": [], "prijscategorieen": [], "EAN": ["12345670", "87123456"],
  "samenstellingen": [], "ruwe_grondstoffen": [], "gebruiksaanwijzingen": [], "meer_info": []}
]}`
