package erp_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// importFixture is a service on a real store with one company that holds
// one product and one client.
func importFixture(t *testing.T) *erp.Service {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	svc := erptest.Must(erp.NewService(erp.Config{Store: erptest.OpenSQLite(t), Now: func() time.Time { return now }}))(t)
	erptest.Must(svc.CreateCompany(ctx, "acme", "Acme"))(t)
	a := artikel("KEEP-1")
	erptest.Must(svc.ImportArtikels(ctx, "acme", erp.Records([]cloudspot.Artikel{a})))(t)
	erptest.Must(svc.ImportKlanten(ctx, "acme", erp.Records([]cloudspot.Klant{{Klantennummer: 1, Achternaam: "Een"}})))(t)
	return svc
}

func artikel(sku string) cloudspot.Artikel {
	return cloudspot.Artikel{Naam: "Naam " + sku, SKU: sku, VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet,
		Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar}
}

// unchanged fails unless the company still holds only the fixture's data.
func unchanged(t *testing.T, svc *erp.Service) {
	t.Helper()
	ctx := context.Background()
	token, _, err := svc.IssueCompanyToken(ctx, "acme", "check", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}
	as, err := svc.ArtikelsForToken(ctx, token)
	if err != nil || len(as) != 1 || as[0].SKU != "KEEP-1" {
		t.Errorf("a refused import changed the products: %+v (err %v)", as, err)
	}
}

// TestImportReportsEveryProblem: a file with problems in several records
// and fields is refused as a whole, and the error lists every problem with
// its record, line and key.
func TestImportReportsEveryProblem(t *testing.T) {
	t.Parallel()
	svc := importFixture(t)
	csv := "naam,SKU,voorraad_bijhouden,bestellingtype,status,BTW,product_url\n" +
		"Goed,G-1,NIET,IDEAAL,ZICHTBAAR,6,\n" + // line 2: fine
		",B-2,NIET,IDEAAL,ZICHTBAAR,6,\n" + // line 3: naam missing
		"Drie,B-3,SOMS,IDEAAL,ZICHTBAAR,200,ftp://x\n" + // line 4: three problems
		"Vier,G-1,NIET,IDEAAL,ZICHTBAAR,six,\n" // line 5: duplicate SKU, bad decimal
	_, err := svc.ImportArtikels(context.Background(), "acme", importfile.Artikels(strings.NewReader(csv), importfile.CSV))
	var ie *erp.ImportError
	if !errors.As(err, &ie) || erp.ErrorCode(err) != erp.EInvalid {
		t.Fatalf("err = %v, want an ImportError with code invalid", err)
	}
	for _, want := range []string{
		"6 problems; nothing was imported",
		"record 2 (line 3): naam: is required",
		`record 3 (line 4): voorraad_bijhouden: "SOMS" is not one of`,
		"record 3 (line 4): BTW: 200 is not a percentage",
		`record 3 (line 4): product_url: "ftp://x" is not an http or https URL`,
		`record 4 (line 5): BTW: invalid decimal "six"`,
		"record 4 (line 5): SKU: the same as record 1",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the report lacks %q:\n%v", want, err)
		}
	}
	if ie.Total != 6 || len(ie.Problems) != 6 {
		t.Errorf("total %d, listed %d; want 6 and 6", ie.Total, len(ie.Problems))
	}
	unchanged(t, svc)
}

// TestImportReportCap: a file with thousands of different problems lists
// the first ones and gives the total; the same problem in every record
// (a column left out) takes one line.
func TestImportReportCap(t *testing.T) {
	t.Parallel()
	svc := importFixture(t)
	var b strings.Builder
	b.WriteString("naam,SKU,voorraad_bijhouden,bestellingtype\n")
	const n = 3000
	for i := range n {
		fmt.Fprintf(&b, "N%d,S-%d,WRONG%d,IDEAAL\n", i, i, i) // a different value each time; status missing
	}
	_, err := svc.ImportArtikels(context.Background(), "acme", importfile.Artikels(strings.NewReader(b.String()), importfile.CSV))
	var ie *erp.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
	if ie.Total != 2*n {
		t.Errorf("total %d, want %d", ie.Total, 2*n)
	}
	if len(ie.Problems) != erp.MaxReportedProblems {
		t.Errorf("%d problems listed, want %d", len(ie.Problems), erp.MaxReportedProblems)
	}
	msg := err.Error()
	for _, want := range []string{
		fmt.Sprintf("%d problems; nothing was imported", 2*n),
		`record 1 (line 2): status: "" is not one of ZICHTBAAR, NIET_VERKOOPBAAR, GEDEACTIVEERD (and in 2999 later records)`,
		fmt.Sprintf("... and %d more", 2*n-n-(erp.MaxReportedProblems-1)),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the report lacks %q:\n%s", want, msg)
		}
	}
	if lines := strings.Count(msg, "\n"); lines != erp.MaxReportedProblems+1 {
		t.Errorf("the report has %d lines after the first, want %d", lines, erp.MaxReportedProblems+1)
	}
	unchanged(t, svc)
}

