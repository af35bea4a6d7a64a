package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/cloudspot-toolkit/cloudspot/internal/forwarded"
)

// HeaderRequestID carries the id of a request: every answer has one, and
// every log line about the request names it, so that a client's report
// ("request 3f2a... failed") leads to the server's log.
const HeaderRequestID = "X-Request-Id"

// requestID keeps the id that a trusted proxy in front of the server (see
// TrustProxies) already gave the request, when it looks like an id;
// otherwise it makes one. A client's own id is never kept: it could make
// its requests' log lines look like another client's. Even a proxy's is
// limited in length and alphabet, so it cannot forge log lines.
func (h *Handler) requestID(r *http.Request) string {
	if id := r.Header.Get(HeaderRequestID); validRequestID(id) {
		if peer, ok := forwarded.RemoteAddr(r.RemoteAddr); ok && h.trusted(peer) {
			return id
		}
	}
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}
