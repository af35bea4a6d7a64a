// Package importfile reads the files that the admin imports: artikels and
// klanten as JSON or CSV, keyed by the API's wire keys. It reads a record at
// a time, so a file of any size takes the memory of a few records, and it
// leaves the ERP's rules to package erp: here a record is only read, and
// what cannot be read is reported as a problem of its record (an unknown
// key, a value of the wrong type), or of the file (broken syntax, a cut-off
// end), never skipped or cut short in silence.
package importfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/jsonstring"
	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Format is a file format that imports read.
type Format string

// The formats.
const (
	JSON Format = "json"
	CSV  Format = "csv"
)

// ParseFormat reads a format's name, in any case.
func ParseFormat(name string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(name))); f {
	case JSON, CSV:
		return f, nil
	}
	return "", fmt.Errorf("unknown import format %q: use json or csv", name)
}

// FormatOf tells a file's format from its extension.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return JSON, nil
	case ".csv":
		return CSV, nil
	}
	return "", fmt.Errorf("cannot tell the format of %q from its name (.json or .csv)", path)
}

// MaxRecordBytes bounds one record, so that a hostile file cannot make the
// reader hold an unbounded value. A file may hold any number of records.
const MaxRecordBytes = 1 << 20

// Klanten reads clients as Artikels reads products.
func Klanten(r io.Reader, f Format) iter.Seq2[erp.Record[cloudspot.Klant], error] {
	return records[cloudspot.Klant, *cloudspot.Klant](r, f, wirekeys.Klant(), erp.RequiredKlantKeys(), nil, nil)
}

// object is one record's keys and values as JSON, before decoding.
type object struct {
	line     int
	csv      bool // values are CSV cells, written as JSON strings
	fields   []field
	raw      json.RawMessage // the whole object as the file has it; nil for CSV
	problem  string          // why the record could not be read at all
	problems []erp.Problem   // values that could not be read
}

type field struct {
	key   string
	value json.RawMessage
}

// objects yields a file's records as objects.
type objects func(yield func(object, error) bool)

// records reads the records of a file; PT is how a record decodes itself
// (the SDK's tolerant decoder), except for the keys that extras decode.
// With keepable keys (some of extras' keys), a record that has none of
// them is marked KeepDetails.
func records[T any, PT interface {
	*T
	json.Unmarshaler
}](r io.Reader, f Format, keys, required []string, extras map[string]extra[T], keepable map[string]bool) iter.Seq2[erp.Record[T], error] {
	return func(yield func(erp.Record[T], error) bool) {
		var objs objects
		switch f {
		case JSON:
			objs = readJSON(r)
		case CSV:
			objs = readCSV(r, keys, required)
		default:
			yield(erp.Record[T]{}, fmt.Errorf("unknown import format %q: use json or csv", f))
			return
		}
		known := make(map[string]bool, len(keys))
		for _, k := range keys {
			known[k] = true
		}
		for o, err := range objs {
			if err != nil {
				yield(erp.Record[T]{}, err)
				return
			}
			if !yield(decode[T, PT](o, keys, known, extras, keepable), nil) {
				return
			}
		}
	}
}

