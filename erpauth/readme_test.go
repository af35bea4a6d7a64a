package erpauth_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEProgramBuilds: the README's program for erpauth builds as it
// is written, against this copy of the SDK.
func TestREADMEProgramBuilds(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a program")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Sign in with the ERP in a Go web app\n")
	if !ok {
		t.Fatal(`README.md has no section "Sign in with the ERP in a Go web app"`)
	}
	_, block, ok := strings.Cut(section, "```go\n")
	program, _, closed := strings.Cut(block, "```\n")
	if !ok || !closed || !strings.HasPrefix(program, "package main\n") {
		t.Fatal("the section's first go block is not a program")
	}
	dir := t.TempDir()
	goMod := "module readme\n\ngo 1.26.0\n\nrequire github.com/cloudspot-toolkit/cloudspot v0.0.0\n\nreplace github.com/cloudspot-toolkit/cloudspot => " + root + "\n"
	for name, text := range map[string]string{"go.mod": goMod, "main.go": program} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's program does not build: %v\n%s", err, out)
	}
}
