package importfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// read collects what Artikels yields: the records and the error that
// ended them, if any.
func read(t *testing.T, in io.Reader, f importfile.Format) ([]erp.Record[cloudspot.Artikel], error) {
	t.Helper()
	var out []erp.Record[cloudspot.Artikel]
	for rec, err := range importfile.Artikels(in, f) {
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, nil
}

func TestFormats(t *testing.T) {
	t.Parallel()
	csvComma := "naam,sku,voorraad_bijhouden,op_voorraad,verkoopprijs_excl,verkoopprijs_incl,BTW,bestellingtype,status\n" +
		"\"Koffie, gemalen\",KOF-1,FYSIEK,10,\"4,50\",4.77,6,IDEAAL,ZICHTBAAR\n"
	csvSemicolon := "\xef\xbb\xbfnaam;SKU;voorraad_bijhouden;verkoopprijs_excl;BTW;bestellingtype;status;product_url\r\n" +
		"Crêpe-pan;PAN-1;NIET;24,95;21;BESTELLING;ZICHTBAAR;\r\n"
	jsonList := `[{"naam": "Thee", "SKU": "THE-1", "voorraad_bijhouden": "DIGITAAL", "BTW": "6", "bestellingtype": "IDEAAL", "status": "GEDEACTIVEERD"}]`
	jsonData := `{"count": 1, "data": ` + jsonList + `, "next": null}`
	for name, tc := range map[string]struct {
		in         string
		format     importfile.Format
		sku, price string
	}{
		"CSVComma":     {csvComma, importfile.CSV, "KOF-1", "4.50"},
		"CSVSemicolon": {csvSemicolon, importfile.CSV, "PAN-1", "24.95"},
		"JSONList":     {jsonList, importfile.JSON, "THE-1", ""}, // absent: unknown, not 0
		"JSONData":     {jsonData, importfile.JSON, "THE-1", ""},
	} {
		recs, err := read(t, strings.NewReader(tc.in), tc.format)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(recs) != 1 || recs[0].Value.SKU != tc.sku || recs[0].Value.VerkoopprijsExcl.String() != tc.price || len(recs[0].Problems) != 0 {
			t.Errorf("%s: got %+v", name, recs)
			continue
		}
		if ps := erp.CheckArtikel(recs[0].Value); len(ps) != 0 {
			t.Errorf("%s: %v", name, ps)
		}
	}
}

// TestEveryProblemOfARecord: a record with several bad values reports each
// of them, named by key, and its line. (In CSV a column of no key is the
// header's problem: TestCSVHeaderProblems.)
func TestEveryProblemOfARecord(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		in     string
		format importfile.Format
		line   int
		want   map[string]string
	}{
		"CSV": {"naam,SKU,BTW,op_voorraad\nA,A-1,6,1\nB,B-2,twenty,many\n", importfile.CSV, 3,
			map[string]string{"BTW": `invalid decimal "twenty"`, "op_voorraad": `invalid decimal "many"`}},
		"JSON": {"[\n  {\"naam\": \"A\", \"SKU\": \"A-1\"},\n  {\"naam\": \"B\", \"SKU\": \"B-2\",\n   \"BTW\": \"twenty\", \"prijs\": 3, \"naaam\": 1, \"op_voorraad\": \"many\"}\n]", importfile.JSON, 3,
			map[string]string{"BTW": `invalid decimal "twenty"`, "prijs": "unknown key", "naaam": "unknown key; did you mean naam?", "op_voorraad": `invalid decimal "many"`}},
	} {
		recs, err := read(t, strings.NewReader(tc.in), tc.format)
		if err != nil || len(recs) != 2 {
			t.Fatalf("%s: %d records, err %v", name, len(recs), err)
		}
		if len(recs[0].Problems) != 0 {
			t.Errorf("%s: record 1 problems %v", name, recs[0].Problems)
		}
		got := map[string]string{}
		for _, p := range recs[1].Problems {
			got[p.Field] = p.Message
		}
		for key, want := range tc.want {
			if !strings.Contains(got[key], want) {
				t.Errorf("%s: problem of %s = %q, want it to say %q (all: %v)", name, key, got[key], want, recs[1].Problems)
			}
		}
		if got["prijs"] != "unknown key" {
			// No key is near enough to suggest one.
			if _, ok := tc.want["prijs"]; ok {
				t.Errorf("%s: prijs: %q, want no suggestion", name, got["prijs"])
			}
		}
		if len(recs[1].Problems) != len(tc.want) || recs[1].Line != tc.line {
			t.Errorf("%s: record 2 at line %d with %v; want line %d and %d problems", name, recs[1].Line, recs[1].Problems, tc.line, len(tc.want))
		}
		if recs[1].Value.SKU != "B-2" {
			t.Errorf("%s: the keys that decoded were lost: %+v", name, recs[1].Value)
		}
	}
}

