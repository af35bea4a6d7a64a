package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// catalogueTests hold erp.CatalogueStore to its rules: a company's products
// with their details and its clients, imported all or nothing, listed and
// streamed.
var catalogueTests = []test{
	{"ImportArtikels", testImportArtikels},
	{"ImportArtikelsAllOrNothing", testImportArtikelsAllOrNothing},
	{"ImportKlanten", testImportKlanten},
	{"ImportKlantenAllOrNothing", testImportKlantenAllOrNothing},
	{"CompanyIsolation", testCompanyIsolation},
	{"TextEveryEngineStores", testCatalogueText},
	{"ConcurrentImports", testConcurrentImports},
	{"ProductDetails", testProductDetails},
	{"ImportKeepsDetails", testImportKeepsDetails},
	{"CatalogueStamps", testCatalogueStamps},
	{"ImportRepeatedKeys", testImportRepeatedKeys},
	{"ImportManyBatches", testImportManyBatches},
}

func dec(s string) cloudspot.Decimal { return cloudspot.MustParseDecimal(s) }

func artikel(sku, naam string) cloudspot.Artikel {
	return cloudspot.Artikel{
		Naam: naam, Beschrijving: "Beschrijving van " + naam + " — met “quotes” & ü", SKU: sku,
		VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek, OpVoorraad: dec("12.000"), ProductURL: "https://example.com/p/" + sku,
		VerkoopprijsExcl: dec("10.50"), VerkoopprijsIncl: dec("12.7050"), InkoopprijsExcl: dec("0.10"), InkoopprijsIncl: dec("-0"),
		BTW: dec("21"), Bestellingtype: cloudspot.BestellingtypeBestelling, UnitsPerBestelling: dec("0.5"), Status: cloudspot.ArtikelStatusZichtbaar,
	}
}

func klant(nr int64, naam string) cloudspot.Klant {
	return cloudspot.Klant{
		Klantennummer: nr, Aanspreektitel: cloudspot.AanspreektitelMevrouw, Voornaam: naam, Achternaam: "Müller",
		Straat: "Grote Markt", Huisnummer: "1", Busnummer: "b2", Postcode: "1000", Plaats: "Brussel", Land: "BE",
		Geboortedatum: cloudspot.Date{Year: 1980, Month: 2, Day: 29}, Geboorteplaats: "Liège",
		IsBedrijf: true, Bedrijfsnaam: "Ça Va Traiteur SRL", BTWNummer: "BE0123456789", Ondernemingsnummer: "0123.456.789",
	}
}

// wire compares by what a client receives: the JSON of the records, where
// decimals keep their scale.
func wire(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func artikels(t *testing.T, st erp.CatalogueStore, companyID int64) []cloudspot.Artikel {
	t.Helper()
	out := []cloudspot.Artikel{}
	for _, p := range erptest.Must(st.Artikels(ctx, companyID))(t) {
		if p.CompanyID != companyID {
			t.Fatalf("product %d of company %d listed for company %d", p.ID, p.CompanyID, companyID)
		}
		out = append(out, p.Artikel)
	}
	return out
}

func klanten(t *testing.T, st erp.CatalogueStore, companyID int64) []cloudspot.Klant {
	t.Helper()
	out := []cloudspot.Klant{}
	for _, c := range erptest.Must(st.Klanten(ctx, companyID))(t) {
		if c.CompanyID != companyID {
			t.Fatalf("client %d of company %d listed for company %d", c.ID, c.CompanyID, companyID)
		}
		out = append(out, c.Klant)
	}
	return out
}

// wantResult checks an import of records that keep nothing (see
// testImportKeepsDetails for those that do).
func wantResult(t *testing.T, got erp.ImportResult, created, updated int) {
	t.Helper()
	if want := (erp.ImportResult{Created: created, Updated: updated}); got != want {
		t.Errorf("import result %+v, want %+v", got, want)
	}
}

func testImportArtikels(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	if ps := erptest.Must(st.Artikels(ctx, f.company.ID))(t); len(ps) != 0 || ps == nil {
		t.Fatalf("Products without products = %#v, want an empty, non-nil list", ps)
	}
	first := []cloudspot.Artikel{artikel("B-2", "Bravo"), artikel("A-1", "Alpha"), artikel("C-3", "Charlie")}
	first[2].VoorraadBijhouden, first[2].OpVoorraad, first[2].Status = cloudspot.VoorraadBijhoudenNiet, cloudspot.Decimal{}, cloudspot.ArtikelStatusGedeactiveerd
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(first)))(t), 3, 0)
	if got, want := wire(t, artikels(t, st, f.company.ID)), wire(t, first); got != want {
		t.Fatalf("products read back\n%s\nwant (in creation order)\n%s", got, want)
	}

	changed := artikel("A-1", "Alpha v2")
	changed.VerkoopprijsExcl = dec("11.00")
	second := []cloudspot.Artikel{artikel("D-4", "Delta"), changed}
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(second)))(t), 1, 1)
	// An update keeps the product's place.
	want := []cloudspot.Artikel{first[0], changed, first[2], second[0]}
	if got := wire(t, artikels(t, st, f.company.ID)); got != wire(t, want) {
		t.Errorf("after an update:\n%s\nwant\n%s", got, wire(t, want))
	}
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(nil)))(t), 0, 0)
	_, err := st.ImportArtikels(ctx, f.company.ID+100, erp.ArtikelImports(first))
	wantCode(t, "importing into a missing company", err, erp.ENotFound)
}

