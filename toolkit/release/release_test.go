package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestReleaseForThisMachine builds the release for the machine's own
// platform and checks what a user downloads: SHA256SUMS holds the
// archive's checksum as sha256sum prints it, the archive holds both
// programs and the extras under one directory, each program prints the
// release's tag with --version, and on Linux each is static (no
// interpreter, no shared library).
func TestReleaseForThisMachine(t *testing.T) {
	t.Parallel()
	const tag = "v0.0.0-test.1"
	out := filepath.Join(t.TempDir(), "dist")
	var log bytes.Buffer
	host := target{runtime.GOOS, runtime.GOARCH}
	b := builder{version: tag, log: &log}
	if err := b.release(context.Background(), out, []target{host}); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	name := b.name(host) + archiveExt(host)
	sums, err := os.ReadFile(filepath.Join(out, checksums))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := sha256File(filepath.Join(out, name))
	if err != nil {
		t.Fatal(err)
	}
	if string(sums) != sum+"  "+name+"\n" {
		t.Errorf("%s = %q, want the archive's checksum %s  %s", checksums, sums, sum, name)
	}
	if host.goos == "windows" {
		t.Skip("the archive for Windows is a zip; its programs are checked on the other platforms")
	}
	files := untar(t, filepath.Join(out, name), t.TempDir())
	var want []string
	for _, p := range programs {
		want = append(want, b.name(host)+"/"+exeName(p, host))
	}
	for _, x := range extras {
		want = append(want, b.name(host)+"/"+path.Base(x))
	}
	slices.Sort(want)
	if got := slices.Sorted(slices.Values(files.names)); !slices.Equal(got, want) {
		t.Errorf("the archive holds %q, want %q", got, want)
	}
	for _, p := range programs {
		bin := filepath.Join(files.dir, b.name(host), exeName(p, host))
		got, err := exec.Command(bin, "--version").Output()
		if want := path.Base(p) + " version " + tag + "\n"; err != nil || string(got) != want {
			t.Errorf("%s --version = %q, %v; want %q", path.Base(p), got, err, want)
		}
		if host.goos == "linux" {
			assertStatic(t, bin)
		}
	}
}

type extracted struct {
	dir   string
	names []string
}

func untar(t *testing.T, file, dir string) extracted {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	x := extracted{dir: dir}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return x
		}
		if err != nil {
			t.Fatal(err)
		}
		if !filepath.IsLocal(h.Name) || h.Typeflag != tar.TypeReg {
			t.Fatalf("the archive holds %q (type %c): want regular files under one directory", h.Name, h.Typeflag)
		}
		x.names = append(x.names, h.Name)
		dst := filepath.Join(dir, filepath.FromSlash(h.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, os.FileMode(h.Mode)); err != nil {
			t.Fatal(err)
		}
	}
}

func assertStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	libs, _ := f.ImportedLibraries()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || len(libs) > 0 {
			t.Errorf("%s is linked dynamically (%v): a release binary must run without a C library", filepath.Base(bin), libs)
			return
		}
	}
}

// TestReleaseConfig: the release is for the six platforms people run the
// programs on, each of which Go supports; both programs are commands; the
// tag is checked before anything is built; a directory that exists is
// never written into.
func TestReleaseConfig(t *testing.T) {
	t.Parallel()
	dist, err := exec.Command("go", "tool", "dist", "list").Output()
	if err != nil {
		t.Fatal(err)
	}
	supported := strings.Fields(string(dist))
	var got []string
	for _, tg := range targets {
		got = append(got, tg.String())
		if !slices.Contains(supported, tg.String()) {
			t.Errorf("target %s is not in go tool dist list", tg)
		}
	}
	want := []string{"darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64", "windows/amd64", "windows/arm64"}
	if slices.Sort(got); !slices.Equal(got, want) {
		t.Errorf("targets %q, want %q", got, want)
	}
	names, err := exec.Command("go", append([]string{"list", "-f", "{{.Name}}"}, programs...)...).Output()
	if err != nil || strings.Fields(string(names))[0] != "main" || strings.Fields(string(names))[1] != "main" {
		t.Errorf("programs %q are packages %q (%v), want two commands", programs, names, err)
	}
	for _, args := range [][]string{
		{"-version", "1.0.0"},
		{"-version", "v1.0"},
		{"-version", "v1.0.0; rm -rf /"},
		{"-out", t.TempDir(), "-version", "v1.0.0"},
		{"-version", "v1.0.0", "extra"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), args, io.Discard, &stderr)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("release %q: %v, want a usage error", args, err)
		}
	}
	var plan bytes.Buffer
	if err := run(context.Background(), []string{"-dry-run", "-version", "v1.2.3", "-out", "d"}, &plan, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{filepath.Join("d", "cloudspot_1.2.3_linux_arm64.tar.gz"), filepath.Join("d", "cloudspot_1.2.3_windows_amd64.zip") + " (cloudspot.exe, cloudspot-server.exe", filepath.Join("d", checksums)} {
		if !strings.Contains(plan.String(), w) {
			t.Errorf("-dry-run prints\n%s\nwithout %q", plan.String(), w)
		}
	}
}
