package importfile

import (
	"context"
	"io"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Kinds are the kinds of import file, in the order an import of a whole
// catalogue takes them: categories before the products that name them.
func Kinds() []string { return []string{KindCategorieen, KindArtikels, KindKlanten} }

// Import reads a file of kind (KindArtikels, KindKlanten or
// KindCategorieen) in format f into a company through svc, all or nothing:
// the one import of `cloudspot-server admin import` and the console.
func Import(ctx context.Context, svc *erp.Service, kind, company string, r io.Reader, f Format) (erp.ImportResult, error) {
	switch kind {
	case KindArtikels:
		return svc.ImportArtikels(ctx, company, Artikels(r, f))
	case KindKlanten:
		return svc.ImportKlanten(ctx, company, Klanten(r, f))
	case KindCategorieen:
		return svc.ImportCategorieen(ctx, company, Categorieen(r, f))
	}
	return erp.ImportResult{}, unknownKind(kind)
}

// Preview is what Import would do with the file, found by the import's
// own checks without writing anything.
func Preview(ctx context.Context, svc *erp.Service, kind, company string, r io.Reader, f Format) (erp.ImportPreview, error) {
	switch kind {
	case KindArtikels:
		return svc.PreviewArtikels(ctx, company, Artikels(r, f))
	case KindKlanten:
		return svc.PreviewKlanten(ctx, company, Klanten(r, f))
	case KindCategorieen:
		return svc.PreviewCategorieen(ctx, company, Categorieen(r, f))
	}
	return erp.ImportPreview{}, unknownKind(kind)
}

func unknownKind(kind string) error {
	return erp.Errorf(erp.EInvalid, "no import of %q: use %s, %s or %s", kind, KindArtikels, KindKlanten, KindCategorieen)
}
