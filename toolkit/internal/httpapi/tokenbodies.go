package httpapi

import (
	"net/http"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonstring"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The token calls are answered tens of thousands of times a second, so
// their small bodies are written directly, byte for byte as encoding/json
// writes the SDK's models (TestTokenBodiesMatchModels holds them together):
// keys in the models' order, text escaped the same way.

// appendPermissions appends {"permissions":[{"permission":"slug"},...]}.
func appendPermissions(b []byte, slugs []string) []byte {
	b = append(b, `{"permissions":[`...)
	for i, s := range slugs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"permission":`...)
		b = jsonstring.Append(b, s)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendUser appends the user body; the model writes its keys sorted and
// an empty name as "".
func appendUser(b []byte, u *erp.User) []byte {
	b = append(b, `{"email":`...)
	b = jsonstring.Append(b, u.Email)
	b = append(b, `,"first_name":`...)
	b = jsonstring.Append(b, u.FirstName)
	b = append(b, `,"last_name":`...)
	b = jsonstring.Append(b, u.LastName)
	return append(b, '}')
}

// writeBody sends an encoded JSON body with a final newline, as writeJSON
// does.
func writeBody(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
