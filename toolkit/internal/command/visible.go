package command

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Visible makes text from the ERP or its users (a product's name, a user's
// name, an app slug a client chose, an error message) inert before it is
// written for people: a terminal acts on control characters instead of
// showing them (ESC starts sequences that recolour, move the cursor, set the
// window title or, in some terminals, write files), and bidirectional
// overrides make text read differently from what it is. Each such character
// is shown as an escape instead: \x1b, \u009b, \u202e; a byte that is not
// UTF-8 as \xff. keep lists the controls that may pass (a newline between
// lines of a message).
func Visible(s, keep string) string {
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

// InertJSON makes JSON text inert on a terminal and in a spreadsheet while
// it stays the same JSON value: every character that Visible would escape
// and encoding/json leaves as it is (DEL, the C1 controls, bidirectional
// controls) becomes a JSON \u escape, which a JSON reader reads back as
// that character. JSON's white space between values is kept, and a byte
// that is not UTF-8 becomes U+FFFD, as encoding/json reads it.
func InertJSON(js string) string {
	const space = "\t\n\r"
	js = strings.ToValidUTF8(js, "\ufffd")
	if !needsEscape(js, space) {
		return js
	}
	var b strings.Builder
	for _, r := range js {
		if inert(r, space) {
			b.WriteRune(r)
			continue
		}
		// Every control is in the Basic Multilingual Plane: one \uXXXX.
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}
