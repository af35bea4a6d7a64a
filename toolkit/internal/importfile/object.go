package importfile

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
	"github.com/go-json-experiment/json/jsontext"
)

// parseObject reads a record's keys and values in their order, each value
// as the bytes of raw that hold it, and refuses a key given twice. raw is
// valid JSON: the file's decoder or json.Unmarshal checked it. Every
// record and every item of a record's lists passes here, so it reads with
// jsontext, which neither copies a value nor allocates for a token other
// than a key's string, where encoding/json's Decoder.Token allocates for
// every token (BenchmarkParseObject). Text that is not UTF-8 is kept as it
// is in a value, for the record's decoder to report by key, and reads as
// U+FFFD in a key, as encoding/json reads it (FuzzParseObject holds it to
// encoding/json).
func parseObject(raw json.RawMessage) (object, error) {
	if len(raw) > MaxRecordBytes {
		return object{}, fmt.Errorf("the record is larger than %d MiB, the limit of one record", MaxRecordBytes>>20)
	}
	// A key given twice in a nested object is for its own key's reader to
	// report, with the place in its list: jsontext would refuse the whole
	// record.
	d := jsontext.NewDecoder(bytes.NewBuffer(raw), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	tok, err := d.ReadToken()
	if err != nil {
		return object{}, err
	}
	if tok.Kind() != '{' {
		return object{}, fmt.Errorf("want an object with the record's keys, not %s", jsonkind.Of(bytes.TrimLeft(raw, " \t\r\n")))
	}
	o := object{raw: raw, fields: make([]field, 0, 16)}
	var seen map[string]bool // for objects of many keys; few are compared one by one
	for d.PeekKind() != '}' {
		tok, err := d.ReadToken()
		if err != nil {
			return object{}, err
		}
		key := tok.String() // before the next read, which voids tok
		v, err := d.ReadValue()
		if err != nil {
			return object{}, err
		}
		if twice(o.fields, key, &seen) {
			return object{}, fmt.Errorf("the key %q is given twice", key)
		}
		end := int(d.InputOffset())
		o.fields = append(o.fields, field{key, raw[end-len(v) : end : end]})
	}
	return o, nil
}

// twice reports whether key is among fields, and records it.
func twice(fields []field, key string, seen *map[string]bool) bool {
	const few = 16
	if len(fields) < few {
		for _, f := range fields {
			if f.key == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]bool, 2*few)
		for _, f := range fields {
			(*seen)[f.key] = true
		}
	}
	if (*seen)[key] {
		return true
	}
	(*seen)[key] = true
	return false
}
