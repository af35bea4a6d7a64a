package importfile_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

var equalDecimals = cmp.Comparer(func(a, b cloudspot.Decimal) bool { return a.Known() == b.Known() && a.String() == b.String() })

// TestArtikelDetails: the keys of a product's details in their wire shapes,
// from JSON and from CSV cells holding the lists' JSON, land in the product.
func TestArtikelDetails(t *testing.T) {
	t.Parallel()
	want := cloudspot.Artikel{
		Naam: "Tripel", SKU: "BIER-3",
		InterneNotitie: "Nieuw\nsinds mei", Merk: "Westmalle", MerkID: 12,
		Categorie: "Bier", CategorieID: 3,
		Categorieen: []cloudspot.CategorieRef{{ID: 3}, {Naam: "Trappist"}, {ID: 9, Naam: "Geschenken"}, {Naam: "Abdij"}},
		Fotos:       []cloudspot.Foto{{URL: "https://img.example.com/tripel.jpg", IsHoofdfoto: true}, {URL: "https://img.example.com/glas.jpg"}},
		Prijscategorieen: []cloudspot.Prijscategorie{{Label: "Horeca", LabelID: 2, Type: "VAST", Korting: cloudspot.MustParseDecimal("10"),
			VerkoopprijsExcl: cloudspot.MustParseDecimal("9.50"), VerkoopprijsIncl: cloudspot.MustParseDecimal("11.50")}, {Label: "Leden"}},
		EAN:                  []string{"05411234567897", "87123456"},
		Samenstellingen:      []cloudspot.Translation{{Text: "Water, gerstemout", Taal: "nl", TaalDisplay: "Nederlands"}, {Text: "Eau, malt d'orge", Taal: "fr"}},
		RuweGrondstoffen:     []cloudspot.Translation{},
		Gebruiksaanwijzingen: []cloudspot.Translation{{Text: "Koel schenken", Taal: "nl"}},
		MeerInfo:             nil,
	}
	const (
		categorieen      = `[3, "Trappist", {"id": 9, "naam": "Geschenken"}, {"naam": "Abdij"}]`
		fotos            = `[{"url": "https://img.example.com/tripel.jpg", "is_hoofdfoto": true}, {"url": "https://img.example.com/glas.jpg", "is_hoofdfoto": null}]`
		prijscategorieen = `[{"label": "Horeca", "label_id": 2, "type": "VAST", "korting": 10, "verkoopprijs_excl": "9.50", "verkoopprijs_incl": 11.50}, {"label": "Leden"}]`
		samenstellingen  = `[{"text": "Water, gerstemout", "taal": "nl", "taal_display": "Nederlands"}, {"text": "Eau, malt d'orge", "taal": "fr"}]`
		gebruik          = `[{"text": "Koel schenken", "taal": "nl"}]`
	)
	// The id, as an export carries it, is read and not used.
	jsonIn := `[{"id": 12, "naam": "Tripel", "SKU": "BIER-3", "interne_notitie": "Nieuw\nsinds mei", "merk": "Westmalle", "merk_id": 12,
	  "categorie": "Bier", "categorie_id": "3", "categorieen": ` + categorieen + `, "fotos": ` + fotos + `,
	  "prijscategorieen": ` + prijscategorieen + `, "EAN": ["05411234567897", "87123456"], "samenstellingen": ` + samenstellingen + `,
	  "ruwe_grondstoffen": [], "gebruiksaanwijzingen": ` + gebruik + `, "meer_info": null}]`
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	csvIn := "naam;SKU;interne_notitie;merk;merk_id;categorie;categorie_id;categorieen;fotos;prijscategorieen;EAN;samenstellingen;ruwe_grondstoffen;gebruiksaanwijzingen;meer_info\n" +
		strings.Join([]string{"Tripel", "BIER-3", "\"Nieuw\nsinds mei\"", "Westmalle", "12", "Bier", "3", quote(categorieen), quote(fotos),
			quote(prijscategorieen), "05411234567897 | 87123456", quote(samenstellingen), "[]", quote(gebruik), ""}, ";") + "\n"
	for name, tc := range map[string]struct {
		in     string
		format importfile.Format
	}{"JSON": {jsonIn, importfile.JSON}, "CSV": {csvIn, importfile.CSV}} {
		recs, err := read(t, strings.NewReader(tc.in), tc.format)
		if err != nil || len(recs) != 1 {
			t.Fatalf("%s: %d records, err %v", name, len(recs), err)
		}
		if len(recs[0].Problems) != 0 {
			t.Errorf("%s: problems %v", name, recs[0].Problems)
		}
		if diff := cmp.Diff(want, recs[0].Value, equalDecimals); diff != "" {
			t.Errorf("%s: product (-want +got):\n%s", name, diff)
		}
	}
	// The EAN column of a CSV file also takes the list's JSON.
	recs, err := read(t, strings.NewReader("naam,EAN\nA,\"[\"\"5411234567897\"\"]\"\n"), importfile.CSV)
	if err != nil || len(recs) != 1 || len(recs[0].Problems) != 0 || !cmp.Equal(recs[0].Value.EAN, []string{"5411234567897"}) {
		t.Errorf("EAN as JSON in CSV: %+v, %v", recs, err)
	}
}

