package erpauth_test

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/internal/examplecheck"
)

// TestEveryEntryPointHasAnExample: every exported function, type and
// method has an Example that runs, as go doc shows them beside it.
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
