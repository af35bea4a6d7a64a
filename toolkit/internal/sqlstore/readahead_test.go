package sqlstore

import (
	"errors"
	"iter"
	"sync/atomic"
	"testing"
)

// numbers yields 1..n, counting in pulled how many were taken and in
// running whether the sequence is still being ranged over.
func numbers(n int, pulled, running *atomic.Int64) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		running.Add(1)
		defer running.Add(-1)
		for i := 1; i <= n; i++ {
			pulled.Add(1)
			if !yield(i, nil) {
				return
			}
		}
	}
}

func TestReadAheadKeepsTheOrder(t *testing.T) {
	var pulled, running atomic.Int64
	var got []int
	n, err := readAhead(numbers(1000, &pulled, &running), 7, 1<<30, func(p *preparedRecord[int, int]) error {
		p.row = 2 * p.v
		return nil
	}, func(p *preparedRecord[int, int]) error {
		if p.n != p.v || p.row != 2*p.v {
			t.Fatalf("record %d carries %d and row %d", p.n, p.v, p.row)
		}
		got = append(got, p.v)
		return nil
	})
	if err != nil || n != 1000 || len(got) != 1000 {
		t.Fatalf("%d written, %d seen, %v", n, len(got), err)
	}
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("record %d written as the %dth", v, i+1)
		}
	}
}

// TestReadAheadStopsBothSides checks that an error of either side ends
// the other: the records are read no further than the chunks in hand, and
// the sequence has stopped when readAhead returns.
func TestReadAheadStopsBothSides(t *testing.T) {
	const chunk = 10
	broken := errors.New("broken")
	for name, c := range map[string]struct {
		prepareFails, writeFails int
	}{
		"prepare": {prepareFails: 25},
		"write":   {writeFails: 25},
	} {
		t.Run(name, func(t *testing.T) {
			var pulled, running atomic.Int64
			n, err := readAhead(numbers(1_000_000, &pulled, &running), chunk, 1<<30, func(p *preparedRecord[int, int]) error {
				if p.v == c.prepareFails {
					return broken
				}
				return nil
			}, func(p *preparedRecord[int, int]) error {
				if p.v == c.writeFails {
					return broken
				}
				return nil
			})
			if !errors.Is(err, broken) {
				t.Fatalf("err %v", err)
			}
			if running.Load() != 0 {
				t.Error("the records are still being read after readAhead returned")
			}
			if n >= 25 {
				t.Errorf("%d records written, want fewer than the 25th", n)
			}
			if p := pulled.Load(); p > 25+4*chunk {
				t.Errorf("%d records read, want at most the failing one and the chunks in hand", p)
			}
		})
	}
}

func TestReadAheadPassesTheRecordsError(t *testing.T) {
	cut := errors.New("the file was cut short")
	records := func(yield func(int, error) bool) {
		for i := 1; i <= 15; i++ {
			if !yield(i, nil) {
				return
			}
		}
		yield(0, cut)
	}
	n, err := readAhead(records, 4, 1<<30, func(*preparedRecord[int, int]) error { return nil }, func(*preparedRecord[int, int]) error { return nil })
	if !errors.Is(err, cut) || n != 12 {
		t.Fatalf("%d written, err %v; want the three full chunks written and the error", n, err)
	}
}

func TestReadAheadRaisesAPanicOnTheCallersGoroutine(t *testing.T) {
	var pulled, running atomic.Int64
	defer func() {
		if r := recover(); r != "prepare broke" {
			t.Fatalf("recovered %v", r)
		}
		if running.Load() != 0 {
			t.Error("the records are still being read after the panic")
		}
	}()
	readAhead(numbers(100, &pulled, &running), 4, 1<<30, func(p *preparedRecord[int, int]) error {
		if p.v == 9 {
			panic("prepare broke")
		}
		return nil
	}, func(*preparedRecord[int, int]) error { return nil })
	t.Fatal("no panic")
}

func TestReadAheadStopsTheReaderWhenWritePanics(t *testing.T) {
	var pulled, running atomic.Int64
	defer func() {
		if r := recover(); r != "write broke" {
			t.Fatalf("recovered %v", r)
		}
		if running.Load() != 0 {
			t.Error("the records are still being read after write panicked")
		}
	}()
	readAhead(numbers(1_000_000, &pulled, &running), 4, 1<<30, func(*preparedRecord[int, int]) error { return nil }, func(p *preparedRecord[int, int]) error {
		if p.v == 9 {
			panic("write broke")
		}
		return nil
	})
	t.Fatal("no panic")
}

// TestReadAheadBoundsTheBytesInHand: records of a megabyte each are handed
// over a few at a time, not a chunk's worth: what the reader holds ahead of
// the writer stays within three chunks of bytes.
func TestReadAheadBoundsTheBytesInHand(t *testing.T) {
	var pulled, running atomic.Int64
	const big, chunkBytes = 1 << 20, 4 << 20
	most := int64(0)
	n, err := readAhead(numbers(200, &pulled, &running), 1000, chunkBytes, func(p *preparedRecord[int, int]) error {
		p.size = big
		return nil
	}, func(p *preparedRecord[int, int]) error {
		most = max(most, (pulled.Load()-int64(p.n))*big)
		return nil
	})
	if err != nil || n != 200 {
		t.Fatalf("%d written, %v", n, err)
	}
	if most > 3*chunkBytes+big {
		t.Errorf("the reader was %d MiB ahead of the writer, want at most three chunks of %d MiB", most>>20, chunkBytes>>20)
	}
}
