//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/httpapi"
)

// Every wait in these tests is bounded by wait: a server that never stops
// fails the test instead of hanging it, and Cleanup kills the process.
const wait = time.Minute

// TestShutdownFinishesRequestsInFlight stops the real server process with
// SIGTERM while a sign-in has sent half its body and a list larger than
// every socket buffer on the way has been read only in part. The listener
// closes at once, both requests then complete whole, and the process exits 0.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	t.Parallel()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			p, co := startWithCatalogue(t, e, "--shutdown-timeout", "5m")
			list := startSlowList(t, p.URL, co.token)
			signin := startSignIn(t, p.URL)

			if err := p.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			p.WaitStderr(t, "shutting down", wait)
			assertRefused(t, p.URL)

			resp, err := signin.finish()
			var s struct {
				Token       string `json:"token"`
				Permissions []struct {
					Permission string `json:"permission"`
				} `json:"permissions"`
			}
			if err != nil {
				t.Errorf("the sign-in in flight at SIGTERM: %v", err)
			} else if resp.status != http.StatusOK || json.Unmarshal(resp.body, &s) != nil || s.Token == "" || len(s.Permissions) != len(demo.Granted()) {
				t.Errorf("the sign-in in flight at SIGTERM: %d %s; want 200 with a token and %d permissions", resp.status, resp.body, len(demo.Granted()))
			}

			var body struct{ Data []cloudspot.Artikel }
			raw, err := io.ReadAll(list.Body)
			if err != nil {
				t.Fatalf("the list in flight at SIGTERM was cut after %d bytes: %v", len(raw), err)
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("the list in flight at SIGTERM is not whole JSON: %v", err)
			}
			if len(body.Data) != co.n {
				t.Errorf("the list in flight at SIGTERM has %d products, want %d", len(body.Data), co.n)
			}
			for i, a := range body.Data {
				if want := catalogueArtikel(i); a.SKU != want.SKU || a.Beschrijving != want.Beschrijving {
					t.Fatalf("product %d of the list in flight: SKU %q and a description of %d bytes, want %q and %d", i, a.SKU, len(a.Beschrijving), want.SKU, len(want.Beschrijving))
				}
			}

			code, exited := p.Exited(wait)
			if !exited {
				t.Fatalf("the server still runs %s after SIGTERM with nothing in flight", wait)
			}
			if code != 0 || !strings.Contains(p.Stderr(), "msg=stopped") {
				t.Errorf("the server exited %d after finishing what was in flight, want 0 and a log line saying it stopped:\n%s", code, p.Stderr())
			}
		})
	}
}

// TestShutdownCutsWhatOutlastsTheTimeout: a list whose client stops
// reading still runs when --shutdown-timeout ends; the server cuts it, so
// that the client sees a truncated body rather than a short list, and
// exits 1 saying so.
func TestShutdownCutsWhatOutlastsTheTimeout(t *testing.T) {
	t.Parallel()
	for _, e := range erptest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			p, co := startWithCatalogue(t, e, "--shutdown-timeout", "1s")
			list := startSlowList(t, p.URL, co.token)
			if err := p.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			p.WaitStderr(t, "shutting down", wait)
			assertRefused(t, p.URL)

			code, exited := p.Exited(wait)
			if !exited {
				t.Fatalf("the server still runs %s after SIGTERM with a shutdown timeout of 1s", wait)
			}
			if want := "requests still running after --shutdown-timeout 1s were cut"; code != 1 || !strings.Contains(p.Stderr(), want) {
				t.Errorf("the server exited %d, want 1 and %q:\n%s", code, want, p.Stderr())
			}
			raw, err := io.ReadAll(list.Body)
			if err == nil {
				t.Errorf("the list that outlasted the shutdown timeout ended cleanly after %d bytes, want it cut", len(raw))
			}
		})
	}
}

// catalogue is a company whose list is larger than the socket buffers
// between the server and a client, so that a client that stops reading
// keeps the server's handler writing.
type catalogue struct {
	n     int
	token string
}

// descriptionBytes makes each product large, so that a few hundred fill
// the buffers.
const descriptionBytes = 16 << 10

func catalogueArtikel(i int) cloudspot.Artikel {
	return cloudspot.Artikel{
		Naam: fmt.Sprintf("Grote catalogus %d", i), SKU: fmt.Sprintf("TRAAG-%05d", i),
		Beschrijving:      strings.Repeat(string(rune('a'+i%26)), descriptionBytes),
		VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet, Bestellingtype: cloudspot.BestellingtypeIdeaal,
		Status: cloudspot.ArtikelStatusZichtbaar, BTW: cloudspot.MustParseDecimal("21"),
	}
}

