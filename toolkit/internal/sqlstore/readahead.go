package sqlstore

import "iter"

// preparedRecord is one record of an import with the row it writes and
// that row's stored values.
type preparedRecord[T, R any] struct {
	n    int // the record's place in the import, from 1
	v    T
	row  R
	args []any
	size int // the bytes of args' text, which bound what a chunk holds
}

// readAhead ranges over records on a goroutine of its own, making each
// record's row and values with prepare, and hands them to write, in
// order, on the caller's goroutine. Reading a file, checking its records
// and encoding their wire JSON take about as long as the engine's writes,
// so that with two cores the import takes the longer of the two, not their
// sum. A chunk is chunk records, or fewer that hold chunkBytes of text
// (set by prepare in size); at most three chunks are in hand at once,
// which bounds the memory whatever the file's size and its records'.
//
// It returns how many records write took. The first error or panic of
// either side ends both: readAhead returns only once the goroutine has
// stopped ranging over records, so the caller may then close what they
// read. A panic of the goroutine is raised again on the caller's.
func readAhead[T, R any](records iter.Seq2[T, error], chunk, chunkBytes int, prepare func(p *preparedRecord[T, R]) error, write func(p *preparedRecord[T, R]) error) (written int, err error) {
	type batch struct {
		records []preparedRecord[T, R]
		err     error // ends the records; those in the batch are not written
	}
	const chunks = 3 // one filled, one handed over, one written
	full := make(chan batch, 1)
	free := make(chan []preparedRecord[T, R], chunks)
	for range chunks {
		free <- make([]preparedRecord[T, R], 0, chunk)
	}
	stop := make(chan struct{})
	done := make(chan any, 1) // the goroutine's panic, or nil
	go func() {
		defer func() {
			close(full)
			done <- recover()
		}()
		rs := <-free
		// hand passes the chunk to the writer and takes an empty one;
		// false when the writer stopped or err ended the records.
		hand := func(err error) bool {
			select {
			case full <- batch{rs, err}:
			case <-stop:
				return false
			}
			if err != nil {
				return false
			}
			select {
			case rs = <-free:
				return true
			case <-stop:
				return false
			}
		}
		n, bytes := 0, 0
		for v, err := range records {
			if err != nil {
				hand(err)
				return
			}
			n++
			rs = append(rs, preparedRecord[T, R]{n: n, v: v})
			if err := prepare(&rs[len(rs)-1]); err != nil {
				hand(err)
				return
			}
			if bytes += rs[len(rs)-1].size; len(rs) == chunk || bytes >= chunkBytes {
				if !hand(nil) {
					return
				}
				bytes = 0
			}
		}
		if len(rs) > 0 {
			hand(nil)
		}
	}()
	// However the writing ends, a panic of write's included, the reader
	// stops before readAhead returns.
	defer func() {
		close(stop)
		if p := <-done; p != nil {
			panic(p)
		}
	}()
	for b := range full {
		if err = b.err; err != nil {
			break
		}
		for i := range b.records {
			if err = write(&b.records[i]); err != nil {
				break
			}
			written++
		}
		if err != nil {
			break
		}
		clear(b.records)
		free <- b.records[:0]
	}
	return written, err
}
