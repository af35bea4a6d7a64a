package httpapi

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"sync"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// listBufferSize is how much of a list is written to the socket at once:
// large enough that a syscall carries many rows, small enough that eight
// hundred lists in flight cost a few tens of megabytes.
const listBufferSize = 32 << 10

// lists streams {"data": [...]} bodies. Its pools are per Handler, so that
// nothing is shared between servers in one process.
type lists struct {
	writers sync.Pool // *bufio.Writer
	rows    sync.Pool // *[]byte, one encoded row
}

// streamList writes the rows that stream passes on as the protocol's
// {"data": [...]} body, encoding each row as it comes in the shape that
// stream settles on (a product's depends on the version of the answer).
// An error before the first byte reached the client is an ordinary error
// response. After that
// the status line has gone out and a JSON error cannot follow, so the
// connection is aborted: the client sees a truncated body, never a body
// that parses as a complete but short list.
func (h *Handler) streamList(w http.ResponseWriter, r *http.Request,
	stream func(ctx context.Context, token string, rows func(*rowShape) erp.RowFunc) error) {
	cw := &commitWriter{w: w}
	bw, _ := h.lists.writers.Get().(*bufio.Writer)
	if bw == nil {
		bw = bufio.NewWriterSize(cw, listBufferSize)
	} else {
		bw.Reset(cw)
	}
	defer func() {
		bw.Reset(nil)
		h.lists.writers.Put(bw)
	}()
	rowp, _ := h.lists.rows.Get().(*[]byte)
	if rowp == nil {
		rowp = new([]byte)
	}
	defer h.lists.rows.Put(rowp)

	w.Header().Set("Content-Type", "application/json")
	n := 0
	err := stream(r.Context(), r.Header.Get(HeaderToken), func(sh *rowShape) erp.RowFunc {
		return func(cols [][]byte) error {
			sep := byte(',')
			if n == 0 {
				sep = '['
				bw.WriteString(`{"data":`)
			}
			n++
			row, err := sh.appendRow(append((*rowp)[:0], sep), cols)
			*rowp = row
			if err != nil {
				return err
			}
			_, err = bw.Write(row)
			return err
		}
	})
	if err == nil {
		if n == 0 {
			bw.WriteString(`{"data":[`)
		}
		bw.WriteString("]}\n")
		err = bw.Flush()
		if err == nil || !cw.committed {
			return
		}
	}
	if !cw.committed {
		h.fail(w, r, err)
		return
	}
	h.log.Warn("list aborted after its first bytes", "method", r.Method, "path", r.URL.Path, "rows", n, "err", err)
	panic(http.ErrAbortHandler)
}

// commitWriter notes whether anything was written to the response, after
// which its status can no longer change.
type commitWriter struct {
	w         io.Writer
	committed bool
}

func (c *commitWriter) Write(p []byte) (int, error) {
	c.committed = true
	return c.w.Write(p)
}
