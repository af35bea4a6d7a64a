package erp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// TestImportPreview: a preview reports what the import would do (new and
// existing records, every problem with its record and line) by the
// import's own checks, and writes nothing; the import that follows does
// what the preview said.
func TestImportPreview(t *testing.T) {
	t.Parallel()
	forEachEngine(t, erp.Config{}, func(t *testing.T, w *world) {
		ctx := context.Background()
		good := "naam,SKU,voorraad_bijhouden,bestellingtype,status,BTW\n" +
			"Hamer nieuw,ACME-1,NIET,IDEAAL,ZICHTBAAR,21\n" + // exists: an update that keeps its 0.6 data
			"Tang,ACME-9,NIET,IDEAAL,ZICHTBAAR,21\n" // new
		p := erptest.Must(w.svc.PreviewArtikels(ctx, "acme", importfile.Artikels(strings.NewReader(good), importfile.CSV)))(t)
		if p.Records != 2 || p.Created != 1 || p.Updated != 1 || p.KeepDetails != 1 || p.Problems != nil {
			t.Errorf("preview of a good file: %+v", p)
		}
		before := erptest.Must(w.svc.CatalogueCounts(ctx, "acme"))(t)
		bad := good + ",B-1,NIET,IDEAAL,ZICHTBAAR,21\n" + // line 4: naam missing
			"Zaag,ACME-9,NIET,IDEAAL,ZICHTBAAR,six\n" // line 5: the same SKU, a bad decimal
		p = erptest.Must(w.svc.PreviewArtikels(ctx, "acme", importfile.Artikels(strings.NewReader(bad), importfile.CSV)))(t)
		if p.Records != 4 || p.Created != 1 || p.Updated != 1 || p.Problems == nil || p.Problems.Total != 3 {
			t.Fatalf("preview of a file with problems: %+v", p)
		}
		msg := p.Problems.Error()
		for _, want := range []string{"record 3 (line 4): naam: is required", `record 4 (line 5): BTW: invalid decimal "six"`, "record 4 (line 5): SKU: the same as record 2"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the preview's problems lack %q:\n%s", want, msg)
			}
		}
		if got := erptest.Must(w.svc.CatalogueCounts(ctx, "acme"))(t); got != before {
			t.Errorf("previews wrote: counts %+v, were %+v", got, before)
		}
		if n := len(erptest.Must(w.svc.Audit(ctx, erp.AuditFilter{Action: erp.AuditImportArtikels, Company: "acme"}))(t)); n != 1 {
			t.Errorf("%d import entries in the audit log after previews, want the fixture's 1", n)
		}
		res := erptest.Must(w.svc.ImportArtikels(ctx, "acme", importfile.Artikels(strings.NewReader(good), importfile.CSV)))(t)
		if res.Created != 1 || res.Updated != 1 {
			t.Errorf("the import after the preview: %+v", res)
		}

		kp := erptest.Must(w.svc.PreviewKlanten(ctx, "acme", importfile.Klanten(strings.NewReader(
			`[{"klantennummer": 1, "achternaam": "Acme", "land": "BE"}, {"klantennummer": 7, "achternaam": "Nieuw", "land": "BE"}, {"klantennummer": 0}]`), importfile.JSON)))(t)
		if kp.Records != 3 || kp.Created != 1 || kp.Updated != 1 || kp.Problems == nil || !strings.Contains(kp.Problems.Error(), "record 3 (line 1): klantennummer: must be a positive number") {
			t.Errorf("klanten preview: %+v, %v", kp, kp.Problems)
		}
		cp := erptest.Must(w.svc.PreviewCategorieen(ctx, "acme", importfile.Categorieen(strings.NewReader("categorie\nDranken\nDranken/Bier\nEten/Brood\n"), importfile.CSV)))(t)
		if cp.Records != 3 || cp.Created != 2 || cp.Problems == nil || !strings.Contains(cp.Problems.Error(), "record 3 (line 4)") {
			t.Errorf("categorieen preview: %+v, %v", cp, cp.Problems)
		}
		if got := erptest.Must(w.svc.CatalogueCounts(ctx, "acme"))(t); got.Categorieen != 0 || got.Klanten != 1 {
			t.Errorf("previews wrote clients or categories: %+v", got)
		}
		_, err := w.svc.PreviewArtikels(ctx, "nope", importfile.Artikels(strings.NewReader(good), importfile.CSV))
		wantCode(t, "a preview for a missing company", err, erp.ENotFound, "")
	})
}
