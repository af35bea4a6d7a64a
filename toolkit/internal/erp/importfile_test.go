package erp

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

func TestParseArtikels(t *testing.T) {
	t.Parallel()
	csvComma := "naam,sku,voorraad_bijhouden,op_voorraad,verkoopprijs_excl,verkoopprijs_incl,BTW,bestellingtype,status\n" +
		"\"Koffie, gemalen\",KOF-1,FYSIEK,10,\"4,50\",4.77,6,IDEAAL,ZICHTBAAR\n"
	csvSemicolon := "\xef\xbb\xbfnaam;SKU;voorraad_bijhouden;verkoopprijs_excl;BTW;bestellingtype;status;product_url\r\n" +
		"Crêpe-pan;PAN-1;NIET;24,95;21;BESTELLING;ZICHTBAAR;\r\n"
	jsonList := `[{"naam": "Thee", "SKU": "THE-1", "voorraad_bijhouden": "DIGITAAL", "BTW": "6", "bestellingtype": "IDEAAL", "status": "GEDEACTIVEERD"}]`
	jsonData := `{"data": ` + jsonList + `}`
	for name, tc := range map[string]struct {
		in, format, sku, price string
	}{
		"CSVComma":     {csvComma, FormatCSV, "KOF-1", "4.50"},
		"CSVSemicolon": {csvSemicolon, FormatCSV, "PAN-1", "24.95"},
		"JSONList":     {jsonList, FormatJSON, "THE-1", ""}, // absent: unknown, not 0
		"JSONData":     {jsonData, FormatJSON, "THE-1", ""},
	} {
		as, err := ParseArtikels(strings.NewReader(tc.in), tc.format)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(as) != 1 || as[0].SKU != tc.sku || as[0].VerkoopprijsExcl.String() != tc.price {
			t.Errorf("%s: got %+v", name, as)
		}
		if err := ValidateArtikel(as[0]); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParseErrorsNameRecordAndField(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		in, format, want string
	}{
		"UnknownColumn": {"naam,SKU,prijs\nA,B,1\n", FormatCSV, `record 1 (line 2): unknown field "prijs"`},
		"BadDecimal":    {"naam,SKU,BTW\nA,B,1\nC,D,twenty\n", FormatCSV, `record 2 (line 3): BTW: cloudspot: invalid decimal "twenty"`},
		"UnknownKey":    {`[{"naam": "A"}, {"naam": "B", "sku_code": "x"}]`, FormatJSON, `record 2: unknown field "sku_code"`},
		"NotAList":      {`{"naam": "A"}`, FormatJSON, `want a list of records`},
		"Syntax":        {`[{"naam": "A",]`, FormatJSON, `syntax error`},
		"NullRecord":    {`[null]`, FormatJSON, `record 1: null is not a record`},
		"Ragged":        {"naam,SKU\nA\n", FormatCSV, `wrong number of fields`},
		"Empty":         {"", FormatCSV, `the file is empty`},
		"Format":        {"", "xlsx", `unknown import format "xlsx"`},
	} {
		_, err := ParseArtikels(strings.NewReader(tc.in), tc.format)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", name, err, tc.want)
		}
		if ErrorCode(err) != EInvalid {
			t.Errorf("%s: code %q, want EInvalid", name, ErrorCode(err))
		}
	}
}

func TestValidateArtikel(t *testing.T) {
	t.Parallel()
	ok := cloudspot.Artikel{Naam: "A", SKU: "A-1", VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet, Bestellingtype: cloudspot.BestellingtypeIdeaal,
		Status: cloudspot.ArtikelStatusZichtbaar, BTW: cloudspot.NewDecimal(21, 0)}
	if err := ValidateArtikel(ok); err != nil {
		t.Fatal(err)
	}
	for want, change := range map[string]func(*cloudspot.Artikel){
		"naam:":               func(a *cloudspot.Artikel) { a.Naam = " " },
		"SKU:":                func(a *cloudspot.Artikel) { a.SKU = "" },
		"voorraad_bijhouden:": func(a *cloudspot.Artikel) { a.VoorraadBijhouden = "SOMS" },
		"bestellingtype:":     func(a *cloudspot.Artikel) { a.Bestellingtype = "" },
		"status:":             func(a *cloudspot.Artikel) { a.Status = "WEG" },
		"BTW:":                func(a *cloudspot.Artikel) { a.BTW = cloudspot.NewDecimal(121, 0) },
		"verkoopprijs_excl:":  func(a *cloudspot.Artikel) { a.VerkoopprijsExcl = cloudspot.NewDecimal(-1, 0) },
		"op_voorraad:":        func(a *cloudspot.Artikel) { a.OpVoorraad = cloudspot.MustParseDecimal("0.0000001") },
		"product_url:":        func(a *cloudspot.Artikel) { a.ProductURL = "javascript:alert(1)" },
	} {
		a := ok
		change(&a)
		if err := ValidateArtikel(a); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("err = %v, want it to start with %q", err, want)
		}
	}
}

func TestValidateKlant(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	person := cloudspot.Klant{Klantennummer: 1, Voornaam: "An", Achternaam: "Peeters", Land: "BE", Aanspreektitel: cloudspot.AanspreektitelMevrouw}
	company := cloudspot.Klant{Klantennummer: 2, IsBedrijf: true, Bedrijfsnaam: "Ça Va Traiteur SRL", BTWNummer: "BE0741826306"}
	for _, k := range []cloudspot.Klant{person, company} {
		if err := ValidateKlant(k, now); err != nil {
			t.Fatal(err)
		}
	}
	for want, k := range map[string]cloudspot.Klant{
		"klantennummer:":      {Achternaam: "X"},
		"aanspreektitel:":     {Klantennummer: 1, Achternaam: "X", Aanspreektitel: "Dr."},
		"land:":               {Klantennummer: 1, Achternaam: "X", Land: "Belgium"},
		"geboortedatum:":      {Klantennummer: 1, Achternaam: "X", Geboortedatum: cloudspot.Date{Year: 2027, Month: 1, Day: 1}},
		"bedrijfsnaam: is":    {Klantennummer: 1, IsBedrijf: true},
		"BTW_nummer:":         {Klantennummer: 1, Achternaam: "X", BTWNummer: "BE0741826306"},
		"ondernemingsnummer:": {Klantennummer: 1, Achternaam: "X", Ondernemingsnummer: "0741.826.306"},
		"achternaam:":         {Klantennummer: 1},
	} {
		if err := ValidateKlant(k, now); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("err = %v, want it to start with %q", err, want)
		}
	}
}
