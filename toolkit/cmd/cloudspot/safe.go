package main

import (
	"io"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

// visibleWriter passes what commands say to people through
// command.Visible, keeping
// newlines, for commands that print only messages (login, logout, auth
// status).
type visibleWriter struct{ w io.Writer }

func (v visibleWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(v.w, command.Visible(string(p), "\n")); err != nil {
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
	s = command.Visible(s, "\t\n\r")
	if isString && s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}