func testImportArtikelsAllOrNothing(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	before := []cloudspot.Artikel{artikel("A-1", "Alpha")}
	erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(before)))(t)
	bad := artikel("X-9", "Broken \xff text")
	_, err := st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("A-1", "Alpha changed"), artikel("B-2", "Bravo"), bad}))
	wantCode(t, "an import with a bad record", err, erp.EInvalid)
	if got := wire(t, artikels(t, st, f.company.ID)); got != wire(t, before) {
		t.Errorf("a failed import changed the products:\n%s\nwant\n%s", got, wire(t, before))
	}
	// A sequence that ends with an error, as a file that turns out bad
	// after some good records does, changes nothing either.
	refused := errors.New("the file was cut short")
	cut := func(yield func(erp.ArtikelImport, error) bool) {
		_ = yield(erp.ArtikelImport{Artikel: artikel("A-1", "Alpha changed")}, nil) && yield(erp.ArtikelImport{Artikel: artikel("B-2", "Bravo")}, nil) &&
			yield(erp.ArtikelImport{}, refused)
	}
	if _, err := st.ImportArtikels(ctx, f.company.ID, cut); !errors.Is(err, refused) {
		t.Errorf("an import whose records end with an error: err = %v, want that error", err)
	}
	if got := wire(t, artikels(t, st, f.company.ID)); got != wire(t, before) {
		t.Errorf("an import whose records end with an error changed the products:\n%s\nwant\n%s", got, wire(t, before))
	}
}

func testImportKlanten(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	if cs := erptest.Must(st.Klanten(ctx, f.company.ID))(t); len(cs) != 0 || cs == nil {
		t.Fatalf("Clients without clients = %#v, want an empty, non-nil list", cs)
	}
	big := klant(9_000_000_000, "Groot") // beyond 32 bits
	person := klant(7, "Jan")
	person.IsBedrijf, person.Bedrijfsnaam, person.BTWNummer, person.Ondernemingsnummer = false, "", "", ""
	person.Geboortedatum, person.Aanspreektitel = cloudspot.Date{}, cloudspot.AanspreektitelMijnheer
	wantResult(t, erptest.Must(st.ImportKlanten(ctx, f.company.ID, erp.Each([]cloudspot.Klant{big, person, klant(12, "Françoise")})))(t), 3, 0)
	want := []cloudspot.Klant{person, klant(12, "Françoise"), big} // by client number
	if got := wire(t, klanten(t, st, f.company.ID)); got != wire(t, want) {
		t.Fatalf("clients read back\n%s\nwant\n%s", got, wire(t, want))
	}
	moved := klant(12, "Françoise")
	moved.Plaats, moved.Geboortedatum = "Namen", cloudspot.Date{Year: 2001, Month: 12, Day: 31}
	wantResult(t, erptest.Must(st.ImportKlanten(ctx, f.company.ID, erp.Each([]cloudspot.Klant{moved, klant(3, "Drie")})))(t), 1, 1)
	want = []cloudspot.Klant{klant(3, "Drie"), person, moved, big}
	if got := wire(t, klanten(t, st, f.company.ID)); got != wire(t, want) {
		t.Errorf("after an update:\n%s\nwant\n%s", got, wire(t, want))
	}
	_, err := st.ImportKlanten(ctx, f.company.ID+100, erp.Each(want))
	wantCode(t, "importing into a missing company", err, erp.ENotFound)
}

func testImportKlantenAllOrNothing(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	before := []cloudspot.Klant{klant(1, "Een")}
	erptest.Must(st.ImportKlanten(ctx, f.company.ID, erp.Each(before)))(t)
	_, err := st.ImportKlanten(ctx, f.company.ID, erp.Each([]cloudspot.Klant{klant(1, "Een bis"), klant(2, "Twee"), klant(3, "Nul\x00byte")}))
	wantCode(t, "an import with a bad record", err, erp.EInvalid)
	if got := wire(t, klanten(t, st, f.company.ID)); got != wire(t, before) {
		t.Errorf("a failed import changed the clients:\n%s\nwant\n%s", got, wire(t, before))
	}
}

