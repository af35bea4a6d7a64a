package httpapi_test

import (
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

func TestMain(m *testing.M) { erptest.Main(m) }
