// Package jsonstring writes text as a JSON string, escaped byte for byte as
// encoding/json escapes a string by default. The SDK's models,
// cloudspot-server's list and token bodies and the admin's import reader
// all write their strings with it, so one rule decides every string on the
// wire, and a body written column by column is the one encoding/json would
// write from the same values.
//
// It exists beside encoding/json because its callers write into a buffer
// they reuse, one value at a time: json.Marshal would allocate a result for
// every string of a list (see BenchmarkAppend).
package jsonstring

import (
	"math/bits"
	"unicode/utf8"
)

// Append appends s to b as a quoted JSON string and returns the extended
// buffer. It escapes what encoding/json escapes by default:
//
//   - the quote and the backslash;
//   - control characters, as \b, \f, \n, \r, \t or \u00XX;
//   - <, > and &, as \u003c, \u003e and \u0026, so that a body can be
//     embedded in an HTML page;
//   - U+2028 and U+2029, which end a line in JavaScript;
//   - each byte that is not part of valid UTF-8, replaced by \ufffd.
//
// Everything else, non-ASCII letters included, is copied as it is.
func Append[S string | []byte](b []byte, s S) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is yet to be copied
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a look: most of a
		// product's text is plain.
		for i+8 <= len(s) {
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			if m := flagged(x); m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hex = "0123456789abcdef"

// flagged sets the high bit of each byte of x (eight bytes of text, the
// first in the lowest byte) that is not safe: a control character, a quote,
// a backslash, <, >, & or a byte of a multi-byte character. Only the lowest
// flag is exact (a borrow can flag a byte above it), and that is the one
// Append uses.
func flagged(x uint64) uint64 {
	const lsb, msb = 0x0101010101010101, 0x8080808080808080
	m := (x - lsb*0x20) &^ x // below 0x20
	m |= equal(x, '"') | equal(x, '\\') | equal(x, '<') | equal(x, '>') | equal(x, '&')
	return (m | x) & msb
}

// equal flags (in the high bit) the bytes of x equal to c, as flagged
// does.
func equal(x, c uint64) uint64 {
	const lsb = 0x0101010101010101
	y := x ^ (lsb * c)
	return (y - lsb) &^ y
}

// safe says which ASCII bytes stand in a JSON string as they are.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
