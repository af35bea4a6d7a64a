package loopback_test

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/internal/loopback"
)

// TestIsHost holds every spelling of a host to the rule: loopback only when
// a connection to it cannot go anywhere else, whatever resolver runs.
func TestIsHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		host string
		want bool
		why  string
	}{
		{"127.0.0.1", true, "the loopback address"},
		{"127.0.0.2", true, "all of 127.0.0.0/8 is loopback"},
		{"127.255.255.254", true, "all of 127.0.0.0/8 is loopback"},
		{"::1", true, "IPv6 loopback"},
		{"[::1]", true, "IPv6 loopback as a URL writes it"},
		{"0:0:0:0:0:0:0:1", true, "IPv6 loopback written out"},
		{"::ffff:127.0.0.1", true, "IPv4 loopback mapped into IPv6: Go dials 127.0.0.1"},
		{"[::ffff:127.0.0.2]", true, "mapped, in brackets"},
		{"localhost", true, "the hosts file's name for loopback"},
		{"LOCALHOST", true, "host names are case-insensitive"},
		{"LocalHost", true, "host names are case-insensitive"},

		{"LOCALHOST.", false, "Go's resolver asks DNS for a name with a trailing dot"},
		{"localhost.", false, "Go's resolver asks DNS for a name with a trailing dot"},
		{"a.localhost", false, "Go's resolver asks DNS for it"},
		{"localhost.localdomain", false, "a hosts-file alias at best"},
		{"127.1", false, "shorthand: Go's resolver sends it to DNS as a name"},
		{"0x7f.1", false, "hexadecimal shorthand: sent to DNS as a name"},
		{"0x7f000001", false, "one hexadecimal number: sent to DNS"},
		{"2130706433", false, "one decimal number: sent to DNS"},
		{"0177.0.0.1", false, "octal: sent to DNS"},
		{"127.0.0.1.", false, "a trailing dot makes it a name"},
		{"::1%lo", false, "a zone: not a plain loopback address"},
		{"[::1%25lo]", false, "a zone, as a URL escapes it"},
		{"[127.0.0.1]", false, "brackets hold IPv6 addresses only"},
		{"[localhost]", false, "brackets hold IPv6 addresses only"},
		{"[::1", false, "an unclosed bracket"},
		{"localhoſt", false, "folds to localhost only under Unicode rules"},
		{"127.0.0.1.example.com", false, "a name under example.com"},
		{"localhost.example", false, "a name under example"},
		{"localhost:8000", false, "a port: callers split it off first"},
		{"127.0.0.1:8000", false, "a port: callers split it off first"},
		{"[::1]:8000", false, "a port: callers split it off first"},
		{"", false, "no host"},
		{"0.0.0.0", false, "every interface"},
		{"::", false, "every interface"},
		{"10.0.0.1", false, "a private address is still the network"},
		{"::ffff:10.0.0.1", false, "a mapped private address"},
		{"erp.example.be", false, "a name"},
	} {
		if got := loopback.IsHost(tc.host); got != tc.want {
			t.Errorf("IsHost(%q) = %v, want %v: %s", tc.host, got, tc.want, tc.why)
		}
	}
}
