package httpapi

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// categoriesResponse is the answer of /categories/; the SDK's Categorie
// writes the wire tree, children always a list.
type categoriesResponse struct {
	Data []cloudspot.Categorie `json:"data"`
}

// categories is GET /categories/: the company's category tree, or with
// ?id= one category and its subtree. A client of version 0.4 or 0.5 never
// calls it, so it answers the same in every version.
func (h *Handler) categories(w http.ResponseWriter, r *http.Request) {
	token := r.Header.Get(HeaderToken)
	if q := r.URL.Query(); q.Has("id") {
		id, err := strconv.ParseInt(q.Get("id"), 10, 64)
		if err != nil || id <= 0 {
			h.fail(w, r, erp.Errorf(erp.EInvalid, "id must be a positive number."))
			return
		}
		c, err := h.svc.CategorieForToken(r.Context(), token, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, categoriesResponse{Data: []cloudspot.Categorie{c}})
		return
	}
	cs, err := h.svc.CategorieenForToken(r.Context(), token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeTree(w, cs)
}

// writeTree writes the body categoriesResponse would, one root's subtree
// at a time through a pooled buffer: a tree at the company's cap can be
// some 12 MB, and requests at once would otherwise each hold it encoded,
// twice, beside the tree itself.
func (h *Handler) writeTree(w http.ResponseWriter, roots []cloudspot.Categorie) {
	bw, _ := h.treeWriters.Get().(*bufio.Writer)
	if bw == nil {
		bw = bufio.NewWriterSize(w, listBufferSize)
	} else {
		bw.Reset(w)
	}
	defer func() {
		bw.Reset(nil)
		h.treeWriters.Put(bw)
	}()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	bw.WriteString(`{"data":[`)
	for i, c := range roots {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := json.Marshal(c)
		if err != nil {
			// The status has gone out: abort, so that the client sees a
			// cut body and never a shorter tree.
			panic(http.ErrAbortHandler)
		}
		bw.Write(b)
	}
	bw.WriteString("]}\n")
	bw.Flush()
}
