package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// The files that deploy cloudspot-server (Dockerfile, deploy/compose.yaml,
// deploy/cloudspot-server.service) checked for the properties docs/deploy.md
// promises, and tied to the program: every variable they set names a flag,
// every subcommand they run exists.

// repoRoot is the repository's root, where the Dockerfile is.
func repoRoot(t *testing.T) string {
	return filepath.Dir(erptest.ModuleRoot(t))
}

// instruction is one instruction of a Dockerfile: its keyword in upper
// case, its arguments, and the build stage it is in (0 for the first).
type instruction struct {
	cmd, args string
	stage     int
}

// readDockerfile reads the repository's Dockerfile: comments and blank
// lines dropped, lines ending in a backslash joined.
func readDockerfile(t *testing.T) []instruction {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var out []instruction
	stage, cur := -1, ""
	for _, l := range strings.Split(string(b), "\n") {
		if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		cur += l
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur), " ")
		cur = ""
		if strings.EqualFold(cmd, "FROM") {
			stage++
		}
		out = append(out, instruction{strings.ToUpper(cmd), strings.Join(strings.Fields(args), " "), stage})
	}
	return out
}

// final returns the arguments of the final stage's instructions cmd.
func final(is []instruction, cmd string) []string {
	var out []string
	for _, i := range is {
		if i.cmd == cmd && i.stage == is[len(is)-1].stage {
			out = append(out, i.args)
		}
	}
	return out
}

