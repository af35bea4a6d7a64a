package erp

import (
	"context"
)

// Lists are streamed, not loaded: a company may have a million products, and
// the server's memory must not grow with that. A store keeps each product's
// and client's wire JSON beside its row and hands a list over one encoded
// row at a time, from one consistent snapshot named by the company's
// catalogue stamp, so that a caller may keep a list's body for as long as
// the stamp stays the same.

// RowFunc receives one row of a streamed list: the wire JSON of one record
// (a JSON object). The slice is reused for the next row: a RowFunc that
// keeps it must copy it. An error stops the stream and is returned.
type RowFunc func(row []byte) error

// CategorieSeparator separates the entries of a product's categorieen as
// stores keep them for their encoder ("id:naam" entries). Category names
// cannot hold it (CheckCategorieNaam refuses control characters), so it
// needs no escape.
const CategorieSeparator = '\x1f'

// ListBody is what a list sends: which records, in which shape.
type ListBody uint8

const (
	// ArtikelsBody is a company's products with the protocol's keys, the
	// list of API versions 0.4 and 0.5.
	ArtikelsBody ListBody = iota + 1
	// DetailedArtikelsBody is a company's products with their id and
	// details, the list of version 0.6.
	DetailedArtikelsBody
	// KlantenBody is a company's clients, the same in every version.
	KlantenBody
)

// List is one company's list that a token may read, as ArtikelsListForToken
// or KlantenListForToken settled it. Its stamp tells whether a body read
// before is still the list: Stream passes the stamp of what it reads, so a
// caller may keep that body until Stamp returns another.
type List struct {
	CompanyID int64
	Body      ListBody
	store     CatalogueStore
}

// Stamp returns the company's catalogue stamp now.
func (l *List) Stamp(ctx context.Context) (int64, error) {
	return l.store.CatalogueStamp(ctx, l.CompanyID)
}

// Stream passes the list's rows to fn from one consistent snapshot, after
// passing the snapshot's stamp to stamp; a storage error may come after
// some rows.
func (l *List) Stream(ctx context.Context, stamp func(int64) error, fn RowFunc) error {
	return l.store.StreamList(ctx, l.CompanyID, l.Body, stamp, fn)
}

// ArtikelsListForToken checks a company token for the right to see products
// and settles the version of the answer: the one asked for, else the
// token's own setting, else APIVersion04. The versions without details
// (0.4, 0.5) send ArtikelsBody, those with details (0.6)
// DetailedArtikelsBody.
func (s *Service) ArtikelsListForToken(ctx context.Context, token string, asked APIVersion) (*List, error) {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return nil, err
	}
	body := ArtikelsBody
	if t.versionFor(asked).AtLeast(APIVersion06) {
		body = DetailedArtikelsBody
	}
	return &List{CompanyID: t.CompanyID, Body: body, store: s.catalogue}, nil
}

// KlantenListForToken is ArtikelsListForToken for clients, in client number order.
func (s *Service) KlantenListForToken(ctx context.Context, token string) (*List, error) {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Klanten }, "clients")
	if err != nil {
		return nil, err
	}
	return &List{CompanyID: t.CompanyID, Body: KlantenBody, store: s.catalogue}, nil
}

// StreamArtikelForToken passes the one product with that id (GET
// /artikels/?id=) to fn, with its id in every version and its details from
// version 0.6 on (settled as ArtikelsListForToken does). A product that is not
// the token's company's is ENotFound, before fn is called.
func (s *Service) StreamArtikelForToken(ctx context.Context, token string, asked APIVersion, id int64, fn RowFunc) error {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return err
	}
	err = s.catalogue.StreamArtikel(ctx, t.CompanyID, id, t.versionFor(asked).AtLeast(APIVersion06), fn)
	if ErrorCode(err) == ENotFound {
		return Errorf(ENotFound, "Product not found.")
	}
	return err
}
