package cloudspot_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// fullArtikelBody is a product as a server sends it in API version 0.6,
// written out by hand from the design of that version: id, the 14 keys of
// version 0.4, then those of version 0.6 in their order.
const fullArtikelBody = `{"id":42,"naam":"Trappist Blond","beschrijving":"Blond abdijbier.","SKU":"BIE-TRA-033",` +
	`"voorraad_bijhouden":"FYSIEK","op_voorraad":48,"product_url":"https://brouwerij.example/blond",` +
	`"verkoopprijs_excl":2.10,"verkoopprijs_incl":2.54,"inkoopprijs_excl":1.20,"inkoopprijs_incl":1.45,` +
	`"BTW":21,"bestellingtype":"BESTELLING","units_per_bestelling":24,"status":"ZICHTBAAR",` +
	`"interne_notitie":"Niet koel bewaren.","merk":"Abdij","merk_id":7,"categorie":"Bier","categorie_id":3,` +
	`"categorieen":[{"id":3,"naam":"Bier"},{"id":9,"naam":"Promo"}],` +
	`"fotos":[{"url":"https://cdn.example/blond.jpg","is_hoofdfoto":true},{"url":"https://cdn.example/blond-2.jpg","is_hoofdfoto":false}],` +
	`"prijscategorieen":[{"label":"Horeca","label_id":2,"type":"VAST","korting":10,"verkoopprijs_excl":9.5,"verkoopprijs_incl":11.50},` +
	`{"label":"Actie","label_id":null,"type":null,"korting":null,"verkoopprijs_excl":null,"verkoopprijs_incl":null}],` +
	`"EAN":["5411234567890","05411234567891"],` +
	`"samenstellingen":[{"text":"Water, gerstemout, hop.","taal":"nl","taal_display":"Nederlands"},{"text":"Eau, malt, houblon.","taal":"fr","taal_display":"Français"}],` +
	`"ruwe_grondstoffen":[],"gebruiksaanwijzingen":[{"text":"Schenken op 8 °C.","taal":"nl","taal_display":"Nederlands"}],"meer_info":[]}`

func fullArtikel() cloudspot.Artikel {
	d := cloudspot.MustParseDecimal
	return cloudspot.Artikel{
		ID: 42, Naam: "Trappist Blond", Beschrijving: "Blond abdijbier.", SKU: "BIE-TRA-033",
		VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek, OpVoorraad: d("48"), ProductURL: "https://brouwerij.example/blond",
		VerkoopprijsExcl: d("2.10"), VerkoopprijsIncl: d("2.54"), InkoopprijsExcl: d("1.20"), InkoopprijsIncl: d("1.45"),
		BTW: d("21"), Bestellingtype: cloudspot.BestellingtypeBestelling, UnitsPerBestelling: d("24"), Status: cloudspot.ArtikelStatusZichtbaar,
		InterneNotitie: "Niet koel bewaren.", Merk: "Abdij", MerkID: 7, Categorie: "Bier", CategorieID: 3,
		Categorieen: []cloudspot.CategorieRef{{ID: 3, Naam: "Bier"}, {ID: 9, Naam: "Promo"}},
		Fotos:       []cloudspot.Foto{{URL: "https://cdn.example/blond.jpg", IsHoofdfoto: true}, {URL: "https://cdn.example/blond-2.jpg"}},
		Prijscategorieen: []cloudspot.Prijscategorie{
			{Label: "Horeca", LabelID: 2, Type: "VAST", Korting: d("10"), VerkoopprijsExcl: d("9.5"), VerkoopprijsIncl: d("11.50")},
			{Label: "Actie"},
		},
		EAN: []string{"5411234567890", "05411234567891"},
		Samenstellingen: []cloudspot.Translation{
			{Text: "Water, gerstemout, hop.", Taal: "nl", TaalDisplay: "Nederlands"},
			{Text: "Eau, malt, houblon.", Taal: "fr", TaalDisplay: "Français"},
		},
		RuweGrondstoffen:     []cloudspot.Translation{},
		Gebruiksaanwijzingen: []cloudspot.Translation{{Text: "Schenken op 8 °C.", Taal: "nl", TaalDisplay: "Nederlands"}},
		MeerInfo:             []cloudspot.Translation{},
	}
}

func TestFullArtikelPinned(t *testing.T) {
	t.Parallel()
	var got cloudspot.Artikel
	if err := json.Unmarshal([]byte(fullArtikelBody), &got); err != nil {
		t.Fatal(err)
	}
	if d := diff(fullArtikel(), got); d != "" {
		t.Errorf("decoding a version 0.6 product:\n%s", d)
	}
	if b := must(json.Marshal(fullArtikel()))(t); string(b) != fullArtikelBody {
		t.Errorf("encoding a version 0.6 product:\n got %s\nwant %s", b, fullArtikelBody)
	}
}

