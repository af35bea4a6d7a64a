package cloudspottest

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault changes the server's answer to calls, to test how code handles a
// slow or failing ERP. Delay combines with any of the others; Status and
// CutShort exclude each other.
type Fault struct {
	// Path is the call it applies to, as the protocol names it
	// ("/artikels/", "/auth/signin-external-app/"; the trailing slash is
	// optional); empty means every call.
	Path string
	// Times is how many calls it applies to before it is spent; 0 means
	// every matching call until ClearFaults.
	Times int
	// Delay holds the answer back this long (or until the client gives
	// up), like a busy ERP or a slow network.
	Delay time.Duration
	// Status answers with this status instead of the server's answer, with
	// the protocol's JSON error body {"message": ...}.
	Status int
	// HTML makes the Status answer an HTML page, as a proxy or load
	// balancer in front of the ERP sends one (a 502 Bad Gateway page).
	HTML bool
	// CutShort sends the server's real status and headers, announcing the
	// whole body, then half of it, and drops the connection.
	CutShort bool
}

// Inject adds a fault. When several match a call, the first injected that
// is not spent applies.
func (s *Server) Inject(f Fault) {
	if f.Status != 0 && f.CutShort {
		panic("cloudspottest: a Fault cannot both answer with a Status and cut the real answer short")
	}
	if f.HTML && f.Status == 0 {
		panic("cloudspottest: a Fault with HTML needs a Status")
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 999) {
		panic(fmt.Sprintf("cloudspottest: Fault.Status %d is not an HTTP status", f.Status))
	}
	s.faults.add(f)
}

// ClearFaults removes every fault: the server answers normally again.
func (s *Server) ClearFaults() { s.faults.clear() }

type faults struct {
	mu   sync.Mutex
	list []*pending
}

type pending struct {
	Fault
	left int // calls left; -1 for no limit
}

func (fs *faults) add(f Fault) {
	left := f.Times
	if left <= 0 {
		left = -1
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = append(fs.list, &pending{Fault: f, left: left})
}

func (fs *faults) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = nil
}

// take returns the fault for a call to path, using one of its calls.
func (fs *faults) take(path string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, p := range fs.list {
		if p.Path != "" && trimSlash(p.Path) != path {
			continue
		}
		if p.left > 0 {
			p.left--
			if p.left == 0 {
				fs.list = append(fs.list[:i:i], fs.list[i+1:]...)
			}
		}
		return p.Fault, true
	}
	return Fault{}, false
}

func trimSlash(p string) string { return "/" + strings.Trim(p, "/") }

// wrap puts the faults in front of the API handler.
func (fs *faults) wrap(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call := trimSlash(strings.TrimPrefix(r.URL.Path, "/api/v1"))
		f, ok := fs.take(call)
		if !ok {
			api.ServeHTTP(w, r)
			return
		}
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		switch {
		case f.Status != 0 && f.HTML:
			text := strconv.Itoa(f.Status) + " " + http.StatusText(f.Status)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(f.Status)
			fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%[1]s</h1></center>\r\n</body>\r\n</html>\r\n", html.EscapeString(text))
		case f.Status != 0:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(f.Status)
			fmt.Fprintf(w, "{\"message\": %q}\n", "Injected fault: "+http.StatusText(f.Status)+".")
		case f.CutShort:
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write(body[:len(body)/2])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			// Ends the connection without completing the response.
			panic(http.ErrAbortHandler)
		default:
			api.ServeHTTP(w, r)
		}
	})
}
