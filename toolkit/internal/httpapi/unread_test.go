package httpapi_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestUnreadListsHoldNoConnection: clients that ask for a company's
// products and then read nothing hold no database connection, so sign-ins
// and token calls, of every company, keep the whole pool. With 24 and then
// 200 such lists open on PostgreSQL (a pool of 20), every sign-in and token
// call completes, none waits for a connection, and the pool is found idle.
// The latencies beside the unloaded ones are logged, not asserted.
func TestUnreadListsHoldNoConnection(t *testing.T) {
	t.Parallel()
	st := erptest.OpenPostgres(t)
	srv := erptest.Start(t, erptest.Options{Demo: true, Store: st})
	db := st.(interface{ DB() *sql.DB }).DB()
	ctx := context.Background()
	// A list of some 30 MB, far more than the sockets of a client that
	// does not read can take in.
	var as []cloudspot.Artikel
	for i := range 20000 {
		as = append(as, cloudspot.Artikel{Naam: fmt.Sprintf("Artikel %d", i), SKU: fmt.Sprintf("UNREAD-%05d", i),
			Beschrijving: strings.Repeat("Een lange beschrijving die niemand leest. ", 35), VoorraadBijhouden: cloudspot.VoorraadBijhoudenNiet,
			Bestellingtype: cloudspot.BestellingtypeIdeaal, Status: cloudspot.ArtikelStatusZichtbaar})
	}
	erptest.Must(srv.Service.ImportArtikels(ctx, demo.Company, erp.Records(as)))(t)

	users := erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(srv.URL)))(t)
	token := erptest.Must(users.Authenticate(ctx, demo.Username, demo.Password))(t).Token
	// calls signs in and makes token calls, and returns the median time of
	// each kind.
	calls := func(t *testing.T) (signIn, tokenCall time.Duration) {
		t.Helper()
		var s, c []time.Duration
		for range 5 {
			start := time.Now()
			if _, err := users.Authenticate(ctx, demo.Username, demo.Password); err != nil {
				t.Fatalf("sign-in: %v", err)
			}
			s = append(s, time.Since(start))
			for range 4 {
				start = time.Now()
				if _, err := users.Permissions(ctx, token); err != nil {
					t.Fatalf("get-permissions: %v", err)
				}
				if _, err := users.User(ctx, token); err != nil {
					t.Fatalf("get-user: %v", err)
				}
				c = append(c, time.Since(start)/2)
			}
		}
		slices.Sort(s)
		slices.Sort(c)
		return s[len(s)/2], c[len(c)/2]
	}
	signIn0, token0 := calls(t)

	for _, n := range []int{24, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			conns := unreadLists(t, srv.URL, n)
			// While they are held: the pool is found idle (before any
			// call, which would otherwise wait for as long as the lists
			// are held), and no call waits for a connection.
			idle := false
			for range 100 {
				if db.Stats().InUse == 0 {
					idle = true
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if !idle {
				t.Fatalf("with %d unread lists the pool never had all its connections free (%d in use, %d waiting)", n, db.Stats().InUse, db.Stats().WaitCount)
			}
			before := db.Stats()
			signIn, tokenCall := calls(t)
			after := db.Stats()
			if waits := after.WaitCount - before.WaitCount; waits > 0 {
				t.Errorf("with %d unread lists, %d calls waited for a database connection", n, waits)
			}
			t.Logf("%d unread lists: sign-in %s (unloaded %s, %.2fx), token call %s (unloaded %s, %.2fx); pool: %d open, %d in use",
				n, signIn.Round(time.Millisecond), signIn0.Round(time.Millisecond), float64(signIn)/float64(signIn0),
				tokenCall.Round(time.Microsecond), token0.Round(time.Microsecond), float64(tokenCall)/float64(token0),
				after.OpenConnections, after.InUse)
			for _, c := range conns {
				c.Close()
			}
		})
	}
}

// unreadLists opens n connections that each ask for the demo company's
// products, read the status line and headers, and then read nothing more.
func unreadLists(t *testing.T, base string, n int) []net.Conn {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "GET %s/artikels/ HTTP/1.1\r\nHost: %s\r\nX-ERP-TOKEN: %s\r\n\r\n", u.Path, u.Host, demo.CompanyToken)
	}
	for i, c := range conns {
		// A server that keeps a connection per list answers no more
		// lists than its pool has connections: give up on it in time.
		c.SetReadDeadline(time.Now().Add(time.Minute))
		resp, err := http.ReadResponse(bufio.NewReaderSize(c, 1024), nil)
		if err != nil {
			t.Fatalf("list %d of %d, while the others are held: %v", i+1, n, err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("list %d: %s", i, resp.Status)
		}
	}
	return conns
}