func testCompanyIsolation(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	b := newFixture(t, st, "globex")
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("SKU-1", "Acme's")})))(t), 1, 0)
	// The same SKU and client number in another company are other records.
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, b.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("SKU-1", "Globex's"), artikel("SKU-2", "Two")})))(t), 2, 0)
	wantResult(t, erptest.Must(st.ImportKlanten(ctx, a.company.ID, erp.Each([]cloudspot.Klant{klant(1, "Acme's")})))(t), 1, 0)
	wantResult(t, erptest.Must(st.ImportKlanten(ctx, b.company.ID, erp.Each([]cloudspot.Klant{klant(1, "Globex's")})))(t), 1, 0)
	if ps := artikels(t, st, a.company.ID); len(ps) != 1 || ps[0].Naam != "Acme's" {
		t.Errorf("acme's products = %+v", ps)
	}
	if ps := artikels(t, st, b.company.ID); len(ps) != 2 || ps[0].Naam != "Globex's" {
		t.Errorf("globex's products = %+v", ps)
	}
	if cs := klanten(t, st, a.company.ID); len(cs) != 1 || cs[0].Voornaam != "Acme's" {
		t.Errorf("acme's clients = %+v", cs)
	}
	if cs := klanten(t, st, b.company.ID); len(cs) != 1 || cs[0].Voornaam != "Globex's" {
		t.Errorf("globex's clients = %+v", cs)
	}
	// One product by id: only within its own company.
	globex := erptest.Must(st.Artikels(ctx, b.company.ID))(t)
	p := erptest.Must(st.Artikel(ctx, b.company.ID, globex[1].ID))(t)
	if p.ID != globex[1].ID || p.CompanyID != b.company.ID || wire(t, p.Artikel) != wire(t, artikel("SKU-2", "Two")) {
		t.Errorf("Product(globex, %d) = %+v", globex[1].ID, p)
	}
	if _, err := st.Artikel(ctx, a.company.ID, globex[1].ID); erp.ErrorCode(err) != erp.ENotFound {
		t.Errorf("acme reading globex's product by id: err = %v, want ENotFound", err)
	}
	if _, err := st.Artikel(ctx, b.company.ID, 1<<40); erp.ErrorCode(err) != erp.ENotFound {
		t.Errorf("a product id that does not exist: err = %v, want ENotFound", err)
	}
}

// testCatalogueText: text that every engine stores, however unusual,
// reads back as it was written.
func testCatalogueText(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	odd := "Emoji 🍕, combining e\u0301, RTL \u05d0, tab\tand newline\n"
	p := artikel("ODD", odd)
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports([]cloudspot.Artikel{p})))(t), 1, 0)
	if got := artikels(t, st, f.company.ID); !reflect.DeepEqual(got[0].Naam, odd) {
		t.Errorf("name read back as %q, want %q", got[0].Naam, odd)
	}
}

// testConcurrentImports imports the same records several times at once:
// each record is created exactly once and counted created exactly once.
func testConcurrentImports(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	const runs, records = 4, 20
	var ps []cloudspot.Artikel
	var ks []cloudspot.Klant
	for i := range records {
		ps = append(ps, artikel(fmt.Sprintf("SKU-%02d", i), fmt.Sprint("Product ", i)))
		ks = append(ks, klant(int64(i+1), fmt.Sprint("Klant ", i)))
	}
	var mu sync.Mutex
	var total erp.ImportResult
	errs := parallel(2*runs, func(i int) error {
		var r erp.ImportResult
		var err error
		if i%2 == 0 {
			r, err = st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(ps))
		} else {
			r, err = st.ImportKlanten(ctx, f.company.ID, erp.Each(ks))
		}
		mu.Lock()
		total.Created += r.Created
		total.Updated += r.Updated
		mu.Unlock()
		return err
	})
	for _, err := range errs {
		check(t, err)
	}
	wantResult(t, total, 2*records, 2*(runs-1)*records)
	if n := len(erptest.Must(st.Artikels(ctx, f.company.ID))(t)); n != records {
		t.Errorf("%d products, want %d", n, records)
	}
	if n := len(erptest.Must(st.Klanten(ctx, f.company.ID))(t)); n != records {
		t.Errorf("%d clients, want %d", n, records)
	}
}