// envOf reads ENV instructions' K=V pairs.
func envOf(args []string) map[string]string {
	env := map[string]string{}
	for _, a := range args {
		for _, kv := range strings.Fields(a) {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	}
	return env
}

// execForm reads an exec-form argument list: ["a", "b"].
func execForm(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	if err := yaml.Unmarshal([]byte(s), &out); err != nil || len(out) == 0 {
		t.Fatalf("%q is not an exec-form list (%v)", s, err)
	}
	return out
}

// flagsOfVariables fails t for every CLOUDSPOT_ variable of env that names
// no flag of the command that args run.
func flagsOfVariables(t *testing.T, where string, vars map[string]string, args []string) {
	t.Helper()
	root := newRoot(&env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	cmd, _, err := root.Find(args)
	if err != nil || cmd == root {
		t.Errorf("%s runs cloudspot-server %q, which is no command (%v)", where, args, err)
		return
	}
	for k := range vars {
		if !strings.HasPrefix(k, "CLOUDSPOT_") {
			continue
		}
		if !slices.ContainsFunc(flagNames(cmd), func(f string) bool { return envName(f) == k }) {
			t.Errorf("%s sets %s, which is no flag of %s", where, k, cmd.CommandPath())
		}
	}
}

func flagNames(c *cobra.Command) []string {
	var names []string
	c.InheritedFlags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	c.LocalFlags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	return names
}

// TestDockerfile: a multi-stage build of a static binary (CGO_ENABLED=0)
// on an empty image, run as a user that is not root, with the database on
// the volume and a HEALTHCHECK that runs the program's own healthcheck
// (the image has no shell and no curl).
func TestDockerfile(t *testing.T) {
	t.Parallel()
	is := readDockerfile(t)
	froms := 0
	for _, i := range is {
		if i.cmd == "FROM" {
			froms++
		}
	}
	if froms < 2 {
		t.Errorf("the Dockerfile has %d stages, want a build stage and a runtime stage", froms)
	}
	if from := final(is, "FROM"); len(from) != 1 || (from[0] != "scratch" && !strings.Contains(from[0], "distroless/static")) {
		t.Errorf("the runtime stage is FROM %q, want an empty image (scratch) for a static binary", from)
	}
	build := goBuildStep(t, is)
	for _, w := range []string{"CGO_ENABLED=0", "-trimpath", "./toolkit/cmd/cloudspot-server", "version.tag="} {
		if !strings.Contains(build, w) {
			t.Errorf("the build step %q lacks %q", build, w)
		}
	}
	user := final(is, "USER")
	if len(user) != 1 || strings.HasPrefix(user[0], "0") || strings.HasPrefix(user[0], "root") {
		t.Errorf("the image runs as USER %q, want an unprivileged uid", user)
	}
	env := envOf(final(is, "ENV"))
	vols := final(is, "VOLUME")
	if len(vols) != 1 || filepath.Dir(env["CLOUDSPOT_DB"]) != vols[0] || env["TMPDIR"] != vols[0] {
		t.Errorf("VOLUME %q, CLOUDSPOT_DB %q, TMPDIR %q: the database and SQLite's temporary files belong on the volume", vols, env["CLOUDSPOT_DB"], env["TMPDIR"])
	}
	entry := append(execForm(t, strings.Join(final(is, "ENTRYPOINT"), "")), execForm(t, strings.Join(final(is, "CMD"), ""))...)
	if !slices.Equal(entry, []string{"/cloudspot-server", "serve"}) {
		t.Errorf("the image runs %q, want /cloudspot-server serve", entry)
	}
	flagsOfVariables(t, "the Dockerfile", env, entry[1:])
	hc := final(is, "HEALTHCHECK")
	_, hcCmd, ok := strings.Cut(strings.Join(hc, ""), " CMD ")
	if !ok {
		t.Fatalf("HEALTHCHECK %q has no CMD", hc)
	}
	if args := execForm(t, hcCmd); args[0] != "/cloudspot-server" || !slices.Equal(args[1:], []string{"healthcheck"}) {
		t.Errorf("HEALTHCHECK runs %q, want /cloudspot-server healthcheck", args)
	}
	// It asks the server on the address that CLOUDSPOT_ADDR gives both.
	flagsOfVariables(t, "the Dockerfile's HEALTHCHECK", map[string]string{"CLOUDSPOT_ADDR": env["CLOUDSPOT_ADDR"]}, []string{"healthcheck"})
	// What the build stage copies before the code exists in the repository.
	for _, i := range is {
		if i.cmd != "COPY" || i.stage != 0 {
			continue
		}
		srcs := strings.Fields(i.args)
		for _, s := range srcs[:len(srcs)-1] {
			if s == "." {
				continue
			}
			if _, err := os.Stat(filepath.Join(repoRoot(t), s)); err != nil {
				t.Errorf("the build stage copies %s: %v", s, err)
			}
		}
	}
}

// goBuildStep is the build stage's go build command, with the ARG defaults
// it uses filled in.
func goBuildStep(t *testing.T, is []instruction) string {
	t.Helper()
	args := map[string]string{}
	for _, i := range is {
		if i.cmd == "ARG" {
			k, v, _ := strings.Cut(i.args, "=")
			args[k] = v
		}
		if i.cmd == "RUN" && strings.Contains(i.args, "go build") {
			return os.Expand(i.args, func(k string) string { return args[k] })
		}
	}
	t.Fatal("the Dockerfile has no RUN step with go build")
	return ""
}

// TestComposeFile: PostgreSQL with a health check, and two server
// processes of the image on it, each started once the database answers,
// with a read-only root file system, no capabilities, a user that is not
// root, and its own port on loopback.
func TestComposeFile(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       map[string]string `yaml:"build"`
			ReadOnly    bool              `yaml:"read_only"`
			User        string            `yaml:"user"`
			CapDrop     []string          `yaml:"cap_drop"`
			Environment map[string]string `yaml:"environment"`
			Ports       []string          `yaml:"ports"`
			Healthcheck map[string]any    `yaml:"healthcheck"`
			DependsOn   map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &compose); err != nil {
		t.Fatal(err)
	}
	var servers, ports []string
	for name, s := range compose.Services {
		switch {
		case strings.HasPrefix(s.Image, "postgres:"):
			if s.Healthcheck == nil {
				t.Errorf("%s: PostgreSQL without a healthcheck: the servers cannot wait for it", name)
			}
		case s.Image == "cloudspot-server":
			servers = append(servers, name)
			if s.Build["dockerfile"] != "Dockerfile" || s.Build["context"] != ".." {
				t.Errorf("%s: build %v, want the repository's Dockerfile", name, s.Build)
			}
			if !s.ReadOnly || s.User == "" || strings.HasPrefix(s.User, "0") || !slices.Contains(s.CapDrop, "ALL") {
				t.Errorf("%s: read_only %v, user %q, cap_drop %v; want a read-only root, an unprivileged user, no capabilities", name, s.ReadOnly, s.User, s.CapDrop)
			}
			if !strings.HasPrefix(s.Environment["CLOUDSPOT_DB"], "postgres://") {
				t.Errorf("%s: CLOUDSPOT_DB %q, want the PostgreSQL database", name, s.Environment["CLOUDSPOT_DB"])
			}
			if d, ok := s.DependsOn["db"]; !ok || d.Condition != "service_healthy" {
				t.Errorf("%s: depends_on %v, want db with condition service_healthy", name, s.DependsOn)
			}
			for _, p := range s.Ports {
				if !strings.HasPrefix(p, "127.0.0.1:") {
					t.Errorf("%s: port %q is published beyond loopback; the reverse proxy adds TLS in front", name, p)
				}
				ports = append(ports, p)
			}
			flagsOfVariables(t, "deploy/compose.yaml "+name, s.Environment, []string{"serve"})
		default:
			t.Errorf("service %s: image %q is neither PostgreSQL nor cloudspot-server", name, s.Image)
		}
	}
	slices.Sort(ports)
	if len(servers) != 2 || len(slices.Compact(ports)) != 2 {
		t.Errorf("servers %v on ports %v, want two servers on a port each", servers, ports)
	}
}

// TestSystemdUnit checks deploy/cloudspot-server.service with
// systemd-analyze (which needs no running systemd): verify finds nothing
// to say about it, and its exposure score is at most 2.0 ("OK"); and it
// holds the hardening docs/deploy.md promises.
func TestSystemdUnit(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("systemd-analyze is not installed (apt-get install systemd)")
		}
		t.Skip("systemd-analyze is not installed (apt-get install systemd)")
	}
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "cloudspot-server.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := string(b)
	keys := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(unit))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			keys[k] = append(keys[k], v)
		}
	}
	for k, want := range map[string]string{
		"Type": "notify", "DynamicUser": "yes", "StateDirectory": "cloudspot", "ProtectSystem": "strict",
		"NoNewPrivileges": "yes", "Restart": "on-failure", "ExecStart": "/usr/local/bin/cloudspot-server serve",
	} {
		if !slices.Equal(keys[k], []string{want}) {
			t.Errorf("%s=%q, want %q", k, keys[k], want)
		}
	}
	flagsOfVariables(t, "the unit", envOf(keys["Environment"]), []string{"serve"})
	if db := envOf(keys["Environment"])["CLOUDSPOT_DB"]; filepath.Dir(db) != "/var/lib/"+keys["StateDirectory"][0] {
		t.Errorf("CLOUDSPOT_DB=%s is outside the StateDirectory, the only place the service may write", db)
	}

	// systemd-analyze checks that ExecStart's program exists: point it at
	// the built binary.
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	file := filepath.Join(t.TempDir(), "cloudspot-server.service")
	if err := os.WriteFile(file, []byte(strings.Replace(unit, "ExecStart=/usr/local/bin/cloudspot-server", "ExecStart="+bin, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"verify", "--man=no", file},
		{"security", "--offline=yes", "--threshold=20", "--no-pager", file}, // 2.0, in tenths
	} {
		out, err := exec.Command("systemd-analyze", args...).CombinedOutput()
		if err != nil || (args[0] == "verify" && len(out) > 0) {
			t.Errorf("systemd-analyze %s: %v\n%s", args[0], err, out)
		}
	}
}
