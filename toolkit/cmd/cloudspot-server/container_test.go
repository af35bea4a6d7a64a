package main

import (
	"bufio"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestImageUnderItsConstraints runs what the Dockerfile builds the way the
// image runs it, without a container engine: the binary from the
// Dockerfile's own go build step, started with the image's entry point,
// environment and user, on a root file system made read-only (a mount
// namespace of its own, as a container's --read-only root), with only the
// volume's directory writable. The server starts, the image's HEALTHCHECK
// passes, an administrator sets up a user, the user signs in (writes a
// token), a backup is taken onto the volume, and SIGTERM stops it cleanly.
// A write anywhere but the volume fails there, as it would in the
// container. It needs root (for the namespace), unshare and setpriv.
func TestImageUnderItsConstraints(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI runs as root: this test makes a mount namespace")
		}
		t.Skip("needs root to make a mount namespace with a read-only root")
	}
	for _, tool := range []string{"unshare", "setpriv", "mount"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (util-linux)", tool)
		}
	}
	is := readDockerfile(t)

	// The binary, as the Dockerfile's build step makes it, in a directory
	// the image's user can read.
	dir := t.TempDir()
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	build := goBuildStep(t, is)
	if !strings.Contains(build, " -o /out/cloudspot-server ") {
		t.Fatalf("the build step %q does not write /out/cloudspot-server", build)
	}
	build = strings.Replace(build, " -o /out/cloudspot-server ", " -o "+filepath.Join(dir, "cloudspot-server")+" ", 1)
	cmd := exec.Command("sh", "-c", build)
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the Dockerfile's build step: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "cloudspot-server")

	// The image's user, environment and volume.
	user := final(is, "USER")[0]
	uid, gid, _ := strings.Cut(user, ":")
	vol := final(is, "VOLUME")[0]
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	u, _ := strconv.Atoi(uid)
	g, _ := strconv.Atoi(gid)
	if err := os.Chown(data, u, g); err != nil {
		t.Fatal(err)
	}
	var env []string
	for k, v := range envOf(final(is, "ENV")) {
		v = strings.Replace(v, vol, data, 1)
		if k == "CLOUDSPOT_ADDR" {
			v = "127.0.0.1:0" // the image's 0.0.0.0:8000 is the container's own network
		}
		env = append(env, k+"="+v)
	}
	env = append(env, "PATH=/usr/bin:/bin")
	// image runs bin args... as the image does: root read-only, the volume
	// writable, the image's user, no new privileges.
	image := func(args ...string) *exec.Cmd {
		script := `mount --bind "$1" "$1" && mount -o remount,bind,ro / && shift && exec setpriv --reuid=` + uid + ` --regid=` + gid + ` --clear-groups --no-new-privs -- "$@"`
		c := exec.Command("unshare", append([]string{"--mount", "--propagation", "private", "sh", "-c", script, "sh", data, bin}, args...)...)
		c.Env = env
		return c
	}
	entry := append(execForm(t, final(is, "ENTRYPOINT")[0]), execForm(t, final(is, "CMD")[0])...)
	srv := image(entry[1:]...)
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr erptest.Buffer
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	t.Cleanup(func() { srv.Process.Kill() })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := erpserver.ListeningURL(sc.Text()); ok {
				urls <- u
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("the server stopped before listening: %v\n%s", err, stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("the server did not listen:\n%s", stderr.String())
	}
	hostPort := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/api/v1")

	// The HEALTHCHECK, as the image runs it.
	_, hcCmd, _ := strings.Cut(final(is, "HEALTHCHECK")[0], " CMD ")
	hc := image(append(execForm(t, hcCmd)[1:], "--addr", hostPort)...)
	if out, err := hc.CombinedOutput(); err != nil {
		t.Fatalf("the HEALTHCHECK: %v\n%s", err, out)
	}
	// An administrator's commands in the same container, then a sign-in.
	for _, args := range [][]string{
		{"admin", "company", "create", "acme", "--name", "Acme BV"},
		{"admin", "app", "create", "shopapp"},
		{"admin", "user", "create", "an", "--company", "acme"},
		{"admin", "backup", filepath.Join(data, "backup.db")},
	} {
		c := image(args...)
		c.Stdin = strings.NewReader("Tr0ub4dor&3-horse\n")
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	api := erptest.Must(cloudspot.NewUserAPI("shopapp", cloudspot.WithBaseURL(base)))(t)
	if _, err := api.Authenticate(t.Context(), "an", "Tr0ub4dor&3-horse"); err != nil {
		t.Fatalf("sign-in: %v\n%s", err, stderr.String())
	}
	if resp, err := http.Get("http://" + hostPort + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz: %v %v", resp, err)
	}

	// unshare, sh and setpriv exec one another: the process is the server.
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the server did not stop cleanly on SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the server did not stop on SIGTERM")
	}
	if strings.Contains(stderr.String(), "read-only file system") {
		t.Errorf("the server tried to write outside its volume:\n%s", stderr.String())
	}
	// What it wrote: on the volume, the image's user's, for it alone.
	var files []string
	filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, _ := d.Info()
		st := fi.Sys().(*syscall.Stat_t)
		if int(st.Uid) != u || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: owner %d, mode %v; want %d and none for others", p, st.Uid, fi.Mode().Perm(), u)
		}
		files = append(files, d.Name())
		return nil
	})
	if !slices.Contains(files, "cloudspot.db") || !slices.Contains(files, "backup.db") {
		t.Errorf("the volume holds %v, want the database and its backup", files)
	}
}