// detailedArtikel is a product with every detail set.
func detailedArtikel(sku string, main int64, cats ...int64) cloudspot.Artikel {
	a := artikel(sku, "Rijk "+sku)
	a.InterneNotitie, a.Merk, a.MerkID, a.CategorieID = "Niet voor klanten & <intern>", "Brouwerij “De Ster”", 7, main
	for _, id := range cats {
		a.Categorieen = append(a.Categorieen, cloudspot.CategorieRef{ID: id})
	}
	a.Fotos = []cloudspot.Foto{{URL: "https://img.example.com/" + sku + ".jpg", IsHoofdfoto: true}, {URL: "https://img.example.com/2.jpg"}}
	a.Prijscategorieen = []cloudspot.Prijscategorie{
		{Label: "Horeca", LabelID: 2, Type: "VAST", Korting: dec("10"), VerkoopprijsExcl: dec("9.50"), VerkoopprijsIncl: dec("11.495")},
		{}, // every value unset
	}
	a.EAN = []string{"05411234567890", "12345678"}
	a.Samenstellingen = []cloudspot.Translation{{Text: "Water, mout, hop", Taal: "nl", TaalDisplay: "Nederlands"}, {Text: "Eau\nmalt", Taal: "fr"}}
	a.RuweGrondstoffen = []cloudspot.Translation{{Text: "Gerst", Taal: "nl"}}
	a.Gebruiksaanwijzingen = []cloudspot.Translation{{Text: "Koel bewaren", Taal: "nl"}}
	a.MeerInfo = []cloudspot.Translation{{Text: "🍺", Taal: "en", TaalDisplay: "English"}}
	return a
}

// full shows every field of products, decimals with their scale, so that
// details are compared too (the models' JSON has only the
// protocol's keys).
func full(as ...cloudspot.Artikel) string { return fmt.Sprintf("%+v", as) }

// named fills in the names a store reads back for a product's categories.
func named(a cloudspot.Artikel, names map[int64]string) cloudspot.Artikel {
	a.Categorie = names[a.CategorieID]
	a.Categorieen = slices.Clone(a.Categorieen)
	for i := range a.Categorieen {
		a.Categorieen[i].Naam = names[a.Categorieen[i].ID]
	}
	return a
}