// TestImportRefusesABrokenFile: good records followed by a file that breaks
// (cut short, bad syntax) are not imported, and the error says where.
func TestImportRefusesABrokenFile(t *testing.T) {
	t.Parallel()
	svc := importFixture(t)
	good := `[{"naam": "A", "SKU": "A-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR"},` +
		`{"naam": "B", "SKU": "B-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR"}]`
	r, err := svc.ImportArtikels(context.Background(), "acme", importfile.Artikels(strings.NewReader(good), importfile.JSON))
	if err != nil || r.Created != 2 {
		t.Fatalf("the whole file: %+v, %v", r, err)
	}
	svc = importFixture(t)
	for _, cut := range []int{len(good) - 1, len(good) / 2, len(good)/2 + 30} {
		_, err := svc.ImportArtikels(context.Background(), "acme", importfile.Artikels(strings.NewReader(good[:cut]), importfile.JSON))
		if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
			t.Errorf("the file cut after %d of %d bytes: err = %v", cut, len(good), err)
		}
		unchanged(t, svc)
	}
}

// TestImportKlantenProblems: the client rules, a duplicate number and a
// birth date after the service's today, all at once.
func TestImportKlantenProblems(t *testing.T) {
	t.Parallel()
	svc := importFixture(t)
	in := `[{"klantennummer": 5, "achternaam": "Vijf", "geboortedatum": "2027-01-01"},
		{"klantennummer": 5, "achternaam": "Vijf bis", "land": "Belgie"},
		{"klantennummer": 0, "bedrijfsnaam": "Geen BV"}]`
	_, err := svc.ImportKlanten(context.Background(), "acme", importfile.Klanten(strings.NewReader(in), importfile.JSON))
	for _, want := range []string{
		"record 1 (line 1): geboortedatum: 2027-01-01 is in the future",
		"record 2 (line 2): land:",
		"record 2 (line 2): klantennummer: the same as record 1",
		"record 3 (line 3): klantennummer: must be a positive number",
		"record 3 (line 3): bedrijfsnaam: only for a company",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the report lacks %q:\n%v", want, err)
		}
	}
}

// keepFile0_6 is a product file of version 0.6: two products with details,
// one without.
const keepFile0_6 = `[
  {"naam": "Tripel", "SKU": "K-1", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 2.10, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR",
   "merk": "Westmalle", "merk_id": 4, "interne_notitie": "Intern", "categorie": "Bier", "categorieen": ["Dranken", "Bier"],
   "fotos": [{"url": "https://img.example.com/k1.jpg", "is_hoofdfoto": true}],
   "prijscategorieen": [{"label": "Horeca", "label_id": 2, "type": "VAST", "korting": 10, "verkoopprijs_excl": 1.90, "verkoopprijs_incl": 2.30}],
   "EAN": ["05411234567897"], "samenstellingen": [{"text": "Water, mout", "taal": "nl", "taal_display": "Nederlands"}],
   "ruwe_grondstoffen": [{"text": "Gerst", "taal": "nl"}], "gebruiksaanwijzingen": [{"text": "Koel", "taal": "nl"}], "meer_info": [{"text": "Abdijbier", "taal": "nl"}]},
  {"naam": "Dubbel", "SKU": "K-2", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 1.95, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR",
   "merk": "Westmalle", "categorie": "Dranken", "EAN": ["87123456"]},
  {"naam": "Glas", "SKU": "K-3", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 5, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR"}
]`