// startWithCatalogue seeds the demo and a large catalogue on a database of
// the engine and starts the server binary on it with args.
func startWithCatalogue(t *testing.T, e erptest.Engine, args ...string) (*erptest.Process, catalogue) {
	t.Helper()
	ctx := context.Background()
	db := e.DB(t)
	svc := erptest.Must(erpserver.NewService(ctx, erpserver.Config{Config: erp.Config{Store: erptest.OpenDB(t, db)}, Demo: true}))(t)
	// The server's send buffer, the client's receive buffer (made small
	// by startSlowList) and the handler's own buffers, twice over.
	co := catalogue{n: 2 * (sendBufferMax(t) + 1<<20) / descriptionBytes}
	if _, err := svc.CreateCompany(ctx, "traag", "Traag BV"); err != nil {
		t.Fatal(err)
	}
	items := make([]cloudspot.Artikel, co.n)
	for i := range items {
		items[i] = catalogueArtikel(i)
	}
	if _, err := svc.ImportArtikels(ctx, "traag", erp.Records(items)); err != nil {
		t.Fatal(err)
	}
	secret, _, err := svc.IssueCompanyToken(ctx, "traag", "shutdown", erp.Rights{Artikels: true})
	if err != nil {
		t.Fatal(err)
	}
	co.token = secret
	p := erptest.StartProcess(t, erptest.Build(t, "./cmd/cloudspot-server"), append([]string{"--db", db}, args...)...)
	return p, co
}

// sendBufferMax is the most a TCP socket of this machine buffers for sending.
func sendBufferMax(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/sys/net/ipv4/tcp_wmem")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	n, err := strconv.Atoi(f[len(f)-1])
	if err != nil {
		t.Fatalf("/proc/sys/net/ipv4/tcp_wmem %q: %v", b, err)
	}
	return n
}

// startSlowList requests the catalogue on a connection with a small
// receive buffer and returns once the status line is there, leaving the
// body unread: the server's handler is then blocked writing it.
func startSlowList(t *testing.T, base, token string) *http.Response {
	t.Helper()
	dialer := &net.Dialer{Timeout: wait, Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10)
		})
		return errors.Join(err, serr)
	}}
	tr := &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/artikels/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(httpapi.HeaderToken, token)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /artikels/: %s", resp.Status)
	}
	return resp
}

// signIn is a sign-in request whose handler is running and waiting for the
// second half of the body.
type signIn struct {
	conn net.Conn
	r    *bufio.Reader
	rest string
}

type answer struct {
	status int
	body   []byte
}

// startSignIn sends a sign-in's headers with Expect: 100-continue, waits
// for the 100 that the server sends when the handler starts reading the
// body, and sends half of the body.
func startSignIn(t *testing.T, base string) *signIn {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, wait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(wait))
	body := fmt.Sprintf(`{"username": %q, "password": %q}`, demo.Username, demo.Password)
	head := fmt.Sprintf("POST %s/auth/signin-external-app/ HTTP/1.1\r\nHost: %s\r\nX-ERP-REQUESTOR: %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", u.Path, u.Host, demo.App, len(body))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	s := &signIn{conn: conn, r: bufio.NewReader(conn), rest: body[len(body)/2:]}
	resp, err := http.ReadResponse(s.r, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("sign-in with Expect: 100-continue: %v %v, want 100 Continue before the body", resp, err)
	}
	if _, err := io.WriteString(conn, body[:len(body)/2]); err != nil {
		t.Fatal(err)
	}
	return s
}

// finish sends the rest of the body and reads the answer.
func (s *signIn) finish() (answer, error) {
	if _, err := io.WriteString(s.conn, s.rest); err != nil {
		return answer{}, fmt.Errorf("the connection broke before the rest of the body: %w", err)
	}
	resp, err := http.ReadResponse(s.r, nil)
	if err != nil {
		return answer{}, fmt.Errorf("no answer: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, fmt.Errorf("the answer was cut: %w", err)
	}
	return answer{status: resp.StatusCode, body: b}, nil
}

// assertRefused checks that a new connection to the server is refused.
func assertRefused(t *testing.T, base string) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialTimeout("tcp", u.Host, wait)
	if err == nil {
		c.Close()
		t.Errorf("a new connection after the server logged that it is shutting down was accepted")
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("a new connection after the server logged that it is shutting down: %v, want it refused", err)
	}
}
