package main

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// TestMain removes the binaries that the tests built, however they end.
func TestMain(m *testing.M) { erptest.Main(m) }
