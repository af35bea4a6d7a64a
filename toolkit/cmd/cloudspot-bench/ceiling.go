package main

import (
	"net"
	"net/http"
	"runtime"
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