// TestImportKeepsDetails: a file without the details' keys, JSON or CSV,
// updates what it has and leaves every product's details as they were, and
// says how many products kept theirs; a record with one such key replaces
// all of them.
func TestImportKeepsDetails(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		erptest.Must(w.svc.CreateCompany(ctx, "keep", "Keep BV"))(t)
		erptest.Must(w.svc.ImportCategorieen(ctx, "keep", erp.Records(cats("Dranken", "Dranken/Bier"))))(t)
		token, _, err := w.svc.IssueCompanyToken(ctx, "keep", "check", erp.Rights{Artikels: true})
		if err != nil {
			t.Fatal(err)
		}
		read := func() map[string]cloudspot.Artikel {
			t.Helper()
			out := map[string]cloudspot.Artikel{}
			for _, a := range erptest.Must(w.svc.ArtikelsForToken(ctx, token))(t) {
				out[a.SKU] = a
			}
			return out
		}
		imp := func(in string, f importfile.Format) erp.ImportResult {
			t.Helper()
			return erptest.Must(w.svc.ImportArtikels(ctx, "keep", importfile.Artikels(strings.NewReader(in), f)))(t)
		}
		if r := imp(keepFile0_6, importfile.JSON); r != (erp.ImportResult{Created: 3}) {
			t.Fatalf("the 0.6 file: %+v", r)
		}
		before := read()
		if before["K-1"].Merk != "Westmalle" || len(before["K-1"].Categorieen) != 2 || len(before["K-2"].EAN) != 1 {
			t.Fatalf("the 0.6 file was not stored as written: %+v", before)
		}
		repriced := func(p map[string]cloudspot.Artikel, prices map[string]string) map[string]cloudspot.Artikel {
			out := map[string]cloudspot.Artikel{}
			for sku, a := range p {
				if s, ok := prices[sku]; ok {
					a.VerkoopprijsExcl = cloudspot.MustParseDecimal(s)
				}
				out[sku] = a
			}
			return out
		}
		decimals := cmp.Comparer(func(a, b cloudspot.Decimal) bool { return a.String() == b.String() })

		// CSV of the protocol's columns alone.
		csvProtocol := "naam;SKU;voorraad_bijhouden;verkoopprijs_excl;BTW;bestellingtype;status\n" +
			"Tripel;K-1;NIET;2,40;21;IDEAAL;ZICHTBAAR\nDubbel;K-2;NIET;2,15;21;IDEAAL;ZICHTBAAR\nGlas;K-3;NIET;5,50;21;IDEAAL;ZICHTBAAR\n"
		if r := imp(csvProtocol, importfile.CSV); r != (erp.ImportResult{Updated: 3, Kept: 2}) {
			t.Errorf("the CSV of the protocol's keys: %+v, want 3 updated, 2 of them keeping their details", r)
		}
		want := repriced(before, map[string]string{"K-1": "2.40", "K-2": "2.15", "K-3": "5.50"})
		if d := cmp.Diff(want, read(), decimals); d != "" {
			t.Errorf("after the CSV of the protocol's keys (-want +got):\n%s", d)
		}
		audit := erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditImportArtikels}))(t)
		if got := audit[len(audit)-1].Detail; got != "company keep: 0 created, 3 updated, 2 of them keeping their data of API version 0.6" {
			t.Errorf("audit detail %q", got)
		}

		// JSON: a record without the keys keeps; one with a single key
		// (EAN) replaces all of the details with it; a null key clears.
		jsonMixed := `[{"naam": "Tripel", "SKU": "K-1", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 2.50, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR"},
		  {"naam": "Dubbel", "SKU": "K-2", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 2.15, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "EAN": ["12345670"]}]`
		if r := imp(jsonMixed, importfile.JSON); r != (erp.ImportResult{Updated: 2, Kept: 1}) {
			t.Errorf("the mixed JSON: %+v, want 2 updated, 1 keeping", r)
		}
		want = repriced(want, map[string]string{"K-1": "2.50"})
		k2 := want["K-2"]
		k2.Merk, k2.Categorie, k2.CategorieID, k2.Categorieen, k2.EAN = "", "", 0, nil, []string{"12345670"}
		want["K-2"] = k2
		if d := cmp.Diff(want, read(), decimals, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("after the mixed JSON (-want +got):\n%s", d)
		}
		jsonNull := `[{"naam": "Tripel", "SKU": "K-1", "voorraad_bijhouden": "NIET", "verkoopprijs_excl": 2.50, "BTW": 21, "bestellingtype": "IDEAAL", "status": "ZICHTBAAR", "meer_info": null}]`
		if r := imp(jsonNull, importfile.JSON); r != (erp.ImportResult{Updated: 1}) {
			t.Errorf("a record with a null detail: %+v, want 1 updated, none keeping", r)
		}
		if got := read()["K-1"]; got.Merk != "" || len(got.Fotos) != 0 || len(got.Categorieen) != 0 || got.CategorieID != 0 {
			t.Errorf("a record with a null detail left details: %+v", got)
		}
	})
}

// TestRequiredKeys: the keys no record can do without are the ones the
// checks blame on an empty record; the CSV header check and the template
// name them from here.
func TestRequiredKeys(t *testing.T) {
	t.Parallel()
	if got, want := erp.RequiredArtikelKeys(), []string{"naam", "SKU", "voorraad_bijhouden", "bestellingtype", "status"}; !slices.Equal(got, want) {
		t.Errorf("RequiredArtikelKeys() = %q, want %q", got, want)
	}
	if got, want := erp.RequiredKlantKeys(), []string{"klantennummer"}; !slices.Equal(got, want) {
		t.Errorf("RequiredKlantKeys() = %q, want %q", got, want)
	}
}
