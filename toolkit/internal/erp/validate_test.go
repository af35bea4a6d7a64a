package erp

import (
	"slices"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// problems renders ps one a line, as a report shows them.
func problems(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

func TestCheckArtikel(t *testing.T) {
	t.Parallel()
	ok := cloudspot.Artikel{Naam: "A", SKU: "A-1", VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet, Bestellingtype: cloudspot.BestellingtypeIdeaal,
		Status: cloudspot.ArtikelStatusZichtbaar, BTW: cloudspot.NewDecimal(21, 0)}
	if ps := CheckArtikel(ok); len(ps) != 0 {
		t.Fatal(problems(ps))
	}
	for want, change := range map[string]func(*cloudspot.Artikel){
		"naam: is required":                func(a *cloudspot.Artikel) { a.Naam = " " },
		"SKU: is required":                 func(a *cloudspot.Artikel) { a.SKU = "" },
		"SKU: longer than 64":              func(a *cloudspot.Artikel) { a.SKU = strings.Repeat("S", 65) },
		"voorraad_bijhouden:":              func(a *cloudspot.Artikel) { a.VoorraadBijhouden = "SOMS" },
		"bestellingtype:":                  func(a *cloudspot.Artikel) { a.Bestellingtype = "" },
		"status:":                          func(a *cloudspot.Artikel) { a.Status = "WEG" },
		"BTW:":                             func(a *cloudspot.Artikel) { a.BTW = cloudspot.NewDecimal(121, 0) },
		"verkoopprijs_excl: -1 is":         func(a *cloudspot.Artikel) { a.VerkoopprijsExcl = cloudspot.NewDecimal(-1, 0) },
		"op_voorraad: 0.0000001 has more":  func(a *cloudspot.Artikel) { a.OpVoorraad = cloudspot.MustParseDecimal("0.0000001") },
		"product_url:":                     func(a *cloudspot.Artikel) { a.ProductURL = "javascript:alert(1)" },
		"beschrijving: text must be UTF-8": func(a *cloudspot.Artikel) { a.Beschrijving = "nul\x00" },
	} {
		a := ok
		change(&a)
		if ps := CheckArtikel(a); len(ps) != 1 || !strings.HasPrefix(ps[0].String(), want) {
			t.Errorf("problems:\n%swant one starting with %q", problems(ps), want)
		}
	}
	// Every problem of a product at once.
	bad := cloudspot.Artikel{VerkoopprijsIncl: cloudspot.NewDecimal(-5, 1)}
	got := problems(CheckArtikel(bad))
	for _, want := range []string{"naam:", "SKU:", "voorraad_bijhouden:", "bestellingtype:", "status:", "verkoopprijs_incl:"} {
		if !strings.Contains(got, want) {
			t.Errorf("the problems of an empty product lack %q:\n%s", want, got)
		}
	}
}

// validArtikel is a product with no problem: the keys CheckArtikel
// requires, and nothing else.
func validArtikel(sku string) cloudspot.Artikel {
	return cloudspot.Artikel{Naam: "Naam " + sku, SKU: sku, VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet,
		Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar}
}

// TestCheckArtikelDetails breaks each limit of a product's details once:
// each is one problem of its key, and the product at the limit has none.
func TestCheckArtikelDetails(t *testing.T) {
	t.Parallel()
	fotos := func(n int) []cloudspot.Foto {
		return slices.Repeat([]cloudspot.Foto{{URL: "https://img.example/a.jpg"}}, n)
	}
	texts := func(n int) []cloudspot.Translation {
		return slices.Repeat([]cloudspot.Translation{{Text: "t", Taal: "nl"}}, n)
	}
	eans := func(n int) []string { return slices.Repeat([]string{"12345678"}, n) }
	refs := func(n int) []cloudspot.CategorieRef { return slices.Repeat([]cloudspot.CategorieRef{{ID: 1}}, n) }
	atLimit := validArtikel("OK-1")
	atLimit.Fotos, atLimit.EAN, atLimit.Samenstellingen, atLimit.Categorieen = fotos(50), eans(50), texts(20), refs(100)
	atLimit.Prijscategorieen = slices.Repeat([]cloudspot.Prijscategorie{{Label: "x"}}, 50)
	atLimit.MeerInfo = []cloudspot.Translation{{Text: strings.Repeat("x", 64<<10), Taal: "abcdefgh"}}
	atLimit.Fotos[0].URL = "http://img.example/" + strings.Repeat("a", 2048-len("http://img.example/"))
	atLimit.EAN[0] = "12345678901234"
	if ps := CheckArtikel(atLimit); len(ps) != 0 {
		t.Fatalf("a product at every limit has problems: %v", ps)
	}
	for _, c := range []struct {
		want   string
		change func(a *cloudspot.Artikel)
	}{
		{"fotos: 51 entries; at most 50", func(a *cloudspot.Artikel) { a.Fotos = fotos(51) }},
		{"prijscategorieen: 51 entries; at most 50", func(a *cloudspot.Artikel) {
			a.Prijscategorieen = make([]cloudspot.Prijscategorie, 51)
		}},
		{"EAN: 51 entries; at most 50", func(a *cloudspot.Artikel) { a.EAN = eans(51) }},
		{"samenstellingen: 21 entries; at most 20", func(a *cloudspot.Artikel) { a.Samenstellingen = texts(21) }},
		{"ruwe_grondstoffen: 21 entries; at most 20", func(a *cloudspot.Artikel) { a.RuweGrondstoffen = texts(21) }},
		{"gebruiksaanwijzingen: 21 entries; at most 20", func(a *cloudspot.Artikel) { a.Gebruiksaanwijzingen = texts(21) }},
		{"meer_info: 21 entries; at most 20", func(a *cloudspot.Artikel) { a.MeerInfo = texts(21) }},
		{"categorieen: 101 entries; at most 100", func(a *cloudspot.Artikel) { a.Categorieen = refs(101) }},
		{`EAN: "1234567" is not 8 to 14 digits`, func(a *cloudspot.Artikel) { a.EAN = []string{"1234567"} }},
		{`EAN: "123456789012345" is not 8 to 14 digits`, func(a *cloudspot.Artikel) { a.EAN = []string{"123456789012345"} }},
		{`EAN: "1234567X" is not 8 to 14 digits`, func(a *cloudspot.Artikel) { a.EAN = []string{"1234567X"} }},
		{`EAN: "１２３４５６…" is not 8 to 14 digits`, func(a *cloudspot.Artikel) { a.EAN = []string{"１２３４５６７８"} }},
		{"fotos: photo 1: the URL is longer than 2048 bytes", func(a *cloudspot.Artikel) {
			a.Fotos = []cloudspot.Foto{{URL: "https://img.example/" + strings.Repeat("a", 2049-len("https://img.example/"))}}
		}},
		{`fotos: photo 1: "/relative.jpg" is not an absolute http or https URL`, func(a *cloudspot.Artikel) { a.Fotos = []cloudspot.Foto{{URL: "/relative.jpg"}} }},
		{`fotos: photo 1: "javascript:alert(1)" is not an absolute http or https URL`, func(a *cloudspot.Artikel) {
			a.Fotos = []cloudspot.Foto{{URL: "javascript:alert(1)"}}
		}},
		{`samenstellingen: entry 1: taal "n" is not 2 to 8 letters`, func(a *cloudspot.Artikel) { a.Samenstellingen = []cloudspot.Translation{{Text: "t", Taal: "n"}} }},
		{`samenstellingen: entry 1: taal "nl-BE" is not 2 to 8 letters`, func(a *cloudspot.Artikel) {
			a.Samenstellingen = []cloudspot.Translation{{Text: "t", Taal: "nl-BE"}}
		}},
		{`meer_info: entry 1: taal "abcdefghi" is not 2 to 8 letters`, func(a *cloudspot.Artikel) { a.MeerInfo = []cloudspot.Translation{{Text: "t", Taal: "abcdefghi"}} }},
		{"meer_info: entry 1: text is required", func(a *cloudspot.Artikel) { a.MeerInfo = []cloudspot.Translation{{Text: " ", Taal: "nl"}} }},
		{"meer_info: longer than 64 KiB", func(a *cloudspot.Artikel) {
			a.MeerInfo = []cloudspot.Translation{{Text: strings.Repeat("x", 64<<10+1), Taal: "nl"}}
		}},
		{"interne_notitie: longer than 64 KiB", func(a *cloudspot.Artikel) { a.InterneNotitie = strings.Repeat("é", 32<<10+1) }},
		{"merk: text must be UTF-8 without NUL characters", func(a *cloudspot.Artikel) { a.Merk = "Merk\x00" }},
		{"merk_id: must not be negative", func(a *cloudspot.Artikel) { a.MerkID = -1 }},
		{"prijscategorieen: price category 1: -1 is negative", func(a *cloudspot.Artikel) {
			a.Prijscategorieen = []cloudspot.Prijscategorie{{Korting: cloudspot.MustParseDecimal("-1")}}
		}},
		{"prijscategorieen: price category 1: label_id must not be negative", func(a *cloudspot.Artikel) {
			a.Prijscategorieen = []cloudspot.Prijscategorie{{LabelID: -2}}
		}},
		{"prijscategorieen: text must be UTF-8 without NUL characters", func(a *cloudspot.Artikel) {
			a.Prijscategorieen = []cloudspot.Prijscategorie{{Label: "\xff"}}
		}},
	} {
		a := validArtikel("BAD-1")
		c.change(&a)
		ps := CheckArtikel(a)
		if len(ps) != 1 || ps[0].String() != c.want {
			t.Errorf("want the one problem %q, got %v", c.want, ps)
		}
	}
}

func TestCheckKlant(t *testing.T) {
	t.Parallel()
	today := cloudspot.Date{Year: 2026, Month: 11, Day: 27}
	person := cloudspot.Klant{Klantennummer: 1, Voornaam: "An", Achternaam: "Peeters", Land: "BE", Aanspreektitel: cloudspot.AanspreektitelMevrouw}
	company := cloudspot.Klant{Klantennummer: 2, IsBedrijf: true, Bedrijfsnaam: "Ça Va Traiteur SRL", BTWNummer: "BE0741826306"}
	for _, k := range []cloudspot.Klant{person, company} {
		if ps := CheckKlant(k, today); len(ps) != 0 {
			t.Fatal(problems(ps))
		}
	}
	for want, k := range map[string]cloudspot.Klant{
		"klantennummer:":      {Achternaam: "X"},
		"aanspreektitel:":     {Klantennummer: 1, Achternaam: "X", Aanspreektitel: "Dr."},
		"land:":               {Klantennummer: 1, Achternaam: "X", Land: "Belgium"},
		"geboortedatum:":      {Klantennummer: 1, Achternaam: "X", Geboortedatum: cloudspot.Date{Year: 2026, Month: 11, Day: 28}},
		"bedrijfsnaam: is":    {Klantennummer: 1, IsBedrijf: true},
		"BTW_nummer:":         {Klantennummer: 1, Achternaam: "X", BTWNummer: "BE0741826306"},
		"ondernemingsnummer:": {Klantennummer: 1, Achternaam: "X", Ondernemingsnummer: "0741.826.306"},
		"achternaam:":         {Klantennummer: 1},
		"plaats: text must":   {Klantennummer: 1, Achternaam: "X", Plaats: "\xffGent"},
	} {
		if ps := CheckKlant(k, today); len(ps) != 1 || !strings.HasPrefix(ps[0].String(), want) {
			t.Errorf("problems:\n%swant one starting with %q", problems(ps), want)
		}
	}
	if ps := CheckKlant(cloudspot.Klant{Klantennummer: 1, Achternaam: "X", Geboortedatum: today}, today); len(ps) != 0 {
		t.Errorf("born today: %s", problems(ps))
	}
}
