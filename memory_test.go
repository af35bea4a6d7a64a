package cloudspot_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Memory is measured in a child process (this test binary again), so that
// the figure is the decoder's own peak RSS, not the stand-in server's nor
// the test runner's.

const childEnv = "CLOUDSPOT_DECODE_CHILD" // "list|all|structs URL"

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(decodeChild(spec))
	}
	os.Exit(m.Run())
}

// decodeChild decodes the list at a URL one way and prints how many
// products it saw and its peak RSS in kB.
func decodeChild(spec string) int {
	how, url, _ := strings.Cut(spec, " ")
	api, err := cloudspot.NewCompanyAPI("tok", cloudspot.WithBaseURL(url), cloudspot.WithMaxResponseBytes(8<<30))
	if err != nil {
		fmt.Println(err)
		return 1
	}
	ctx := context.Background()
	n := 0
	switch how {
	case "list":
		as, err := api.Artikels.List(ctx)
		if err != nil {
			fmt.Println(err)
			return 1
		}
		n = len(as)
	case "all":
		for _, err := range api.Artikels.All(ctx) {
			if err != nil {
				fmt.Println(err)
				return 1
			}
			n++
		}
	case "structs":
		resp, err := http.Get(url)
		if err != nil {
			fmt.Println(err)
			return 1
		}
		var out struct {
			Data []plainArtikel `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			fmt.Println(err)
			return 1
		}
		n = len(out.Data)
	}
	fmt.Println("products", n, "peak-rss-kB", peakRSS())
	return 0
}

// peakRSS is the process's high-water mark of resident memory in kB.
func peakRSS() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb
		}
	}
	return -1
}

// childPeakRSS serves n products and returns the peak RSS in MB of a child
// that decodes them as how says. A list is served pre-encoded with its
// length, as a file server would; for All the products are generated as
// they are sent, so that a million of them are never held by the test.
func childPeakRSS(tb testing.TB, how string, n int) float64 {
	tb.Helper()
	if runtime.GOOS != "linux" {
		tb.Skip("peak RSS is read from /proc, which only Linux has")
	}
	var body bytes.Buffer
	if how != "all" {
		writeProducts(&body, n)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if how == "all" {
			writeProducts(w, n)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(body.Len()))
		w.Write(body.Bytes())
	}))
	defer srv.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+how+" "+srv.URL+"/api/v1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("child: %v: %s", err, out)
	}
	var got, kb int
	if _, err := fmt.Sscanf(string(out), "products %d peak-rss-kB %d", &got, &kb); err != nil || got != n || kb <= 0 {
		tb.Fatalf("child said %q; want %d products and a peak RSS", out, n)
	}
	return float64(kb) / 1024
}

// TestAllFlatMemory: All's peak memory does not grow with the list: 30
// times the products, the same peak within a few MB.
func TestAllFlatMemory(t *testing.T) {
	t.Parallel()
	small := childPeakRSS(t, "all", 10_000)
	large := childPeakRSS(t, "all", 300_000)
	t.Logf("peak RSS of All: %.1f MB at 10k products, %.1f MB at 300k", small, large)
	if large > small+8 {
		t.Errorf("peak RSS of All grew from %.1f MB at 10k products to %.1f MB at 300k", small, large)
	}
}

// BenchmarkDecodeMemory reports the peak RSS of a process decoding a list:
//
//	go test -run '^$' -bench DecodeMemory -benchtime 1x .
func BenchmarkDecodeMemory(b *testing.B) {
	for _, tc := range []struct {
		how string
		n   int
	}{{"all", 10_000}, {"all", 1_000_000}, {"list", 100_000}, {"structs", 100_000}} {
		b.Run(fmt.Sprintf("%s/%d", tc.how, tc.n), func(b *testing.B) {
			var mb float64
			for range b.N {
				mb = max(mb, childPeakRSS(b, tc.how, tc.n))
			}
			b.ReportMetric(mb, "peak-RSS-MB")
		})
	}
}