// TestUnreadableRecords: a record that is not a record is reported and the
// next ones are still read.
func TestUnreadableRecords(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		in     string
		format importfile.Format
		want   string
	}{
		"Null":      {`[null, {"naam": "B"}]`, importfile.JSON, "not null"},
		"List":      {`[[1, 2], {"naam": "B"}]`, importfile.JSON, "not a list"},
		"KeyTwice":  {`[{"naam": "A", "naam": "A2"}, {"naam": "B"}]`, importfile.JSON, `the key "naam" is given twice`},
		"ShortRow":  {"naam,SKU\nA\nB,B-2\n", importfile.CSV, "the row has 1 cells and the header 2"},
		"LongRow":   {"naam,SKU\nA,A-1,x\nB,B-2\n", importfile.CSV, "the row has 3 cells and the header 2"},
		"BadUTF8":   {"naam,SKU\nA\xff,A-1\nB,B-2\n", importfile.CSV, "UTF-8"},
		"BadUTF8JS": {"[{\"naam\": \"A\xff\"}, {\"naam\": \"B\"}]", importfile.JSON, "UTF-8"},
	} {
		recs, err := read(t, strings.NewReader(tc.in), tc.format)
		if err != nil || len(recs) != 2 {
			t.Errorf("%s: %d records, err %v; want 2 and no error", name, len(recs), err)
			continue
		}
		if len(recs[0].Problems) != 1 || !strings.Contains(recs[0].Problems[0].Message, tc.want) {
			t.Errorf("%s: record 1 problems %v, want one saying %q", name, recs[0].Problems, tc.want)
		}
		if len(recs[1].Problems) != 0 || recs[1].Value.Naam != "B" {
			t.Errorf("%s: record 2 = %+v", name, recs[1])
		}
	}
}

// TestBrokenFiles: a file that cannot be read to its end ends the records
// with an error that says why, never a short list in silence.
func TestBrokenFiles(t *testing.T) {
	t.Parallel()
	good := `[{"naam": "A", "SKU": "A-1"}, {"naam": "B", "SKU": "B-2"}]`
	for name, tc := range map[string]struct {
		in     string
		format importfile.Format
		want   string
	}{
		"Syntax":       {"[\n{\"naam\": \"A\"},\n{\"naam\": \"B\",]", importfile.JSON, "line 3: JSON syntax error"},
		"NotAList":     {`{"naam": "A"}`, importfile.JSON, `no "data"`},
		"Scalar":       {`42`, importfile.JSON, "want a list of records"},
		"EmptyJSON":    {"  \n", importfile.JSON, "the file is empty"},
		"EmptyCSV":     {"", importfile.CSV, "the file is empty"},
		"Trailing":     {good + ` {"naam": "C"}`, importfile.JSON, "data after the end of the records"},
		"ColumnTwice":  {"naam,SKU,Naam\nA,B,C\n", importfile.CSV, `the column "naam" appears twice`},
		"BareQuote":    {"naam,SKU\nA\"b,B\n", importfile.CSV, "line 2"},
		"OpenQuoteEnd": {"naam,SKU\nA,\"B\n", importfile.CSV, "line 2"},
	} {
		_, err := read(t, strings.NewReader(tc.in), tc.format)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, tc.want)
		}
	}
	// Cut anywhere inside the list, the file is refused.
	for i := 1; i < len(good); i++ {
		if _, err := read(t, strings.NewReader(good[:i]), importfile.JSON); err == nil {
			t.Errorf("the file cut after %d bytes (%q) read without an error", i, good[:i])
		}
	}
}

