package httpapi

import (
	"net/http"
	"net/netip"

	"github.com/cloudspot-toolkit/cloudspot/internal/forwarded"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// clientAddress returns the address a request's sign-in is counted under:
// behind trusted proxies, the client they name in X-Forwarded-For, by the
// rule of internal/forwarded (erpauth's BehindProxies reads it the same way).
func (h *Handler) clientAddress(r *http.Request) string {
	client := forwarded.Client(r, h.trusted)
	if !client.IsValid() {
		return erp.ClientAddress(r.RemoteAddr)
	}
	return erp.ClientAddress(client.String())
}

func (h *Handler) trusted(a netip.Addr) bool {
	for _, p := range h.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddress is the address a request's sign-in is counted under behind
// the given trusted proxies, by the API's own rule: for the other servers
// of the same process, such as the web console.
func ClientAddress(r *http.Request, proxies []netip.Prefix) string {
	return (&Handler{proxies: proxies}).clientAddress(r)
}
