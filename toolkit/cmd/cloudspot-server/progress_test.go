package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestAdminProgressOnlyOnTerminal: import, backup and migrate-data show
// how far they are on stderr when it is a terminal (done, of how much, the
// share), end by clearing that line, and write not a byte of it when
// stderr is a pipe.
func TestAdminProgressOnlyOnTerminal(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	var csv strings.Builder
	csv.WriteString("naam;SKU;voorraad_bijhouden;op_voorraad;verkoopprijs_excl;verkoopprijs_incl;BTW;bestellingtype;status\n")
	for i := range 2000 {
		fmt.Fprintf(&csv, "Artikel %d;P-%05d;FYSIEK;1;1,00;1,21;21;IDEAAL;ZICHTBAAR\n", i, i)
	}
	file := filepath.Join(t.TempDir(), "artikels.csv")
	writeFile(t, file, csv.String())
	dir := t.TempDir()
	size := fmt.Sprintf("%.1f kB", float64(csv.Len())/1000)
	for _, tc := range []struct {
		name string
		args func(i int) []string
		want []string
	}{
		{"import", func(int) []string { return []string{"import", "artikels", "--company", "acme", file} },
			[]string{"importing artikels… " + size + " of " + size + " (100%)"}},
		{"backup", func(i int) []string { return []string{"backup", filepath.Join(dir, fmt.Sprintf("copy-%d.db", i))} },
			[]string{"backing up " + a.db + "… ", " (100%)"}},
		{"migrate-data", func(i int) []string {
			return []string{"migrate-data", "--from", a.db, "--to", filepath.Join(dir, fmt.Sprintf("moved-%d.db", i))}
		}, []string{"copying… ", " rows (100%)"}},
	} {
		// In a pipe: nothing but what the command reports.
		if _, errOut, code := a.run("", tc.args(0)...); code != 0 || errOut != "" {
			t.Errorf("%s with stderr in a pipe: exit %d, stderr %q; want nothing", tc.name, code, errOut)
		}
		screen := stderrOnTerminal(t, a.bin, append([]string{"admin", "--db", a.db}, tc.args(1)...)...)
		for _, w := range tc.want {
			if !strings.Contains(screen, w) {
				t.Errorf("%s on a terminal shows %q, without %q", tc.name, screen, w)
			}
		}
		if !strings.HasSuffix(screen, "\r\x1b[K") {
			t.Errorf("%s on a terminal did not clear its progress line: %q", tc.name, screen)
		}
	}
}

// stderrOnTerminal runs bin with stderr on a pseudo-terminal and returns
// what the terminal received.
func stderrOnTerminal(t *testing.T, bin string, args ...string) string {
	t.Helper()
	p, tty, err := pty.Open()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no pseudo-terminal: %v", err)
		}
		t.Skipf("no pseudo-terminal on this machine: %v", err)
	}
	defer p.Close()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CLOUDSPOT_DB=")
	var stdout strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, tty
	screen := make(chan string)
	go func() {
		b, _ := io.ReadAll(p) // until the terminal's other side is closed
		screen <- string(b)
	}()
	err = cmd.Run()
	tty.Close()
	out := <-screen
	if err != nil {
		t.Fatalf("%v: %v\n%s%s", args, err, stdout.String(), out)
	}
	return strings.ReplaceAll(out, "\r\n", "\n")
}
