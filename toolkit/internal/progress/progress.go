// Package progress shows on a terminal how far a long piece of work is:
// one line on stderr, rewritten in place at most ten times a second and
// removed when the work ends, with what is done so far, the rate and, when
// the total is known, the share done and the time left. A meter is made
// only for a terminal (see On), so a pipe, a file or a log never gets a
// byte of it. The CLI's lists and the server's long admin commands
// (import, migrate-data, backup) share it.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/term"
)

// Unit is what a meter counts.
type Unit int

const (
	// Bytes: shown as 12.3 MB, 4.1 MB/s.
	Bytes Unit = iota
	// Rows: records of an import, rows of a copy; shown as 12 000 rows.
	Rows
)

// Meter is the line of one piece of work. A nil *Meter is valid and shows
// nothing, so that code can report progress without asking where to.
// Its methods may be called from several goroutines.
type Meter struct {
	w     io.Writer
	label string
	unit  Unit
	now   func() time.Time

	mu    sync.Mutex
	total int64
	done  int64
	start time.Time
	last  time.Time
	shown bool
}

// On returns a meter that writes to w when w is a terminal, and nil
// otherwise. label says what is done ("importing artikels"); total is how
// much there is to do, 0 when unknown. The line appears at once.
func On(w io.Writer, label string, unit Unit, total int64) *Meter {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	m := New(w, label, unit, total, time.Now)
	m.show(true)
	return m
}

// New returns a meter that writes to w whatever w is, with now as its
// clock; On is what programs call.
func New(w io.Writer, label string, unit Unit, total int64, now func() time.Time) *Meter {
	t := now()
	return &Meter{w: w, label: label, unit: unit, total: total, now: now, start: t}
}

// Set records that done of the work is done.
func (m *Meter) Set(done int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.done = done
	m.mu.Unlock()
	m.show(false)
}

// Add records that n more of the work is done.
func (m *Meter) Add(n int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.done += n
	m.mu.Unlock()
	m.show(false)
}

// SetTotal records how much there is to do, once it is known.
func (m *Meter) SetTotal(total int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.total = total
	m.mu.Unlock()
}

// Done shows the final count, then removes the line: what the program
// prints next starts on a clean line.
func (m *Meter) Done() {
	if m == nil {
		return
	}
	m.show(true)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.shown {
		io.WriteString(m.w, "\r\x1b[K")
		m.shown = false
	}
}

// show rewrites the line, at most ten times a second unless force is set.
func (m *Meter) show(force bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if !force && m.shown && now.Sub(m.last) < 100*time.Millisecond {
		return
	}
	m.last, m.shown = now, true
	io.WriteString(m.w, "\r\x1b[K"+m.line(now))
}

// line is the text of the line at now.
func (m *Meter) line(now time.Time) string {
	s := m.label + "…"
	if m.done == 0 && m.total == 0 {
		return s
	}
	s += " " + m.count(m.done)
	if m.total > 0 {
		s += " of " + m.count(m.total)
	}
	if m.unit == Rows {
		s += " rows"
	}
	if m.total > 0 {
		s += fmt.Sprintf(" (%d%%)", min(100, m.done*100/m.total))
	}
	elapsed := now.Sub(m.start)
	if elapsed < 500*time.Millisecond || m.done == 0 {
		return s // too early for a rate that means anything
	}
	rate := float64(m.done) / elapsed.Seconds()
	if m.unit == Rows {
		s += ", " + m.count(int64(rate)) + " rows/s"
	} else {
		s += ", " + m.count(int64(rate)) + "/s"
	}
	if m.total > m.done {
		left := time.Duration(float64(m.total-m.done) / rate * float64(time.Second))
		s += ", " + roughly(left) + " left"
	}
	return s
}

// count formats n in the meter's unit, without the word "rows".
func (m *Meter) count(n int64) string {
	if m.unit == Rows {
		return grouped(n)
	}
	return ByteCount(n)
}

// ByteCount formats n bytes for people: 512 B, 12.3 kB, 4.5 MB, 1.2 GB.
func ByteCount(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// grouped writes n with a space between groups of three digits:
// 1 234 567.
func grouped(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}

// roughly is d as people say it: 7s, 2m10s, 1h05m.
func roughly(d time.Duration) string {
	switch d = d.Round(time.Second); {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
