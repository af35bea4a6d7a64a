package cloudspot

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"unicode/utf8"
)

// scanner reads JSON from a stream one token at a time, holding only a small
// window of it, so that a list of any length decodes in constant memory. It
// is hand-written because it decodes a product list several times faster
// than encoding/json's Decoder.Token or than decoding into plain structs
// (see BenchmarkDecodeArtikels); the SDK module requires nothing, so a
// third-party tokenizer is not an option.
//
// Any syntax or read error is kept in broken: after it the scanner is
// unusable, and decoders report it as is rather than blaming a field.
type scanner struct {
	r      io.Reader // nil when buf holds the whole input
	buf    []byte
	i, n   int   // buf[i:n] is read but not yet consumed
	off    int64 // stream offset of buf[0], for error messages
	err    error // the reader's first error; io.EOF at the end
	depth  int
	broken error

	// The current object's text fields, set when it ends (see setTexts).
	texts     []pendingText
	textBytes []byte
	leaves    *leaves // see scanner.leaf
}

const (
	scanBufSize = 32 << 10
	// maxTokenSize bounds one string or number, so that a hostile body
	// cannot make the window grow without end.
	maxTokenSize = 16 << 20
	// maxDepth bounds nesting in skipped values, as encoding/json does.
	maxDepth = 10000
)

func newStreamScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, scanBufSize)}
}

func newBytesScanner(b []byte) *scanner {
	return &scanner{buf: b, n: len(b), err: io.EOF}
}

// more reads at least one more byte into the window, keeping buf[i:n] (which
// moves to the front). It reports false at the end of the input or on a read
// error.
func (s *scanner) more() bool {
	if s.err != nil {
		return false
	}
	if s.i > 0 {
		copy(s.buf, s.buf[s.i:s.n])
		s.off += int64(s.i)
		s.n -= s.i
		s.i = 0
	}
	if s.n == len(s.buf) {
		if len(s.buf) >= maxTokenSize {
			s.err = fmt.Errorf("a value longer than %d bytes", maxTokenSize)
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.n])
		s.buf = nb
	}
	for empty := 0; ; empty++ {
		m, err := s.r.Read(s.buf[s.n:])
		s.n += m
		if err != nil {
			s.err = err
		} else if m == 0 && empty == 100 {
			s.err = io.ErrNoProgress
		}
		if m > 0 || s.err != nil {
			return m > 0
		}
	}
}

// fail records and returns a syntax error at the current position.
func (s *scanner) fail(format string, args ...any) error {
	if s.broken == nil {
		s.broken = fmt.Errorf("malformed JSON at byte %d: %s", s.off+int64(s.i), fmt.Sprintf(format, args...))
	}
	return s.broken
}

// ended records and returns why the input ran out: a truncated body, or the
// reader's own error (a dropped connection, a cancelled context).
func (s *scanner) ended() error {
	if s.broken == nil {
		if s.err == io.EOF {
			s.broken = fmt.Errorf("truncated JSON after %d bytes: %w", s.off+int64(s.n), io.ErrUnexpectedEOF)
		} else {
			s.broken = fmt.Errorf("reading the response: %w", s.err)
		}
	}
	return s.broken
}

// peek skips white space and returns the next byte without consuming it.
func (s *scanner) peek() (byte, error) {
	for {
		for s.i < s.n {
			c := s.buf[s.i]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, nil
			}
			s.i++
		}
		if !s.more() {
			return 0, s.ended()
		}
	}
}

// end checks that nothing but white space follows the value just read.
func (s *scanner) end() error {
	for {
		for ; s.i < s.n; s.i++ {
			if c := s.buf[s.i]; c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return s.fail("unexpected %s after the value", quoteByte(c))
			}
		}
		if !s.more() {
			break
		}
	}
	if s.err == io.EOF {
		return nil // the end that every decode meets: no error made for it
	}
	return s.ended()
}

