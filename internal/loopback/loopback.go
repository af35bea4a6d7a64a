// Package loopback decides whether a host is this machine's loopback
// interface: whether what is sent to it stays on the machine. Two security
// decisions rest on it, so they rest on this one rule: the SDK sends a
// password or token over plain http only to such a host, and
// cloudspot-server serves the demo's published credentials only on one.
package loopback

import (
	"net/netip"
	"strings"
	"unicode/utf8"
)

// IsHost reports whether connecting to host surely reaches the loopback
// interface, whichever resolver Go uses. host is a URL's host without its
// port, as url.URL.Hostname and net.SplitHostPort return it. It is:
//
//   - an address of 127.0.0.0/8 in dotted-decimal form (127.0.0.1,
//     127.0.0.2), ::1, or 127.0.0.0/8 mapped into IPv6
//     (::ffff:127.0.0.1), an IPv6 form with or without its brackets;
//   - the name localhost in any case, which the hosts file maps to the
//     loopback address (RFC 6761).
//
// Anything that only may reach loopback is not: a name Go's resolver asks
// DNS about, such as localhost. (with its trailing dot) or a.localhost,
// whose answer anyone on the network path can forge; the shorthand IPv4
// forms 127.1, 0x7f.1, 0177.0.0.1 and 2130706433, which the C library's
// resolver reads as 127.0.0.1 but Go's own resolver sends to DNS as names;
// an address with a zone (::1%lo); a name that only folds to localhost
// under Unicode rules (localhoſt); and a host with a port. 0.0.0.0 and ::
// are every interface, not loopback.
func IsHost(host string) bool {
	if n := len(host); n > 2 && host[0] == '[' && host[n-1] == ']' {
		ip, err := netip.ParseAddr(host[1 : n-1])
		return err == nil && ip.Is6() && isLoopback(ip)
	}
	if isLocalhost(host) {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && isLoopback(ip)
}

func isLoopback(ip netip.Addr) bool {
	return ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// isLocalhost reports whether host is "localhost" in any case of its ASCII
// letters. strings.EqualFold alone would also take the long s (ſ) for an
// s, so a host that is not ASCII is not localhost.
func isLocalhost(host string) bool {
	for i := range len(host) {
		if host[i] >= utf8.RuneSelf {
			return false
		}
	}
	return strings.EqualFold(host, "localhost")
}
