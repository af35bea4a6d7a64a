package main

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestMain stops the PostgreSQL cluster and removes the binaries that the
// tests started or built, however the tests end.
func TestMain(m *testing.M) { erptest.Main(m) }
