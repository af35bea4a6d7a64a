package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// A ceiling is what the same work costs with nothing of ours in the way,
// measured in the same run on the same machine.

// serveBytes serves body for every request from a bare net/http server on
// loopback, the ceiling of a call whose answer is body. It returns the base
// URL and a function that stops the server.
func serveBytes(body []byte) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/api/v1", func() { srv.Close() }, nil
}

// serveFile serves body for every request from a file in dir, as the
// server sends a list: the kernel copies the file's cached pages to the
// socket (sendfile). It returns the base URL and a function that stops the server and removes
// the file.
func serveFile(dir string, body []byte) (string, func(), error) {
	f, err := os.CreateTemp(dir, "ceiling-*.json")
	if err != nil {
		return "", nil, err
	}
	name := f.Name()
	if _, err := f.Write(body); err != nil {
		f.Close()
		os.Remove(name)
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.Remove(name)
		return "", nil, err
	}
	size := strconv.Itoa(len(body))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", size)
		io.Copy(w, f) // the response takes the *os.File to the socket with sendfile
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/api/v1", func() { srv.Close(); os.Remove(name) }, nil
}

// argon2Rate is how many password checks per second the machine does with
// the server's parameters, one per core at a time, as the server runs
// them: in a process whose heap already holds a check's memory (19 MiB
// each). A first round, not measured, grows the heap to that size: a cold
// process pays the kernel for every fresh page, which the server, warm
// after its first sign-ins, does not, and a ceiling measured cold reads
// below the server's own rate.
func argon2Rate(n int) float64 {
	hash, err := erp.HashPassword("correct horse battery staple", erp.DefaultArgon2())
	if err != nil {
		panic(err)
	}
	workers := runtime.GOMAXPROCS(0)
	checks := func(n int) time.Duration {
		jobs := make(chan struct{}, n)
		for range n {
			jobs <- struct{}{}
		}
		close(jobs)
		var wg sync.WaitGroup
		start := time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range jobs {
					erp.VerifyPassword(hash, "correct horse battery staple")
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	checks(2 * workers)
	return float64(n) / checks(n).Seconds()
}
