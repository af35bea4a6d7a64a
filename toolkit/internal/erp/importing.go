package erp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"slices"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
)

// MaxReportedProblems is how many problems of a refused import are listed;
// the total is always given.
const MaxReportedProblems = 50

// Problem is one thing wrong with an import file: a field of a record, a
// whole record, or the file itself (Record 0).
type Problem struct {
	Record  int    // from 1, in file order; 0 for the file as a whole
	Line    int    // where the record or problem starts in the file; 0 when unknown
	Field   string // the wire key to blame, if one is
	Message string
	// Again counts the later records with the same problem (same field,
	// same message), which a report lists only here, so that a column
	// missing from every row takes one line.
	Again int
}

func (p Problem) String() string {
	var b strings.Builder
	switch {
	case p.Record > 0 && p.Line > 0:
		fmt.Fprintf(&b, "record %d (line %d): ", p.Record, p.Line)
	case p.Record > 0:
		fmt.Fprintf(&b, "record %d: ", p.Record)
	case p.Line > 0:
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	switch {
	case p.Again == 1:
		b.WriteString(" (and in 1 later record)")
	case p.Again > 1:
		fmt.Fprintf(&b, " (and in %d later records)", p.Again)
	}
	return b.String()
}

// ImportError refuses an import and lists why. Nothing of the file was
// written.
type ImportError struct {
	Problems []Problem // the first MaxReportedProblems different ones, in file order
	Total    int       // every problem, repeats included
}

func (e *ImportError) Error() string {
	var b strings.Builder
	if e.Total == 1 {
		b.WriteString("1 problem; nothing was imported:")
	} else {
		fmt.Fprintf(&b, "%d problems; nothing was imported:", e.Total)
	}
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	if more := e.Unlisted(); more > 0 {
		fmt.Fprintf(&b, "\n  ... and %d more", more)
	}
	return b.String()
}

// Unlisted counts the problems that Problems leaves out, repeats of a
// listed one not counted.
func (e *ImportError) Unlisted() int {
	n := e.Total
	for _, p := range e.Problems {
		n -= 1 + p.Again
	}
	return max(n, 0)
}

// Unwrap makes an ImportError an EInvalid *Error with the same message.
func (e *ImportError) Unwrap() error { return &Error{Code: EInvalid, Message: e.Error()} }

// FileProblems is what a reader returns for problems of the file as a
// whole that end its reading, such as a CSV header with a column of no
// key: each is listed with its line, as the problems of records are.
type FileProblems []Problem

func (ps FileProblems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.String()
	}
	return strings.Join(msgs, "; ")
}

// RequiredArtikelKeys are the wire keys that no product can do without:
// those that CheckArtikel blames on an empty product. A file without one
// of them imports no product.
func RequiredArtikelKeys() []string { return blamedKeys(CheckArtikel(cloudspot.Artikel{})) }

// RequiredKlantKeys are the wire keys that no client can do without,
// person or company: those that CheckKlant blames on both when empty
// (achternaam is a person's, bedrijfsnaam a company's).
func RequiredKlantKeys() []string {
	company := blamedKeys(CheckKlant(cloudspot.Klant{IsBedrijf: true}, cloudspot.Date{}))
	return slices.DeleteFunc(blamedKeys(CheckKlant(cloudspot.Klant{}, cloudspot.Date{})), func(k string) bool {
		return !slices.Contains(company, k)
	})
}

func blamedKeys(ps []Problem) []string {
	var keys []string
	for _, p := range ps {
		if p.Field != "" && !slices.Contains(keys, p.Field) {
			keys = append(keys, p.Field)
		}
	}
	return keys
}

// Record is one record of an import file as an adapter read it. Problems
// are what could not be read; the fields they name are left unset.
type Record[T any] struct {
	Value    T
	Line     int // where the record starts in the file; 0 when unknown
	Problems []Problem
	// KeepDetails (products only) says that the record carries none of the
	// keys of a product's details, so that the product it updates keeps
	// its details: a file of the protocol's keys alone must not erase what
	// it does not know. Only the reader knows which keys a record had; a
	// zero value from a zero field cannot tell "absent" from "cleared".
	KeepDetails bool
}

