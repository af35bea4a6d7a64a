package main

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command/commandtest"
)

// TestUsageErrors: a mistake on any command's line is a usage error (exit
// 2) that names it and what to do: commandtest.UsageErrors walks the whole
// command tree, so a command added later is covered too.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, "")
	root := (&cli{getenv: func(string) string { return "" }}).rootCmd()
	commandtest.UsageErrors(t, root, func(t *testing.T, args ...string) (string, int) {
		r := s.run("", nil, args...)
		return r.stderr, r.code
	})
}
