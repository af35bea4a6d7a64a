package importfile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
)

// What a file imports.
const (
	KindArtikels    = "artikels"
	KindKlanten     = "klanten"
	KindCategorieen = "categorieen"
)

// Template writes an import file of kind (KindArtikels, KindKlanten or
// KindCategorieen) in format f with every key the import reads and an
// example, which passes the import's checks: replace it with real records.
// The example products are in the example categories: import those first.
func Template(w io.Writer, kind string, f Format) error {
	if f != JSON && f != CSV {
		return fmt.Errorf("unknown import format %q: use json or csv", f)
	}
	var example []field
	switch kind {
	case KindArtikels:
		example = fieldsOf(exampleArtikel())
		example = append(example, exampleArtikelDetails()...)
	case KindKlanten:
		example = fieldsOf(exampleKlant())
	case KindCategorieen:
		return templateCategorieen(w, f)
	default:
		return fmt.Errorf("no template for %q: use %s, %s or %s", kind, KindArtikels, KindKlanten, KindCategorieen)
	}
	if f == JSON {
		var b bytes.Buffer
		if err := json.Indent(&b, []byte("["+string(encode(example))+"]"), "", "  "); err != nil {
			return err
		}
		b.WriteByte('\n')
		_, err := b.WriteTo(w)
		return err
	}
	return templateCSV(w, example)
}

// fieldsOf lists the keys and values of a model as its MarshalJSON writes
// them, in wire order.
func fieldsOf(model json.Marshaler) []field {
	b, err := model.MarshalJSON()
	if err != nil {
		panic(err) // the examples are fixed values that marshal
	}
	o, err := parseObject(b)
	if err != nil {
		panic(err)
	}
	return o.fields
}

// templateCSV writes the header and example as CSV, each cell as the JSON
// key's value ("" for null, a list as its JSON, EAN codes separated by |),
// which the import reads back.
func templateCSV(w io.Writer, example []field) error {
	keys := make([]string, len(example))
	row := make([]string, len(example))
	for i, f := range example {
		keys[i] = f.key
		v := f.value
		switch {
		case string(v) == "null":
		case v[0] == '"':
			if err := json.Unmarshal(v, &row[i]); err != nil {
				return err
			}
		case f.key == "EAN":
			var codes []string
			if err := json.Unmarshal(v, &codes); err != nil {
				return err
			}
			row[i] = strings.Join(codes, "|")
		default:
			row[i] = string(v) // a number as written (5.10 keeps its scale), a list as its JSON
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(keys)
	cw.Write(row)
	cw.Flush()
	return cw.Error()
}

// exampleArtikelDetails is the example product's details, as the wire
// writes them (compact, for the CSV cells).
func exampleArtikelDetails() []field {
	return []field{
		{"interne_notitie", json.RawMessage(`"Geleverd door Branderij Noord, elke dinsdag"`)},
		{"merk", json.RawMessage(`"Branderij Noord"`)},
		{"merk_id", json.RawMessage(`null`)},
		{"categorie", json.RawMessage(`"Koffie"`)},
		{"categorie_id", json.RawMessage(`null`)},
		{"categorieen", json.RawMessage(`[{"naam":"Koffie"},{"naam":"Ontbijt"}]`)},
		{"fotos", json.RawMessage(`[{"url":"https://img.example.com/koffie-500.jpg","is_hoofdfoto":true}]`)},
		{"prijscategorieen", json.RawMessage(`[{"label":"Horeca","label_id":null,"type":"VAST","korting":null,"verkoopprijs_excl":7.95,"verkoopprijs_incl":8.43}]`)},
		{"EAN", json.RawMessage(`["5411234567897"]`)},
		{"samenstellingen", json.RawMessage(`[{"text":"100 % arabica","taal":"nl","taal_display":"Nederlands"},{"text":"100 % arabica","taal":"fr","taal_display":"Français"}]`)},
		{"ruwe_grondstoffen", json.RawMessage(`[{"text":"Gebrande koffiebonen","taal":"nl","taal_display":"Nederlands"}]`)},
		{"gebruiksaanwijzingen", json.RawMessage(`[{"text":"7 g per kop, water van 92 °C","taal":"nl","taal_display":"Nederlands"}]`)},
		{"meer_info", json.RawMessage(`[{"text":"Luchtdicht bewaren","taal":"nl","taal_display":"Nederlands"},{"text":"Store airtight","taal":"en","taal_display":"English"}]`)},
	}
}

// templateCategorieen writes the example tree, whose names the example
// product uses.
func templateCategorieen(w io.Writer, f Format) error {
	if f == JSON {
		_, err := io.WriteString(w, `[
  {
    "naam": "Dranken",
    "children": [
      {"naam": "Koffie"},
      {"naam": "Thee", "children": [{"naam": "Groene thee"}, {"naam": "Kruidenthee"}]}
    ]
  },
  {"naam": "Ontbijt"}
]
`)
		return err
	}
	_, err := io.WriteString(w, "categorie\nDranken\nDranken/Koffie\nDranken/Thee\nDranken/Thee/Groene thee\nDranken/Thee/Kruidenthee\nOntbijt\n")
	return err
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
