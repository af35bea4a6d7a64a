package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/version"
)

// builder builds one release.
type builder struct {
	version string
	log     io.Writer
}

// name is the base name of a target's archive, without its extension.
func (b builder) name(t target) string {
	return fmt.Sprintf("cloudspot_%s_%s_%s", strings.TrimPrefix(b.version, "v"), t.goos, t.goarch)
}

func archiveExt(t target) string {
	if t.goos == "windows" {
		return ".zip"
	}
	return ".tar.gz"
}

func exeName(pkg string, t target) string {
	n := path.Base(pkg)
	if t.goos == "windows" {
		n += ".exe"
	}
	return n
}

// goBuild runs go build for t with the release's flags: no cgo (one static
// binary that runs on any libc, or none), no paths of the building machine
// (-trimpath), and the tag in the version package.
func (b builder) goBuild(ctx context.Context, t target, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", append([]string{"build", "-trimpath", "-ldflags", "-s -w -X " + version.Variable + "=" + b.version}, args...)...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.goos, "GOARCH="+t.goarch)
	cmd.Stdout, cmd.Stderr = b.log, b.log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building for %s: %w", t, err)
	}
	return nil
}

// plan prints what release would write.
func (b builder) plan(w io.Writer, out string) error {
	for _, t := range targets {
		var files []string
		for _, p := range programs {
			files = append(files, exeName(p, t))
		}
		fmt.Fprintf(w, "%s: %s (%s, %s)\n", t, filepath.Join(out, b.name(t)+archiveExt(t)), strings.Join(files, ", "), strings.Join(extras, ", "))
	}
	fmt.Fprintln(w, filepath.Join(out, checksums))
	return nil
}

// check builds every program for every target of ts and keeps nothing.
func (b builder) check(ctx context.Context, ts []target) error {
	for _, t := range ts {
		fmt.Fprintf(b.log, "building for %s\n", t)
		if err := b.goBuild(ctx, t, append([]string{"-o", os.DevNull}, programs...)...); err != nil {
			return err
		}
	}
	return b.extrasExist(ctx)
}

func (b builder) extrasExist(ctx context.Context) error {
	root, err := repoRoot(ctx)
	if err != nil {
		return err
	}
	for _, x := range extras {
		if _, err := os.Stat(filepath.Join(root, x)); err != nil {
			return fmt.Errorf("a file every archive holds: %w", err)
		}
	}
	return nil
}

// release builds an archive per target of ts into out, and their checksums.
// out must not exist, so that no file of another release is mixed in.
func (b builder) release(ctx context.Context, out string, ts []target) error {
	if err := b.extrasExist(ctx); err != nil {
		return err
	}
	root, err := repoRoot(ctx)
	if err != nil {
		return err
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		return usageError{fmt.Errorf("-out %s exists: remove it, or choose another directory", out)}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "cloudspot-release-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	sums := map[string]string{}
	for _, t := range ts {
		fmt.Fprintf(b.log, "building for %s\n", t)
		dir := filepath.Join(work, b.name(t))
		var files []archiveFile
		for _, p := range programs {
			bin := filepath.Join(dir, exeName(p, t))
			if err := b.goBuild(ctx, t, "-o", bin, p); err != nil {
				return err
			}
			files = append(files, archiveFile{name: exeName(p, t), path: bin, mode: 0o755})
		}
		for _, x := range extras {
			files = append(files, archiveFile{name: path.Base(x), path: filepath.Join(root, filepath.FromSlash(x)), mode: 0o644})
		}
		name := b.name(t) + archiveExt(t)
		sum, err := writeArchive(filepath.Join(out, name), b.name(t), files)
		if err != nil {
			return err
		}
		sums[name] = sum
	}
	return writeChecksums(filepath.Join(out, checksums), sums)
}

// writeChecksums writes sums as sha256sum prints them, so that
// "sha256sum -c SHA256SUMS" checks the archives.
func writeChecksums(file string, sums map[string]string) error {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", sums[n], n)
	}
	return os.WriteFile(file, []byte(b.String()), 0o644)
}

func sha256File(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// repoRoot is the directory of the SDK module: the repository's root.
func repoRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", "github.com/cloudspot-toolkit/cloudspot").Output()
	if err != nil {
		return "", fmt.Errorf("finding the repository (run this in a clone): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
