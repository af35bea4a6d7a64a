package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// terminal is a pseudo-terminal that a test types into and reads from.
type terminal struct {
	t   *testing.T
	pty *os.File // the side the test uses
	tty *os.File // the side the program gets
	out erptest.Buffer
	eof chan struct{}
}

func newTerminal(t *testing.T, cols uint16) *terminal {
	t.Helper()
	p, tty, err := pty.Open()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no pseudo-terminal: %v", err)
		}
		t.Skipf("no pseudo-terminal on this machine: %v", err)
	}
	if err := pty.Setsize(p, &pty.Winsize{Rows: 40, Cols: cols}); err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, pty: p, tty: tty, eof: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := p.Read(buf)
			term.out.Write(buf[:n])
			if err != nil {
				close(term.eof)
				return
			}
		}
	}()
	t.Cleanup(func() { p.Close(); tty.Close() })
	return term
}

func (term *terminal) screen() string { return term.out.String() }

// waitFor waits until the terminal shows s, woken by what the program
// writes; the test fails after a generous bound, so a hang cannot stall the
// suite.
func (term *terminal) waitFor(s string) {
	term.t.Helper()
	if !term.out.WaitFor(s, 30*time.Second) {
		term.t.Fatalf("the terminal never showed %q; it shows:\n%s", s, term.screen())
	}
}

// echoOff waits until the program has turned the terminal's echo off.
func (term *terminal) waitEchoOff() {
	term.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(term.tty.Fd()), unix.TCGETS)
		if err != nil {
			term.t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			return
		}
		if time.Now().After(deadline) {
			term.t.Fatal("the program asked for the password with echo on")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (term *terminal) send(s string) {
	term.t.Helper()
	if _, err := io.WriteString(term.pty, s); err != nil {
		term.t.Fatal(err)
	}
}

// command prepares the built binary with the sandbox's environment.
func (s *sandbox) command(args ...string) *exec.Cmd {
	cmd := exec.Command(s.bin, append([]string{"--base-url", s.base}, args...)...)
	cmd.Env = append(os.Environ(), s.env...)
	return cmd
}

// TestLoginPromptWithoutEcho types the username and password into a real
// terminal: the username is echoed, the password never is, and the
// terminal's echo is back on afterwards.
func TestLoginPromptWithoutEcho(t *testing.T) {
	t.Parallel()
	s, _ := demoSandbox(t)
	term := newTerminal(t, 100)
	cmd := s.command("login", "--app", "timeapp")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = term.tty, term.tty, term.tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	term.waitFor("Username: ")
	term.send("demo\r")
	term.waitFor("Password: ")
	term.waitEchoOff()
	term.send(demo.Password + "\r")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, term.screen())
	}
	term.waitFor("timeapp_timetracking_create")
	screen := term.screen()
	if !strings.Contains(screen, "Username: demo") {
		t.Errorf("the username was not echoed:\n%s", screen)
	}
	if strings.Contains(screen, demo.Password) {
		t.Errorf("the password appeared on the terminal:\n%s", screen)
	}
	if !strings.Contains(screen, "Logged in to timeapp at "+s.base+" as demo (Jan Peeters).") {
		t.Errorf("no confirmation:\n%s", screen)
	}
	tio, err := unix.IoctlGetTermios(int(term.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if tio.Lflag&unix.ECHO == 0 {
		t.Error("echo is still off after login")
	}
	s.ok("", nil, "whoami")
}

// TestProgressOnlyOnTerminal: a long list shows progress on stderr when it
// is a terminal, and not a byte of it when stderr is a pipe.
func TestProgressOnlyOnTerminal(t *testing.T) {
	t.Parallel()
	s, _ := demoSandbox(t)

	term := newTerminal(t, 100)
	cmd := s.command("artikels", "list", "-o", "csv")
	cmd.Env = append(cmd.Env, companyEnv...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, term.tty
	if err := cmd.Run(); err != nil {
		t.Fatalf("artikels list: %v\n%s", err, term.screen())
	}
	term.tty.Close()
	<-term.eof
	if !strings.Contains(term.screen(), "fetching products…") {
		t.Errorf("no progress on a terminal's stderr: %q", term.screen())
	}
	if !strings.HasSuffix(term.screen(), "\r\x1b[K") {
		t.Errorf("the progress line was not cleared: %q", term.screen())
	}
	if n := strings.Count(stdout.String(), "\n"); n != 75 {
		t.Errorf("stdout has %d lines, want 75", n)
	}

	r := s.ok("", companyEnv, "artikels", "list", "-o", "csv")
	if r.stderr != "" {
		t.Errorf("stderr in a pipe = %q, want nothing", r.stderr)
	}
}

// TestTableFitsTerminal: on a terminal the default output is a table that
// fits the terminal's width; columns that cannot fit are left out, and
// stderr says which.
func TestTableFitsTerminal(t *testing.T) {
	t.Parallel()
	s, _ := demoSandbox(t)
	for _, tc := range []struct {
		fields string
		hidden string
	}{
		{"", ""},
		{"all", "7 columns do not fit the terminal (land, geboortedatum, geboorteplaats, is_bedrijf, bedrijfsnaam, BTW_nummer, ondernemingsnummer); choose fewer with --fields"},
	} {
		term := newTerminal(t, 70)
		cmd := s.command("klanten", "list", "--fields", tc.fields)
		cmd.Env = append(cmd.Env, companyEnv...)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = term.tty, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("klanten list: %v\n%s", err, stderr.String())
		}
		term.tty.Close()
		<-term.eof
		lines := strings.Split(strings.TrimRight(term.screen(), "\r\n"), "\r\n")
		if len(lines) != 67 || !strings.HasPrefix(lines[0], "KLANT") {
			t.Fatalf("--fields %q: want a table of a header and 66 rows, got %d lines:\n%s", tc.fields, len(lines), term.screen())
		}
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n > 70 {
				t.Errorf("--fields %q: line of %d columns on a 70-column terminal: %q", tc.fields, n, l)
			}
		}
		if !strings.Contains(stderr.String(), tc.hidden) || (tc.hidden == "") != (stderr.Len() == 0) {
			t.Errorf("--fields %q: stderr = %q, want %q", tc.fields, stderr.String(), tc.hidden)
		}
	}
}
