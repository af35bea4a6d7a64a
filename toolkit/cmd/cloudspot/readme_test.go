package main

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// sessionPages are the Markdown files, from the repository's root, whose
// console sessions TestREADMESessions runs. The test fails when one of them
// holds no session, and when a Markdown file not listed holds one, so that
// a session moved between documents keeps running.
var sessionPages = []string{
	"README.md",
	"toolkit/README.md",
	"docs/cli.md",
	"docs/server.md",
	"docs/console.md",
}

// step is one command of a console session and what it prints.
type step struct {
	file string // the Markdown file, from the repository's root
	line int    // in file
	cmd  string // after "$ "
	want []string
}

// consoleSessions reads a Markdown file's ```console blocks: a line
// starting with "$ " is a command, the lines up to the next command are
// what it prints (blank lines at the end of that output are spacing); a
// command that ends in a backslash goes on on the next line. Two or more
// spaces and "# " start a comment, on a command as in output. A fence that
// looks like a console block but is not spelt exactly "```console" at the
// start of a line, a block without a command, and a block left open are
// errors: each would drop commands without a word.
func consoleSessions(t *testing.T, root, file string) []step {
	t.Helper()
	f, err := os.Open(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []step
	in, blockStart, blockSteps := false, 0, 0
	sc := bufio.NewScanner(f)
	n := 1
	for ; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case !in && l == "```console":
			in, blockStart, blockSteps = true, n, 0
		case !in && strings.HasPrefix(strings.TrimSpace(l), "```console"):
			t.Fatalf("%s:%d: a console block opens with exactly \"```console\" at the start of a line, not %q", file, n, l)
		case in && l == "```":
			if blockSteps == 0 {
				t.Fatalf("%s:%d: a console block without a command (\"$ \")", file, blockStart)
			}
			in = false
		case in && strings.HasPrefix(l, "$ "):
			steps = append(steps, step{file: file, line: n, cmd: strings.TrimPrefix(l, "$ ")})
			blockSteps++
		case in && blockSteps > 0 && strings.HasSuffix(steps[len(steps)-1].cmd, "\\") && len(steps[len(steps)-1].want) == 0:
			steps[len(steps)-1].cmd += "\n" + l // a command continued on the next line
		case in && blockSteps > 0:
			s := &steps[len(steps)-1]
			s.want = append(s.want, stripComment(l))
		case in:
			t.Fatalf("%s:%d: a console block must start with a command (\"$ \")", file, n)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if in {
		t.Fatalf("%s:%d: a console block is not closed", file, blockStart)
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

// repoRoot is the repository's root: the SDK module's directory.
func repoRoot(t *testing.T) string {
	return filepath.Dir(erptest.ModuleRoot(t))
}

// markdownFiles lists the repository's Markdown files, from its root,
// leaving out hidden directories and test data.
func markdownFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no Markdown file under %s", root)
	}
	return files
}

// TestREADMESessions runs the console sessions of the repository's
// Markdown files (sessionPages) against the demo ERP and compares what the
// terminal shows with the file, so that the documentation stays true. Each
// file's sessions run in order, in one shell on a terminal of their own, as
// a reader of that page would type them; the commands run as written, with
// the built cloudspot and cloudspot-server first on PATH and
// CLOUDSPOT_TEST_URL pointing --test at the demo ERP. Two things differ
// from the machine the documents show, and the comparison undoes only them:
// the ERP's port (8000 in the documents), and where login keeps the token
// (the OS keyring in the documents; this machine has none, so a file: its
// wording is tested in TestLoginStoresToken).
func TestREADMESessions(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the documentation's sessions use %s, which is not installed", tool)
			}
			t.Skipf("the documentation's sessions use %s, which is not installed (apt-get install curl jq)", tool)
		}
	}
	root := repoRoot(t)
	sessions := map[string][]step{}
	for _, file := range markdownFiles(t, root) {
		if steps := consoleSessions(t, root, file); len(steps) > 0 {
			sessions[file] = steps
		}
	}
	total := 0
	for _, file := range sessionPages {
		if len(sessions[file]) == 0 {
			t.Errorf("%s holds no console session; it is listed in sessionPages", file)
		}
		total += len(sessions[file])
	}
	for file := range sessions {
		if !slices.Contains(sessionPages, file) {
			t.Errorf("%s holds console sessions but is not listed in sessionPages, so they would not run", file)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d commands in %d files", total, len(sessionPages))

	srv := erptest.Start(t, erptest.Options{Demo: true})
	port := strings.TrimPrefix(srv.URL[strings.LastIndex(srv.URL, ":"):], ":")
	port = strings.TrimSuffix(port, "/api/v1")
	bin := erptest.Build(t, "./cmd/cloudspot")
	server := erptest.Build(t, "./cmd/cloudspot-server") // the server's configuration errors are sessions too
	path := filepath.Dir(bin) + ":" + filepath.Dir(server) + ":" + os.Getenv("PATH")
	for _, file := range sessionPages {
		t.Run(file, func(t *testing.T) { runSession(t, sessions[file], port, path) })
	}
}

// runSession runs steps in one shell on a terminal against the demo ERP on
// port, and compares the screen with what they say.
func runSession(t *testing.T, steps []step, port, path string) {
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
		"PATH=" + path,
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

	// Type what the document shows typed: the username after its prompt,
	// the demo's password (not echoed, so not in the document's output).
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
			t.Errorf("%s:%d: $ %s\nprints:\n%s\nthe document says:\n%s", s.file, s.line, s.cmd, strings.Join(g, "\n"), strings.Join(s.want, "\n"))
		}
	}
}