// TestArtikelVersion04Shape: a product without the keys of version 0.6
// encodes to exactly the 14 keys of version 0.4; a nil list is left out, an
// empty one that a server sent is kept.
func TestArtikelVersion04Shape(t *testing.T) {
	t.Parallel()
	var a cloudspot.Artikel
	if err := json.Unmarshal([]byte(artikelBody), &a); err != nil {
		t.Fatal(err)
	}
	if b := must(json.Marshal(a))(t); string(b) != artikelBody {
		t.Errorf("a version 0.4 product re-encoded as\n%s\nwant\n%s", b, artikelBody)
	}
	a.EAN = []string{}
	want := strings.TrimSuffix(artikelBody, "}") + `,"EAN":[]}`
	if b := must(json.Marshal(a))(t); string(b) != want {
		t.Errorf("with an empty EAN list:\n got %s\nwant %s", b, want)
	}
}

func TestArtikelExtensionsTolerance(t *testing.T) {
	t.Parallel()
	d := cloudspot.MustParseDecimal
	for _, tc := range []struct {
		name, body string
		want       cloudspot.Artikel
	}{
		{"CategorieenByIDAlone", `{"categorieen": [3, "4", 5.0, {"id": "6", "naam": "Wijn"}, null, "Bier"]}`,
			cloudspot.Artikel{Categorieen: []cloudspot.CategorieRef{{ID: 3}, {ID: 4}, {ID: 5}, {ID: 6, Naam: "Wijn"}, {Naam: "Bier"}}}},
		{"NullLists", `{"categorieen": null, "fotos": null, "prijscategorieen": null, "EAN": null, "samenstellingen": null,
			"ruwe_grondstoffen": null, "gebruiksaanwijzingen": null, "meer_info": null}`, cloudspot.Artikel{}},
		{"EmptyLists", `{"fotos": [], "EAN": []}`, cloudspot.Artikel{Fotos: []cloudspot.Foto{}, EAN: []string{}}},
		{"NullScalars", `{"interne_notitie": null, "merk": null, "merk_id": null, "categorie": null, "categorie_id": null}`, cloudspot.Artikel{}},
		{"StringsForNumbers", `{"merk_id": "7", "categorie_id": " 3 ", "prijscategorieen": [{"label_id": "2", "korting": "12,5",
			"verkoopprijs_excl": "9.50", "verkoopprijs_incl": ""}], "fotos": [{"url": "u", "is_hoofdfoto": "True"}]}`,
			cloudspot.Artikel{MerkID: 7, CategorieID: 3, Fotos: []cloudspot.Foto{{URL: "u", IsHoofdfoto: true}},
				Prijscategorieen: []cloudspot.Prijscategorie{{LabelID: 2, Korting: d("12.5"), VerkoopprijsExcl: d("9.50")}}}},
		{"NumbersForText", `{"EAN": [5411234567890, "5411234567891"], "merk": 3, "samenstellingen": [{"text": 12, "taal": "nl"}]}`,
			cloudspot.Artikel{EAN: []string{"5411234567890", "5411234567891"}, Merk: "3",
				Samenstellingen: []cloudspot.Translation{{Text: "12", Taal: "nl"}}}},
		{"OneEANAsText", `{"EAN": "5411234567890"}`, cloudspot.Artikel{EAN: []string{"5411234567890"}}},
		{"UnknownKeys", `{"naam": "x", "gewicht": 1.5, "fotos": [{"breedte": 800, "url": "u", "alt": null}],
			"meer_info": [{"taal": "en", "bron": "x", "text": "More"}]}`,
			cloudspot.Artikel{Naam: "x", Fotos: []cloudspot.Foto{{URL: "u"}}, MeerInfo: []cloudspot.Translation{{Text: "More", Taal: "en"}}}},
		{"NestedUnknownObjects", `{"fotos": [{"url": "u", "meta": {"maten": [{"w": 1, "h": [2, {"x": null}]}]}, "is_hoofdfoto": true}],
			"leverancier": {"naam": "A", "adres": {"land": "BE"}}, "prijscategorieen": [{"label": {"nl": "Horeca"}, "korting": 5}]}`,
			cloudspot.Artikel{Fotos: []cloudspot.Foto{{URL: "u", IsHoofdfoto: true}}, Prijscategorieen: nil}},
		{"NullElements", `{"fotos": [null, {"url": "u"}, null], "EAN": [null, "1"], "samenstellingen": [null]}`,
			cloudspot.Artikel{Fotos: []cloudspot.Foto{{URL: "u"}}, EAN: []string{"1"}, Samenstellingen: []cloudspot.Translation{}}},
		{"MainCategorieAsObject", `{"categorie": {"id": 3, "naam": "Bier", "pad": "Dranken/Bier"}, "merk": {"naam": "Abdij"}}`,
			cloudspot.Artikel{Categorie: "Bier", CategorieID: 3, Merk: "Abdij"}},
		{"NullIDKeepsTheObjects", `{"merk": {"id": 2, "naam": "M"}, "merk_id": null, "categorie": {"id": 3, "naam": "Bier"}, "categorie_id": null}`,
			cloudspot.Artikel{Merk: "M", MerkID: 2, Categorie: "Bier", CategorieID: 3}},
		{"IDAfterObjectWins", `{"merk": {"id": 2, "naam": "M"}, "merk_id": 5, "categorie_id": 4, "categorie": {"naam": "Bier"}}`,
			cloudspot.Artikel{Merk: "M", MerkID: 5, Categorie: "Bier", CategorieID: 4}},
		{"KeyTwiceKeepsLast", `{"fotos": [{"url": "a"}], "fotos": [{"url": "b"}], "EAN": ["1"], "EAN": null}`,
			cloudspot.Artikel{Fotos: []cloudspot.Foto{{URL: "b"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got cloudspot.Artikel
			err := json.Unmarshal([]byte(tc.body), &got)
			if tc.name == "NestedUnknownObjects" {
				// A label that is an object cannot be a name: an error
				// that says where, not a silently empty price category.
				var fe *cloudspot.FieldError
				if !errors.As(err, &fe) || fe.Key != "prijscategorieen[0].label" {
					t.Fatalf("error %v, want a FieldError at prijscategorieen[0].label", err)
				}
				if err := json.Unmarshal([]byte(strings.Replace(tc.body, `{"nl": "Horeca"}`, `"Horeca"`, 1)), &got); err != nil {
					t.Fatal(err)
				}
				tc.want.Prijscategorieen = []cloudspot.Prijscategorie{{Label: "Horeca", Korting: d("5")}}
			} else if err != nil {
				t.Fatal(err)
			}
			if d := diff(tc.want, got); d != "" {
				t.Error(d)
			}
			// nil and empty differ on purpose: absent or null against [].
			for i, pair := range [][2]bool{
				{tc.want.Fotos == nil, got.Fotos == nil}, {tc.want.EAN == nil, got.EAN == nil},
				{tc.want.Samenstellingen == nil, got.Samenstellingen == nil}, {tc.want.Categorieen == nil, got.Categorieen == nil},
			} {
				if pair[0] != pair[1] {
					t.Errorf("list %d: nil %v, want nil %v", i, pair[1], pair[0])
				}
			}
		})
	}
}

func TestArtikelExtensionsErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ body, key, msg string }{
		{`{"fotos": [{"url": "a"}, {"url": ["b"]}]}`, "fotos[1].url", "want text, got a list"},
		{`{"fotos": {"url": "a"}}`, "fotos", "want a list, got an object"},
		{`{"fotos": ["a"]}`, "fotos[0]", "want an object, got a string"},
		{`{"categorieen": [true]}`, "categorieen[0]", "want an id or an object"},
		{`{"categorieen": [1.5]}`, "categorieen[0]", "want an id"},
		{`{"categorieen": [{"id": "drie"}]}`, "categorieen[0].id", "want an integer"},
		{`{"prijscategorieen": [{"korting": "veel"}]}`, "prijscategorieen[0].korting", "invalid decimal"},
		{`{"EAN": [["1"]]}`, "EAN[0]", "want text, got a list"},
		{`{"EAN": [true]}`, "EAN[0]", "want text, got a boolean"},
		{`{"EAN": true}`, "EAN", "want a list, got a boolean"},
		{`{"merk": {"id": "x"}}`, "merk", "id: want an integer"},
	} {
		var a cloudspot.Artikel
		err := json.Unmarshal([]byte(tc.body), &a)
		var fe *cloudspot.FieldError
		if !errors.As(err, &fe) || fe.Object != "artikel" || fe.Key != tc.key || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v; want a FieldError at artikel.%s saying %q", tc.body, err, tc.key, tc.msg)
		}
	}
}