// Records yields items as the records of a file, for callers that hold
// them in memory.
func Records[T any](items []T) iter.Seq2[Record[T], error] {
	return func(yield func(Record[T], error) bool) {
		for _, v := range items {
			if !yield(Record[T]{Value: v}, nil) {
				return
			}
		}
	}
}

// Each yields items for a Store's import.
func Each[T any](items []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, v := range items {
			if !yield(v, nil) {
				return
			}
		}
	}
}

// ImportArtikels creates or updates a company's products (artikels) by SKU,
// all in one transaction, as the records come: a file of any size takes
// the memory of a few records and of one hash per SKU. A record with any
// problem refuses the whole import, after every record was checked, so
// that one run reports every problem (see ImportError).
func (s *Service) ImportArtikels(ctx context.Context, companySlug string, records iter.Seq2[Record[cloudspot.Artikel], error]) (ImportResult, error) {
	return s.importArtikels(ctx, companySlug, records, nil)
}

// PreviewArtikels is what ImportArtikels would do with records, found by
// the same checks without writing anything: it reads the company's
// products once to tell new SKUs from existing ones.
func (s *Service) PreviewArtikels(ctx context.Context, companySlug string, records iter.Seq2[Record[cloudspot.Artikel], error]) (ImportPreview, error) {
	p := &ImportPreview{}
	_, err := s.importArtikels(ctx, companySlug, records, p)
	return p.result(err)
}

// importArtikels imports, or previews into p when p is not nil.
func (s *Service) importArtikels(ctx context.Context, companySlug string, records iter.Seq2[Record[cloudspot.Artikel], error], p *ImportPreview) (ImportResult, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return ImportResult{}, err
	}
	seed := maphash.MakeSeed()
	cats, err := loadCategoryIndex(ctx, s.categorieen, c.ID)
	if err != nil {
		return ImportResult{}, err
	}
	imp := &importer[ArtikelImport, uint64]{
		check: func(a *ArtikelImport) []Problem {
			return append(CheckArtikel(a.Artikel), cats.resolve(&a.Artikel)...)
		},
		keyField: "SKU",
		// SKUs are compared by a 64-bit hash, not kept whole, so that a
		// million of them fit in a few tens of megabytes. Two different
		// SKUs of a million-record file share a hash with a chance below
		// one in ten million; such a file is refused as if it repeated a
		// SKU (never written wrongly), and accepted on the next run, which
		// hashes with another seed.
		key:  func(a ArtikelImport) uint64 { return maphash.String(seed, a.SKU) },
		seen: &recordTable{},
	}
	if p != nil {
		stored := map[uint64]bool{}
		_, err := s.pages.ArtikelPage(ctx, c.ID, KeyRange{}, 1, func(a *StoredArtikel) bool {
			stored[maphash.String(seed, a.SKU)] = true
			return false
		})
		if err != nil {
			return ImportResult{}, err
		}
		imp.accept = func(a ArtikelImport) { p.count(stored[maphash.String(seed, a.SKU)], a.KeepDetails) }
		return imp.preview(artikelImports(records), p)
	}
	res, err := imp.run(artikelImports(records), func(artikels iter.Seq2[ArtikelImport, error]) (ImportResult, error) {
		return s.catalogue.ImportArtikels(ctx, c.ID, artikels)
	})
	detail := fmt.Sprintf("company %s: %d created, %d updated", c.Slug, res.Created, res.Updated)
	if res.Kept > 0 {
		detail += fmt.Sprintf(", %d of them keeping their data of API version 0.6", res.Kept)
	}
	return res, s.audited(ctx, err, AuditEvent{Action: AuditImportArtikels, Company: c.Slug, Detail: detail})
}

// ArtikelImport is a product as an import hands it to the store.
type ArtikelImport struct {
	cloudspot.Artikel
	// KeepDetails leaves the stored product's details as they are (see
	// Record.KeepDetails); otherwise the details' fields replace them, zero
	// ones clearing them.
	KeepDetails bool
}

