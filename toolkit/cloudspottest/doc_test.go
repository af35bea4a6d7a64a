package cloudspottest_test

import (
	"os"
	"strings"
	"testing"
)

// TestDocShowsTheShopTest keeps the guide's example the test that runs.
func TestDocShowsTheShopTest(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("shop_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```go\n"+string(src)+"```\n") {
		t.Error("docs/testing.md does not show shop_test.go as it is; copy the file into its go block")
	}
}
