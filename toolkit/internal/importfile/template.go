package importfile

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/cloudspot-toolkit/cloudspot"
)

// What a file imports.
const (
	KindArtikels = "artikels"
	KindKlanten  = "klanten"
)

// Template writes an import file of kind (KindArtikels or KindKlanten) in
// format f with every key the import reads and one example record, which
// passes the import's checks: replace it with real records.
func Template(w io.Writer, kind string, f Format) error {
	var example any
	var keys []string
	switch kind {
	case KindArtikels:
		example, keys = exampleArtikel(), cloudspot.ArtikelKeys()
	case KindKlanten:
		example, keys = exampleKlant(), cloudspot.KlantKeys()
	default:
		return fmt.Errorf("no template for %q: use %s or %s", kind, KindArtikels, KindKlanten)
	}
	switch f {
	case JSON:
		b, err := json.MarshalIndent([]any{example}, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	case CSV:
		return templateCSV(w, example, keys)
	}
	return fmt.Errorf("unknown import format %q: use json or csv", f)
}

// templateCSV writes the header and example as CSV, each cell as the JSON
// key's value ("" for null), which the import reads back.
func templateCSV(w io.Writer, example any, keys []string) error {
	b, err := json.Marshal(example)
	if err != nil {
		return err
	}
	var values map[string]json.RawMessage
	if err := json.Unmarshal(b, &values); err != nil {
		return err
	}
	row := make([]string, len(keys))
	for i, k := range keys {
		v := values[k]
		switch {
		case string(v) == "null":
		case v[0] == '"':
			if err := json.Unmarshal(v, &row[i]); err != nil {
				return err
			}
		default:
			row[i] = string(v) // a number or boolean as written: 5.10 keeps its scale
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(keys)
	cw.Write(row)
	cw.Flush()
	return cw.Error()
}

func exampleArtikel() cloudspot.Artikel {
	return cloudspot.Artikel{
		Naam:               "Koffie, gemalen, 500 g",
		Beschrijving:       "Arabica, medium gebrand",
		SKU:                "KOF-500",
		VoorraadBijhouden:  cloudspot.VoorraadBijhoudenFysiek,
		OpVoorraad:         cloudspot.NewDecimal(40, 0),
		ProductURL:         "https://www.example.be/koffie-500",
		VerkoopprijsExcl:   cloudspot.MustParseDecimal("8.45"),
		VerkoopprijsIncl:   cloudspot.MustParseDecimal("8.96"),
		InkoopprijsExcl:    cloudspot.MustParseDecimal("5.10"),
		InkoopprijsIncl:    cloudspot.MustParseDecimal("5.41"),
		BTW:                cloudspot.NewDecimal(6, 0),
		Bestellingtype:     cloudspot.BestellingtypeIdeaal,
		UnitsPerBestelling: cloudspot.NewDecimal(1, 0),
		Status:             cloudspot.ArtikelStatusZichtbaar,
	}
}

func exampleKlant() cloudspot.Klant {
	birth, _ := cloudspot.ParseDate("1980-04-12")
	return cloudspot.Klant{
		Klantennummer:      1001,
		Aanspreektitel:     cloudspot.AanspreektitelMevrouw,
		Voornaam:           "An",
		Achternaam:         "Peeters",
		Straat:             "Kerkstraat",
		Huisnummer:         "12",
		Busnummer:          "B",
		Postcode:           "2000",
		Plaats:             "Antwerpen",
		Land:               "BE",
		Geboortedatum:      birth,
		Geboorteplaats:     "Gent",
		IsBedrijf:          true,
		Bedrijfsnaam:       "Peeters Koffie BV",
		BTWNummer:          "BE0123456789",
		Ondernemingsnummer: "0123.456.789",
	}
}
