package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text from the ERP (a product's name, a user's name, an error message) is
// written for people only after visible has made it inert: a terminal acts on
// control characters instead of showing them (ESC starts sequences that
// recolour, move the cursor, set the window title or, in some terminals,
// write files), and bidirectional overrides make text read differently from
// what it is. Each such character is shown as an escape instead: \x1b,
// \u009b, \u202e; a byte that is not UTF-8 as \xff. keep lists the controls
// that may pass (a newline between lines of a message).
func visible(s, keep string) string {
	if !needsEscape(s, keep) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case inert(r, keep):
			b.WriteString(s[i : i+n])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

func needsEscape(s, keep string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !inert(r, keep) {
			return true
		}
		i += n
	}
	return false
}

// inert reports whether r shows as itself: not a C0 or C1 control or DEL
// (unicode.IsControl) unless kept, and not a bidirectional control.
func inert(r rune, keep string) bool {
	if unicode.IsControl(r) {
		return strings.ContainsRune(keep, r)
	}
	return !unicode.Is(unicode.Bidi_Control, r)
}

// visibleWriter passes what commands say to people through visible, keeping
// newlines, for commands that print only messages (login, logout, auth
// status).
type visibleWriter struct{ w io.Writer }

func (v visibleWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(v.w, visible(string(p), "\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}

// formulaStart are the first characters that make a spreadsheet read a cell
// as a formula (or, for tab and carriage return, hide one after them), after
// OWASP's guidance on CSV injection.
const formulaStart = "=+-@\t\r"

// csvCell is a text value as a CSV cell that a spreadsheet opens as text: a
// cell that would start a formula gets a leading apostrophe, which
// spreadsheets hide and read as "this is text", and controls other than tab,
// newline and carriage return (which CSV quotes) are shown as escapes.
// Numbers are never changed: -1.50 is a number, not a formula.
func csvCell(s string, isString bool) string {
	s = visible(s, "\t\n\r")
	if isString && s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}