// TestArtikelPartsOnTheirOwn: each part of a product (a category, photo,
// price or text) reads and writes itself as it appears inside one.
func TestArtikelPartsOnTheirOwn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, out string
		v       any
	}{
		{`{"id": 3, "naam": "Bier"}`, `{"id":3,"naam":"Bier"}`, new(cloudspot.CategorieRef)},
		{`"3"`, `{"id":3,"naam":null}`, new(cloudspot.CategorieRef)},
		{`{"url": "u", "is_hoofdfoto": 1}`, `{"url":"u","is_hoofdfoto":true}`, new(cloudspot.Foto)},
		{`{"label": "Horeca"}`, `{"label":"Horeca","label_id":null,"type":null,"korting":null,"verkoopprijs_excl":null,"verkoopprijs_incl":null}`, new(cloudspot.Prijscategorie)},
		{`{"taal": "nl", "text": "x"}`, `{"text":"x","taal":"nl","taal_display":null}`, new(cloudspot.Translation)},
		{`{"id": "1", "naam": "Dranken", "children": null}`, `{"id":1,"naam":"Dranken","children":[]}`, new(cloudspot.Categorie)},
		{`{"naam": "Dranken", "children": [{"id": 2, "naam": "Bier", "kleur": "geel"}]}`,
			`{"id":0,"naam":"Dranken","children":[{"id":2,"naam":"Bier","children":[]}]}`, new(cloudspot.Categorie)},
	} {
		if err := json.Unmarshal([]byte(tc.in), tc.v); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if b := must(json.Marshal(tc.v))(t); string(b) != tc.out {
			t.Errorf("%s re-encoded as %s, want %s", tc.in, b, tc.out)
		}
	}
}
