package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erpserver"
)

// peakRSS returns a process's peak resident memory in bytes (VmHWM, Linux).
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM for process %d", pid)
}

// resetPeakRSS starts a new peak for a process: each phase of the benchmark
// reports the peak of its own load.
func resetPeakRSS(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// server is the real cloudspot-server in a process of its own.
type server struct {
	cmd     *exec.Cmd
	url     string // the API base, ".../api/v1"
	stopped sync.Once
}

// startServer runs `bin serve` on db, on a free loopback port.
func startServer(ctx context.Context, bin, db string, stderr io.Writer) (*server, error) {
	cmd := exec.CommandContext(ctx, bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--console-addr=off", "--log-level", "error")
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if url, ok := erpserver.ListeningURL(sc.Text()); ok {
				found <- url
			}
		}
	}()
	select {
	case url := <-found:
		return &server{cmd: cmd, url: url}, nil
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%s did not say where it listens within a minute", bin)
	}
}

// stop interrupts the server and waits for it to end; again, it does
// nothing.
func (s *server) stop() {
	s.stopped.Do(func() {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	})
}

// buildServer builds cloudspot-server from this module into dir.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := dir + "/cloudspot-server"
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/cloudspot-toolkit/cloudspot/toolkit/cmd/cloudspot-server")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building cloudspot-server: %v\n%s", err, out)
	}
	return bin, nil
}