// ArtikelImports yields products for a Store's import, each replacing the
// stored product whole, for callers that hold them in memory.
func ArtikelImports(items []cloudspot.Artikel) iter.Seq2[ArtikelImport, error] {
	return func(yield func(ArtikelImport, error) bool) {
		for _, a := range items {
			if !yield(ArtikelImport{Artikel: a}, nil) {
				return
			}
		}
	}
}

// artikelImports carries each record's KeepDetails into its value's
// KeepDetails, which is what the store sees.
func artikelImports(records iter.Seq2[Record[cloudspot.Artikel], error]) iter.Seq2[Record[ArtikelImport], error] {
	return func(yield func(Record[ArtikelImport], error) bool) {
		for rec, err := range records {
			out := Record[ArtikelImport]{
				Value: ArtikelImport{Artikel: rec.Value, KeepDetails: rec.KeepDetails},
				Line:  rec.Line, Problems: rec.Problems, KeepDetails: rec.KeepDetails,
			}
			if !yield(out, err) {
				return
			}
		}
	}
}

// ImportKlanten creates or updates a company's clients (klanten) by
// klantennummer, as ImportArtikels does products.
func (s *Service) ImportKlanten(ctx context.Context, companySlug string, records iter.Seq2[Record[cloudspot.Klant], error]) (ImportResult, error) {
	return s.importKlanten(ctx, companySlug, records, nil)
}

// PreviewKlanten is what ImportKlanten would do with records, found as
// PreviewArtikels finds it.
func (s *Service) PreviewKlanten(ctx context.Context, companySlug string, records iter.Seq2[Record[cloudspot.Klant], error]) (ImportPreview, error) {
	p := &ImportPreview{}
	_, err := s.importKlanten(ctx, companySlug, records, p)
	return p.result(err)
}

func (s *Service) importKlanten(ctx context.Context, companySlug string, records iter.Seq2[Record[cloudspot.Klant], error], p *ImportPreview) (ImportResult, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return ImportResult{}, err
	}
	today := cloudspot.DateOf(s.now())
	imp := &importer[cloudspot.Klant, uint64]{
		check:    func(k *cloudspot.Klant) []Problem { return CheckKlant(*k, today) },
		keyField: "klantennummer",
		key:      func(k cloudspot.Klant) uint64 { return uint64(k.Klantennummer) },
		seen:     &recordTable{},
	}
	if p != nil {
		stored := map[int64]bool{}
		_, err := s.pages.KlantPage(ctx, c.ID, KeyRange{}, 1, func(k *StoredKlant) bool {
			stored[k.Klantennummer] = true
			return false
		})
		if err != nil {
			return ImportResult{}, err
		}
		imp.accept = func(k cloudspot.Klant) { p.count(stored[k.Klantennummer], false) }
		return imp.preview(records, p)
	}
	res, err := imp.run(records, func(klanten iter.Seq2[cloudspot.Klant, error]) (ImportResult, error) {
		return s.catalogue.ImportKlanten(ctx, c.ID, klanten)
	})
	return res, s.audited(ctx, err, AuditEvent{Action: AuditImportKlanten, Company: c.Slug, Detail: fmt.Sprintf("company %s: %d created, %d updated", c.Slug, res.Created, res.Updated)})
}

// importer checks the records of one import on their way to the store.
type importer[T any, K comparable] struct {
	// check returns a record's problems; it may complete the record, as
	// resolving a product's categories by name does.
	check    func(*T) []Problem
	keyField string
	key      func(T) K
	seen     recordIndex[K]
	// accept, when set, is given each record that has no problem.
	accept func(T)

	// maxRecords is MaxImportRecords, or fewer in a test.
	maxRecords int

	n        int
	problems []Problem
	total    int
}

