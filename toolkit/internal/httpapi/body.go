package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds a request body; a sign-in needs a few hundred bytes.
const maxBody = 64 << 10

// maxDrain is how much of a body larger than maxBody the server reads and
// throws away before it answers 413. A client that sends its whole body
// before it reads (Python's urllib does) can then read the answer: a
// connection closed with unread data in it is reset, and the answer is lost
// with it. A body larger still gets its 413 at once and the connection
// closed.
const maxDrain = 16 << 20

// tooLarge answers 413 to a request whose Content-Length is over maxBody,
// whatever its path, and reports whether it did.
func tooLarge(w http.ResponseWriter, r *http.Request) bool {
	if r.ContentLength <= maxBody {
		return false
	}
	refuseBody(w, r)
	return true
}

// refuseBody answers 413 to a body over maxBody, after reading the rest of
// it up to maxDrain (see there). A client that waits for "100 Continue"
// before it sends its body is answered at once: it sends nothing more.
func refuseBody(w http.ResponseWriter, r *http.Request) {
	drained := false
	if r.ContentLength <= maxDrain && !strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		n, err := io.CopyN(io.Discard, r.Body, maxDrain+1)
		drained = n <= maxDrain && err == io.EOF
	}
	if !drained {
		w.Header().Set("Connection", "close")
	}
	writeJSON(w, http.StatusRequestEntityTooLarge, message{fmt.Sprintf("The request body is larger than %d bytes.", maxBody)})
}
