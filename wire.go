package cloudspot

import (
	"fmt"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
	"github.com/cloudspot-toolkit/cloudspot/internal/jsonstring"
	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
)

// A field ties one wire key to the Go value that holds it. Models list their
// fields once; marshalFields writes exactly those keys (the reference client
// rejects any other) and decodeFields reads them tolerantly.
type field struct {
	key string
	ptr any // *string, *int64, *bool, *Decimal, *Date, a list or a namedRef (see scanner.list)
	// extension marks a key that API version 0.4 does not have (see
	// wirekeys.Key): decoded when it comes, written only when set.
	extension bool
	// nullZero writes an *int64 of 0 as null: an id the ERP may not know.
	nullZero bool
	// nullKeeps decodes null as "not sent": the value another key gave
	// (merk_id after a merk object holding the id) stays.
	nullKeeps bool
}

// bind pairs keys, in order, with the values that hold them: one value for
// each key. A keptOnNull value's key decodes null as "not sent".
func bind(keys []wirekeys.Key, values ...any) []field {
	if len(values) != len(keys) {
		panic(fmt.Sprintf("cloudspot: %d values for %d keys", len(values), len(keys)))
	}
	fs := make([]field, len(keys))
	for i, k := range keys {
		fs[i] = field{key: k.Name, ptr: values[i], extension: k.Extension}
		if v, ok := values[i].(keptOnNull); ok {
			fs[i].ptr, fs[i].nullKeeps = v.p, true
		}
	}
	return fs
}

// keptOnNull is an *int64 that bind marks nullKeeps.
type keptOnNull struct{ p *int64 }

func marshalFields(fs []field) ([]byte, error) {
	return appendFields(make([]byte, 0, 64*len(fs)), fs), nil
}

// appendFields appends fs as one JSON object.
func appendFields(b []byte, fs []field) []byte {
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
				b = jsonstring.Append(b, *p)
			}
		case *int64:
			if *p == 0 && f.nullZero {
				b = append(b, "null"...)
			} else {
				b = strconv.AppendInt(b, *p, 10)
			}
		case *bool:
			b = strconv.AppendBool(b, *p)
		case *Decimal:
			if p.Known() {
				b = p.appendTo(b)
			} else {
				b = append(b, "null"...)
			}
		case *Date:
			if p.IsZero() {
				b = append(b, "null"...)
			} else {
				b = append(b, '"')
				b = append(b, p.String()...)
				b = append(b, '"')
			}
		default:
			var ok bool
			if b, ok = appendList(b, f.ptr); !ok {
				panic(fmt.Sprintf("cloudspot: field %q has unsupported type %T", f.key, f.ptr))
			}
		}
	}
	return append(b, '}')
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
		return !p.Known()
	case *Date:
		return p.IsZero()
	}
	return isNilList(ptr)
}

// decodeFields reads one object into fs. Keys it does not know are skipped,
// and a key met twice keeps its last value. The ERP sends keys in the order
// of fs, so the next field is tried first.
func decodeFields(s *scanner, what string, fs []field) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c != '{' {
		return fmt.Errorf("cloudspot: decoding %s: want an object, got %s", what, jsonkind.Name(c))
	}
	if err := s.openObject(); err != nil {
		return err
	}
	next := 0
	// An object inside this one (a product's photo) sets its own texts
	// when it ends; these wait above its marks.
	mark, markBytes := len(s.texts), len(s.textBytes)
	for i := 0; ; i++ {
		key, ok, err := s.member(i)
		if err != nil {
			return err
		}
		if !ok {
			s.setTexts(mark, markBytes)
			return nil
		}
		k := -1
		if next < len(fs) && string(key) == fs[next].key {
			k = next
		} else {
			for j := range fs {
				if string(key) == fs[j].key {
					k = j
					break
				}
			}
		}
		if k < 0 {
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		next = k + 1
		if fs[k].nullKeeps {
			if c, err := s.peek(); err == nil && c == 'n' {
				if err := s.literal("null"); err != nil {
					return err
				}
				continue
			}
		}
		if err := s.field(fs[k].ptr); err != nil {
			if s.broken != nil {
				return s.broken
			}
			key, err := nestedKey(fs[k].key, err)
			return &FieldError{Object: what, Key: key, Err: err}
		}
	}
}

