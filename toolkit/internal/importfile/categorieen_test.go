package importfile_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

func readCategorieen(t *testing.T, in io.Reader, f importfile.Format) ([]erp.Record[erp.NewCategorie], error) {
	t.Helper()
	var out []erp.Record[erp.NewCategorie]
	for rec, err := range importfile.Categorieen(in, f) {
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// cat is a record of a category that read without a problem, for the
// tests' expectations.
func cat(line int, path ...string) erp.Record[erp.NewCategorie] {
	r := erp.Record[erp.NewCategorie]{Line: line, Value: erp.NewCategorie{Naam: path[len(path)-1]}}
	if len(path) > 1 {
		r.Value.Parents = path[:len(path)-1]
	}
	return r
}

// TestCategorieenTree: both formats give each category with its parents'
// names, parents first, on the line the category starts.
func TestCategorieenTree(t *testing.T) {
	t.Parallel()
	jsonTree := `[
  {"naam": "Dranken", "children": [
    {"naam": "Bier", "children": [{"naam": "Trappist"}]},
    {"children": [{"naam": "Rood"}, {"naam": "Wit"}],
     "naam": "Wijn / Bubbels"}
  ]},
  {"naam": "Ontbijt", "children": null},
  {"naam": "Snoep", "children": []}
]`
	csvPaths := "categorie\nDranken\nDranken/Bier\n Dranken / Bier /Trappist\nDranken/Wijn \\/ Bubbels\nDranken/Wijn \\/ Bubbels/Rood\nDranken/Wijn \\/ Bubbels/Wit\nOntbijt\nSnoep\n"
	const wijn = "Wijn / Bubbels"
	for name, tc := range map[string]struct {
		in     string
		format importfile.Format
		want   []erp.Record[erp.NewCategorie]
	}{
		"JSON": {jsonTree, importfile.JSON, []erp.Record[erp.NewCategorie]{
			cat(2, "Dranken"), cat(3, "Dranken", "Bier"), cat(3, "Dranken", "Bier", "Trappist"),
			cat(4, "Dranken", wijn), cat(4, "Dranken", wijn, "Rood"), cat(4, "Dranken", wijn, "Wit"),
			cat(7, "Ontbijt"), cat(8, "Snoep"),
		}},
		"JSONData": {`{"data": [{"naam": "Dranken", "children": [{"naam": "Bier"}]}]}`, importfile.JSON, []erp.Record[erp.NewCategorie]{
			cat(1, "Dranken"), cat(1, "Dranken", "Bier"),
		}},
		"CSV": {csvPaths, importfile.CSV, []erp.Record[erp.NewCategorie]{
			cat(2, "Dranken"), cat(3, "Dranken", "Bier"), cat(4, "Dranken", "Bier", "Trappist"),
			cat(5, "Dranken", wijn), cat(6, "Dranken", wijn, "Rood"), cat(7, "Dranken", wijn, "Wit"),
			cat(8, "Ontbijt"), cat(9, "Snoep"),
		}},
		"CSVBackslashes": {"Categorie\r\n\"a\\\\/b\\c\"\r\n", importfile.CSV, []erp.Record[erp.NewCategorie]{
			cat(2, `a\`, `b\c`),
		}},
	} {
		got, err := readCategorieen(t, strings.NewReader(tc.in), tc.format)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: records (-want +got):\n%s", name, diff)
		}
	}
}

// TestCategorieenProblems: what cannot be read is a problem of its
// category, named by key, and the other categories are still read.
func TestCategorieenProblems(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		in          string
		format      importfile.Format
		field, want string
	}{
		"ID":             {`[{"id": 4, "naam": "A"}]`, importfile.JSON, "id", "ids are given by the server"},
		"UnknownKey":     {`[{"naam": "A", "name": "A"}]`, importfile.JSON, "name", "unknown key"},
		"NaamNumber":     {`[{"naam": 12}]`, importfile.JSON, "naam", "want text, not a number"},
		"ChildrenObject": {`[{"naam": "A", "children": {"naam": "B"}}]`, importfile.JSON, "children", "want a list of categories, not an object"},
		"KeyTwice":       {`[{"naam": "A", "naam": "B"}]`, importfile.JSON, "naam", "given twice"},
		"NotAnObject":    {`["A"]`, importfile.JSON, "", `want a category {"naam": ...}, not a string`},
		"BadUTF8JSON":    {"[{\"naam\": \"A\xff\"}]", importfile.JSON, "naam", "UTF-8"},
		"BadUTF8CSV":     {"categorie\nA\xff\n", importfile.CSV, "", "categorie: text must be UTF-8"},
		"EmptyName":      {"categorie\nDranken//Bier\n", importfile.CSV, "", `categorie: the path "Dranken//Bier" has an empty name`},
		"TrailingSlash":  {"categorie\nDranken/\n", importfile.CSV, "", "has an empty name"},
		"EmptyCell":      {"categorie\n\"\"\n", importfile.CSV, "", "categorie: is required"},
	} {
		recs, err := readCategorieen(t, strings.NewReader(tc.in), tc.format)
		if err != nil || len(recs) != 1 {
			t.Errorf("%s: %d records, err %v", name, len(recs), err)
			continue
		}
		found := false
		for _, p := range recs[0].Problems {
			found = found || p.Field == tc.field && strings.Contains(p.Message, tc.want)
		}
		if !found {
			t.Errorf("%s: problems %v, want one of %q saying %q", name, recs[0].Problems, tc.field, tc.want)
		}
	}
	// A bad category does not hide the next one.
	recs, err := readCategorieen(t, strings.NewReader(`[{"id": 1}, {"naam": "B", "children": [7, {"naam": "C"}]}]`), importfile.JSON)
	if err != nil || len(recs) != 4 {
		t.Fatalf("%d records, err %v", len(recs), err)
	}
	if len(recs[1].Problems) != 0 || len(recs[2].Problems) != 1 || len(recs[3].Problems) != 0 || recs[3].Value.Naam != "C" || recs[3].Value.Parents[0] != "B" {
		t.Errorf("records after a bad one: %+v", recs)
	}
}

// TestCategorieenHostile: a tree nested deeper than a tree may be, values
// too large and nesting beyond any tree are refused with a bounded amount
// of work, and a file cut short is an error.
func TestCategorieenHostile(t *testing.T) {
	t.Parallel()
	// 4000 levels, valid JSON: read to level 10, the rest refused at once.
	const levels = 4000
	deep := strings.Repeat(`{"naam": "x", "children": [`, levels) + strings.Repeat("]}", levels)
	recs, err := readCategorieen(t, strings.NewReader("["+deep+"]"), importfile.JSON)
	if err != nil || len(recs) != erp.MaxCategorieDepth {
		t.Fatalf("a tree %d levels deep: %d records, err %v; want %d records", levels, len(recs), err, erp.MaxCategorieDepth)
	}
	last := recs[len(recs)-1]
	if len(last.Value.Parents) != erp.MaxCategorieDepth-1 || len(last.Problems) != 1 || !strings.Contains(last.Problems[0].Message, "at most 10 levels") {
		t.Errorf("the deepest category read: %d parents, problems %v", len(last.Value.Parents), last.Problems)
	}
	for i, r := range recs[:len(recs)-1] {
		if len(r.Problems) != 0 {
			t.Errorf("level %d: %v", i+1, r.Problems)
		}
	}
	// Nesting beyond what any JSON reader follows ends the file.
	if _, err := readCategorieen(t, strings.NewReader(strings.Repeat("[", 200000)), importfile.JSON); err == nil {
		t.Error("200000 nested lists: no error")
	}
	// A root over the limit is a problem of its own; the next is read.
	big := strings.Repeat("é", importfile.MaxRecordBytes/2+1)
	recs, err = readCategorieen(t, strings.NewReader(`[{"naam": "`+big+`"}, {"naam": "B"}]`), importfile.JSON)
	if err != nil || len(recs) != 2 || len(recs[0].Problems) != 1 || !strings.Contains(recs[0].Problems[0].Message, "more than 1 MiB") || recs[1].Value.Naam != "B" {
		t.Errorf("a root over 1 MiB: %d records, err %v", len(recs), err)
	}
	for _, f := range []importfile.Format{importfile.JSON, importfile.CSV} {
		head := map[importfile.Format]string{importfile.JSON: `[{"naam": "`, importfile.CSV: "categorie\n\""}[f]
		endless := &counter{r: io.MultiReader(strings.NewReader(head), repeat('x'))}
		if _, err := readCategorieen(t, endless, f); err == nil || !strings.Contains(err.Error(), "records are limited to 1 MiB") {
			t.Errorf("%s: an endless name: err = %v", f, err)
		}
		if endless.n > 16*importfile.MaxRecordBytes {
			t.Errorf("%s: read %d bytes of an endless name before refusing it", f, endless.n)
		}
	}
	good := `[{"naam": "A", "children": [{"naam": "B"}]}, {"naam": "C"}]`
	for i := 1; i < len(good); i++ {
		if _, err := readCategorieen(t, strings.NewReader(good[:i]), importfile.JSON); err == nil {
			t.Errorf("the file cut after %d bytes (%q) read without an error", i, good[:i])
		}
	}
}

// TestCategorieenWide: many categories under one root are each read, with
// a line each.
func TestCategorieenWide(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("[{\"naam\": \"Root\", \"children\": [\n")
	const n = 20000
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"naam": "C%d"}`, i)
	}
	b.WriteString("]}]")
	recs, err := readCategorieen(t, strings.NewReader(b.String()), importfile.JSON)
	if err != nil || len(recs) != n+1 {
		t.Fatalf("%d records, err %v", len(recs), err)
	}
	if r := recs[n]; r.Value.Naam != fmt.Sprintf("C%d", n-1) || r.Line != n+1 || r.Value.Parents[0] != "Root" {
		t.Errorf("the last category: %+v", r)
	}
}

// TestTemplateCategorieen: the category templates of both formats read
// back as the same tree without a problem, and it holds the categories the
// product template names.
func TestTemplateCategorieen(t *testing.T) {
	t.Parallel()
	var trees [2][]erp.Record[erp.NewCategorie]
	names := map[string]bool{}
	for i, f := range []importfile.Format{importfile.CSV, importfile.JSON} {
		var b bytes.Buffer
		if err := importfile.Template(&b, importfile.KindCategorieen, f); err != nil {
			t.Fatal(err)
		}
		for rec, err := range importfile.Categorieen(&b, f) {
			if err != nil || len(rec.Problems) > 0 {
				t.Fatalf("%s template: %v %v", f, err, rec.Problems)
			}
			rec.Line = 0
			trees[i] = append(trees[i], rec)
			names[rec.Value.Naam] = true
		}
	}
	if len(trees[0]) < 4 || fmt.Sprint(trees[0]) != fmt.Sprint(trees[1]) {
		t.Errorf("the templates differ:\nCSV  %v\nJSON %v", trees[0], trees[1])
	}
	for _, f := range []importfile.Format{importfile.CSV, importfile.JSON} {
		var b bytes.Buffer
		if err := importfile.Template(&b, importfile.KindArtikels, f); err != nil {
			t.Fatal(err)
		}
		for _, key := range importfile.ArtikelDetailKeys() {
			if !strings.Contains(b.String(), key) {
				t.Errorf("%s artikels template lacks %q", f, key)
			}
		}
		for rec, err := range importfile.Artikels(&b, f) {
			if err != nil || len(rec.Problems) > 0 {
				t.Fatalf("%s artikels template: %v %v", f, err, rec.Problems)
			}
			a := rec.Value
			if !names[a.Categorie] || len(a.Categorieen) == 0 || len(a.Fotos) != 1 || len(a.EAN) != 1 || len(a.Prijscategorieen) != 1 ||
				len(a.Samenstellingen) != 2 || len(a.MeerInfo) != 2 || a.Merk == "" || a.InterneNotitie == "" {
				t.Errorf("%s artikels template lacks a detail: %+v", f, a)
			}
			for _, c := range a.Categorieen {
				if !names[c.Naam] {
					t.Errorf("%s artikels template names category %q, which the category template lacks", f, c.Naam)
				}
			}
		}
	}
}

// TestCategorieenCSVHeader: the file's one column is checked on its header,
// as the other kinds' columns are: a column beside it, or a file without
// it, is a problem of line 1 and no row is read.
func TestCategorieenCSVHeader(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"categorie,parent\nA,B\n": `line 1: "parent": unknown column; line 1: the columns every file needs: categorie`,
		"categorei\nA\n": `line 1: "categorei": unknown column; did you mean categorie?; ` +
			"line 1: categorie: no such column, and every record needs one; line 1: the columns every file needs: categorie",
	} {
		recs, err := readCategorieen(t, strings.NewReader(in), importfile.CSV)
		if err == nil || err.Error() != want || len(recs) != 0 {
			t.Errorf("%q: %d records, err %v; want %q", in, len(recs), err, want)
		}
	}
}
