package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// clock is a test's clock that moves only when told.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// lastLine is what the terminal shows of out: the text after the last
// carriage return and erase.
func lastLine(out string) string {
	i := strings.LastIndex(out, "\r\x1b[K")
	return out[i+len("\r\x1b[K"):]
}

func TestLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		unit  Unit
		total int64
		steps []struct {
			after time.Duration
			done  int64
		}
		want string
	}{
		{"Nothing yet", Bytes, 0, nil, "fetching…"},
		{"Bytes without total", Bytes, 0, steps(2*time.Second, 8_000_000), "fetching… 8.0 MB, 4.0 MB/s"},
		{"Bytes with total", Bytes, 40_000_000, steps(2*time.Second, 10_000_000), "fetching… 10.0 MB of 40.0 MB (25%), 5.0 MB/s, 6s left"},
		{"Too early for a rate", Bytes, 40_000_000, steps(100*time.Millisecond, 10_000_000), "fetching… 10.0 MB of 40.0 MB (25%)"},
		{"Rows", Rows, 1_500_000, steps(10*time.Second, 120_000), "fetching… 120 000 of 1 500 000 rows (8%), 12 000 rows/s, 1m55s left"},
		{"Hours left", Rows, 100_000_000, steps(10*time.Second, 1000), "fetching… 1 000 of 100 000 000 rows (0%), 100 rows/s, 277h46m left"},
		{"All done", Bytes, 1000, steps(time.Second, 1000), "fetching… 1.0 kB of 1.0 kB (100%), 1.0 kB/s"},
	} {
		c := &clock{t: time.Unix(1e9, 0)}
		var out bytes.Buffer
		m := New(&out, "fetching", tc.unit, tc.total, c.now)
		for _, s := range tc.steps {
			c.advance(s.after)
			m.Set(s.done)
		}
		m.show(true)
		if got := lastLine(out.String()); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func steps(after time.Duration, done int64) []struct {
	after time.Duration
	done  int64
} {
	return []struct {
		after time.Duration
		done  int64
	}{{after, done}}
}

// TestAtMostTenTimesASecond: updates closer than 100 ms apart do not
// rewrite the line; Done shows the final count and then clears it.
func TestAtMostTenTimesASecond(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1e9, 0)}
	var out bytes.Buffer
	m := New(&out, "copying", Rows, 0, c.now)
	m.show(true)
	for range 50 {
		c.advance(10 * time.Millisecond)
		m.Add(1)
	}
	if n := strings.Count(out.String(), "\r\x1b[K"); n != 6 {
		t.Errorf("500 ms of updates rewrote the line %d times, want 6 (the first, then one per 100 ms):\n%q", n, out.String())
	}
	m.Done()
	if !strings.HasSuffix(out.String(), "copying… 50 rows, 100 rows/s\r\x1b[K") {
		t.Errorf("Done: %q, want the final count and then a cleared line", out.String())
	}
}

// TestOnlyOnATerminal: a pipe, a file or a buffer gets no meter, and a nil
// meter's methods do nothing.
func TestOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, out := range []any{&buf, w} {
		m := On(out.(interface{ Write([]byte) (int, error) }), "x", Bytes, 10)
		if m != nil {
			t.Errorf("On(%T) = a meter, want nil", out)
		}
		m.Set(1)
		m.Add(1)
		m.SetTotal(2)
		m.Done()
	}
	if buf.Len() > 0 {
		t.Errorf("a buffer got %q", buf.String())
	}
}
