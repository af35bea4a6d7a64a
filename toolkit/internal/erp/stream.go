package erp

import "context"

// Lists are streamed, not loaded: a company may have a million products, and
// the server's memory must not grow with that. A store hands each stored row
// to a callback as the text of its columns, which the HTTP API writes to the
// socket as it reads them.

// RowFunc receives one row of a streamed list: the stored text of each column
// (nil for NULL) in the wire order of the record's keys (cloudspot.ArtikelKeys,
// cloudspot.KlantKeys). The slices are reused for the next row: a RowFunc
// that keeps one must copy it. An error stops the stream and is returned.
type RowFunc func(cols [][]byte) error

// Column text as stores keep it: decimals as their exact text (a JSON number
// such as 12.50), dates as YYYY-MM-DD or empty, booleans as 0/1 or
// true/false, the client number as a decimal integer, and "not set" text
// as empty.

// StreamArtikelsForToken checks a company token for the right to see
// products, then passes the company's products to fn in creation order.
// A token error comes before any row; a storage error may come after some.
func (s *Service) StreamArtikelsForToken(ctx context.Context, token string, fn RowFunc) error {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return err
	}
	return s.store.StreamArtikels(ctx, t.CompanyID, fn)
}

// StreamKlantenForToken is StreamArtikelsForToken for clients, in client
// number order.
func (s *Service) StreamKlantenForToken(ctx context.Context, token string, fn RowFunc) error {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Klanten }, "clients")
	if err != nil {
		return err
	}
	return s.store.StreamKlanten(ctx, t.CompanyID, fn)
}
