package httpapi

import (
	"net/http"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The response bodies of the protocol's calls. Each has exactly the keys
// the protocol names; the models marshal themselves the same way.
type (
	signInResponse struct {
		Token       string                `json:"token"`
		Permissions cloudspot.Permissions `json:"permissions"`
	}
)

// signIn is POST /auth/signin-external-app/.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	asked, err := askedVersion(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	username, password, err := readSignIn(r)
	switch {
	case err == errNotJSONType:
		writeJSON(w, http.StatusUnsupportedMediaType, message{"The request body must be sent as Content-Type: application/json."})
		return
	case err == errTooLarge:
		refuseBody(w, r)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	res, err := h.svc.SignInFrom(r.Context(), h.clientAddress(r), r.Header.Get(HeaderRequestor), username, password)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if asked == "" {
		asked = res.APIVersion
	}
	writeJSON(w, http.StatusOK, signInBody(asked, res))
}

// signOut is POST /auth/signout/, an extension of the protocol: it revokes
// the user token it is called with. The reference client never calls it.
func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.SignOut(r.Context(), r.Header.Get(HeaderRequestor), r.Header.Get(HeaderToken)); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{"Signed out."})
}

// permissions is GET /auth/get-permissions/.
func (h *Handler) permissions(w http.ResponseWriter, r *http.Request) {
	ps, err := h.svc.PermissionsForToken(r.Context(), r.Header.Get(HeaderRequestor), r.Header.Get(HeaderToken))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeBody(w, http.StatusOK, appendPermissions(make([]byte, 0, 256), ps))
}

// user is GET /auth/get-user/.
func (h *Handler) user(w http.ResponseWriter, r *http.Request) {
	asked, err := askedVersion(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.svc.ProfileForToken(r.Context(), r.Header.Get(HeaderRequestor), r.Header.Get(HeaderToken), asked)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.APIVersion.AtLeast(erp.APIVersion05) {
		writeJSON(w, http.StatusOK, user05Body(p))
		return
	}
	writeBody(w, http.StatusOK, appendUser(make([]byte, 0, 256), &p.User))
}

// artikels is GET /artikels/, and with ?id= one product. Only the latter
// and the lists of version 0.6 send the products' "id": the lists of 0.4
// and 0.5 keep the protocol's keys, which the reference clients check.
func (h *Handler) artikels(w http.ResponseWriter, r *http.Request) {
	asked, err := askedVersion(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if q := r.URL.Query(); q.Has("id") {
		id, err := strconv.ParseInt(q.Get("id"), 10, 64)
		if err != nil || id <= 0 {
			h.fail(w, r, erp.Errorf(erp.EInvalid, "id must be a positive number."))
			return
		}
		h.serveArtikel(w, r, asked, id)
		return
	}
	h.serveList(w, r, func(token string) (*erp.List, error) {
		return h.svc.ArtikelsListForToken(r.Context(), token, asked)
	})
}

// klanten is GET /klanten/.
func (h *Handler) klanten(w http.ResponseWriter, r *http.Request) {
	h.serveList(w, r, func(token string) (*erp.List, error) {
		return h.svc.KlantenListForToken(r.Context(), token)
	})
}

// healthz says the process is up; it does not touch the database.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, message{"OK"})
}

// readyz says whether the database answers, for load balancers.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.Ping(r.Context()); err != nil {
		h.log.Warn("readiness check failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, message{"The database is unavailable."})
		return
	}
	writeJSON(w, http.StatusOK, message{"OK"})
}
