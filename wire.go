package cloudspot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// A field ties one wire key to the Go value that holds it. Models list their
// fields once; marshalFields writes exactly those keys (the reference client
// rejects any other) and unmarshalFields reads them tolerantly.
type field struct {
	key string
	ptr any // *string, *int64, *bool, *Decimal or *Date
}

func keysOf(fs []field) []string {
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.key
	}
	return keys
}

func marshalFields(fs []field) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		b.Write(k)
		b.WriteByte(':')
		var v []byte
		var err error
		switch p := f.ptr.(type) {
		case *string:
			if *p == "" {
				v = []byte("null")
			} else {
				v, err = json.Marshal(*p)
			}
		case *int64:
			v = strconv.AppendInt(nil, *p, 10)
		case *bool:
			v = strconv.AppendBool(nil, *p)
		case *Decimal:
			v, err = p.MarshalJSON()
		case *Date:
			v, err = p.MarshalJSON()
		default:
			panic(fmt.Sprintf("cloudspot: field %q has unsupported type %T", f.key, f.ptr))
		}
		if err != nil {
			return nil, fmt.Errorf("cloudspot: encoding %s: %w", f.key, err)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
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