func testProductDetails(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	b := newFixture(t, st, "globex")
	wantResult(t, erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier")})))(t), 2, 0)
	erptest.Must(st.ImportCategorieen(ctx, b.company.ID, erp.Each([]erp.NewCategorie{cat("Vreemd")})))(t)
	dranken, bier := categoryID(t, st, a.company.ID, "Dranken"), categoryID(t, st, a.company.ID, "Bier")
	theirs := categoryID(t, st, b.company.ID, "Vreemd")
	names := map[int64]string{dranken: "Dranken", bier: "Bier"}

	detailed := detailedArtikel("R-1", bier, dranken, bier) // not in the order of their names
	plain := artikel("P-1", "Plain")
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{detailed, plain})))(t), 2, 0)
	if got, want := full(artikels(t, st, a.company.ID)...), full(named(detailed, names), plain); got != want {
		t.Fatalf("products read back\n%s\nwant\n%s", got, want)
	}
	ps := erptest.Must(st.Artikels(ctx, a.company.ID))(t)
	one := erptest.Must(st.Artikel(ctx, a.company.ID, ps[0].ID))(t)
	if got, want := full(one.Artikel), full(named(detailed, names)); got != want {
		t.Errorf("one product read back\n%s\nwant\n%s", got, want)
	}

	// The lists as stored: each product's wire JSON, the details' keys
	// after the protocol's in version 0.6, literal.
	rows := listRows(t, st, a.company.ID, erp.DetailedArtikelsBody)
	if len(rows) != 2 {
		t.Fatalf("streamed %d rows, want 2", len(rows))
	}
	wantDetails := fmt.Sprintf(`,"interne_notitie":"Niet voor klanten \u0026 \u003cintern\u003e","merk":"Brouwerij “De Ster”","merk_id":7,`+
		`"categorie":"Bier","categorie_id":%d,"categorieen":[{"id":%d,"naam":"Dranken"},{"id":%d,"naam":"Bier"}],`+
		`"fotos":[{"url":"https://img.example.com/R-1.jpg","is_hoofdfoto":true},{"url":"https://img.example.com/2.jpg","is_hoofdfoto":false}],`+
		`"prijscategorieen":[{"label":"Horeca","label_id":2,"type":"VAST","korting":10,"verkoopprijs_excl":9.50,"verkoopprijs_incl":11.495},`+
		`{"label":null,"label_id":null,"type":null,"korting":null,"verkoopprijs_excl":null,"verkoopprijs_incl":null}],`+
		`"EAN":["05411234567890","12345678"],`+
		`"samenstellingen":[{"text":"Water, mout, hop","taal":"nl","taal_display":"Nederlands"},{"text":"Eau\nmalt","taal":"fr","taal_display":null}],`+
		`"ruwe_grondstoffen":[{"text":"Gerst","taal":"nl","taal_display":null}],`+
		`"gebruiksaanwijzingen":[{"text":"Koel bewaren","taal":"nl","taal_display":null}],`+
		`"meer_info":[{"text":"🍺","taal":"en","taal_display":"English"}]}`, bier, dranken, bier)
	if prefix := fmt.Sprintf(`{"id":%d,"naam":"Rijk R-1",`, ps[0].ID); !strings.HasPrefix(rows[0], prefix) || !strings.HasSuffix(rows[0], wantDetails) {
		t.Errorf("streamed product with details\n%s\nwant it to start with %s and end with\n%s", rows[0], prefix, wantDetails)
	}
	const noDetails = `,"interne_notitie":null,"merk":null,"merk_id":null,"categorie":null,"categorie_id":null,"categorieen":[],"fotos":[],` +
		`"prijscategorieen":[],"EAN":[],"samenstellingen":[],"ruwe_grondstoffen":[],"gebruiksaanwijzingen":[],"meer_info":[]}`
	protocol := listRows(t, st, a.company.ID, erp.ArtikelsBody)
	if want := fmt.Sprintf(`{"id":%d,`, ps[1].ID) + wire(t, plain)[1:len(wire(t, plain))-1] + noDetails; len(protocol) != 2 || rows[1] != want {
		t.Errorf("a product without details streams in 0.6 as\n%s\nwant\n%s", rows[1], want)
	}
	// The protocol's list has its keys alone.
	if len(protocol) != 2 || protocol[1] != wire(t, plain) || !strings.HasPrefix(protocol[0], `{"naam":"Rijk R-1",`) || strings.Contains(protocol[0], "interne_notitie") {
		t.Errorf("the protocol's list: %q", protocol)
	}
	// By id: that product only, and only within its company; with its id
	// and, asked for, its details.
	for _, details := range []bool{true, false} {
		var got []string
		check(t, st.StreamArtikel(ctx, a.company.ID, ps[1].ID, details, func(row []byte) error { got = append(got, string(row)); return nil }))
		want := rows[1]
		if !details {
			want = fmt.Sprintf(`{"id":%d,`, ps[1].ID) + protocol[1][1:]
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("product %d by id (details %v): %q, want %s", ps[1].ID, details, got, want)
		}
		err := st.StreamArtikel(ctx, b.company.ID, ps[1].ID, details, func([]byte) error {
			t.Error("another company's product was streamed by id")
			return nil
		})
		wantCode(t, "another company's product by id", err, erp.ENotFound)
	}

	// An update replaces the details, to nothing as well.
	cleared := artikel("R-1", "Rijk R-1")
	moved := detailedArtikel("P-1", 0, dranken)
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{cleared, moved})))(t), 0, 2)
	if got, want := full(artikels(t, st, a.company.ID)...), full(cleared, named(moved, names)); got != want {
		t.Errorf("after an update\n%s\nwant\n%s", got, want)
	}
	// Within one import into a company that had no such data: a SKU that
	// comes with it and then without it ends without it.
	c := newFixture(t, st, "charlie")
	erptest.Must(st.ImportCategorieen(ctx, c.company.ID, erp.Each([]erp.NewCategorie{cat("Een")})))(t)
	een := categoryID(t, st, c.company.ID, "Een")
	twice := []cloudspot.Artikel{detailedArtikel("T-1", een, een), artikel("T-2", "Plain"), artikel("T-1", "Plain again")}
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, c.company.ID, erp.ArtikelImports(twice)))(t), 2, 1)
	if got, want := full(artikels(t, st, c.company.ID)...), full(twice[2], twice[1]); got != want {
		t.Errorf("a SKU with details and then without, in one import:\n%s\nwant\n%s", got, want)
	}

	// Another company's category, or none, refuses the whole import.
	before := full(artikels(t, st, a.company.ID)...)
	for _, bad := range []cloudspot.Artikel{detailedArtikel("X-1", theirs), detailedArtikel("X-2", 0, bier, theirs), detailedArtikel("X-3", 1<<40)} {
		_, err := st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("N-1", "Nieuw"), bad}))
		wantCode(t, "a product in another company's category", err, erp.EInvalid)
	}
	if got := full(artikels(t, st, a.company.ID)...); got != before {
		t.Errorf("a refused import changed the products:\n%s\nwant\n%s", got, before)
	}
}

// listRows reads one of a company's lists as the store keeps it, a row a
// string.
func listRows(t *testing.T, st erp.CatalogueStore, companyID int64, body erp.ListBody) []string {
	t.Helper()
	out := []string{}
	check(t, st.StreamList(ctx, companyID, body, func(int64) error { return nil }, func(row []byte) error {
		if !json.Valid(row) {
			t.Errorf("list row %d is not JSON: %s", len(out), row)
		}
		out = append(out, string(row))
		return nil
	}))
	return out
}

