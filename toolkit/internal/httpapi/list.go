package httpapi

import (
	"io"
	"net/http"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// listBufferSize is how much of a list body is written to its file at
// once: large enough that a syscall carries many rows.
const listBufferSize = 32 << 10

// serveList sends the list that settle returns for the request's token as
// the protocol's {"data": [...]} body, from its file (see listfiles.go). An
// error before the body is complete is an ordinary error response: nothing
// was sent yet.
func (h *Handler) serveList(w http.ResponseWriter, r *http.Request, settle func(token string) (*erp.List, error)) {
	l, err := settle(r.Header.Get(HeaderToken))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, size, err := h.lists.open(r.Context(), l)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/json")
	// With its length known, net/http hands the file to the kernel
	// (sendfile) instead of copying it through a buffer.
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, f); err != nil {
		h.log.Info("list not sent whole", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// serveArtikel sends one product, asked for by id, in the list's body.
func (h *Handler) serveArtikel(w http.ResponseWriter, r *http.Request, asked erp.APIVersion, id int64) {
	var body []byte
	err := h.svc.StreamArtikelForToken(r.Context(), r.Header.Get(HeaderToken), asked, id, func(row []byte) error {
		body = append(append([]byte(`{"data":[`), row...), "]}"...)
		return nil
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeBody(w, http.StatusOK, body)
}
