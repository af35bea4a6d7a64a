package forwarded

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

func TestClient(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	trusted := func(a netip.Addr) bool {
		for _, p := range proxies {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	many := strings.Repeat("10.0.0.9, ", 40) + "10.0.0.9"
	for _, c := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy", "203.0.113.7:5000", nil, "203.0.113.7"},
		{"an untrusted peer's header is not believed", "203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"one trusted proxy", "10.0.0.1:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"what the client wrote left of the proxy's hop", "10.0.0.1:443", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted proxies", "10.0.0.1:443", []string{"198.51.100.1, 10.0.0.2"}, "198.51.100.1"},
		{"the header given twice", "10.0.0.1:443", []string{"198.51.100.1", "10.0.0.2"}, "198.51.100.1"},
		{"a hop with a port", "10.0.0.1:443", []string{"198.51.100.1:6000"}, "198.51.100.1"},
		{"an IPv6 hop in brackets with a port", "10.0.0.1:443", []string{"[2001:db8::1]:443"}, "2001:db8::1"},
		{"an IPv6 hop in brackets", "10.0.0.1:443", []string{"[2001:db8::1]"}, "2001:db8::1"},
		{"an IPv4-mapped hop", "10.0.0.1:443", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
		{"an IPv6 proxy with a zone", "[fd00::1%eth0]:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a hop that is no address stops the walk", "10.0.0.1:443", []string{"198.51.100.1, unknown"}, "10.0.0.1"},
		{"an empty header", "10.0.0.1:443", []string{""}, "10.0.0.1"},
		{"only trusted hops", "10.0.0.1:443", []string{"10.0.0.2, 10.0.0.3"}, "10.0.0.2"},
		{"a header longer than MaxHops", "10.0.0.1:443", []string{"198.51.100.1, " + many}, "10.0.0.9"},
	} {
		r := &http.Request{RemoteAddr: c.remote, Header: http.Header{}}
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := Client(r, trusted); got.String() != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if got := Client(&http.Request{RemoteAddr: "pipe", Header: http.Header{}}, trusted); got.IsValid() {
		t.Errorf("a RemoteAddr without a port gave %s, want no address", got)
	}
}
