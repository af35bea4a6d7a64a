package console_test

import (
	"flag"
	"fmt"
	"iter"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// pagesCatalogue is the size of the catalogue BenchmarkCataloguePages
// pages through.
var pagesCatalogue = flag.Int("pages-catalogue", 100_000, "products of the catalogue BenchmarkCataloguePages pages through")

// BenchmarkCataloguePages reads a company's whole catalogue in the
// console, page by page over HTTP as a browser does, on SQLite, and
// reports the memory and time of the first pages beside those of the
// whole walk, and beside its ceiling measured in the same run: the heap
// that holding the whole catalogue at once takes (what a console that did
// not page would hold per request).
//
//	go test -run '^$' -bench CataloguePages -benchtime 1x ./toolkit/internal/console/
//
// Metrics: heap-first-MB and heap-walk-MB are the largest heap in use
// (sampled every page) during the first 100 pages and during the whole
// walk, heap-whole-MB the ceiling; ms/page-first and ms/page-last the
// median time of the first and of the last 100 pages; ms/search a search
// that matches one product, which reads the whole catalogue;
// ms/domain-first and ms/domain-last the first and the last page read
// through erp.Service alone (median of 50).
func BenchmarkCataloguePages(b *testing.B) {
	n := *pagesCatalogue
	s := startServer(b, erptest.OpenSQLite(b), options{})
	const slug = "groot"
	erptest.Must(s.svc.CreateCompany(ctx, slug, "Groot BV"))(b)
	erptest.Must(s.svc.ImportArtikels(ctx, slug, benchArtikels(n)))(b)
	c := s.client(b, "127.0.0.1")
	c.signIn(anna, annaPassword)
	next := regexp.MustCompile(`href="[^"]*[?;]after=(\d+)" id="next"`)
	row := `<td><a href="/companies/` + slug + `/artikels/`

	// heap samples the heap in use while a walk runs.
	var heap struct {
		sync.Mutex
		peak uint64
	}
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		heap.Lock()
		heap.peak = max(heap.peak, m.HeapInuse)
		heap.Unlock()
	}
	resetPeak := func() {
		runtime.GC()
		heap.Lock()
		heap.peak = 0
		heap.Unlock()
	}
	var pages atomic.Int64
	walk := func() (first, last time.Duration, firstHeap, walkHeap uint64) {
		resetPeak()
		var times []time.Duration
		items := 0
		for after := ""; ; {
			start := time.Now()
			status, body := c.get("/companies/" + slug + "/artikels" + after)
			times = append(times, time.Since(start))
			sample()
			if status != http.StatusOK {
				b.Fatalf("page %d: %d", len(times), status)
			}
			items += strings.Count(body, row)
			if len(times) == 100 {
				firstHeap = heap.peak
			}
			m := next.FindStringSubmatch(body)
			if m == nil {
				break
			}
			after = "?after=" + m[1]
		}
		if items != n {
			b.Fatalf("the walk showed %d products, want %d", items, n)
		}
		pages.Store(int64(len(times)))
		k := min(100, len(times))
		return median(times[:k]), median(times[len(times)-k:]), firstHeap, heap.peak
	}

	// The ceiling: every product held at once.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var all []erp.StoredArtikel
	for q := (erp.PageQuery{Limit: erp.MaxPageSize}); ; {
		p := erptest.Must(s.svc.ArtikelPage(ctx, slug, q))(b)
		all = append(all, p.Items...)
		if p.Next == 0 {
			break
		}
		q.After = p.Next
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	whole := after.HeapInuse - min(before.HeapInuse, after.HeapInuse)
	if len(all) != n {
		b.Fatalf("the ceiling read %d products, want %d", len(all), n)
	}
	runtime.KeepAlive(all)
	all = nil

	// The same first and last pages read through the domain alone, without
	// HTTP and HTML: what the store costs.
	domain := func(q erp.PageQuery) time.Duration {
		var ds []time.Duration
		for range 50 {
			start := time.Now()
			erptest.Must(s.svc.ArtikelPage(ctx, slug, q))(b)
			ds = append(ds, time.Since(start))
		}
		return median(ds)
	}
	lastID := erptest.Must(s.svc.ArtikelPage(ctx, slug, erp.PageQuery{KeyRange: erp.KeyRange{Before: 1 << 62}, Limit: 1}))(b).Items[0].ID
	domainFirst, domainLast := domain(erp.PageQuery{}), domain(erp.PageQuery{KeyRange: erp.KeyRange{After: lastID - erp.DefaultPageSize}})

	b.ResetTimer()
	var first, last time.Duration
	var firstHeap, walkHeap uint64
	var search time.Duration
	for b.Loop() {
		first, last, firstHeap, walkHeap = walk()
		start := time.Now()
		status, body := c.get("/companies/" + slug + "/artikels?q=" + fmt.Sprintf("BENCH-%07d", n-1))
		search = time.Since(start)
		if status != http.StatusOK || strings.Count(body, row) != 1 {
			b.Fatalf("search for the last product: %d, %d rows", status, strings.Count(body, row))
		}
	}
	mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(pages.Load()), "pages")
	b.ReportMetric(mb(firstHeap), "heap-first-MB")
	b.ReportMetric(mb(walkHeap), "heap-walk-MB")
	b.ReportMetric(mb(whole), "heap-whole-MB")
	b.ReportMetric(ms(first), "ms/page-first")
	b.ReportMetric(ms(last), "ms/page-last")
	b.ReportMetric(ms(search), "ms/search")
	b.ReportMetric(ms(domainFirst), "ms/domain-first")
	b.ReportMetric(ms(domainLast), "ms/domain-last")
}

// benchArtikels yields n products of about 600 bytes each, with a
// description and every price set, as a real catalogue has them.
func benchArtikels(n int) iter.Seq2[erp.Record[cloudspot.Artikel], error] {
	desc := strings.Repeat("Zorgvuldig gebrande bonen uit Gent, medium body, tonen van noten en cacao. ", 4)
	prices := []string{"12.50", "23.00", "4.19", "119.00", "0.95", "1250.75"}
	return func(yield func(erp.Record[cloudspot.Artikel], error) bool) {
		for i := range n {
			p := cloudspot.MustParseDecimal(prices[i%len(prices)])
			a := cloudspot.Artikel{
				Naam: fmt.Sprintf("Product %d, huisblend %d g", i, 250+i%750), Beschrijving: desc, SKU: fmt.Sprintf("BENCH-%07d", i),
				VoorraadBijhouden: cloudspot.VoorraadBijhoudenFysiek, OpVoorraad: cloudspot.MustParseDecimal(fmt.Sprint(i % 500)),
				VerkoopprijsExcl: p, VerkoopprijsIncl: p, InkoopprijsExcl: p, InkoopprijsIncl: p, BTW: cloudspot.MustParseDecimal("21"),
				Bestellingtype: cloudspot.BestellingtypeIdeaal, UnitsPerBestelling: cloudspot.MustParseDecimal("1"), Status: cloudspot.ArtikelStatusZichtbaar,
			}
			if !yield(erp.Record[cloudspot.Artikel]{Value: a}, nil) {
				return
			}
		}
	}
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}
