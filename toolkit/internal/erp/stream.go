package erp

import (
	"context"

	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
)

// Lists are streamed, not loaded: a company may have a million products, and
// the server's memory must not grow with that. A store hands each stored row
// to a callback as the text of its columns, which the HTTP API writes to the
// socket as it reads them.

// RowFunc receives one row of a streamed list: the stored text of each column
// (nil for NULL) in the wire order of the record's keys (wirekeys.Artikel,
// DetailedArtikelKeys, wirekeys.Klant). The slices are reused for the next row: a RowFunc
// that keeps one must copy it. An error stops the stream and is returned.
type RowFunc func(cols [][]byte) error

// Column text as stores keep it: decimals as their exact text (a JSON number
// such as 12.50), dates as YYYY-MM-DD or empty, booleans as 0/1 or
// true/false, the client number as a decimal integer, and "not set" text
// as empty.
//
// A product's details follow the protocol's columns: optional ids as a
// decimal integer or NULL; categorieen as "id:naam" entries joined by
// CategorieSeparator (the names current, empty for none); and each other
// list as the wire JSON of that list, empty for none.

// CategorieSeparator separates the entries of a streamed categorieen
// column. Category names cannot hold it (CheckCategorieNaam refuses control
// characters), so it needs no escape.
const CategorieSeparator = '\x1f'

// DetailedArtikelKeys are the wire keys of a product with its details, in
// order: id, the protocol's keys, then the details' keys. They name the
// columns of StreamDetailedArtikels.
func DetailedArtikelKeys() []string { return wirekeys.Names(wirekeys.ArtikelTable()) }

// StreamArtikelsForToken checks a company token for the right to see
// products and settles the version of the answer: the one asked for, else
// the token's own setting, else APIVersion04. It then passes the company's
// products, in creation order, to the RowFunc that open returns for that
// version: in the versions without details (0.4, 0.5) their columns follow
// wirekeys.Artikel, in those with details (0.6) DetailedArtikelKeys. A
// token error comes before open is called; a storage error may come after
// some rows.
func (s *Service) StreamArtikelsForToken(ctx context.Context, token string, asked APIVersion, open func(APIVersion) RowFunc) error {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return err
	}
	v := t.versionFor(asked)
	if v.AtLeast(APIVersion06) {
		return s.catalogue.StreamDetailedArtikels(ctx, t.CompanyID, 0, open(v))
	}
	return s.catalogue.StreamArtikels(ctx, t.CompanyID, open(v))
}

// StreamArtikelForToken is StreamArtikelsForToken for the one product with
// that id (GET /artikels/?id=), whose columns follow DetailedArtikelKeys in
// every version: the caller writes those its version has. A product that is
// not the token's company's is ENotFound, before open is called.
func (s *Service) StreamArtikelForToken(ctx context.Context, token string, asked APIVersion, id int64, open func(APIVersion) RowFunc) error {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return err
	}
	v := t.versionFor(asked)
	var fn RowFunc
	found := false
	err = s.catalogue.StreamDetailedArtikels(ctx, t.CompanyID, id, func(cols [][]byte) error {
		if !found {
			found, fn = true, open(v)
		}
		return fn(cols)
	})
	if err == nil && !found {
		return Errorf(ENotFound, "Product not found.")
	}
	return err
}

// StreamKlantenForToken is StreamArtikelsForToken for clients, in client
// number order.
func (s *Service) StreamKlantenForToken(ctx context.Context, token string, fn RowFunc) error {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Klanten }, "clients")
	if err != nil {
		return err
	}
	return s.catalogue.StreamKlanten(ctx, t.CompanyID, fn)
}