func quoteByte(c byte) string {
	if c < utf8.RuneSelf {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte %#x", c)
}

// expect consumes the byte c after optional white space.
func (s *scanner) expect(c byte) error {
	got, err := s.peek()
	if err != nil {
		return err
	}
	if got != c {
		return s.fail("want %q, got %s", rune(c), quoteByte(got))
	}
	s.i++
	return nil
}

// literal consumes true, false or null.
func (s *scanner) literal(word string) error {
	for s.n-s.i < len(word) {
		if !s.more() {
			return s.ended()
		}
	}
	if string(s.buf[s.i:s.i+len(word)]) != word {
		return s.fail("invalid literal")
	}
	s.i += len(word)
	return nil
}

// rawString consumes a string and returns it with its quotes. plain reports
// that it has no escapes and is valid UTF-8, so its bytes are its value.
// The result is valid until the next call on s.
func (s *scanner) rawString() (raw []byte, plain bool, err error) {
	j := s.i + 1
	plain = true
	ascii := true
	for {
		for j < s.n {
			// Eight bytes at a time while none of them needs a look:
			// long descriptions are most of a product list's bytes.
			for j+8 <= s.n {
				m := special(binary.LittleEndian.Uint64(s.buf[j:]), ascii)
				if m != 0 {
					j += bits.TrailingZeros64(m) / 8
					break
				}
				j += 8
			}
			if j >= s.n {
				break
			}
			c := s.buf[j]
			if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' {
				j++
				continue
			}
			switch {
			case c == '"':
				raw = s.buf[s.i : j+1]
				s.i = j + 1
				if plain && !ascii && !utf8.Valid(raw) {
					plain = false
				}
				return raw, plain, nil
			case c == '\\':
				if j+1 >= s.n {
					goto refill // the escaped byte is not here yet
				}
				// A value that is skipped is never unquoted, so its escapes
				// are checked here: a body the standard decoder refuses is
				// refused whichever of its values the SDK reads.
				switch e := s.buf[j+1]; e {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					j += 2
				case 'u':
					if j+6 > s.n {
						goto refill // the four hex digits are not all here yet
					}
					for _, h := range s.buf[j+2 : j+6] {
						if !isHexDigit(h) {
							s.i = j
							return nil, false, s.fail("invalid escape %q in a string", s.buf[j:j+6])
						}
					}
					j += 6
				default:
					s.i = j
					return nil, false, s.fail("invalid escape %s in a string", quoteByte(e))
				}
				plain = false
				continue
			case c < 0x20:
				s.i = j
				return nil, false, s.fail("control character %#x in a string", c)
			}
			ascii = false
			j++
		}
	refill:
		k := j - s.i
		if !s.more() {
			return nil, false, s.ended()
		}
		j = s.i + k
	}
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// special flags (in the high bit of each byte) the bytes of x that end a
// plain run of a string: a quote, a backslash, a control character and,
// until one was seen, a byte of a multi-byte character. Only the lowest
// flag is exact, which is the one the caller uses.
func special(x uint64, ascii bool) uint64 {
	const lsb, msb = 0x0101010101010101, 0x8080808080808080
	m := (x - lsb*0x20) &^ x // below 0x20
	q := x ^ (lsb * '"')
	m |= (q - lsb) &^ q
	bs := x ^ (lsb * '\\')
	m |= (bs - lsb) &^ bs
	if ascii {
		m |= x
	}
	return m & msb
}

// unquote returns the value of a string from rawString.
func (s *scanner) unquote(raw []byte, plain bool) ([]byte, error) {
	if plain {
		return raw[1 : len(raw)-1], nil
	}
	// Escapes and invalid UTF-8 are rare: encoding/json's rules apply
	// (invalid UTF-8 becomes U+FFFD, surrogates pair up).
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, s.fail("invalid string: %v", err)
	}
	return []byte(v), nil
}

// number consumes a JSON number and returns its text.
func (s *scanner) number() ([]byte, error) {
	j := s.i
	for {
		for j < s.n && isNumberByte(s.buf[j]) {
			j++
		}
		if j < s.n {
			break
		}
		k := j - s.i
		if !s.more() {
			if s.err != io.EOF {
				return nil, s.ended()
			}
			j = s.i + k
			break
		}
		j = s.i + k
	}
	raw := s.buf[s.i:j]
	if !validNumber(raw) {
		return nil, s.fail("malformed number %s", decimalQuote(string(raw)))
	}
	s.i = j
	return raw, nil
}

