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
		a, ok := parseHop(hops[i])
		if !ok {
			break
		}
		client = a
	}
	return erp.ClientAddress(client.String())
}

// parseHop reads one address of X-Forwarded-For as proxies write them: a
// bare IPv4 or IPv6 address, an IPv4 address with a port (1.2.3.4:5678),
// or an IPv6 address in brackets, with or without a port ([2001:db8::1],
// [2001:db8::1]:443). A zone is dropped and an IPv4-mapped address is its
// IPv4 address.
func parseHop(hop string) (netip.Addr, bool) {
	hop = strings.TrimSpace(hop)
	a, err := netip.ParseAddr(hop)
	if err != nil {
		if inner, ok := strings.CutPrefix(hop, "["); ok && strings.HasSuffix(inner, "]") {
			a, err = netip.ParseAddr(strings.TrimSuffix(inner, "]"))
		} else {
			var ap netip.AddrPort
			ap, err = netip.ParseAddrPort(hop)
			a = ap.Addr()
		}
	}
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
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