// program is a Go program of the README: a go block starting with
// "package main", and the lines its "// Output:" comment says it prints.
type program struct {
	line int // of the block's first line, in README.md
	src  string
	want []string
}

// readmePrograms reads the README's Go programs.
func readmePrograms(t *testing.T, root string) []program {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var progs []program
	var cur *program
	inOutput := false
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case cur == nil && l == "```go":
			cur = &program{line: i + 2}
			inOutput = false
		case cur != nil && l == "```":
			if strings.HasPrefix(cur.src, "package main\n") {
				progs = append(progs, *cur)
			}
			cur = nil
		case cur != nil:
			cur.src += l + "\n"
			switch trimmed := strings.TrimSpace(l); {
			case trimmed == "// Output:":
				inOutput = true
			case inOutput && strings.HasPrefix(trimmed, "// "):
				cur.want = append(cur.want, strings.TrimPrefix(trimmed, "// "))
			default:
				inOutput = false
			}
		}
	}
	return progs
}

// cloneSetup is the shell command of the README's SDK section that makes a
// module depend on a clone of this repository (a ```sh block), as a reader
// copies it.
func cloneSetup(t *testing.T, root string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## The SDK\n")
	if !ok {
		t.Fatal(`README.md has no "## The SDK" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, ok := strings.Cut(section, "\n```sh\n")
	if !ok {
		t.Fatal("README.md's SDK section shows no command (```sh) to depend on a clone")
	}
	block, _, _ = strings.Cut(block, "\n```")
	if !strings.Contains(block, "../cloudspot") {
		t.Fatalf("README.md's SDK command %q does not use the clone in ../cloudspot", block)
	}
	return block
}

// TestREADMEPrograms builds each Go program of the README outside the
// repository, the way the README tells a reader to use the SDK before it is
// published (buildREADMEProgram), and runs it against the demo ERP. A program
// reaches the demo through cloudspot.WithTestMode(), which means port 8000;
// the test points it at the test's server instead, and that is the only
// change. A program with an "// Output:" comment must print just that; a
// program that serves a web app (the erpauth one, on a 127.0.0.1 address)
// is started on a free port instead of its own, and the demo user signs in
// through its login form and must be greeted by name on its home page.
func TestREADMEPrograms(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	progs := readmePrograms(t, root)
	if len(progs) < 3 {
		t.Fatalf("README.md holds %d Go programs (package main); it shows the SDK's two uses and erpauth as programs", len(progs))
	}
	srv := erptest.Start(t, erptest.Options{Demo: true})
	for _, p := range progs {
		t.Run(fmt.Sprintf("README.md:%d", p.line), func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(p.src, "cloudspot.WithTestMode()") {
				t.Fatalf("README.md:%d: the program does not use cloudspot.WithTestMode(), so it cannot run against the demo", p.line)
			}
			src := strings.ReplaceAll(p.src, "cloudspot.WithTestMode()", fmt.Sprintf("cloudspot.WithBaseURL(%q)", srv.URL))
			listen := servedAddr.FindString(src)
			switch {
			case len(p.want) == 0 && listen == "":
				t.Fatalf("README.md:%d: the program has no \"// Output:\" comment to compare with, and serves no app on a 127.0.0.1 address", p.line)
			case len(p.want) > 0 && listen != "":
				t.Fatalf("README.md:%d: the program both prints an Output and serves an app; show one thing", p.line)
			}
			var addr string
			if listen != "" {
				addr = freeLoopbackAddr(t)
				src = strings.Replace(src, listen, fmt.Sprintf("%q", addr), 1)
			}
			bin := buildREADMEProgram(t, root, src)
			if listen == "" {
				out, err := exec.Command(bin).CombinedOutput()
				if err != nil {
					t.Fatalf("README.md:%d: %v\n%s", p.line, err, out)
				}
				if got, want := strings.TrimRight(string(out), "\n"), strings.Join(p.want, "\n"); got != want {
					t.Errorf("README.md:%d: the program prints:\n%s\nits Output comment says:\n%s", p.line, got, want)
				}
				return
			}
			cmd := exec.Command(bin)
			var logs strings.Builder
			cmd.Stdout, cmd.Stderr = &logs, &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			home := signInThroughApp(t, "http://"+addr, "demo", demo.Password)
			if !strings.Contains(home, "Jan Peeters") || !strings.Contains(home, "timeapp_timetracking_create") {
				t.Errorf("README.md:%d: after signing in as demo the home page says:\n%s\n(log: %s)", p.line, home, logs.String())
			}
		})
	}
}

// servedAddr is the quoted 127.0.0.1 address a README program listens on.
var servedAddr = regexp.MustCompile(`"127\.0\.0\.1:[0-9]+"`)

// buildREADMEProgram builds src outside the repository as a reader of the
// README would, and returns the binary: a module of the reader's own (go mod
// init) beside a clone of this repository in ../cloudspot, made to depend
// on it by the README's own command (cloneSetup, run as written), with no
// workspace and no module download.
func buildREADMEProgram(t *testing.T, root, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Symlink(root, filepath.Join(dir, "cloudspot")); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(dir, "app")
	if err := os.Mkdir(app, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	// The reader's environment: no workspace of this repository, and
	// nothing to download.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOWORK=") && !strings.HasPrefix(kv, "GOFLAGS=") {
			env = append(env, kv)
		}
	}
	env = append(env, "GOPROXY=off", "GOFLAGS=-buildvcs=false")
	for _, c := range []*exec.Cmd{
		exec.Command("go", "mod", "init", "example.com/app"),
		exec.Command("bash", "-e", "-c", cloneSetup(t, root)),
		exec.Command("go", "build", "-o", "program", "."),
	} {
		c.Dir, c.Env = app, env
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(c.Args, " "), err, out)
		}
	}
	return filepath.Join(app, "program")
}

