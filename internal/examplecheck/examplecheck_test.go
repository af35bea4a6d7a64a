package examplecheck_test

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/internal/examplecheck"
)

// TestMissing: a name without an Example, or with one that never runs, is
// listed; one with an Example that runs (an empty Output too) is not.
func TestMissing(t *testing.T) {
	t.Parallel()
	got, err := examplecheck.Missing("testdata/half")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"NewT", "Silent", "T"}; !slices.Equal(got, want) {
		t.Errorf("Missing = %q, want %q", got, want)
	}
	if msg := examplecheck.Message(got); !strings.HasPrefix(msg, "3 exported names have no Example that runs") || !strings.HasSuffix(msg, "\n\tT") {
		t.Errorf("Message = %q", msg)
	}
	if msg := examplecheck.Message(nil); msg != "" {
		t.Errorf("Message(nil) = %q, want none", msg)
	}
}

// TestStandardLibraryOnly: the package is imported by the SDK's tests, so
// it may not bring a module the SDK does not require.
func TestStandardLibraryOnly(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "github.com/cloudspot-toolkit/cloudspot/internal/examplecheck" {
		t.Errorf("examplecheck depends on more than the standard library:\n%s", got)
	}
}
