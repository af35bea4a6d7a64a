package erp

import (
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
	more := e.Total
	for _, p := range e.Problems {
		more -= 1 + p.Again
	}
	if more > 0 {
		fmt.Fprintf(&b, "\n  ... and %d more", more)
	}
	return b.String()
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
		seen: map[uint64]int{},
	}
	res, err := imp.run(artikelImports(records), func(artikels iter.Seq2[ArtikelImport, error]) (ImportResult, error) {
		return s.catalogue.ImportArtikels(ctx, c.ID, artikels)
	})
	detail := fmt.Sprintf("company %s: %d created, %d updated", c.Slug, res.Created, res.Updated)
	if res.Kept > 0 {
		detail += fmt.Sprintf(", %d of them keeping their data of API version 0.6", res.Kept)
	}
	return res, s.audited(ctx, err, AuditEvent{Action: AuditImportArtikels, Detail: detail})
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
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return ImportResult{}, err
	}
	today := cloudspot.DateOf(s.now())
	imp := &importer[cloudspot.Klant, int64]{
		check:    func(k *cloudspot.Klant) []Problem { return CheckKlant(*k, today) },
		keyField: "klantennummer",
		key:      func(k cloudspot.Klant) int64 { return k.Klantennummer },
		seen:     map[int64]int{},
	}
	res, err := imp.run(records, func(klanten iter.Seq2[cloudspot.Klant, error]) (ImportResult, error) {
		return s.catalogue.ImportKlanten(ctx, c.ID, klanten)
	})
	return res, s.audited(ctx, err, AuditEvent{Action: AuditImportKlanten, Detail: fmt.Sprintf("company %s: %d created, %d updated", c.Slug, res.Created, res.Updated)})
}

// importer checks the records of one import on their way to the store.
type importer[T any, K comparable] struct {
	// check returns a record's problems; it may complete the record, as
	// resolving a product's categories by name does.
	check    func(*T) []Problem
	keyField string
	key      func(T) K
	seen     map[K]int // record number by key

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
		k := imp.key(rec.Value)
		if first, dup := imp.seen[k]; dup {
			ps = append(ps, Problem{Field: imp.keyField, Message: fmt.Sprintf("the same as record %d", first)})
		} else {
			imp.seen[k] = imp.n
		}
	}
	for _, p := range ps {
		p.Record, p.Line = imp.n, rec.Line
		imp.add(p)
	}
	return len(ps) > 0
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
