package erptest

import (
	"net"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// RefusingURL returns an API base URL on 127.0.0.1 where every connection
// is refused, as to a server that is down: the test holds a socket bound to
// the port until it ends and never listens on it, so the kernel refuses
// each connection and no other process can take the port meanwhile. (A
// port that was free a moment ago, or port 1, may be anyone's.)
func RefusingURL(t testing.TB) string {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*unix.SockaddrInet4).Port)) + "/api/v1"
}