func isNumberByte(c byte) bool {
	return isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// validNumber checks the JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(b)
}

// openObject consumes '{'; member then walks the object's keys.
func (s *scanner) openObject() error { return s.open('{') }

// open consumes c, which opens an object or an array, one level deeper.
func (s *scanner) open(c byte) error {
	if err := s.expect(c); err != nil {
		return err
	}
	if s.depth++; s.depth > maxDepth {
		return s.fail("nested too deeply")
	}
	return nil
}

// member returns the key of the object's member number i (from 0) and
// consumes the colon after it, or reports false at the object's end. The
// key is valid until the next call on s.
func (s *scanner) member(i int) (key []byte, ok bool, err error) {
	c, err := s.peek()
	if err != nil {
		return nil, false, err
	}
	if c == '}' {
		s.i++
		s.depth--
		return nil, false, nil
	}
	if i > 0 {
		if c != ',' {
			return nil, false, s.fail("want ',' or '}' in an object, got %s", quoteByte(c))
		}
		s.i++
		if c, err = s.peek(); err != nil {
			return nil, false, err
		}
	}
	if c != '"' {
		return nil, false, s.fail("want a key, got %s", quoteByte(c))
	}
	raw, plain, err := s.rawString()
	if err != nil {
		return nil, false, err
	}
	if key, err = s.unquote(raw, plain); err != nil {
		return nil, false, err
	}
	// The colon is checked without moving the window when it is there,
	// which keeps key valid.
	if s.i < s.n && s.buf[s.i] == ':' {
		s.i++
		return key, true, nil
	}
	key = append([]byte(nil), key...)
	return key, true, s.expect(':')
}

// openArray consumes '['; element then walks the array.
func (s *scanner) openArray() error { return s.open('[') }

// element reports whether the array has an element number i (from 0),
// positioned at it, or consumes the array's end.
func (s *scanner) element(i int) (bool, error) {
	c, err := s.peek()
	if err != nil {
		return false, err
	}
	if c == ']' {
		s.i++
		s.depth--
		return false, nil
	}
	if i > 0 {
		if c != ',' {
			return false, s.fail("want ',' or ']' in a list, got %s", quoteByte(c))
		}
		s.i++
	}
	return true, nil
}

// skip consumes one value of any kind, such as a key the SDK does not read.
func (s *scanner) skip() error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	switch {
	case c == '{':
		if err := s.openObject(); err != nil {
			return err
		}
		for i := 0; ; i++ {
			_, ok, err := s.member(i)
			if err != nil || !ok {
				return err
			}
			if err := s.skip(); err != nil {
				return err
			}
		}
	case c == '[':
		if err := s.openArray(); err != nil {
			return err
		}
		for i := 0; ; i++ {
			ok, err := s.element(i)
			if err != nil || !ok {
				return err
			}
			if err := s.skip(); err != nil {
				return err
			}
		}
	case c == '"':
		_, _, err := s.rawString()
		return err
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || isDigit(c):
		_, err := s.number()
		return err
	}
	return s.fail("unexpected %s", quoteByte(c))
}

// scalar consumes a string, number, true, false or null and returns its kind
// ('"', '0', 't', 'f' or 'n') and its text (a string's value). An object or
// a list is not consumed: its kind is '{' or '[' and the caller reports it.
func (s *scanner) scalar() (kind byte, text []byte, err error) {
	c, err := s.peek()
	if err != nil {
		return 0, nil, err
	}
	switch {
	case c == '"':
		raw, plain, err := s.rawString()
		if err != nil {
			return 0, nil, err
		}
		text, err = s.unquote(raw, plain)
		return '"', text, err
	case c == '-' || isDigit(c):
		text, err = s.number()
		return '0', text, err
	case c == 't':
		return 't', []byte("true"), s.literal("true")
	case c == 'f':
		return 'f', []byte("false"), s.literal("false")
	case c == 'n':
		return 'n', nil, s.literal("null")
	case c == '{' || c == '[':
		return c, nil, nil
	}
	return 0, nil, s.fail("unexpected %s", quoteByte(c))
}
