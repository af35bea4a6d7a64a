package cloudspot_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestModuleRequiresNothing keeps the SDK free to import: a program that
// uses it must not inherit anyone else's dependencies.
func TestModuleRequiresNothing(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-m", "all")
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m all: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "github.com/cloudspot-toolkit/cloudspot" {
		t.Errorf("the SDK module's build list is not the SDK alone:\n%s", got)
	}
}
