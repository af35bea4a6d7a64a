// Package forwarded finds the client of a request that came through reverse
// proxies: the one rule of X-Forwarded-For that cloudspot-server's
// --trusted-proxies and erpauth's BehindProxies share.
package forwarded

import (
	"net/http"
	"net/netip"
	"strings"
)

// MaxHops bounds how many addresses of X-Forwarded-For Client reads,
// whatever the header's length.
const MaxHops = 32

// Client returns the address a request is counted under: the connection's
// peer, or, when the peer is trusted (one of the app's own proxies), the
// address that proxy names in X-Forwarded-For. The header is read from the
// right, past every trusted hop, to the first address a trusted proxy
// vouched for; what a client wrote further left is not believed, nor the
// header of a request from an untrusted peer. The result is invalid when
// the request's RemoteAddr is not an address with a port.
func Client(r *http.Request, trusted func(netip.Addr) bool) netip.Addr {
	client, ok := RemoteAddr(r.RemoteAddr)
	if !ok {
		return netip.Addr{}
	}
	hops := strings.Join(r.Header.Values("X-Forwarded-For"), ",")
	for range MaxHops {
		if hops == "" || !trusted(client) {
			break
		}
		var hop string
		if i := strings.LastIndexByte(hops, ','); i >= 0 {
			hops, hop = hops[:i], hops[i+1:]
		} else {
			hops, hop = "", hops
		}
		a, ok := ParseHop(hop)
		if !ok {
			break
		}
		client = a
	}
	return client
}

// RemoteAddr reads the IP of a "host:port" remote address, as
// http.Request.RemoteAddr holds it.
func RemoteAddr(remote string) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap().WithZone(""), true
}

// ParseHop reads one address of X-Forwarded-For as proxies write them: a
// bare IPv4 or IPv6 address, an IPv4 address with a port (1.2.3.4:5678),
// or an IPv6 address in brackets, with or without a port ([2001:db8::1],
// [2001:db8::1]:443). A zone is dropped and an IPv4-mapped address is its
// IPv4 address.
func ParseHop(hop string) (netip.Addr, bool) {
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
