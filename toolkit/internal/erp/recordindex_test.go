package erp

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestRecordTableAgreesWithAMap holds the table to a map over keys that
// make it grow many times: random ones, ones counting up (klantennummers)
// and ones that differ only in their high bits, each given twice.
func TestRecordTableAgreesWithAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sets := map[string]func(i int) uint64{
		"random":   func(int) uint64 { return r.Uint64() },
		"counting": func(i int) uint64 { return uint64(i) },
		"high":     func(i int) uint64 { return uint64(i) << 44 },
		"zero":     func(i int) uint64 { return uint64(i) * 0 },
	}
	for name, key := range sets {
		t.Run(name, func(t *testing.T) {
			table, want := &recordTable{}, recordMap[uint64]{}
			keys := make([]uint64, 50000)
			for i := range keys {
				keys[i] = key(i)
			}
			n := 0
			for pass := range 2 {
				for _, k := range keys {
					n++
					gotFirst, gotDup := table.first(k, n)
					wantFirst, wantDup := want.first(k, n)
					if gotFirst != wantFirst || gotDup != wantDup {
						t.Fatalf("pass %d, record %d, key %#x: table says (%d, %v), a map (%d, %v)", pass, n, k, gotFirst, gotDup, wantFirst, wantDup)
					}
				}
			}
			if table.count != len(want) {
				t.Errorf("the table holds %d keys, the map %d", table.count, len(want))
			}
			if 4*table.count > 3*len(table.keys) {
				t.Errorf("%d keys in %d slots: more than three quarters full", table.count, len(table.keys))
			}
		})
	}
}

// TestImportOfTooManyRecordsIsRefused lowers the most records an import
// takes and checks that the next one is a problem, not a wrapped number.
func TestImportOfTooManyRecordsIsRefused(t *testing.T) {
	imp := &importer[uint64, uint64]{check: func(*uint64) []Problem { return nil }, keyField: "k", key: func(v uint64) uint64 { return v }, seen: &recordTable{}, maxRecords: 3}
	for i := range uint64(5) {
		imp.checkRecord(&Record[uint64]{Value: i, Line: int(i) + 2})
	}
	if imp.total != 2 || len(imp.problems) != 1 {
		t.Fatalf("%d problems (%v), want records 4 and 5 refused in one listed problem", imp.total, imp.problems)
	}
	if p := imp.problems[0]; p.Record != 4 || p.Line != 5 || p.Again != 1 || p.Message != "an import takes at most 3 records: split the file" {
		t.Errorf("problem %+v", p)
	}
}

// TestRecordTableSpreadsChosenKeys: keys chosen to share the high bits of
// their product with the golden ratio, which an unseeded multiplicative
// hash puts on one slot, are spread as any keys are: the searches walk a
// few slots each, not the whole table.
func TestRecordTableSpreadsChosenKeys(t *testing.T) {
	const golden = 0x9e3779b97f4a7c15
	inverse := uint64(golden) // golden * inverse = 1 mod 2^64, by Newton's steps
	for range 6 {
		inverse *= 2 - golden*inverse
	}
	const n = 50000
	table := &recordTable{}
	for j := range uint64(n) {
		table.first((j+1)*inverse, int(j)+1)
	}
	walked := 0
	mask := len(table.keys) - 1
	for i, r := range table.recs {
		if r != 0 {
			walked += (i - table.slot(table.keys[i])) & mask
		}
	}
	if walked > 10*n {
		t.Errorf("%d keys sit %d slots past where their searches start, %.1f each: chosen keys fall together", n, walked, float64(walked)/n)
	}
}

// BenchmarkRecordIndex adds a million keys to a recordTable and to the map
// it replaces, and reports the bytes each holds per key.
//
//	go test -run '^$' -bench RecordIndex -benchmem ./toolkit/internal/erp/
func BenchmarkRecordIndex(b *testing.B) {
	const n = 1_000_000
	keys := make([]uint64, n)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range keys {
		keys[i] = r.Uint64()
	}
	for name, index := range map[string]func() recordIndex[uint64]{
		"table": func() recordIndex[uint64] { return &recordTable{} },
		"map":   func() recordIndex[uint64] { return recordMap[uint64]{} },
	} {
		b.Run(name, func(b *testing.B) {
			var held uint64
			for b.Loop() {
				var before, after runtime.MemStats
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&before)
				b.StartTimer()
				ix := index()
				for i, k := range keys {
					ix.first(k, i+1)
				}
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.StartTimer()
				held = after.HeapAlloc - before.HeapAlloc
				runtime.KeepAlive(ix)
			}
			b.ReportMetric(float64(held)/n, "B/key")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/key")
		})
	}
}
