package importfile_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// benchFile is n products as JSON, with the keys of their details when
// details.
func benchFile(n int, details bool) []byte {
	var b bytes.Buffer
	b.WriteString("[\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"naam": "Koffie %d", "beschrijving": "Arabica, medium gebrand", "SKU": "KOF-%d", "voorraad_bijhouden": "FYSIEK", "op_voorraad": 40, `+
			`"product_url": "https://www.example.com/koffie", "verkoopprijs_excl": 8.45, "verkoopprijs_incl": 8.96, "inkoopprijs_excl": 5.10, "inkoopprijs_incl": 5.41, `+
			`"BTW": 6, "bestellingtype": "IDEAAL", "units_per_bestelling": 1, "status": "ZICHTBAAR"`, i, i)
		if details {
			b.WriteString(`, "interne_notitie": "Elke dinsdag", "merk": "Branderij Noord", "merk_id": 3, "categorie": "Koffie", "categorie_id": null, ` +
				`"categorieen": [{"naam": "Koffie"}, 7], "fotos": [{"url": "https://img.example.com/k.jpg", "is_hoofdfoto": true}, {"url": "https://img.example.com/k2.jpg"}], ` +
				`"prijscategorieen": [{"label": "Horeca", "label_id": 1, "type": "KORTING", "korting": 10, "verkoopprijs_excl": 7.61, "verkoopprijs_incl": 8.07}], ` +
				`"EAN": ["5411234567897"], "samenstellingen": [{"text": "100 % arabica", "taal": "nl", "taal_display": "Nederlands"}, {"text": "100 % arabica", "taal": "fr", "taal_display": "Français"}], ` +
				`"ruwe_grondstoffen": [], "gebruiksaanwijzingen": [{"text": "7 g per kop", "taal": "nl", "taal_display": "Nederlands"}], "meer_info": null`)
		}
		b.WriteString("}")
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}

// plainArtikel has the fields of a product with its details for
// encoding/json: what the standard library does with the same bytes at
// least, without checks or problems, is the ceiling of the import's reader.
type plainArtikel struct {
	Naam               string      `json:"naam"`
	Beschrijving       string      `json:"beschrijving"`
	SKU                string      `json:"SKU"`
	VoorraadBijhouden  string      `json:"voorraad_bijhouden"`
	OpVoorraad         json.Number `json:"op_voorraad"`
	ProductURL         string      `json:"product_url"`
	VerkoopprijsExcl   json.Number `json:"verkoopprijs_excl"`
	VerkoopprijsIncl   json.Number `json:"verkoopprijs_incl"`
	InkoopprijsExcl    json.Number `json:"inkoopprijs_excl"`
	InkoopprijsIncl    json.Number `json:"inkoopprijs_incl"`
	BTW                json.Number `json:"BTW"`
	Bestellingtype     string      `json:"bestellingtype"`
	UnitsPerBestelling json.Number `json:"units_per_bestelling"`
	Status             string      `json:"status"`
	InterneNotitie     string      `json:"interne_notitie"`
	Merk               string      `json:"merk"`
	MerkID             int64       `json:"merk_id"`
	Categorie          string      `json:"categorie"`
	CategorieID        int64       `json:"categorie_id"`
	Categorieen        []any       `json:"categorieen"`
	Fotos              []struct {
		URL         string `json:"url"`
		IsHoofdfoto bool   `json:"is_hoofdfoto"`
	} `json:"fotos"`
	Prijscategorieen []struct {
		Label            string      `json:"label"`
		LabelID          int64       `json:"label_id"`
		Type             string      `json:"type"`
		Korting          json.Number `json:"korting"`
		VerkoopprijsExcl json.Number `json:"verkoopprijs_excl"`
		VerkoopprijsIncl json.Number `json:"verkoopprijs_incl"`
	} `json:"prijscategorieen"`
	EAN                  []string    `json:"EAN"`
	Samenstellingen      []plainText `json:"samenstellingen"`
	RuweGrondstoffen     []plainText `json:"ruwe_grondstoffen"`
	Gebruiksaanwijzingen []plainText `json:"gebruiksaanwijzingen"`
	MeerInfo             []plainText `json:"meer_info"`
}

type plainText struct {
	Text        string `json:"text"`
	Taal        string `json:"taal"`
	TaalDisplay string `json:"taal_display"`
}

// BenchmarkReadArtikels reads 1000 products with the import's reader,
// with and without the keys of their details, beside encoding/json
// streaming the file with details into plain structs (the ceiling).
//
//	go test -run '^$' -bench ReadArtikels -benchmem ./toolkit/internal/importfile/
func BenchmarkReadArtikels(b *testing.B) {
	const n = 1000
	for _, details := range []bool{false, true} {
		file := benchFile(n, details)
		name := map[bool]string{false: "protocol", true: "details"}[details]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(file)))
			for b.Loop() {
				count := 0
				for rec, err := range importfile.Artikels(bytes.NewReader(file), importfile.JSON) {
					if err != nil || len(rec.Problems) > 0 {
						b.Fatal(err, rec.Problems)
					}
					count++
				}
				if count != n {
					b.Fatalf("%d records", count)
				}
			}
		})
	}
	file := benchFile(n, true)
	b.Run("details-ceiling-encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			d := json.NewDecoder(bytes.NewReader(file))
			if _, err := d.Token(); err != nil {
				b.Fatal(err)
			}
			count := 0
			for d.More() {
				var a plainArtikel
				if err := d.Decode(&a); err != nil {
					b.Fatal(err)
				}
				count++
			}
			if count != n {
				b.Fatalf("%d records", count)
			}
		}
	})
}
