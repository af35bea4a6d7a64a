package httpapi

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// clientAddress returns the address a request's sign-in is counted under.
// Behind trusted proxies it walks X-Forwarded-For from the right, past every
// trusted hop, to the first address a trusted proxy vouched for; what a
// client wrote further left is not believed.
func (h *Handler) clientAddress(r *http.Request) string {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok {
		return erp.ClientAddress(r.RemoteAddr)
	}
	if !h.trusted(peer) {
		return erp.ClientAddress(peer.String())
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0 && h.trusted(client); i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = a.Unmap()
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

// parseAddr reads the IP of a "host:port" remote address.
func parseAddr(remote string) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap().WithZone(""), true
}

// ClientAddress is the address a request's sign-in is counted under behind
// the given trusted proxies, by the API's own rule: for the other servers
// of the same process, such as the web console.
func ClientAddress(r *http.Request, proxies []netip.Prefix) string {
	return (&Handler{proxies: proxies}).clientAddress(r)
}
