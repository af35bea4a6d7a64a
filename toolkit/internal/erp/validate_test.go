package erp

import (
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
