package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// step is one command of a README console session and what it prints.
type step struct {
	line int    // in README.md
	cmd  string // after "$ "
	want []string
}

// readmeSessions reads the README's ```console blocks: a line starting with
// "$ " is a command, the lines up to the next command are what it prints
// (blank lines at the end of that output are spacing); a command that ends
// in a backslash goes on on the next line. Two or more spaces and "# " start
// a comment, on a command as in output.
func readmeSessions(t *testing.T, path string) []step {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []step
	in := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case !in && l == "```console":
			in = true
		case in && l == "```":
			in = false
		case in && strings.HasPrefix(l, "$ "):
			steps = append(steps, step{line: n, cmd: strings.TrimPrefix(l, "$ ")})
		case in && len(steps) > 0 && strings.HasSuffix(steps[len(steps)-1].cmd, "\\") && len(steps[len(steps)-1].want) == 0:
			steps[len(steps)-1].cmd += "\n" + l // a command continued on the next line
		case in && len(steps) > 0:
			s := &steps[len(steps)-1]
			s.want = append(s.want, stripComment(l))
		case in:
			t.Fatalf("%s:%d: a console block must start with a command (\"$ \")", path, n)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for i := range steps {
		steps[i].want = trimBlank(steps[i].want)
	}
	return steps
}

var comment = regexp.MustCompile(`\s{2,}# .*$`)

func stripComment(l string) string { return strings.TrimRight(comment.ReplaceAllString(l, ""), " ") }

func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// TestREADMESessions runs the README's console sessions, in order, in one
// shell on a terminal, against the demo ERP, and compares what the terminal
// shows with the README, so that the documentation stays true. The
// commands run as written, with the built cloudspot first on PATH and
// CLOUDSPOT_TEST_URL pointing --test at the demo ERP. Two things differ from
// the machine the README shows, and the comparison undoes only them: the
// ERP's port (8000 in the README), and where login keeps the token (the OS
// keyring in the README; this machine has none, so a file: its wording is
// tested in TestLoginStoresToken).
func TestREADMESessions(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the README's sessions use %s, which is not installed", tool)
			}
			t.Skipf("the README's sessions use %s, which is not installed (apt-get install curl jq)", tool)
		}
	}
	steps := readmeSessions(t, filepath.Join(erptest.ModuleRoot(t), "..", "README.md"))
	if len(steps) < 5 {
		t.Fatalf("found %d console commands in README.md; the CLI section has more", len(steps))
	}
	srv := erptest.Start(t, erptest.Options{Demo: true})
	port := strings.TrimPrefix(srv.URL[strings.LastIndex(srv.URL, ":"):], ":")
	port = strings.TrimSuffix(port, "/api/v1")
	bin := erptest.Build(t, "./cmd/cloudspot")
	server := erptest.Build(t, "./cmd/cloudspot-server") // the server's configuration errors are sessions too
	home := t.TempDir()

	// One script: each command after a marker line, so that the screen can
	// be cut into what each printed; the marker keeps the exit status of
	// the command before it for "echo $?".
	var script strings.Builder
	for i, s := range steps {
		fmt.Fprintf(&script, "rc=$?; printf '@@step %d@@\\n'; (exit $rc)\n%s\n", i, atPort(s.cmd, "8000", port))
	}
	fmt.Fprintf(&script, "printf '@@end@@\\n'\n")
	file := filepath.Join(t.TempDir(), "session.sh")
	if err := os.WriteFile(file, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	term := newTerminal(t, 80)
	cmd := exec.Command("bash", "--noprofile", "--norc", file)
	cmd.Env = []string{
		"PATH=" + filepath.Dir(bin) + ":" + filepath.Dir(server) + ":" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=",
		"CLOUDSPOT_TOKEN_STORE=file",
		"CLOUDSPOT_TEST_URL=http://localhost:" + port + "/api/v1",
		"TERM=dumb",
		"LANG=C.UTF-8",
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = term.tty, term.tty, term.tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	// Type what the README shows typed: the username after its prompt, the
	// demo's password (not echoed, so not in the README's output).
	for i, s := range steps {
		for _, w := range s.want {
			switch {
			case strings.HasPrefix(w, "Username: "):
				term.waitFor(fmt.Sprintf("@@step %d@@", i))
				term.waitFor("Username: ")
				term.send(strings.TrimPrefix(w, "Username: ") + "\r")
			case strings.HasPrefix(w, "Password:"):
				term.waitFor("Password: ")
				term.waitEchoOff()
				term.send(demo.Password + "\r")
			}
		}
	}
	term.waitFor("@@end@@")
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the session's shell: %v\n%s", err, term.screen())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the session's shell did not end:\n%s", term.screen())
	}

	tokens := filepath.Join(home, ".config", "cloudspot", "tokens.json")
	screen := render(term.screen())
	screen = atPort(screen, port, "8000")
	screen = strings.ReplaceAll(screen, "Token stored in "+tokens+" (readable only by you; CLOUDSPOT_TOKEN_STORE=file).", "Token stored in the OS keyring.")
	screen = strings.ReplaceAll(screen, "(removed from "+tokens+")", "(removed from the OS keyring)")
	got := map[int][]string{}
	cur := -1
	for _, l := range strings.Split(screen, "\n") {
		var n int
		if _, err := fmt.Sscanf(l, "@@step %d@@", &n); err == nil {
			cur = n
			continue
		}
		if l == "@@end@@" {
			break
		}
		if cur >= 0 {
			got[cur] = append(got[cur], stripComment(l))
		}
	}
	for i, s := range steps {
		g := trimBlank(got[i])
		if strings.Join(g, "\n") != strings.Join(s.want, "\n") {
			t.Errorf("README.md:%d: $ %s\nprints:\n%s\nthe README says:\n%s", s.line, s.cmd, strings.Join(g, "\n"), strings.Join(s.want, "\n"))
		}
	}
}

// atPort moves the loopback addresses in s from one port to another.
func atPort(s, from, to string) string {
	for _, host := range []string{"localhost:", "127.0.0.1:"} {
		s = strings.ReplaceAll(s, host+from, host+to)
	}
	return s
}

// render is the text a terminal shows for out: lines end in "\n" (the
// terminal adds "\r"), a carriage return goes back to the start of the line
// and ESC [ K clears the rest of it, as the progress line on stderr uses
// them; colours (jq's) are not text.
func render(out string) string {
	out = strings.ReplaceAll(out, "\r\n", "\n")
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		var line []rune
		col := 0
		for j := 0; j < len(l); {
			switch {
			case l[j] == '\r':
				col = 0
				j++
			case strings.HasPrefix(l[j:], "\x1b["):
				// A control sequence: ESC [ K clears the rest of the line;
				// the others (colours) change how text looks, not what it is.
				end := j + 2
				for end < len(l) && (l[end] < 0x40 || l[end] > 0x7e) {
					end++
				}
				if end < len(l) && l[end] == 'K' {
					line = line[:min(col, len(line))]
				}
				j = end + 1
			default:
				r, n := utf8.DecodeRuneInString(l[j:])
				if col < len(line) {
					line[col] = r
				} else {
					line = append(line, r)
				}
				col++
				j += n
			}
		}
		lines[i] = string(line)
	}
	return strings.Join(lines, "\n")
}
