package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/version"
)

// TestHelpHasExamples: every command's --help shows an example, so that a
// user can copy one.
func TestHelpHasExamples(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, "")
	root := (&cli{getenv: func(string) string { return "" }}).rootCmd()
	var walk func(c *cobra.Command)
	var paths [][]string
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if len(paths) < 10 {
		t.Fatalf("found only %d commands", len(paths))
	}
	for _, p := range paths {
		r := s.ok("", nil, append(p, "--help")...)
		if !strings.Contains(r.stdout, "Examples:\n  ") || !strings.Contains(r.stdout, "cloudspot ") {
			t.Errorf("cloudspot %s --help has no example:\n%s", strings.Join(p, " "), r.stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, "")
	bi, err := buildinfo.ReadFile(s.bin)
	if err != nil {
		t.Fatal(err)
	}
	// The version is the one the go command recorded in the binary.
	if r := s.ok("", nil, "--version"); r.stdout != "cloudspot version "+version.Of(bi)+"\n" {
		t.Errorf("--version = %q, want the build's %q", r.stdout, version.Of(bi))
	}
}

// TestCompletion: the scripts for bash, zsh and fish, and the values they
// complete come from the program itself.
func TestCompletion(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, "")
	for shell, marker := range map[string]string{
		"bash": "__start_cloudspot",
		"zsh":  "#compdef cloudspot",
		"fish": "complete -c cloudspot",
	} {
		r := s.ok("", nil, "completion", shell)
		if !strings.Contains(r.stdout, marker) {
			t.Errorf("completion %s lacks %q", shell, marker)
		}
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", ""}, []string{"artikels", "klanten", "categorieen", "login", "logout", "whoami", "permissions", "auth", "completion"}},
		{[]string{"__complete", "categorieen", ""}, []string{"list", "get"}},
		{[]string{"__complete", "categorieen", "list", "--fields", "id,"}, []string{"id,naam", "id,parent_id", "id,path"}},
		{[]string{"__complete", "artikels", "list", "--fields", "SKU,"}, []string{"SKU,naam", "SKU,id", "SKU,categorieen", "SKU,EAN", "SKU,fotos", "SKU,meer_info"}},
		{[]string{"__complete", "artikels", "get", "1", "--fields", ""}, []string{"all", "id", "merk", "prijscategorieen"}},
		{[]string{"__complete", "artikels", "list", "--status", ""}, []string{"ZICHTBAAR", "NIET_VERKOOPBAAR", "GEDEACTIVEERD"}},
		{[]string{"__complete", "artikels", "list", "--stock", ""}, []string{"NIET", "FYSIEK", "DIGITAAL"}},
		{[]string{"__complete", "klanten", "list", "-o", ""}, []string{"table", "json", "ndjson", "csv"}},
		{[]string{"__complete", "klanten", "list", "--fields", "voornaam,"}, []string{"voornaam,achternaam", "voornaam,land"}},
		{[]string{"__complete", "completion", ""}, []string{"bash", "zsh", "fish"}},
	}
	for _, tc := range cases {
		r := s.ok("", nil, tc.args...)
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w+"\n") && !strings.Contains(r.stdout, w+"\t") {
				t.Errorf("%v: no %q in\n%s", tc.args, w, r.stdout)
			}
		}
	}
}

// TestRunInProcess runs the program the way main does, for the error
// mapping that main adds: one line and the exit code.
func TestRunInProcess(t *testing.T) {
	t.Parallel()
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "CI": "true"}
	getenv := func(k string) string { return env[k] }
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"--test", "--base-url", "http://x/api/v1", "whoami"}, getenv, strings.NewReader(""), &out, &errOut)
	var report bytes.Buffer
	if code := reportTo(err, &report); code != exitUsage || report.String() != "cloudspot: --base-url and --test contradict each other; give one\n" {
		t.Errorf("report = %d %q", code, report.String())
	}
	if code := reportTo(quietExit{exitFailed}, &report); code != exitFailed {
		t.Errorf("quietExit: %d", code)
	}
}

func reportTo(err error, w *bytes.Buffer) int {
	w.Reset()
	return report(err, w)
}

// The ERP's nouns are the commands; an English noun is not another name
// for them, only pointed at them.
func TestEnglishNounsPointToTheERPs(t *testing.T) {
	t.Parallel()
	for noun, want := range map[string]string{"products": "did you mean artikels?", "clients": "did you mean klanten?", "categories": "did you mean categorieen?", "category": "did you mean categorieen?"} {
		r := newSandbox(t, "http://127.0.0.1:1/api/v1").run("", nil, noun, "list")
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("cloudspot %s list: exit %d, stderr %q; want exit 2 and %q", noun, r.code, r.stderr, want)
		}
	}
}
