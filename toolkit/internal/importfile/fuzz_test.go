package importfile_test

import (
	"bytes"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// FuzzArtikels: whatever a file holds, reading it ends (with records or an
// error), never panics, and every problem names what it is about.
func FuzzArtikels(f *testing.F) {
	for _, seed := range []string{
		`[{"naam": "A", "SKU": "A-1", "categorieen": [3, "Bier", {"id": 4}, {"naam": "Wijn"}], "EAN": ["5411234567897"]}]`,
		`[{"fotos": [{"url": "https://a.example/x.jpg", "is_hoofdfoto": true}], "prijscategorieen": [{"korting": "10", "label_id": 2}]}]`,
		`{"data": [{"meer_info": [{"text": "t", "taal": "nl", "taal_display": "Nederlands"}], "merk_id": "7"}]}`,
		"naam;EAN;fotos\nA;541|542;\"[{\"\"url\"\": \"\"u\"\"}]\"\n",
		"naam,categorieen\nA,\"[3, \"\"Bier\"\"]\"\nB,[[[[\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, format := range []importfile.Format{importfile.JSON, importfile.CSV} {
			for rec, err := range importfile.Artikels(bytes.NewReader(in), format) {
				if err != nil {
					if err.Error() == "" {
						t.Fatal("an error without a message")
					}
					break
				}
				for _, p := range rec.Problems {
					if p.Message == "" {
						t.Fatalf("a problem without a message: %+v", p)
					}
				}
			}
		}
	})
}

// FuzzCategorieen: whatever a file holds, reading it ends, never panics,
// and no category of a JSON tree is read deeper than a tree may be (a CSV
// path is bounded by its cell; the domain refuses it).
func FuzzCategorieen(f *testing.F) {
	for _, seed := range []string{
		`[{"naam": "Dranken", "children": [{"naam": "Bier", "children": [{"naam": "Trappist"}]}, {"children": [], "naam": "Wijn"}]}]`,
		`{"data": [{"naam": "A", "id": 3, "children": null}, "B", {"naam": 7}]}`,
		"categorie\nDranken\nDranken/Bier\nDranken/Wijn \\/ Bubbels\nA\\\\/B\n//\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, format := range []importfile.Format{importfile.JSON, importfile.CSV} {
			for rec, err := range importfile.Categorieen(bytes.NewReader(in), format) {
				if err != nil {
					break
				}
				if format == importfile.JSON && len(rec.Value.Parents) >= erp.MaxCategorieDepth {
					t.Fatalf("a category read %d levels deep: %+v", len(rec.Value.Parents)+1, rec)
				}
				for _, p := range rec.Problems {
					if p.Message == "" {
						t.Fatalf("a problem without a message: %+v", p)
					}
				}
			}
		}
	})
}
