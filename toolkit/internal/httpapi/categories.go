package httpapi

import (
	"net/http"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// categorie is a category on the wire: children always a list.
type categorie struct {
	ID       int64       `json:"id"`
	Naam     string      `json:"naam"`
	Children []categorie `json:"children"`
}

type categoriesResponse struct {
	Data []categorie `json:"data"`
}

func wireCategorieen(cs []cloudspot.Categorie) []categorie {
	out := make([]categorie, len(cs))
	for i, c := range cs {
		out[i] = categorie{ID: c.ID, Naam: c.Naam, Children: wireCategorieen(c.Children)}
	}
	return out
}

// categories is GET /categories/ of the later API: the company's category
// tree, or with ?id= one category and its subtree. An old client never
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
		writeJSON(w, http.StatusOK, categoriesResponse{Data: wireCategorieen([]cloudspot.Categorie{c})})
		return
	}
	cs, err := h.svc.CategorieenForToken(r.Context(), token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, categoriesResponse{Data: wireCategorieen(cs)})
}