// field decodes one value into ptr, tolerantly.
func (s *scanner) field(ptr any) (err error) {
	switch p := ptr.(type) {
	case *string:
		err = s.textLater(p)
	case *int64:
		*p, err = s.integer()
	case *bool:
		*p, err = s.boolean()
	case *Decimal:
		*p, err = s.decimal()
	case *Date:
		*p, err = s.date()
	default:
		var ok bool
		if ok, err = s.list(ptr); !ok {
			panic(fmt.Sprintf("cloudspot: unsupported field type %T", ptr))
		}
	}
	return err
}

// unmarshalScalar decodes data, which must hold exactly one value, with
// dec; errors start with prefix ("cloudspot: invalid decimal").
func unmarshalScalar[T any](data []byte, prefix string, dec func(*scanner) (T, error)) (T, error) {
	var zero T
	if len(trimSpace(data)) == 0 {
		return zero, fmt.Errorf("%s: found empty input", prefix)
	}
	s := newBytesScanner(data)
	v, err := dec(s)
	if err == nil {
		err = s.end()
	}
	switch {
	case s.broken != nil:
		return zero, fmt.Errorf("%s: %w", prefix, s.broken)
	case err != nil:
		return zero, err
	}
	return v, nil
}

// unmarshalOne decodes b, which must hold exactly one value, with dec.
func unmarshalOne(b []byte, dec func(*scanner) error) error {
	s := newBytesScanner(b)
	if err := dec(s); err != nil {
		return err
	}
	return s.end()
}

// FieldError is a value in a response that could not be decoded even
// tolerantly, named by its wire key.
type FieldError struct {
	Object string // "artikel", "klant", "user", "categorie"
	Key    string // the wire key, e.g. "verkoopprijs_excl", or a path into a list: "fotos[2].url"
	Err    error
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("cloudspot: decoding %s.%s: %v", e.Object, e.Key, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// flexString accepts a JSON string, number or boolean as text, and null as "".
// Real servers send a house number or postcode as a number now and then.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	return unmarshalOne(b, func(s *scanner) error {
		v, err := s.text()
		*f = flexString(v)
		return err
	})
}

// text reads a string, or a number or boolean as its text; null is "".
func (s *scanner) text() (string, error) {
	kind, text, err := s.scalar()
	switch {
	case err != nil:
		return "", err
	case kind == 'n':
		return "", nil
	case kind == '{' || kind == '[':
		return "", fmt.Errorf("want text, got %s", jsonkind.Name(kind))
	}
	if v, ok := documentedValue(text); ok {
		return v, nil
	}
	return string(text), nil
}

// documentedValue returns the ERP's documented enumeration values without
// allocating: they are most of the strings of a list, repeated in every
// object.
func documentedValue(b []byte) (string, bool) {
	switch string(b) {
	case string(VoorraadBijhoudenNiet):
		return string(VoorraadBijhoudenNiet), true
	case string(VoorraadBijhoudenFysiek):
		return string(VoorraadBijhoudenFysiek), true
	case string(VoorraadBijhoudenDigitaal):
		return string(VoorraadBijhoudenDigitaal), true
	case string(BestellingtypeIdeaal):
		return string(BestellingtypeIdeaal), true
	case string(BestellingtypeBestelling):
		return string(BestellingtypeBestelling), true
	case string(ArtikelStatusZichtbaar):
		return string(ArtikelStatusZichtbaar), true
	case string(ArtikelStatusNietVerkoopbaar):
		return string(ArtikelStatusNietVerkoopbaar), true
	case string(ArtikelStatusGedeactiveerd):
		return string(ArtikelStatusGedeactiveerd), true
	case string(AanspreektitelMijnheer):
		return string(AanspreektitelMijnheer), true
	case string(AanspreektitelMevrouw):
		return string(AanspreektitelMevrouw), true
	}
	return "", false
}

// A pendingText is a text field decoded but not yet set: the texts of one
// object are set together from one string, one allocation per object
// instead of one per field (a kept field keeps its object's texts alive,
// a few hundred bytes).
type pendingText struct {
	p          *string
	v          string // the value, when it is not in textBytes
	start, end int    // its place in textBytes, when end > start
}