// run hands store the records that pass, until the first problem; from
// then on it reads the rest only to report it, and ends the store's
// sequence with the ImportError, which rolls the store's transaction back.
func (imp *importer[T, K]) run(records iter.Seq2[Record[T], error], store func(iter.Seq2[T, error]) (ImportResult, error)) (ImportResult, error) {
	r, err := store(func(yield func(T, error) bool) {
		for rec, err := range records {
			if fp := FileProblems(nil); errors.As(err, &fp) {
				for _, p := range fp {
					imp.add(p)
				}
				break
			} else if err != nil {
				imp.add(Problem{Message: err.Error()})
				break
			}
			if imp.checkRecord(&rec) || imp.total > 0 {
				continue
			}
			if !yield(rec.Value, nil) {
				return
			}
		}
		if imp.total > 0 {
			var zero T
			yield(zero, imp.err())
		}
	})
	if err == nil && imp.total > 0 {
		// A store that stopped reading early must not commit a part.
		return ImportResult{}, imp.err()
	}
	return r, err
}

// checkRecord reports the problems of the next record and whether it has
// any: what could not be read, the domain's rules for what could, and a
// key that an earlier record holds.
func (imp *importer[T, K]) checkRecord(rec *Record[T]) bool {
	imp.n++
	if most := cmp.Or(imp.maxRecords, MaxImportRecords); imp.n > most {
		imp.add(Problem{Record: imp.n, Line: rec.Line, Message: fmt.Sprintf("an import takes at most %d records: split the file", most)})
		return true
	}
	ps := rec.Problems
	read := len(ps)
	// A record that could not be read at all (a blank Field) is not
	// judged by the rules, nor is a field that could not be read.
	unread := blames(ps, "")
	if !unread {
		for _, p := range imp.check(&rec.Value) {
			if !blames(ps[:read], p.Field) {
				ps = append(ps, p)
			}
		}
	}
	if !unread && !blames(ps, imp.keyField) {
		if first, dup := imp.seen.first(imp.key(rec.Value), imp.n); dup {
			ps = append(ps, Problem{Field: imp.keyField, Message: fmt.Sprintf("the same as record %d", first)})
		}
	}
	for _, p := range ps {
		p.Record, p.Line = imp.n, rec.Line
		imp.add(p)
	}
	if len(ps) == 0 && imp.accept != nil {
		imp.accept(rec.Value)
	}
	return len(ps) > 0
}

// preview checks every record as run does, and writes nothing: what
// accept counted is in p.
func (imp *importer[T, K]) preview(records iter.Seq2[Record[T], error], p *ImportPreview) (ImportResult, error) {
	_, err := imp.run(records, func(checked iter.Seq2[T, error]) (ImportResult, error) {
		for _, err := range checked {
			if err != nil {
				return ImportResult{}, err
			}
		}
		return ImportResult{}, nil
	})
	p.Records = imp.n
	return ImportResult{}, err
}

// ImportPreview is what an import of a file would do, found by the
// import's own checks without writing anything.
type ImportPreview struct {
	Records int // every record of the file
	// Created and Updated count the records without a problem that would
	// create a record or update a stored one.
	Created, Updated int
	// KeepDetails counts the updates of products whose records have none
	// of the keys of API version 0.6, so that they keep that data (see
	// Record.KeepDetails).
	KeepDetails int
	// Problems is why the import would be refused, with each problem's
	// record and line; nil when it would pass.
	Problems *ImportError
}

func (p *ImportPreview) count(exists, keepDetails bool) {
	if !exists {
		p.Created++
		return
	}
	p.Updated++
	if keepDetails {
		p.KeepDetails++
	}
}

// result files the problems that refuse the import into the preview; any
// other error (no such company, a storage error) is returned.
func (p *ImportPreview) result(err error) (ImportPreview, error) {
	var ie *ImportError
	if errors.As(err, &ie) {
		p.Problems, err = ie, nil
	}
	return *p, err
}

// blames reports whether one of ps is about field: a field that could not
// be read is not judged again by the rules.
func blames(ps []Problem, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}

func (imp *importer[T, K]) add(p Problem) {
	imp.total++
	if p.Record > 0 {
		for i := range imp.problems {
			if q := &imp.problems[i]; q.Record > 0 && q.Field == p.Field && q.Message == p.Message {
				q.Again++
				return
			}
		}
	}
	if len(imp.problems) < MaxReportedProblems {
		imp.problems = append(imp.problems, p)
	}
}

func (imp *importer[T, K]) err() error {
	return &ImportError{Problems: imp.problems, Total: imp.total}
}