// TestArtikelDetailProblems: every value in a wrong shape is a problem of
// its key that says what is wrong and where in the list, and the other keys
// of the record are still read.
func TestArtikelDetailProblems(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		key, value string // a JSON value, or for CSV the cell's text
		format     importfile.Format
		want       string
	}{
		"IDText":               {"id", `"twelve"`, importfile.JSON, `want an id (a whole number from 1), not "twelve"`},
		"MerkNumber":           {"merk", `12`, importfile.JSON, "want text, not a number"},
		"MerkIDText":           {"merk_id", `"twelve"`, importfile.JSON, `want an id (a whole number from 1), not "twelve"`},
		"MerkIDNegative":       {"merk_id", `-3`, importfile.JSON, "whole number from 1"},
		"MerkIDFraction":       {"merk_id", `1.5`, importfile.JSON, "whole number"},
		"CategorieIDList":      {"categorie_id", `[3]`, importfile.JSON, "not a list"},
		"CategorieenObject":    {"categorieen", `{"id": 3}`, importfile.JSON, "want a list, not an object"},
		"CategorieenEmptyName": {"categorieen", `[3, " "]`, importfile.JSON, "item 2: an empty name"},
		"CategorieenNull":      {"categorieen", `[null]`, importfile.JSON, "item 1: want a category's id, name"},
		"CategorieenNeither":   {"categorieen", `[{}]`, importfile.JSON, "item 1: give the category's id or naam"},
		"CategorieenOtherKey":  {"categorieen", `[{"naam": "A", "parent": "B"}]`, importfile.JSON, `item 1: unknown key "parent"`},
		"CategorieenBool":      {"categorieen", `[true]`, importfile.JSON, "not a boolean"},
		"FotoString":           {"fotos", `["https://x.example/a.jpg"]`, importfile.JSON, `item 1: want a photo {"url": ..., "is_hoofdfoto": ...}, not a string`},
		"FotoNoURL":            {"fotos", `[{"url": "https://a.example/1.jpg"}, {"is_hoofdfoto": true}]`, importfile.JSON, "item 2: url: is required"},
		"FotoHoofdText":        {"fotos", `[{"url": "u", "is_hoofdfoto": "ja"}]`, importfile.JSON, "is_hoofdfoto: want true or false, not a string"},
		"FotoKeyTwice":         {"fotos", `[{"url": "a", "url": "b"}]`, importfile.JSON, `the key "url" is given twice`},
		"PrijsKorting":         {"prijscategorieen", `[{"label": "A", "korting": "veel"}]`, importfile.JSON, `item 1: korting: invalid decimal "veel"`},
		"PrijsKortingBool":     {"prijscategorieen", `[{"korting": true}]`, importfile.JSON, "korting: want a number, not a boolean"},
		"PrijsLabelID":         {"prijscategorieen", `[{"label_id": "x"}]`, importfile.JSON, "label_id: want an id"},
		"EANNumber":            {"EAN", `[5411234567897]`, importfile.JSON, `item 1: write an EAN as text ("5411234567897")`},
		"EANObject":            {"EAN", `[{"code": "1"}]`, importfile.JSON, "item 1: want an EAN as text, not an object"},
		"EANText":              {"EAN", `"5411234567897"`, importfile.JSON, "want a list, not a string"},
		"TaalNumber":           {"meer_info", `[{"text": "a", "taal": 31}]`, importfile.JSON, "item 1: taal: want text, not a number"},
		"TextOtherKey":         {"samenstellingen", `[{"tekst": "a"}]`, importfile.JSON, `unknown key "tekst"`},
		"CSVListNotJSON":       {"fotos", `https://x.example/a.jpg`, importfile.CSV, "want the list as JSON"},
		"CSVListBroken":        {"categorieen", `["Bier"`, importfile.CSV, "not a JSON list"},
		"CSVEANEmpty":          {"EAN", `5411234567897||87123456`, importfile.CSV, `code 2 of "5411234567897||87123456" is empty`},
		"CSVDeep":              {"categorieen", strings.Repeat("[", 100000), importfile.CSV, "not a JSON list"},
	} {
		var in string
		if tc.format == importfile.JSON {
			in = `[{"naam": "A", "SKU": "S-1", "` + tc.key + `": ` + tc.value + `}]`
		} else {
			in = "naam;SKU;" + tc.key + "\nA;S-1;\"" + strings.ReplaceAll(tc.value, `"`, `""`) + "\"\n"
		}
		recs, err := read(t, strings.NewReader(in), tc.format)
		if err != nil || len(recs) != 1 {
			t.Errorf("%s: %d records, err %v", name, len(recs), err)
			continue
		}
		ps := recs[0].Problems
		if len(ps) != 1 || ps[0].Field != tc.key || !strings.Contains(ps[0].Message, tc.want) {
			t.Errorf("%s: problems %v, want one of %s saying %q", name, ps, tc.key, tc.want)
		}
		if recs[0].Value.SKU != "S-1" {
			t.Errorf("%s: the other keys were lost: %+v", name, recs[0].Value)
		}
	}
}

