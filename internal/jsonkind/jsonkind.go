// Package jsonkind names the kind of a JSON value for an error message that
// must say what came without echoing it: "want a list, got an object". The
// SDK's decoder and the admin's import reader name kinds with it, so an
// error reads the same wherever it comes from.
package jsonkind

// Name names the kind of the JSON value whose first byte is c: "an
// object", "a list", "a string", "a boolean", "null" or "a number". Any
// other byte (a value that is not JSON) is named "a number" too; the
// callers have checked the syntax, or report it separately.
func Name(c byte) string {
	switch c {
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

// Of names the kind of the JSON value in b, after any leading white space,
// as Name does; it is "nothing" when b holds no value.
func Of(b []byte) string {
	for i, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return Name(b[i])
		}
	}
	return "nothing"
}