// TestHostileSizes: a record over the limit is reported as a problem of its
// own; a value too large to hold ends the file with an error that says so,
// having read a bounded amount; and nothing limits a file's total size.
func TestHostileSizes(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", importfile.MaxRecordBytes)
	recs, err := read(t, strings.NewReader(`[{"naam": "`+big+`"}, {"naam": "B"}]`), importfile.JSON)
	if err != nil || len(recs) != 2 || len(recs[0].Problems) != 1 || !strings.Contains(recs[0].Problems[0].Message, "larger than 1 MiB") {
		t.Errorf("a record over 1 MiB: %d records, err %v", len(recs), err)
	}
	for _, f := range []importfile.Format{importfile.JSON, importfile.CSV} {
		head := map[importfile.Format]string{importfile.JSON: `[{"naam": "`, importfile.CSV: "naam,SKU\n\""}[f]
		endless := &counter{r: io.MultiReader(strings.NewReader(head), repeat('x'))}
		_, err := read(t, endless, f)
		if err == nil || !strings.Contains(err.Error(), "records are limited to 1 MiB") {
			t.Errorf("%s: an endless value: err = %v", f, err)
		}
		if endless.n > 16*importfile.MaxRecordBytes {
			t.Errorf("%s: read %d bytes of an endless value before refusing it", f, endless.n)
		}
	}
	// 270 records of almost 1 MiB each: more than 256 MiB in all, and no
	// limit on a file.
	const n, size = 270, importfile.MaxRecordBytes - 100
	parts := []io.Reader{strings.NewReader("[")}
	for i := range n {
		sep := ","
		if i == n-1 {
			sep = "]"
		}
		parts = append(parts, strings.NewReader(fmt.Sprintf(`{"SKU": "S-%d", "beschrijving": "`, i)), io.LimitReader(repeat('x'), size),
			strings.NewReader(`"}`+sep))
	}
	count := 0
	for rec, err := range importfile.Artikels(io.MultiReader(parts...), importfile.JSON) {
		if err != nil || len(rec.Problems) > 0 || rec.Value.SKU != fmt.Sprintf("S-%d", count) || len(rec.Value.Beschrijving) != size {
			t.Fatalf("record %d of a file of %d MiB: %v %v", count+1, n*size>>20, err, rec.Problems)
		}
		count++
	}
	if count != n {
		t.Errorf("a file of %d MiB: %d records, want %d", n*size>>20, count, n)
	}
}