// keeping yields products whose records carried none of the details' keys
// (KeepDetails), as an import of a file of the protocol's keys hands them
// over.
func keeping(as ...cloudspot.Artikel) []erp.ArtikelImport {
	out := make([]erp.ArtikelImport, len(as))
	for i, a := range as {
		out[i] = erp.ArtikelImport{Artikel: a, KeepDetails: true}
	}
	return out
}

// repriced is a with other prices and another name, as an old file
// updating prices gives it: the protocol's fields alone.
func repriced(a cloudspot.Artikel) cloudspot.Artikel {
	p := artikel(a.SKU, a.Naam+" (nieuw)")
	p.VerkoopprijsExcl, p.VerkoopprijsIncl = dec("99.99"), dec("120.9879")
	return p
}

// withDetails is p with the details of a.
func withDetails(p, a cloudspot.Artikel) cloudspot.Artikel {
	p.InterneNotitie, p.Merk, p.MerkID, p.Categorie, p.CategorieID, p.Categorieen = a.InterneNotitie, a.Merk, a.MerkID, a.Categorie, a.CategorieID, a.Categorieen
	p.Fotos, p.Prijscategorieen, p.EAN = a.Fotos, a.Prijscategorieen, a.EAN
	p.Samenstellingen, p.RuweGrondstoffen, p.Gebruiksaanwijzingen, p.MeerInfo = a.Samenstellingen, a.RuweGrondstoffen, a.Gebruiksaanwijzingen, a.MeerInfo
	return p
}

func testImportKeepsDetails(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier")})))(t)
	dranken, bier := categoryID(t, st, a.company.ID, "Dranken"), categoryID(t, st, a.company.ID, "Bier")
	names := map[int64]string{dranken: "Dranken", bier: "Bier"}
	r1, r2, r3, plain := detailedArtikel("R-1", bier, dranken, bier), detailedArtikel("R-2", dranken, bier), detailedArtikel("R-3", 0, dranken), artikel("P-1", "Plain")
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{r1, r2, r3, plain})))(t), 4, 0)

	// Kept, which have details; P-1 has none to keep and
	// N-1 is new. R-2's record carries a detail (merk): it replaces
	// all of its details, clearing what it leaves out.
	onlyMerk := repriced(r2)
	onlyMerk.Merk = "Ander merk"
	imports := append(keeping(repriced(r1), repriced(plain), artikel("N-1", "Nieuw")), erp.ArtikelImport{Artikel: onlyMerk}, keeping(repriced(r3))[0])
	got := erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.Each(imports)))(t)
	if want := (erp.ImportResult{Created: 1, Updated: 4, Kept: 2}); got != want {
		t.Errorf("import result %+v, want %+v", got, want)
	}
	want := full(withDetails(repriced(r1), named(r1, names)), onlyMerk, withDetails(repriced(r3), named(r3, names)), repriced(plain), artikel("N-1", "Nieuw"))
	if got := full(artikels(t, st, a.company.ID)...); got != want {
		t.Errorf("after an import that keeps the details\n%s\nwant\n%s", got, want)
	}

	// In a company without such data, until the import writes some: a SKU
	// that comes with it and then in a record that keeps it ends with it.
	c := newFixture(t, st, "charlie")
	erptest.Must(st.ImportCategorieen(ctx, c.company.ID, erp.Each([]erp.NewCategorie{cat("Een")})))(t)
	een := categoryID(t, st, c.company.ID, "Een")
	t1 := detailedArtikel("T-1", een, een)
	seq := append([]erp.ArtikelImport{{Artikel: artikel("T-2", "Plain")}}, keeping(artikel("T-2", "Plain again"))...)
	seq = append(seq, erp.ArtikelImport{Artikel: t1})
	seq = append(seq, keeping(repriced(t1))...)
	got = erptest.Must(st.ImportArtikels(ctx, c.company.ID, erp.Each(seq)))(t)
	if want := (erp.ImportResult{Created: 2, Updated: 2, Kept: 1}); got != want {
		t.Errorf("import result %+v, want %+v", got, want)
	}
	want = full(artikel("T-2", "Plain again"), withDetails(repriced(t1), named(t1, map[int64]string{een: "Een"})))
	if got := full(artikels(t, st, c.company.ID)...); got != want {
		t.Errorf("a SKU with details and then in a record that keeps them, in one import:\n%s\nwant\n%s", got, want)
	}
}

