package erp

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Import file formats.
const (
	FormatJSON = "json"
	FormatCSV  = "csv"
)

// maxImportBytes bounds an import file; a catalogue of this size has
// hundreds of thousands of records.
const maxImportBytes = 256 << 20

// ParseArtikels reads products from a JSON or CSV file whose keys (or header
// row) are the wire keys. A JSON file is a list of objects, or the API's own
// {"data": [...]}. Unknown keys are errors here, unlike in the client: a
// misspelt column must not be dropped silently.
func ParseArtikels(r io.Reader, format string) ([]cloudspot.Artikel, error) {
	return parseRecords[cloudspot.Artikel](r, format, cloudspot.ArtikelKeys())
}

// ParseKlanten reads clients as ParseArtikels reads products.
func ParseKlanten(r io.Reader, format string) ([]cloudspot.Klant, error) {
	return parseRecords[cloudspot.Klant](r, format, cloudspot.KlantKeys())
}

func parseRecords[T any](r io.Reader, format string, keys []string) ([]T, error) {
	objs, err := readObjects(io.LimitReader(r, maxImportBytes), format, keys)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, k := range keys {
		known[k] = true
	}
	out := make([]T, 0, len(objs))
	for i, o := range objs {
		for k := range o.fields {
			if !known[k] {
				return nil, Errorf(EInvalid, "%s: unknown field %q (known: %s)", o.where(i), k, strings.Join(keys, ", "))
			}
		}
		b, _ := json.Marshal(o.fields)
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			var fe *cloudspot.FieldError
			if errors.As(err, &fe) {
				return nil, Errorf(EInvalid, "%s: %s: %v", o.where(i), fe.Key, fe.Err)
			}
			return nil, Errorf(EInvalid, "%s: %v", o.where(i), err)
		}
		out = append(out, v)
	}
	return out, nil
}

type object struct {
	line   int // CSV line, 0 for JSON
	fields map[string]json.RawMessage
}

func (o object) where(i int) string {
	if o.line > 0 {
		return fmt.Sprintf("record %d (line %d)", i+1, o.line)
	}
	return fmt.Sprintf("record %d", i+1)
}

func readObjects(r io.Reader, format string, keys []string) ([]object, error) {
	switch strings.ToLower(format) {
	case FormatJSON:
		return readJSON(r)
	case FormatCSV:
		return readCSV(r, keys)
	}
	return nil, Errorf(EInvalid, "unknown import format %q: use json or csv", format)
}

func readJSON(r io.Reader) ([]object, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var wrapped struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(b, &wrapped); err != nil || wrapped.Data == nil {
			return nil, Errorf(EInvalid, "JSON import: want a list of records or {\"data\": [...]}")
		}
		b = wrapped.Data
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, Errorf(EInvalid, "JSON import: syntax error at byte %d: %v", se.Offset, err)
		}
		return nil, Errorf(EInvalid, "JSON import: want a list of records (objects): %v", err)
	}
	out := make([]object, len(raw))
	for i, m := range raw {
		if m == nil {
			return nil, Errorf(EInvalid, "record %d: null is not a record", i+1)
		}
		out[i] = object{fields: m}
	}
	return out, nil
}

// readCSV reads a header row of wire keys (any case) and one record per row.
// The delimiter is ',' or ';' (as spreadsheets in Belgium write), chosen from
// the header; an empty cell is "not set".
func readCSV(r io.Reader, keys []string) ([]object, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	head, _ := br.Peek(4096)
	first, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Errorf(EInvalid, "CSV import: the file is empty; want a header row of field names")
	} else if err != nil {
		return nil, Errorf(EInvalid, "CSV import: %v", err)
	}
	canon := map[string]string{}
	for _, k := range keys {
		canon[strings.ToLower(k)] = k
	}
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if k, ok := canon[strings.ToLower(h)]; ok {
			h = k
		}
		cols[i] = h
	}
	var out []object
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, Errorf(EInvalid, "CSV import: %v", err)
		}
		o := object{line: line, fields: map[string]json.RawMessage{}}
		for i, v := range rec {
			if strings.TrimSpace(v) == "" {
				o.fields[cols[i]] = json.RawMessage("null")
				continue
			}
			b, _ := json.Marshal(v)
			o.fields[cols[i]] = b
		}
		out = append(out, o)
	}
	return out, nil
}
