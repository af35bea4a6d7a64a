package main

import (
	"crypto/rand"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestServeTellsSystemdWhenReady: with NOTIFY_SOCKET set, as systemd sets
// it for a Type=notify service, serve sends READY=1 once it answers, and
// STOPPING=1 when it is told to stop; on a socket path and, on Linux, in
// the abstract namespace.
func TestServeTellsSystemdWhenReady(t *testing.T) {
	t.Parallel()
	names := []string{filepath.Join(t.TempDir(), "notify")}
	if runtime.GOOS == "linux" {
		names = append(names, "@cloudspot-test-"+rand.Text())
	}
	for _, name := range names {
		sock, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
		if err != nil {
			t.Fatal(err)
		}
		defer sock.Close()
		r := startServe(t, map[string]string{"NOTIFY_SOCKET": name})
		if got := datagram(t, sock); got != "READY=1\nSTATUS=listening on "+r.api {
			t.Errorf("NOTIFY_SOCKET=%s: first message %q, want READY=1 and where it listens", name, got)
		}
		if res, body := get(t, strings.TrimSuffix(r.api, "/api/v1")+"/readyz"); res.StatusCode != 200 {
			t.Errorf("after READY=1, /readyz answers %d %s", res.StatusCode, body)
		}
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		if got := datagram(t, sock); got != "STOPPING=1" {
			t.Errorf("NOTIFY_SOCKET=%s: on stop %q, want STOPPING=1", name, got)
		}
	}
}

// datagram reads one message from sock, failing the test after a bound
// generous enough for a loaded machine.
func datagram(t *testing.T, sock *net.UnixConn) string {
	t.Helper()
	sock.SetReadDeadline(time.Now().Add(30 * time.Second))
	buf := make([]byte, 4096)
	n, err := sock.Read(buf)
	if err != nil {
		t.Fatalf("no message on the notify socket: %v", err)
	}
	return string(buf[:n])
}
