package erp

import (
	"hash/maphash"
	"math"
)

// recordIndex remembers, for each key of an import, the record that first
// held it, so that a key given twice is reported with both places.
type recordIndex[K comparable] interface {
	// first returns the record that held k before record n, if one did;
	// otherwise it records n as k's.
	first(k K, n int) (int, bool)
}

// recordMap is a recordIndex for the keys of small files.
type recordMap[K comparable] map[K]int

func (m recordMap[K]) first(k K, n int) (int, bool) {
	if f, ok := m[k]; ok {
		return f, true
	}
	m[k] = n
	return 0, false
}

// MaxImportRecords is the most records one import takes, so that a record
// number fits in a recordTable's 32 bits; a file of more is refused.
const MaxImportRecords = math.MaxUint32

// recordTable is a recordIndex of 64-bit keys for files of any size: open
// addressing over two arrays without pointers, 12 bytes a slot and at most
// three quarters full. A million keys take 24 MiB where a map takes 36,
// and the collector never scans it: an import's live heap is mostly this
// table, and the less of it there is, the less often the collector runs
// under the import's memory limit. Keys are placed by a hash with a seed
// of the table's own, as Go's maps place theirs, so that the keys of a
// file (klantennummers are the file's own numbers) cannot be chosen to
// fall on one slot and make each search walk the table.
type recordTable struct {
	seed  maphash.Seed
	keys  []uint64
	recs  []uint32 // record numbers, from 1; 0 marks an empty slot
	shift uint     // 64 - log2(len(keys))
	count int
}

func (t *recordTable) first(k uint64, n int) (int, bool) {
	if 4*(t.count+1) > 3*len(t.keys) {
		t.grow()
	}
	mask := len(t.keys) - 1
	for i := t.slot(k); ; i = (i + 1) & mask {
		switch {
		case t.recs[i] == 0:
			t.keys[i], t.recs[i] = k, uint32(n)
			t.count++
			return 0, false
		case t.keys[i] == k:
			return int(t.recs[i]), true
		}
	}
}

// slot is where k's search starts: the high bits of k's seeded hash.
func (t *recordTable) slot(k uint64) int { return int(maphash.Comparable(t.seed, k) >> t.shift) }

// grow doubles the table, from 1024 slots, and places every key again.
func (t *recordTable) grow() {
	old := *t
	if len(old.keys) == 0 {
		t.seed = maphash.MakeSeed()
	}
	size := max(2*len(old.keys), 1024)
	t.keys, t.recs, t.count = make([]uint64, size), make([]uint32, size), 0
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	for i, r := range old.recs {
		if r != 0 {
			t.first(old.keys[i], int(r))
		}
	}
}
