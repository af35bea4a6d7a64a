package httpapi

import (
	"bytes"
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var openapiJSON []byte

// OpenAPI returns the OpenAPI 3.1 description of the API, written by hand and
// kept true by the end-to-end suite, which validates every exchange against
// it. The server serves it at Prefix + "/openapi.json".
func OpenAPI() []byte { return bytes.Clone(openapiJSON) }

// openapi is GET /openapi.json. The reference client never asks for it, so
// it may carry whatever the description needs.
func (h *Handler) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openapiJSON)
}
