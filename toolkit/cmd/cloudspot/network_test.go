package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// The network of the tests that meet a server that is down or a name that
// does not exist is the test's own, not the machine's: a port the test
// holds, where nothing listens (erptest.RefusingURL), and a DNS server that
// knows no name.

// noSuchHosts is a DNS server on loopback that answers every question
// with "no such name" (NXDOMAIN) and remembers what it was asked.
type noSuchHosts struct {
	conn  net.PacketConn
	mu    sync.Mutex
	asked []string
}

// newNoSuchHosts starts a DNS server that knows no name, stopped when the
// test ends.
func newNoSuchHosts(t *testing.T) *noSuchHosts {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	d := &noSuchHosts{conn: conn}
	go d.serve()
	return d
}

func (d *noSuchHosts) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		name, end, ok := question(buf[:n])
		if !ok {
			continue
		}
		d.mu.Lock()
		d.asked = append(d.asked, name)
		d.mu.Unlock()
		// The header and the one question, flagged as a recursive
		// server's answer that the name does not exist.
		answer := append([]byte(nil), buf[:end]...)
		answer[2] = 0x80 | buf[2]&0x01 // QR, the query's RD
		answer[3] = 0x80 | 3           // RA, RCODE 3: NXDOMAIN
		clear(answer[6:12])            // no answers, authorities or additions
		d.conn.WriteTo(answer, from)
	}
}

// question reads the one question of a DNS query: its name, and where the
// question ends.
func question(msg []byte) (name string, end int, ok bool) {
	if len(msg) < 12 || msg[4] != 0 || msg[5] != 1 {
		return "", 0, false
	}
	var labels []string
	i := 12
	for i < len(msg) && msg[i] != 0 {
		l := int(msg[i])
		if l > 63 || i+1+l > len(msg) {
			return "", 0, false
		}
		labels = append(labels, string(msg[i+1:i+1+l]))
		i += 1 + l
	}
	end = i + 1 + 4 // the root label, then type and class
	if end > len(msg) {
		return "", 0, false
	}
	return strings.Join(labels, "."), end, true
}

// names returns the names asked so far.
func (d *noSuchHosts) names() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.asked...)
}

// transport returns an HTTP transport that resolves names through d only.
func (d *noSuchHosts) transport() http.RoundTripper {
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var dialer net.Dialer
		return dialer.DialContext(ctx, "udp", d.conn.LocalAddr().String())
	}}
	return &http.Transport{DialContext: (&net.Dialer{Resolver: r}).DialContext}
}

// runInProcess runs the program in the test's process as main does, with
// its HTTP requests made by transport, and returns what it printed and its
// exit code. env adds to a sandbox like newSandbox's.
func runInProcess(t *testing.T, transport http.RoundTripper, env map[string]string, args ...string) result {
	t.Helper()
	home := t.TempDir()
	vars := map[string]string{"HOME": home, "XDG_CONFIG_HOME": home + "/config", "CI": "true", "CLOUDSPOT_TOKEN_STORE": "file"}
	for k, v := range env {
		vars[k] = v
	}
	var stdout, stderr bytes.Buffer
	c := &cli{getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, transport: transport}
	code := report(c.run(context.Background(), args), &stderr)
	return result{stdout.String(), stderr.String(), code}
}
