package erp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// importFixture is a service on a real store with one company that holds
// one product and one client.
func importFixture(t *testing.T) *erp.Service {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	svc := erptest.Must(erp.NewService(erp.Config{Store: erptest.OpenSQLite(t), Now: func() time.Time { return now }}))(t)
	erptest.Must(svc.CreateCompany(ctx, "acme", "Acme"))(t)
	a := artikel("KEEP-1")
	erptest.Must(svc.ImportArtikels(ctx, "acme", erp.Records([]cloudspot.Artikel{a})))(t)
	erptest.Must(svc.ImportKlanten(ctx, "acme", erp.Records([]cloudspot.Klant{{Klantennummer: 1, Achternaam: "Een"}})))(t)
	return svc
}

func artikel(sku string) cloudspot.Artikel {
	return cloudspot.Artikel{Naam: "Naam " + sku, SKU: sku, VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet,
		Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar}
}

// unchanged fails unless the company still holds only the fixture's data.
func unchanged(t *testing.T, svc *erp.Service) {
	t.Helper()
	ctx := context.Background()
	token, _, err := svc.IssueCompanyToken(ctx, "acme", "check", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}
	as, err := svc.ArtikelsForToken(ctx, token)
	if err != nil || len(as) != 1 || as[0].SKU != "KEEP-1" {
		t.Errorf("a refused import changed the products: %+v (err %v)", as, err)
	}
}

// TestImportReportsEveryProblem: a file with problems in several records
// and fields is refused as a whole, and the error lists every problem with
// its record, line and key.
func TestImportReportsEveryProblem(t *testing.T) {
	t.Parallel()
	svc := importFixture(t)
	csv := "naam,SKU,voorraad_bijhouden,bestellingtype,status,BTW,product_url\n" +
		"Goed,G-1,NIET,IDEAAL,ZICHTBAAR,6,\n" + // line 2: fine
		",B-2,NIET,IDEAAL,ZICHTBAAR,6,\n" + // line 3: naam missing
		"Drie,B-3,SOMS,IDEAAL,ZICHTBAAR,200,ftp://x\n" + // line 4: three problems
		"Vier,G-1,NIET,IDEAAL,ZICHTBAAR,six,\n" // line 5: duplicate SKU, bad decimal
	_, err := svc.ImportArtikels(context.Background(), "acme", importfile.Artikels(strings.NewReader(csv), importfile.CSV))
	var ie *erp.ImportError
	if !errors.As(err, &ie) || erp.ErrorCode(err) != erp.EInvalid {
		t.Fatalf("err = %v, want an ImportError with code invalid", err)
	}
	for _, want := range []string{
		"6 problems; nothing was imported",
		"record 2 (line 3): naam: is required",
		`record 3 (line 4): voorraad_bijhouden: "SOMS" is not one of`,
		"record 3 (line 4): BTW: 200 is not a percentage",
		`record 3 (line 4): product_url: "ftp://x" is not an http or https URL`,
		`record 4 (line 5): BTW: invalid decimal "six"`,
		"record 4 (line 5): SKU: the same as record 1",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the report lacks %q:\n%v", want, err)
		}
	}
	if ie.Total != 6 || len(ie.Problems) != 6 {
		t.Errorf("total %d, listed %d; want 6 and 6", ie.Total, len(ie.Problems))
	}
	unchanged(t, svc)
}

// TestImportReportCap: a file with thousands of different problems lists
// the first ones and gives the total; the same problem in every record
// (a column left out) takes one line.
func TestImportReportCap(t *testing.T) {
	t.Parallel()
	svc := importFixture(t)
	var b strings.Builder
	b.WriteString("naam,SKU,voorraad_bijhouden,bestellingtype\n")
	const n = 3000
	for i := range n {
		fmt.Fprintf(&b, "N%d,S-%d,WRONG%d,IDEAAL\n", i, i, i) // a different value each time; status missing
	}
	_, err := svc.ImportArtikels(context.Background(), "acme", importfile.Artikels(strings.NewReader(b.String()), importfile.CSV))
	var ie *erp.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
	if ie.Total != 2*n {
		t.Errorf("total %d, want %d", ie.Total, 2*n)
	}
	if len(ie.Problems) != erp.MaxReportedProblems {
		t.Errorf("%d problems listed, want %d", len(ie.Problems), erp.MaxReportedProblems)
	}
	msg := err.Error()
	for _, want := range []string{
		fmt.Sprintf("%d problems; nothing was imported", 2*n),
		`record 1 (line 2): status: "" is not one of ZICHTBAAR, NIET_VERKOOPBAAR, GEDEACTIVEERD (and in 2999 later records)`,
		fmt.Sprintf("... and %d more", 2*n-n-(erp.MaxReportedProblems-1)),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the report lacks %q:\n%s", want, msg)
		}
	}
	if lines := strings.Count(msg, "\n"); lines != erp.MaxReportedProblems+1 {
		t.Errorf("the report has %d lines after the first, want %d", lines, erp.MaxReportedProblems+1)
	}
	unchanged(t, svc)
}

// TestImportRefusesABrokenFile: good records followed by a file that breaks
// (cut short, bad syntax) are not imported, and the error says where.
func TestImportRefusesABrokenFile(t *testing.T) {
	t.Parallel()
	svc := importFixture(t)
	good := `[{"naam": "A", "SKU": "A-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR"},` +
		`{"naam": "B", "SKU": "B-1", "voorraad_bijhouden": "NIET", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR"}]`
	r, err := svc.ImportArtikels(context.Background(), "acme", importfile.Artikels(strings.NewReader(good), importfile.JSON))
	if err != nil || r.Created != 2 {
		t.Fatalf("the whole file: %+v, %v", r, err)
	}
	svc = importFixture(t)
	for _, cut := range []int{len(good) - 1, len(good) / 2, len(good)/2 + 30} {
		_, err := svc.ImportArtikels(context.Background(), "acme", importfile.Artikels(strings.NewReader(good[:cut]), importfile.JSON))
		if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
			t.Errorf("the file cut after %d of %d bytes: err = %v", cut, len(good), err)
		}
		unchanged(t, svc)
	}
}

// TestImportKlantenProblems: the client rules, a duplicate number and a
// birth date after the service's today, all at once.
func TestImportKlantenProblems(t *testing.T) {
	t.Parallel()
	svc := importFixture(t)
	in := `[{"klantennummer": 5, "achternaam": "Vijf", "geboortedatum": "2027-01-01"},
		{"klantennummer": 5, "achternaam": "Vijf bis", "land": "Belgie"},
		{"klantennummer": 0, "bedrijfsnaam": "Geen BV"}]`
	_, err := svc.ImportKlanten(context.Background(), "acme", importfile.Klanten(strings.NewReader(in), importfile.JSON))
	for _, want := range []string{
		"record 1 (line 1): geboortedatum: 2027-01-01 is in the future",
		"record 2 (line 2): land:",
		"record 2 (line 2): klantennummer: the same as record 1",
		"record 3 (line 3): klantennummer: must be a positive number",
		"record 3 (line 3): bedrijfsnaam: only for a company",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the report lacks %q:\n%v", want, err)
		}
	}
}