// decode turns an object into a record, with a problem for every key that
// is unknown or whose value does not decode. The SDK's decoder stops at
// the first bad value: each one found is set aside and the rest decoded
// again, so that every bad value of a record is reported at once.
func decode[T any, PT interface {
	*T
	json.Unmarshaler
}](o object, keys []string, known map[string]bool, extras map[string]extra[T], keepable map[string]bool) erp.Record[T] {
	rec := erp.Record[T]{Line: o.line}
	if o.problem != "" {
		rec.Problems = []erp.Problem{{Message: o.problem}}
		return rec
	}
	rec.Problems = o.problems
	// A keepable key that is there, with any value (null, unreadable),
	// was meant: only a record without any of them keeps.
	kept := keepable != nil && !blamesAny(o.problems, keepable)
	// The fields to decode are kept in o.fields' own array, each written
	// at or before the place it was read from.
	fields, extraFields := o.fields[:0], o.fields[:0:0]
	for _, f := range o.fields {
		if !known[f.key] {
			rec.Problems = append(rec.Problems, erp.Problem{Field: f.key, Message: unknownKey("key", f.key, keys)})
			continue
		}
		// Looked up only for the few keys that extras decode, which a
		// file of the protocol's keys does not have.
		_, extra := extras[f.key]
		if extra && keepable[f.key] {
			kept = false
		}
		if !utf8.Valid(f.value) {
			rec.Problems = append(rec.Problems, erp.Problem{Field: f.key, Message: "text must be UTF-8"})
			continue
		}
		if extra {
			extraFields = append(extraFields, f)
			continue
		}
		fields = append(fields, f)
	}
	rec.KeepDetails = kept
	for {
		// The object is valid JSON (the JSON reader checked it, the CSV
		// reader wrote it), so the record decodes itself directly.
		// The file's own object when every field is to be decoded, as in
		// a file without mistakes; otherwise one of the fields that are.
		obj := o.raw
		if obj == nil || len(fields) != len(o.fields) {
			obj = encode(fields)
		}
		err := PT(&rec.Value).UnmarshalJSON(obj)
		var fe *cloudspot.FieldError
		if err == nil || !errors.As(err, &fe) {
			if err != nil {
				rec.Problems = append(rec.Problems, erp.Problem{Message: err.Error()})
			}
			break
		}
		rec.Problems = append(rec.Problems, erp.Problem{Field: fe.Key, Message: strings.TrimPrefix(fe.Err.Error(), "cloudspot: ")})
		fields = without(fields, fe.Key)
	}
	// After the SDK's decoder, which starts from an empty value.
	for _, f := range extraFields {
		if err := extras[f.key](f.value, o.csv, &rec.Value); err != nil {
			rec.Problems = append(rec.Problems, erp.Problem{Field: f.key, Message: err.Error()})
		}
	}
	return rec
}

// blamesAny reports whether one of the problems the reader found (a CSV
// cell that is not UTF-8) is about one of keys.
func blamesAny(ps []erp.Problem, keys map[string]bool) bool {
	for _, p := range ps {
		if keys[p.Field] {
			return true
		}
	}
	return false
}

func without(fields []field, key string) []field {
	out := fields[:0:0]
	for _, f := range fields {
		if f.key != key {
			out = append(out, f)
		}
	}
	return out
}

// encode writes fields as one JSON object.
func encode(fields []field) []byte {
	b := make([]byte, 0, 512)
	b = append(b, '{')
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstring.Append(b, f.key)
		b = append(b, ':')
		b = append(b, f.value...)
	}
	return append(b, '}')
}

// lineCounter tells the line of a byte offset, for a reader (such as
// a JSON decoder) that reads ahead of what it has consumed. It also bounds
// what the reader holds: it refuses to read more than limit bytes ahead of
// what consumed says was consumed, so a hostile record cannot take memory
// without bound, while any number of records (or blank space between
// them) can pass.
type lineCounter struct {
	r        io.Reader
	consumed func() int64 // how far the reader has consumed; set after construction
	limit    int64
	read     int64   // bytes read so far
	newlines []int64 // offsets of the newlines read and not yet counted in line
	line     int     // the line at the last offset counted
}

func newLineCounter(r io.Reader, limit int64) *lineCounter {
	return &lineCounter{r: r, line: 1, limit: limit}
}

var errRecordTooLarge = fmt.Errorf("more than %d MiB without the end of a record: records are limited to %d MiB", 4*MaxRecordBytes>>20, MaxRecordBytes>>20)

func (c *lineCounter) Read(p []byte) (int, error) {
	if c.consumed != nil {
		done := c.consumed()
		c.lineAt(done)
		if c.read-done > c.limit {
			return 0, errRecordTooLarge
		}
	}
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			c.newlines = append(c.newlines, c.read+int64(i))
		}
	}
	c.read += int64(n)
	return n, err
}

// lineAt returns the line of offset. Offsets asked about never go back.
func (c *lineCounter) lineAt(offset int64) int {
	i := 0
	for i < len(c.newlines) && c.newlines[i] < offset {
		i++
	}
	c.line += i
	c.newlines = c.newlines[:copy(c.newlines, c.newlines[i:])]
	return c.line
}
