package erp

import (
	"math/rand/v2"
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
// numbers and checks that the next one is a problem, not a wrapped number.
func TestImportOfTooManyRecordsIsRefused(t *testing.T) {
	defer func(n int) { maxIndexedRecords = n }(maxIndexedRecords)
	maxIndexedRecords = 3
	imp := &importer[uint64, uint64]{check: func(*uint64) []Problem { return nil }, keyField: "k", key: func(v uint64) uint64 { return v }, seen: &recordTable{}}
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