// textLater decodes a text field into the object's pending texts.
func (s *scanner) textLater(p *string) error {
	kind, text, err := s.scalar()
	switch {
	case err != nil:
		return err
	case kind == 'n':
		s.texts = append(s.texts, pendingText{p: p})
		return nil
	case kind == '{' || kind == '[':
		return fmt.Errorf("want text, got %s", jsonkind.Name(kind))
	}
	if v, ok := documentedValue(text); ok {
		s.texts = append(s.texts, pendingText{p: p, v: v})
		return nil
	}
	start := len(s.textBytes)
	s.textBytes = append(s.textBytes, text...)
	s.texts = append(s.texts, pendingText{p: p, start: start, end: len(s.textBytes)})
	return nil
}

// setTexts sets the object's pending texts, those from texts[mark] and
// textBytes[markBytes] on, in the order they came, so that a key met twice
// keeps its last value.
func (s *scanner) setTexts(mark, markBytes int) {
	var all string
	if len(s.textBytes) > markBytes {
		all = string(s.textBytes[markBytes:])
	}
	for _, t := range s.texts[mark:] {
		if t.end > t.start {
			*t.p = all[t.start-markBytes : t.end-markBytes]
		} else {
			*t.p = t.v
		}
	}
	s.texts, s.textBytes = s.texts[:mark], s.textBytes[:markBytes]
}

// integer reads a whole number, also from a string ("1001") or a float
// ("1001.0", 1e3) from a server that stores numbers so; null and "" are 0.
func (s *scanner) integer() (int64, error) {
	kind, text, err := s.scalar()
	switch {
	case err != nil:
		return 0, err
	case kind == '{' || kind == '[':
		return 0, fmt.Errorf("want text, got %s", jsonkind.Name(kind))
	}
	t := trimSpace(text)
	if len(t) == 0 {
		return 0, nil
	}
	if n, ok := parseInt64(t); ok {
		return n, nil
	}
	d, err := parseDecimal(t)
	if err != nil {
		return 0, fmt.Errorf("want an integer, got %q", t)
	}
	n, ok := d.Int64()
	if !ok {
		return 0, fmt.Errorf("want an integer, got %q", t)
	}
	return n, nil
}

// parseInt64 parses an optionally signed run of up to 18 digits.
func parseInt64(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg || (len(b) > 0 && b[0] == '+') {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// boolean reads true or false, also as text ("True", "yes", "1"); null and
// "" are false.
func (s *scanner) boolean() (bool, error) {
	kind, text, err := s.scalar()
	switch {
	case err != nil:
		return false, err
	case kind == 't':
		return true, nil
	case kind == 'f' || kind == 'n':
		return false, nil
	case kind == '{' || kind == '[':
		return false, fmt.Errorf("want text, got %s", jsonkind.Name(kind))
	}
	t := trimSpace(text)
	for _, w := range [...]string{"", "false", "0", "no", "n"} {
		if equalFold(t, w) {
			return false, nil
		}
	}
	for _, w := range [...]string{"true", "1", "yes", "y"} {
		if equalFold(t, w) {
			return true, nil
		}
	}
	return false, fmt.Errorf("want a boolean, got %q", t)
}

// equalFold compares ASCII text case-insensitively with a lower-case word.
func equalFold(b []byte, word string) bool {
	if len(b) != len(word) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}

// decimal reads a number, a string holding one ("12.50", "12,50"), or null
// or a blank string, which are unknown.
func (s *scanner) decimal() (Decimal, error) {
	kind, text, err := s.scalar()
	switch {
	case err != nil:
		return Decimal{}, err
	case kind == 'n':
		return Decimal{}, nil
	case kind == '"':
		if len(trimSpace(text)) == 0 {
			return Decimal{}, nil
		}
	case kind != '0':
		return Decimal{}, fmt.Errorf("cloudspot: invalid decimal: expected JSON number, string or null, found %s", jsonkind.Name(kind))
	}
	return parseDecimal(text)
}

// date reads a "YYYY-MM-DD" string; null or a blank string is the zero Date.
func (s *scanner) date() (Date, error) {
	kind, text, err := s.scalar()
	switch {
	case err != nil:
		return Date{}, err
	case kind == 'n':
		return Date{}, nil
	case kind != '"':
		return Date{}, fmt.Errorf("cloudspot: invalid date: expected JSON string or null, found %s", jsonkind.Name(kind))
	}
	if len(trimSpace(text)) == 0 {
		return Date{}, nil
	}
	return ParseDate(string(text))
}

func decodeError(what, want string, b []byte, err error) error {
	return fmt.Errorf("cloudspot: decoding %s: want %s, got %s: %w", what, want, jsonkind.Of(b), err)
}
