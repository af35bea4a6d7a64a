package httpapi_test

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/wire/*.golden from the server's answers (review the diff: the key sets and statuses in wire_test.go and protocol_test.go still apply)")

// pinnedHeaders are the response headers a golden file fixes: present with
// that value, or absent.
var pinnedHeaders = []string{"Content-Type", "Allow", "Retry-After"}

// A token in a body is random: the golden file holds this in its place,
// and only a token of the right shape (csu_, 48 random letters and digits
// and a 6-character checksum) is replaced.
var (
	tokenRE     = regexp.MustCompile(`"token":"csu_[A-Za-z0-9]{54}"`)
	tokenMarker = `"token":"csu_<54 letters and digits>"`
)

// response renders an answer as its golden file holds it: the status, the
// pinned headers, a blank line and the body byte for byte, tokens masked.
func response(status int, h http.Header, b []byte) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d\n", status)
	for _, k := range pinnedHeaders {
		if v, ok := h[k]; ok {
			fmt.Fprintf(&sb, "%s: %s\n", k, strings.Join(v, ", "))
		}
	}
	sb.WriteString("\n")
	sb.Write(tokenRE.ReplaceAll(b, []byte(tokenMarker)))
	return sb.String()
}

// wantGolden compares got with testdata/wire/name.golden, or writes it
// there with -update.
func wantGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "wire", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/httpapi -run %s -update writes it)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("the answer differs from %s (-want +got):\n%s", path, diff)
	}
}