type counter struct {
	r io.Reader
	n int
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// repeat is an endless stream of b.
func repeat(b byte) io.Reader { return byteReader(b) }

type byteReader byte

func (b byteReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// TestTemplates: each template has every key, reads back without a
// problem, and passes the domain's checks.
func TestTemplates(t *testing.T) {
	t.Parallel()
	for _, f := range []importfile.Format{importfile.CSV, importfile.JSON} {
		var a, k bytes.Buffer
		if err := importfile.Template(&a, importfile.KindArtikels, f); err != nil {
			t.Fatal(err)
		}
		if err := importfile.Template(&k, importfile.KindKlanten, f); err != nil {
			t.Fatal(err)
		}
		for _, key := range wirekeys.Artikel() {
			if !strings.Contains(a.String(), key) {
				t.Errorf("%s artikels template lacks %q:\n%s", f, key, a.String())
			}
		}
		for _, key := range wirekeys.Klant() {
			if !strings.Contains(k.String(), key) {
				t.Errorf("%s klanten template lacks %q:\n%s", f, key, k.String())
			}
		}
		n := 0
		for rec, err := range importfile.Artikels(&a, f) {
			n++
			if err != nil || len(rec.Problems) > 0 || len(erp.CheckArtikel(rec.Value)) > 0 || rec.Value.InkoopprijsExcl.String() != "5.10" {
				t.Errorf("%s artikels template reads back as %+v, %v, %v", f, rec, err, erp.CheckArtikel(rec.Value))
			}
		}
		for rec, err := range importfile.Klanten(&k, f) {
			n++
			if err != nil || len(rec.Problems) > 0 || len(erp.CheckKlant(rec.Value, cloudspot.Date{Year: 2026, Month: 1, Day: 1})) > 0 || !rec.Value.IsBedrijf {
				t.Errorf("%s klanten template reads back as %+v, %v", f, rec, err)
			}
		}
		if n != 2 {
			t.Errorf("%s templates: %d records, want one each", f, n)
		}
	}
	if err := importfile.Template(io.Discard, "products", importfile.CSV); err == nil {
		t.Error("a template of products: no error")
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"json": "json", " CSV ": "csv", "xlsx": `unknown import format "xlsx"`} {
		f, err := importfile.ParseFormat(in)
		if got := fmt.Sprint(f, err); !strings.Contains(got, want) {
			t.Errorf("ParseFormat(%q) = %q, want %q", in, got, want)
		}
	}
	if f, err := importfile.FormatOf("Artikels.CSV"); f != importfile.CSV || err != nil {
		t.Errorf("FormatOf(Artikels.CSV) = %v, %v", f, err)
	}
	if _, err := importfile.FormatOf("artikels.xlsx"); err == nil {
		t.Error("FormatOf(artikels.xlsx): no error")
	}
}

// TestCSVCellsKeptExactly: a cell's text arrives as it was, whatever
// characters it holds.
func TestCSVCellsKeptExactly(t *testing.T) {
	t.Parallel()
	for _, cell := range []string{`a "quoted" word`, `back\slash\`, "tab\there", "new\nline", "bell\x07 and \x1f", "é ∑ 🙂 \u2028", "</script>"} {
		var b bytes.Buffer
		b.WriteString("naam,SKU\n")
		b.WriteString(`"` + strings.ReplaceAll(cell, `"`, `""`) + `",S-1` + "\n")
		recs, err := read(t, &b, importfile.CSV)
		if err != nil || len(recs) != 1 || len(recs[0].Problems) > 0 || recs[0].Value.Naam != cell {
			t.Errorf("cell %q read as %+v, %v", cell, recs, err)
		}
	}
}

// TestCSVHeaderProblems: a column of no key is a problem of the header
// (line 1), once, not of every row: named with the nearest key when one is
// near, and with the required columns, a missing one named too; the rows
// are not read. A header of keys only leaves a missing required column to
// each record's check.
func TestCSVHeaderProblems(t *testing.T) {
	t.Parallel()
	const needs = "line 1: the columns every file needs: naam, SKU, voorraad_bijhouden, bestellingtype, status"
	for name, tc := range map[string]struct {
		in   string
		want []string
	}{
		"Misspelt": {"nam;SKU;voorraad_bijhouden;bestellingtype;status\nA;A-1;NIET;IDEAAL;ZICHTBAAR\n", []string{
			`line 1: "nam": unknown column; did you mean naam?`,
			"line 1: naam: no such column, and every record needs one",
			needs,
		}},
		"CaseAndSuffix": {"Naam,sku,Voorraad,bestellingtype,status,verkoopprijs_exl\nA,A-1,NIET,IDEAAL,ZICHTBAAR,1\n", []string{
			`line 1: "Voorraad": unknown column`,
			`line 1: "verkoopprijs_exl": unknown column; did you mean verkoopprijs_excl?`,
			"line 1: voorraad_bijhouden: no such column, and every record needs one",
			needs,
		}},
		"NoSuggestion": {"naam,SKU,voorraad_bijhouden,bestellingtype,status,kleur\nA,A-1,NIET,IDEAAL,ZICHTBAAR,rood\n", []string{
			`line 1: "kleur": unknown column`,
			needs,
		}},
	} {
		recs, err := read(t, strings.NewReader(tc.in), importfile.CSV)
		var fp erp.FileProblems
		if !errors.As(err, &fp) || len(recs) != 0 {
			t.Errorf("%s: %d records, err %v; want the header's problems", name, len(recs), err)
			continue
		}
		var got []string
		for _, p := range fp {
			got = append(got, p.String())
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: the header's problems (-want +got):\n%s", name, diff)
		}
	}
	// Only keys, without status: each record says so; the report lists it once.
	recs, err := read(t, strings.NewReader("naam,SKU,voorraad_bijhouden,bestellingtype\nA,A-1,NIET,IDEAAL\n"), importfile.CSV)
	if err != nil || len(recs) != 1 {
		t.Fatalf("a header of keys: %d records, %v", len(recs), err)
	}
}

// TestCSVHeaderOfManyColumns: a hostile header of 20,000 columns of no key
// gets the first erp.MaxReportedProblems named and the rest counted, in
// one problem.
func TestCSVHeaderOfManyColumns(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("naam,SKU,voorraad_bijhouden,bestellingtype,status")
	const n = 20_000
	for i := range n {
		fmt.Fprintf(&b, ",naam%d", i)
	}
	b.WriteString("\n")
	_, err := read(t, strings.NewReader(b.String()), importfile.CSV)
	var fp erp.FileProblems
	if !errors.As(err, &fp) {
		t.Fatalf("err %v; want the header's problems", err)
	}
	if len(fp) != erp.MaxReportedProblems+2 {
		t.Fatalf("%d problems; want %d named, one that counts the rest and the required columns", len(fp), erp.MaxReportedProblems)
	}
	if got, want := fp[0].String(), `line 1: "naam0": unknown column; did you mean naam?`; got != want {
		t.Errorf("first problem %q; want %q", got, want)
	}
	if got, want := fp[erp.MaxReportedProblems].String(), fmt.Sprintf("line 1: %d more columns of no key", n-erp.MaxReportedProblems); got != want {
		t.Errorf("the count %q; want %q", got, want)
	}
}