// TestArtikelDetailsHostile: bad UTF-8 anywhere in a list is a problem, and
// huge lists are read within the record's limit.
func TestArtikelDetailsHostile(t *testing.T) {
	t.Parallel()
	recs, err := read(t, strings.NewReader("[{\"naam\": \"A\", \"fotos\": [{\"url\": \"https://a.example/\xff.jpg\"}]}]"), importfile.JSON)
	if err != nil || len(recs) != 1 || len(recs[0].Problems) != 1 || recs[0].Problems[0].Field != "fotos" || !strings.Contains(recs[0].Problems[0].Message, "UTF-8") {
		t.Errorf("bad UTF-8 in a photo's url: %+v, %v", recs, err)
	}
	many := "[" + strings.Repeat(`"5411234567897",`, 60000) + `"5411234567897"]`
	recs, err = read(t, strings.NewReader(`[{"naam": "A", "EAN": `+many+`}]`), importfile.JSON)
	if err != nil || len(recs) != 1 || len(recs[0].Problems) != 0 || len(recs[0].Value.EAN) != 60001 {
		t.Errorf("60001 EAN codes: %d records, err %v", len(recs), err)
	}
}

// TestArtikelDetailKeys: the keys an import reads beside the protocol's are
// those of a product's details, as the wire lists them.
func TestArtikelDetailKeys(t *testing.T) {
	t.Parallel()
	want := []string{"interne_notitie", "merk", "merk_id", "categorie", "categorie_id", "categorieen", "fotos",
		"prijscategorieen", "EAN", "samenstellingen", "ruwe_grondstoffen", "gebruiksaanwijzingen", "meer_info"}
	if diff := cmp.Diff(want, importfile.ArtikelDetailKeys()); diff != "" {
		t.Errorf("ArtikelDetailKeys (-want +got):\n%s", diff)
	}
	// A value of the wrong shape under each key is a problem of that key.
	for _, key := range want {
		recs, err := read(t, strings.NewReader(`[{"naam": "A", "`+key+`": {"x": 1}}]`), importfile.JSON)
		if err != nil || len(recs) != 1 || len(recs[0].Problems) != 1 || recs[0].Problems[0].Field != key {
			t.Errorf("%s given an object: %v %v", key, recs, err)
		}
	}
}