// freeLoopbackAddr is a 127.0.0.1 address with a port free a moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// signInThroughApp waits until the web app at base answers, signs in
// through its login form at /login as a browser does (the form's csrf
// field, its cookies), and returns the page the sign-in lands on.
func signInThroughApp(t *testing.T, base, username, password string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	var form string
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		res, err := hc.Get(base + "/login")
		if err == nil {
			b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
			res.Body.Close()
			form = string(b)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app never answered at %s: %v", base, err)
		}
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("the login page has no csrf field:\n%s", form)
	}
	res, err := hc.PostForm(base+"/login", url.Values{"csrf": {html.UnescapeString(m[1])}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" {
		t.Fatalf("signing in as %s: %d at %s:\n%s", username, res.StatusCode, res.Request.URL, b)
	}
	return string(b)
}

// mdLink is an inline Markdown link or image: [text](target "title").
var mdLink = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// codeSpan is inline code, whose brackets are not links.
var codeSpan = regexp.MustCompile("`[^`]*`")

// markdownLinks returns the link targets of a Markdown file outside code,
// each with its line.
func markdownLinks(text string) (targets []string, lines []int) {
	fenced := false
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		for _, m := range mdLink.FindAllStringSubmatch(codeSpan.ReplaceAllString(l, ""), -1) {
			targets = append(targets, m[1])
			lines = append(lines, i+1)
		}
	}
	return targets, lines
}

