package importfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
)

// parseObject reads a record's keys and values in their order. raw is
// valid JSON: the file's decoder or json.Unmarshal checked it. It is split
// here by hand, not by json.Decoder's Token, which allocates for every
// token: every record and every item of a record's lists passes here.
// BenchmarkReadArtikels measured it: with Token, a product of version 0.6
// took 803 allocations (43 KB) and one of the protocol's keys alone 224;
// split by hand 191 and 49. FuzzParseObject holds it to encoding/json.
func parseObject(raw json.RawMessage) (object, error) {
	if len(raw) > MaxRecordBytes {
		return object{}, fmt.Errorf("the record is larger than %d MiB, the limit of one record", MaxRecordBytes>>20)
	}
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return object{}, fmt.Errorf("want an object with the record's keys, not %s", jsonkind.Of(raw[i:]))
	}
	var o object
	var seen map[string]bool // for objects of many keys; few are compared one by one
	for i = skipWS(raw, i+1); i < len(raw) && raw[i] != '}'; {
		end, err := stringEnd(raw, i)
		if err != nil {
			return object{}, err
		}
		key, err := keyOf(raw[i:end])
		if err != nil {
			return object{}, err
		}
		if i = skipWS(raw, end); i >= len(raw) || raw[i] != ':' {
			return object{}, errBroken
		}
		i = skipWS(raw, i+1)
		end, err = valueEnd(raw, i)
		if err != nil {
			return object{}, err
		}
		if twice(o.fields, key, &seen) {
			return object{}, fmt.Errorf("the key %q is given twice", key)
		}
		o.fields = append(o.fields, field{key, raw[i:end:end]})
		if i = skipWS(raw, end); i < len(raw) && raw[i] == ',' {
			i = skipWS(raw, i+1)
		}
	}
	if i >= len(raw) {
		return object{}, errBroken
	}
	return o, nil
}

// errBroken is what parseObject says of JSON that is not valid, which its
// callers never give it.
var errBroken = errors.New("broken JSON")

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

// keyOf unquotes a key; most have no escapes and need no decoder (which
// also makes invalid UTF-8 into U+FFFD, as it does in any key).
func keyOf(quoted []byte) (string, error) {
	if bytes.IndexByte(quoted, '\\') < 0 && utf8.Valid(quoted) {
		return string(quoted[1 : len(quoted)-1]), nil
	}
	var s string
	err := json.Unmarshal(quoted, &s)
	return s, err
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string that starts at i.
func stringEnd(b []byte, i int) (int, error) {
	if i >= len(b) || b[i] != '"' {
		return 0, errBroken
	}
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, nil
		}
	}
	return 0, errBroken
}

// valueEnd returns the index after the value that starts at i.
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errBroken
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				end, err := stringEnd(b, i)
				if err != nil {
					return 0, err
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, nil
				}
			}
		}
		return 0, errBroken
	}
	start := i
	for i < len(b) && !endsScalar(b[i]) {
		i++
	}
	if i == start {
		return 0, errBroken
	}
	return i, nil
}

// endsScalar reports whether c ends a number, true, false or null.
func endsScalar(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
