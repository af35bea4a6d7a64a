package cloudspot

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// stallTimeout bounds each wait of a request: for a connection, for the
// answer's headers (with the default client), and for each next part of
// the body. It does not bound a whole call: a list of a million products
// may take minutes to arrive, and the caller's context is what ends that.
const stallTimeout = 30 * time.Second

// stallGuard ends a body that stops arriving: when one Read waits longer
// than d, the body is closed and the read fails with a timeout. Time spent
// between reads (a caller handling one product of a list) does not count.
type stallGuard struct {
	r       io.Reader
	d       time.Duration
	timer   *time.Timer
	stalled atomic.Bool
}

func newStallGuard(body io.ReadCloser, d time.Duration) *stallGuard {
	g := &stallGuard{r: body, d: d}
	g.timer = time.AfterFunc(d, func() {
		g.stalled.Store(true)
		body.Close()
	})
	g.timer.Stop()
	return g
}

func (g *stallGuard) Read(p []byte) (int, error) {
	g.timer.Reset(g.d)
	n, err := g.r.Read(p)
	g.timer.Stop()
	if err != nil && g.stalled.Load() {
		err = stallError{g.d}
	}
	return n, err
}

func (g *stallGuard) stop() { g.timer.Stop() }

// stallError is a timeout in the sense of net.Error and os.ErrDeadlineExceeded,
// so that callers who check for timeouts find it.
type stallError struct{ d time.Duration }

func (e stallError) Error() string {
	return fmt.Sprintf("the server sent nothing for %s in the middle of its answer", e.d)
}
func (stallError) Timeout() bool        { return true }
func (stallError) Temporary() bool      { return true }
func (stallError) Is(target error) bool { return target == os.ErrDeadlineExceeded }
