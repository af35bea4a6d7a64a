package command

import (
	"net"
	"net/url"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/internal/loopback"
)

// SameERP reports whether two API base URLs reach the same ERP. They do when
// they differ only in spelling: the case of the scheme and host, a default
// port written out, a trailing slash, or another name of the loopback
// interface on the same port (localhost, 127.0.0.1, [::1]). The server's
// banner prints 127.0.0.1 and the CLI's --test means localhost; a token
// stored through one must be found through the other.
func SameERP(a, b string) bool { return erpKey(a) == erpKey(b) }

// erpKey is base in one spelling per ERP; a URL that does not parse is its
// own key.
func erpKey(base string) string {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || u.Host == "" {
		return base
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if loopback.IsHost(host) {
		host = "localhost"
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(host, port) + strings.TrimRight(u.EscapedPath(), "/")
}
