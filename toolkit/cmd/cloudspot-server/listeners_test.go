package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestServeOnAPortInUse: serve binds every listener before it opens the
// database, so a port that another process holds (the API's or the
// metrics') fails the start with a message that names the port and the
// flag, and no database file is created or migrated.
func TestServeOnAPortInUse(t *testing.T) {
	t.Parallel()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	addr := held.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", addr}, "--addr " + addr + ": port " + port + " is in use (another cloudspot-server?)"},
		{[]string{"--addr", "127.0.0.1:0", "--metrics-addr", addr}, "--metrics-addr " + addr + ": port " + port + " is in use (another cloudspot-server?)"},
		{[]string{"--addr", addr, "--demo"}, "port " + port + " is in use"},
	} {
		dir := t.TempDir()
		_, errOut, code := erptest.Run(t, "", []string{"CLOUDSPOT_DB="}, bin, append([]string{"serve", "--db", filepath.Join(dir, "erp.db")}, tc.args...)...)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want exit 1 and %q", tc.args, code, errOut, tc.want)
		}
		if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
			t.Errorf("serve %v on a port in use created %v (%v); want no database", tc.args, entries, err)
		}
	}
}