// headingAnchors are the anchors GitHub gives a Markdown file's headings:
// the text in lower case, without inline code's backticks, links' targets
// or punctuation other than "-" and "_", spaces as "-", and "-1", "-2", ...
// after a repeated one.
func headingAnchors(text string) map[string]bool {
	anchors := map[string]bool{}
	fenced := false
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			continue
		}
		h := strings.TrimLeft(l, "#")
		if fenced || h == l || len(l)-len(h) > 6 || !strings.HasPrefix(h, " ") {
			continue
		}
		h = mdLink.ReplaceAllStringFunc(strings.TrimSpace(h), func(m string) string {
			return m[strings.Index(m, "[")+1 : strings.Index(m, "]")]
		})
		var a strings.Builder
		for _, r := range strings.ToLower(h) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				a.WriteRune(r)
			case r == ' ':
				a.WriteByte('-')
			}
		}
		anchor := a.String()
		for n := 1; anchors[anchor]; n++ {
			anchor = fmt.Sprintf("%s-%d", a.String(), n)
		}
		anchors[anchor] = true
	}
	return anchors
}

// TestMarkdownLinks checks every relative link of every Markdown file of
// the repository: the file or directory it names exists, and a "#anchor"
// names a heading of that Markdown file (or of the same file). Links to
// other sites are left alone: the suite runs without network access.
func TestMarkdownLinks(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	checked := 0
	for _, file := range markdownFiles(t, root) {
		b, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		targets, lines := markdownLinks(string(b))
		for i, target := range targets {
			if u, err := url.Parse(target); err != nil || u.Scheme != "" {
				if err != nil {
					t.Errorf("%s:%d: link %q: %v", file, lines[i], target, err)
				}
				continue
			}
			checked++
			path, anchor, _ := strings.Cut(target, "#")
			dest := filepath.Join(root, file) // a bare "#anchor" is in the same file
			if path != "" {
				dest = filepath.Join(root, filepath.Dir(file), filepath.FromSlash(path))
			}
			if rel, err := filepath.Rel(root, dest); err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s:%d: link %q leaves the repository", file, lines[i], target)
				continue
			}
			if _, err := os.Stat(dest); err != nil {
				t.Errorf("%s:%d: link %q: no such file", file, lines[i], target)
				continue
			}
			if anchor == "" {
				continue
			}
			if !strings.HasSuffix(dest, ".md") {
				t.Errorf("%s:%d: link %q: an anchor in a file that is not Markdown", file, lines[i], target)
				continue
			}
			text, err := os.ReadFile(dest)
			if err != nil {
				t.Fatal(err)
			}
			if !headingAnchors(string(text))[anchor] {
				t.Errorf("%s:%d: link %q: %s has no heading with the anchor #%s", file, lines[i], target, filepath.Base(dest), anchor)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no relative link found in the repository's Markdown files")
	}
	t.Logf("%d relative links checked", checked)
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
