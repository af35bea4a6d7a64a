package main

import (
	"fmt"
	"io"
	"log/slog"
	"sync"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

// maxLogged bounds every text a log record carries: a path, a method or an
// app slug is the client's to choose, and one request must not write a
// 60 KB line.
const maxLogged = 256

// newLogger writes the server's structured logs in the chosen format. Every
// string and error it writes is clipped to maxLogged bytes, and neither
// format carries a control or bidirectional character as it is: text
// quotes them (slog's TextHandler), JSON writes them as \u escapes of the
// same value (command.InertJSON), so that a log viewer or a terminal shows
// what was sent.
func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	o := &slog.HandlerOptions{Level: level, ReplaceAttr: clipAttr}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(&inertLines{w: w}, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}

// clipAttr clips a string or error attribute to maxLogged bytes, saying
// how long it was.
func clipAttr(_ []string, a slog.Attr) slog.Attr {
	var s string
	switch v := a.Value.Any().(type) {
	case string:
		s = v
	case error:
		s = v.Error()
	default:
		return a
	}
	if len(s) <= maxLogged {
		return a
	}
	return slog.String(a.Key, fmt.Sprintf("%s… (%d bytes)", clip(s, maxLogged), len(s)))
}

// clip cuts s to at most n bytes without splitting a UTF-8 sequence.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

// inertLines writes each JSON record with command.InertJSON: slog's
// JSONHandler writes one whole record per Write.
type inertLines struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *inertLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := io.WriteString(l.w, command.InertJSON(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