// TestKeepDetails: a product record that carries none of the keys of a
// product's details is marked to keep the product's details; one that
// carries any of them, even as null, [] or an empty cell, or with a value
// that cannot be read, is not. An id, which any export carries, is not
// such a key.
func TestKeepDetails(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		format importfile.Format
		in     string
		want   []bool // KeepDetails of each record
	}{
		{"JSON", importfile.JSON, `[
			{"naam": "Oud", "SKU": "A-1"},
			{"id": 7, "naam": "Oud met id", "SKU": "A-2"},
			{"naam": "Merk null", "SKU": "A-3", "merk": null},
			{"naam": "Geen EAN", "SKU": "A-4", "EAN": []},
			{"naam": "Onleesbaar", "SKU": "A-5", "fotos": 12},
			{"naam": "Alles", "SKU": "A-6", "meer_info": [{"text": "x", "taal": "nl"}]}
		]`, []bool{true, true, false, false, false, false}},
		{"JSON data", importfile.JSON, `{"data": [{"naam": "Oud", "SKU": "A-1"}, {"SKU": "A-2", "categorie_id": null}]}`, []bool{true, false}},
		{"CSV of the protocol's columns", importfile.CSV, "id,naam,SKU,verkoopprijs_excl\n1,Oud,A-1,\"4,50\"\n,Oud,A-2,\n", []bool{true, true}},
		// A column is there for every row, its empty cells included.
		{"CSV with a detail column", importfile.CSV, "naam;SKU;EAN\nOud;A-1;\nNieuw;A-2;12345678\n", []bool{false, false}},
		{"CSV with a cell that is not UTF-8", importfile.CSV, "naam,SKU,merk\nOud,A-1,\xff\n", []bool{false}},
		{"CSV with a column in another case", importfile.CSV, "NAAM,sku,Ruwe_Grondstoffen\nOud,A-1,\n", []bool{false}},
	} {
		recs, err := read(t, strings.NewReader(tc.in), tc.format)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []bool
		for _, r := range recs {
			got = append(got, r.KeepDetails)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: KeepDetails %v, want %v", tc.name, got, tc.want)
		}
	}
	// Each detail key alone, given as null, in JSON and as an empty cell.
	for _, k := range importfile.ArtikelDetailKeys() {
		for f, in := range map[importfile.Format]string{
			importfile.JSON: `[{"naam": "Oud", "SKU": "A-1", "` + k + `": null}]`,
			importfile.CSV:  "naam,SKU," + k + "\nOud,A-1,\n",
		} {
			recs, err := read(t, strings.NewReader(in), f)
			if err != nil || len(recs) != 1 || recs[0].KeepDetails {
				t.Errorf("%s with %s alone: %+v, %v; want a record that does not keep", f, k, recs, err)
			}
		}
	}
	// Clients have no such keys: nothing to keep.
	for rec, err := range importfile.Klanten(strings.NewReader("klantennummer,voornaam\n1,An\n"), importfile.CSV) {
		if err != nil || rec.KeepDetails {
			t.Errorf("a client record: KeepDetails %v, err %v", rec.KeepDetails, err)
		}
	}
}
