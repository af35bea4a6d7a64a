package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

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

func artikels(t *testing.T, st erp.Store, companyID int64) []cloudspot.Artikel {
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

func klanten(t *testing.T, st erp.Store, companyID int64) []cloudspot.Klant {
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
// testImportKeepsRich for those that do).
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

// testText checks that every engine refuses the same text: what one
// engine cannot store (invalid UTF-8, NUL) no engine accepts.
func testText(t *testing.T, st erp.Store) {
	for i, bad := range []string{"bad \xc3", "nul \x00 inside"} {
		wantCode(t, fmt.Sprintf("company name %q", bad), st.CreateCompany(ctx, &erp.Company{Slug: fmt.Sprint("c", i), Name: bad, CreatedAt: t0}), erp.EInvalid)
		wantCode(t, fmt.Sprintf("app name %q", bad), st.CreateApp(ctx, &erp.App{Slug: fmt.Sprint("a", i), Name: bad, CreatedAt: t0}), erp.EInvalid)
	}
	f := newFixture(t, st, "acme")
	wantCode(t, "user name", st.CreateUser(ctx, &erp.User{Username: "u", PasswordHash: "h", FirstName: "\xff", CompanyID: f.company.ID, Active: true, CreatedAt: t0}), erp.EInvalid)
	odd := "Emoji 🍕, combining e\u0301, RTL \u05d0, tab\tand newline\n"
	p := artikel("ODD", odd)
	wantResult(t, erptest.Must(st.ImportArtikels(ctx, f.company.ID, erp.ArtikelImports([]cloudspot.Artikel{p})))(t), 1, 0)
	if got := artikels(t, st, f.company.ID); !reflect.DeepEqual(got[0].Naam, odd) {
		t.Errorf("name read back as %q, want %q", got[0].Naam, odd)
	}
	if cs := erptest.Must(st.Companies(ctx))(t); len(cs) != 1 {
		t.Errorf("%d companies, want only the fixture's", len(cs))
	}
}
