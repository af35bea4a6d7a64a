package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// refuse runs the bench with args and checks that it stops before
// measuring anything, with a usage error (exit status 2) whose text holds
// each of want.
func refuse(t *testing.T, args []string, want ...string) {
	t.Helper()
	var out, errOut strings.Builder
	args = append([]string{"-dir", t.TempDir()}, args...)
	err := run(context.Background(), args, &out, &errOut)
	if code := exitStatus(err); code != 2 {
		t.Fatalf("%q: exit status %d (%v), want 2", args, code, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q: %q does not say %q", args, err, w)
		}
	}
	if out.Len() > 0 {
		t.Errorf("%q: measured something before refusing:\n%s", args, out.String())
	}
}

// needPython skips a test that runs python3 where there is none, except in
// CI, which installs it.
func needPython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is not installed; CI installs it")
		}
		t.Skip("python3 is not installed")
	}
}

func TestReferenceRefusals(t *testing.T) {
	needPython(t)
	t.Run("ErrNoSuchDirectory", func(t *testing.T) {
		refuse(t, []string{"-reference", filepath.Join(t.TempDir(), "cloudspot-api")}, "no such directory", "a checkout of cloudspot-erp-api", `"installed"`)
	})
	t.Run("ErrAFile", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "api.py")
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		refuse(t, []string{"-reference", file}, "no such directory")
	})
	t.Run("ErrNoPackage", func(t *testing.T) {
		// The package's parent is what goes on PYTHONPATH, not the package.
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "api.py"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		refuse(t, []string{"-reference", dir}, "no cloudspot/api.py in it", "the directory that holds the package cloudspot")
	})
	t.Run("ErrNotImportable", func(t *testing.T) {
		// A checkout whose client python3 cannot import: its cause is
		// named (a traceback ends with it).
		dir := t.TempDir()
		pkg := filepath.Join(dir, "cloudspot")
		if err := os.Mkdir(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range map[string]string{"__init__.py": "", "api.py": "import cloudspot_missing_dependency\n"} {
			if err := os.WriteFile(filepath.Join(pkg, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		refuse(t, []string{"-reference", dir}, "python3 cannot import cloudspot.api from it", "No module named 'cloudspot_missing_dependency'", "give a checkout of cloudspot-erp-api")
	})
	t.Run("ErrNotInstalled", func(t *testing.T) {
		if exec.Command("python3", "-c", "import cloudspot.api").Run() == nil {
			// Where the client is installed, "installed" finds it: that
			// is no refusal, and the test has nothing to check.
			if os.Getenv("CI") == "true" {
				t.Fatal("the reference client is installed in CI, which measures nothing with it")
			}
			t.Skip("the reference client is installed here")
		}
		refuse(t, []string{"-reference", "installed"}, "python3 cannot import cloudspot.api", "pip install cloudspot-erp-api")
	})
}

// TestReferenceNeedsPython: without python3 on PATH, -reference is refused
// whatever it names.
func TestReferenceNeedsPython(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	refuse(t, []string{"-reference", "installed"}, "python3 is not on PATH", "leave -reference out")
	refuse(t, []string{"-reference", t.TempDir()}, "python3 is not on PATH")
}

func TestExitStatus(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{flag.ErrHelp, 0},
		{usageError{errors.New("-sizes: \"x\" is not a positive number")}, 2},
		{fmt.Errorf("SQLite: %w", usageError{errors.New("bad")}), 2},
		{errors.New("wrk: exit status 1"), 1},
	} {
		if got := exitStatus(c.err); got != c.want {
			t.Errorf("exitStatus(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

// TestParseReferenceResult reads what the driver prints, as literal text.
func TestParseReferenceResult(t *testing.T) {
	got, err := parseReferenceResult([]byte(`{"items": 100000, "durations": [2113456789, 1987654321, 2050000000], "peak_rss": 612368384}`+"\n"), 3)
	if err != nil {
		t.Fatal(err)
	}
	if got.Items != 100000 || got.PeakRSS != 612368384 || len(got.Durations) != 3 ||
		got.Durations[0] != 2113456789*time.Nanosecond || got.Durations[1] != 1987654321*time.Nanosecond || got.Durations[2] != 2050*time.Millisecond {
		t.Errorf("parsed %+v", got)
	}
	for _, c := range []struct {
		name, out string
		runs      int
		want      string
	}{
		{"ErrEmpty", "", 1, "EOF"},
		{"ErrNotJSON", "Traceback (most recent call last):\n", 1, "invalid character"},
		{"ErrFewerRuns", `{"items": 10, "durations": [1000], "peak_rss": 1024}`, 3, "timed 1 lists, want 3"},
		{"ErrMoreRuns", `{"items": 10, "durations": [1000, 1000], "peak_rss": 1024}`, 1, "timed 2 lists, want 1"},
		{"ErrZeroDuration", `{"items": 10, "durations": [1000, 0], "peak_rss": 1024}`, 2, "timed a list at 0s"},
		{"ErrNegativeItems", `{"items": -1, "durations": [1000], "peak_rss": 1024}`, 1, "counted -1 items"},
		{"ErrNoPeak", `{"items": 10, "durations": [1000]}`, 1, "peak RSS is 0"},
		{"ErrSecondLine", `{"items": 10, "durations": [1000], "peak_rss": 1024}` + "\n" + `{"items": 10}`, 1, "more than one JSON value"},
		{"ErrTrailingText", `{"items": 10, "durations": [1000], "peak_rss": 1024} done`, 1, "invalid character"},
		{"ErrUnknownKey", `{"items": 10, "durations": [1000], "peak_rss": 1024, "maxrss_kib": 1}`, 1, `unknown field "maxrss_kib"`},
		{"ErrSecondsNotNanoseconds", `{"items": 10, "durations": [0.25], "peak_rss": 1024}`, 1, "cannot unmarshal number 0.25"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := parseReferenceResult([]byte(c.out), c.runs); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

// TestReferenceDriverUsage runs the embedded driver as the bench does: a
// call it does not know ends with its usage, before it imports the client.
func TestReferenceDriverUsage(t *testing.T) {
	needPython(t)
	for _, args := range [][]string{nil, {"produkten", "http://127.0.0.1:1/api/v1", "token", "1"}, {"artikels", "http://127.0.0.1:1/api/v1"}} {
		r := &reference{python: "python3", workDir: t.TempDir()}
		_, err := r.driver(context.Background(), args...)
		if err == nil || !strings.Contains(err.Error(), "exit status 2") || !strings.Contains(err.Error(), "usage: reference.py check | artikels|klanten BASEURL TOKEN RUNS") {
			t.Errorf("%q: %v, want its usage and exit status 2", args, err)
		}
	}
}

func TestSpeedup(t *testing.T) {
	for _, c := range []struct {
		ref, sdk time.Duration
		want     string
	}{
		{2 * time.Second, 500 * time.Millisecond, "4.0x faster"},
		{1234 * time.Millisecond, 300 * time.Millisecond, "4.1x faster"},
		{time.Second, 2 * time.Second, "2.0x slower"},
	} {
		if got := speedup(c.ref, c.sdk); got != c.want {
			t.Errorf("speedup(%s, %s) = %q, want %q", c.ref, c.sdk, got, c.want)
		}
	}
}
