package cloudspot_test

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/internal/examplecheck"
)

// TestEveryEntryPointHasAnExample: the Examples are the package's
// documentation (go doc and pkg.go.dev show each beside its name) and,
// since they end in an Output comment, tests of what they show. So every
// exported function, type and method has one that runs: ExampleF,
// ExampleT, ExampleT_M, with an optional _suffix.
func TestEveryEntryPointHasAnExample(t *testing.T) {
	t.Parallel()
	missing, err := examplecheck.Missing(".")
	if err != nil {
		t.Fatal(err)
	}
	if msg := examplecheck.Message(missing); msg != "" {
		t.Error(msg)
	}
}
