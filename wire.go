package cloudspot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A field ties one wire key to the Go value that holds it. Models list their
// fields once; marshalFields writes exactly those keys (the reference client
// rejects any other) and unmarshalFields reads them tolerantly.
type field struct {
	key string
	ptr any // *string, *int64, *bool, *Decimal or *Date
	// extension marks a key of a later API version: decoded when it comes,
	// written only when set, and not among the protocol's keys.
	extension bool
}

// keysOf lists the protocol's keys of fs, leaving out extensions.
func keysOf(fs []field) []string {
	keys := make([]string, 0, len(fs))
	for _, f := range fs {
		if !f.extension {
			keys = append(keys, f.key)
		}
	}
	return keys
}

func marshalFields(fs []field) ([]byte, error) {
	b := make([]byte, 0, 64*len(fs))
	b = append(b, '{')
	first := true
	for _, f := range fs {
		if f.extension && isZero(f.ptr) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		// Wire keys are plain ASCII names: they need no escaping.
		b = append(b, '"')
		b = append(b, f.key...)
		b = append(b, '"', ':')
		switch p := f.ptr.(type) {
		case *string:
			if *p == "" {
				b = append(b, "null"...)
			} else {
				b = appendJSONString(b, *p)
			}
		case *int64:
			b = strconv.AppendInt(b, *p, 10)
		case *bool:
			b = strconv.AppendBool(b, *p)
		case *Decimal:
			b = append(b, p.String()...)
		case *Date:
			if p.IsZero() {
				b = append(b, "null"...)
			} else {
				b = append(b, '"')
				b = append(b, p.String()...)
				b = append(b, '"')
			}
		default:
			panic(fmt.Sprintf("cloudspot: field %q has unsupported type %T", f.key, f.ptr))
		}
	}
	return append(b, '}'), nil
}

func isZero(ptr any) bool {
	switch p := ptr.(type) {
	case *string:
		return *p == ""
	case *int64:
		return *p == 0
	case *bool:
		return !*p
	case *Decimal:
		return p.IsZero()
	case *Date:
		return p.IsZero()
	}
	return false
}

// appendJSONString appends s as a JSON string. Like encoding/json it
// replaces invalid UTF-8 with U+FFFD and escapes control characters and
// the line separators U+2028 and U+2029; unlike it, it leaves <, > and &
// alone, which is still valid JSON.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func unmarshalFields(what string, b []byte, fs []field) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return decodeError(what, "an object", b, err)
	}
	for _, f := range fs {
		raw, ok := obj[f.key]
		if !ok {
			continue
		}
		var err error
		switch p := f.ptr.(type) {
		case *string:
			var s flexString
			err = s.UnmarshalJSON(raw)
			*p = string(s)
		case *int64:
			*p, err = decodeInt(raw)
		case *bool:
			*p, err = decodeBool(raw)
		case *Decimal:
			err = p.UnmarshalJSON(raw)
		case *Date:
			err = p.UnmarshalJSON(raw)
		default:
			panic(fmt.Sprintf("cloudspot: field %q has unsupported type %T", f.key, f.ptr))
		}
		if err != nil {
			return &FieldError{Object: what, Key: f.key, Err: err}
		}
	}
	return nil
}

// FieldError is a value in a response that could not be decoded even
// tolerantly, named by its wire key.
type FieldError struct {
	Object string // "artikel", "klant", "user"
	Key    string // the wire key, e.g. "verkoopprijs_excl"
	Err    error
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("cloudspot: decoding %s.%s: %v", e.Object, e.Key, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// flexString accepts a JSON string, number or boolean as text, and null as "".
// Real servers send a house number or postcode as a number now and then.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("empty value")
	case string(b) == "null":
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case string(b) == "true" || string(b) == "false" || b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*s = flexString(b)
	default:
		return fmt.Errorf("want text, got %s", describeJSON(b))
	}
	return nil
}

func decodeInt(b []byte) (int64, error) {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return 0, err
	}
	t := strings.TrimSpace(string(s))
	if t == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n, nil
	}
	// "1001.0" or 1e3 from a server that stores numbers as floats.
	d, err := ParseDecimal(t)
	if err != nil {
		return 0, fmt.Errorf("want an integer, got %q", t)
	}
	n, ok := d.Int64()
	if !ok {
		return 0, fmt.Errorf("want an integer, got %q", t)
	}
	return n, nil
}

func decodeBool(b []byte) (bool, error) {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(string(s))) {
	case "", "false", "0", "no", "n":
		return false, nil
	case "true", "1", "yes", "y":
		return true, nil
	}
	return false, fmt.Errorf("want a boolean, got %q", string(s))
}

// describeJSON names the kind of a JSON value for error messages without
// echoing it whole.
func describeJSON(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func decodeError(what, want string, b []byte, err error) error {
	return fmt.Errorf("cloudspot: decoding %s: want %s, got %s: %w", what, want, describeJSON(b), err)
}