// testCatalogueStamps: every change of what a company's lists send gives
// its catalogue a stamp it never had, in the change's transaction; a list
// passes the stamp of what it reads; another company's stays as it was,
// and so does the stamp of a refused import.
func testCatalogueStamps(t *testing.T, st erp.Store) {
	a := newFixture(t, st, "acme")
	b := newFixture(t, st, "globex")
	stamp := func(f fixture) int64 {
		t.Helper()
		return erptest.Must(st.CatalogueStamp(ctx, f.company.ID))(t)
	}
	seen := map[int64]string{}
	bStamp := stamp(b)
	last := stamp(a)
	changed := func(what string) {
		t.Helper()
		now := stamp(a)
		if now == last {
			t.Errorf("%s left the stamp at %d", what, now)
		}
		if before, ok := seen[now]; ok {
			t.Errorf("%s gave the stamp %d again, which %s had", what, now, before)
		}
		seen[now], last = what, now
		for _, body := range []erp.ListBody{erp.ArtikelsBody, erp.DetailedArtikelsBody, erp.KlantenBody} {
			var listed int64
			check(t, st.StreamList(ctx, a.company.ID, body, func(s int64) error { listed = s; return nil }, func([]byte) error { return nil }))
			if listed != now {
				t.Errorf("after %s, list %d read at stamp %d, want %d", what, body, listed, now)
			}
		}
	}
	erptest.Must(st.ImportCategorieen(ctx, a.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier")})))(t)
	bier := categoryID(t, st, a.company.ID, "Bier")
	erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{detailedArtikel("R-1", bier, bier), artikel("P-1", "Plain")})))(t)
	changed("an import of products")
	erptest.Must(st.ImportKlanten(ctx, a.company.ID, erp.Each([]cloudspot.Klant{klant(1, "Anna")})))(t)
	changed("an import of clients")
	check(t, st.RenameCategorie(ctx, a.company.ID, bier, "Pils"))
	changed("a rename")
	erptest.Must(st.DeleteCategorieen(ctx, a.company.ID, func([]erp.StoredCategorie) ([]int64, error) { return []int64{bier}, nil }))(t)
	changed("a deletion")
	erptest.Must(st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports(nil)))(t)
	changed("an empty import")

	_, err := st.ImportArtikels(ctx, a.company.ID, erp.ArtikelImports([]cloudspot.Artikel{artikel("N-1", "Nieuw"), detailedArtikel("X-1", 1<<40)}))
	wantCode(t, "an import into a missing category", err, erp.EInvalid)
	if now := stamp(a); now != last {
		t.Errorf("a refused import moved the stamp from %d to %d", last, now)
	}
	if now := stamp(b); now != bStamp {
		t.Errorf("another company's changes moved its stamp from %d to %d", bStamp, now)
	}
}

