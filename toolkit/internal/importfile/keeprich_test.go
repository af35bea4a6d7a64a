package importfile_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// TestKeepRich: a product record that carries none of the keys of API
// version 0.6 is marked to keep that data; one that carries any of them,
// even as null, [] or an empty cell, or with a value that cannot be read,
// is not. An id, which a 0.4 export has too, is not such a key.
func TestKeepRich(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		format importfile.Format
		in     string
		want   []bool // KeepRich of each record
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
		{"CSV with a column of 0.6", importfile.CSV, "naam;SKU;EAN\nOud;A-1;\nNieuw;A-2;12345678\n", []bool{false, false}},
		{"CSV with a cell that is not UTF-8", importfile.CSV, "naam,SKU,merk\nOud,A-1,\xff\n", []bool{false}},
		{"CSV with a column in another case", importfile.CSV, "NAAM,sku,Ruwe_Grondstoffen\nOud,A-1,\n", []bool{false}},
	} {
		recs, err := read(t, strings.NewReader(tc.in), tc.format)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []bool
		for _, r := range recs {
			got = append(got, r.KeepRich)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: KeepRich %v, want %v", tc.name, got, tc.want)
		}
	}
	// Each key of 0.6 alone, given as null, in JSON and as an empty cell.
	for _, k := range importfile.ImportedExtensionKeys() {
		for f, in := range map[importfile.Format]string{
			importfile.JSON: `[{"naam": "Oud", "SKU": "A-1", "` + k + `": null}]`,
			importfile.CSV:  "naam,SKU," + k + "\nOud,A-1,\n",
		} {
			recs, err := read(t, strings.NewReader(in), f)
			if err != nil || len(recs) != 1 || recs[0].KeepRich {
				t.Errorf("%s with %s alone: %+v, %v; want a record that does not keep", f, k, recs, err)
			}
		}
	}
	// Clients have no such keys: nothing to keep.
	for rec, err := range importfile.Klanten(strings.NewReader("klantennummer,voornaam\n1,An\n"), importfile.CSV) {
		if err != nil || rec.KeepRich {
			t.Errorf("a client record: KeepRich %v, err %v", rec.KeepRich, err)
		}
	}
}