// testImportRepeatedKeys imports thousands of records, more than a store
// writes in one statement, whose keys come again: right after each other
// and further on, with details and without. Each key ends as its last
// record says, in the place its first record (or the stored product)
// gave it, and the counts are exact; a bad record far into the import is
// named and changes nothing.
func testImportRepeatedKeys(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	erptest.Must(st.ImportCategorieen(ctx, f.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier")})))(t)
	dranken, bier := categoryID(t, st, f.company.ID, "Dranken"), categoryID(t, st, f.company.ID, "Bier")
	names := map[int64]string{dranken: "Dranken", bier: "Bier"}
	stored := []cloudspot.Artikel{artikel("K-5", "Stored five"), detailedArtikel("K-1200", bier, dranken)}
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(stored)))(t), 2, 0)

	const n, keys = 3000, 1300
	var records []cloudspot.Artikel
	var order []string
	last := map[string]cloudspot.Artikel{}
	for _, a := range stored {
		order = append(order, a.SKU)
	}
	for i := range n {
		sku := fmt.Sprintf("K-%d", i%keys)
		if i%10 == 9 {
			sku = records[i-1].SKU // right after the same key
		}
		a := artikel(sku, fmt.Sprintf("Record %d", i+1))
		if i%3 == 0 {
			a = detailedArtikel(sku, bier, dranken, bier)
			a.Naam = fmt.Sprintf("Record %d", i+1)
		}
		if _, ok := last[sku]; !ok && !slices.Contains(order, sku) {
			order = append(order, sku)
		}
		last[sku] = a
		records = append(records, a)
	}
	created := len(order) - len(stored)
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(records)))(t), created, n-created)
	var want []cloudspot.Artikel
	for _, sku := range order {
		a, ok := last[sku]
		if !ok {
			a = stored[0]
		}
		want = append(want, named(a, names))
	}
	if got := full(artikels(t, st, f.company.ID)...); got != full(want...) {
		t.Fatalf("after an import whose keys repeat, the products differ from the last record of each key (%d products read, want %d)", len(artikels(t, st, f.company.ID)), len(want))
	}
	rows := listRows(t, st, f.company.ID, erp.DetailedArtikelsBody)
	if len(rows) != len(want) {
		t.Fatalf("streamed %d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		var got cloudspot.Artikel
		if err := json.Unmarshal([]byte(r), &got); err != nil {
			t.Fatal(err)
		}
		if got.SKU != want[i].SKU || got.Naam != want[i].Naam || len(got.Categorieen) != len(want[i].Categorieen) {
			t.Fatalf("list row %d is %s, want SKU %s named %q with %d categories", i, r, want[i].SKU, want[i].Naam, len(want[i].Categorieen))
		}
	}

	// A record that names another company's category, in a later batch,
	// is named with its place and key; nothing of the import stays.
	other := newFixture(t, st, "globex")
	erptest.Must(st.ImportCategorieen(ctx, other.company.ID, erp.Each([]erp.NewCategorie{cat("Vreemd")})))(t)
	before := full(artikels(t, st, f.company.ID)...)
	changed := slices.Clone(records)
	for i := range changed {
		changed[i].Naam += " (changed)"
	}
	changed[2499] = detailedArtikel("K-1199", categoryID(t, st, other.company.ID, "Vreemd"))
	_, err := st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(changed))
	wantCode(t, "an import with a bad record far into it", err, erp.EInvalid)
	if err == nil || !strings.Contains(err.Error(), `record 2500 (SKU "K-1199")`) {
		t.Errorf("the error %v does not name record 2500 and its SKU", err)
	}
	if got := full(artikels(t, st, f.company.ID)...); got != before {
		t.Errorf("a failed import changed the products")
	}

	// Clients likewise, by klantennummer.
	var klantenIn []cloudspot.Klant
	lastKlant := map[int64]cloudspot.Klant{}
	for i := range 2000 {
		nr := int64(i%700 + 1)
		if i%10 == 9 {
			nr = klantenIn[i-1].Klantennummer
		}
		k := klant(nr, fmt.Sprintf("Record %d", i+1))
		lastKlant[nr] = k
		klantenIn = append(klantenIn, k)
	}
	wantResult(t, erptest.Must(st.ImportKlanten(ctx, f.company.ID, erp.Each(klantenIn)))(t), len(lastKlant), len(klantenIn)-len(lastKlant))
	var wantKlanten []cloudspot.Klant
	for nr := range int64(700) {
		if k, ok := lastKlant[nr+1]; ok {
			wantKlanten = append(wantKlanten, k)
		}
	}
	if got := wire(t, klanten(t, st, f.company.ID)); got != wire(t, wantKlanten) {
		t.Errorf("after an import whose klantennummers repeat, the clients differ from the last record of each")
	}
}

// testImportManyBatches imports more distinct products than two of the
// largest batches a store writes at once (2048 rows where it copies them),
// in an order that is not their keys', some with details: each is stored
// in the place of its record, with its id and its details. A second import
// updates them all, in the opposite order, and adds more: the updated keep
// their places, the new ones follow in their records' order.
func testImportManyBatches(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	erptest.Must(st.ImportCategorieen(ctx, f.company.ID, erp.Each([]erp.NewCategorie{cat("Dranken"), cat("Dranken/Bier")})))(t)
	dranken, bier := categoryID(t, st, f.company.ID, "Dranken"), categoryID(t, st, f.company.ID, "Bier")
	names := map[int64]string{dranken: "Dranken", bier: "Bier"}
	product := func(i int, naam string) cloudspot.Artikel {
		sku := fmt.Sprintf("M-%05d", (i*7919)%5000) // every SKU once, out of order
		if i%5 == 0 {
			a := detailedArtikel(sku, bier, dranken)
			a.Naam = naam
			return a
		}
		return artikel(sku, naam)
	}
	const n = 5000
	var first []cloudspot.Artikel
	for i := range n {
		first = append(first, product(i, fmt.Sprintf("First %d", i)))
	}
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(first)))(t), n, 0)
	var want []cloudspot.Artikel
	for _, a := range first {
		want = append(want, named(a, names))
	}
	if got := artikels(t, st, f.company.ID); full(got...) != full(want...) {
		t.Fatalf("%d products read back, not each in its record's place with its details (want %d)", len(got), len(want))
	}

	var second []cloudspot.Artikel
	for i := n - 1; i >= 0; i-- {
		a := first[i]
		a.Naam += " (second)"
		second = append(second, a)
	}
	for i := range 1000 {
		a := artikel(fmt.Sprintf("N-%04d", 999-i), fmt.Sprintf("New %d", i))
		second = append(second, a)
	}
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports(second)))(t), 1000, n)
	want = want[:0]
	for i := range n {
		a := first[i]
		a.Naam += " (second)"
		want = append(want, named(a, names))
	}
	for _, a := range second[n:] {
		want = append(want, named(a, names))
	}
	if got := artikels(t, st, f.company.ID); full(got...) != full(want...) {
		t.Fatalf("after the second import, %d products are not each in its place with its details (want %d)", len(got), len(want))
	}
}
