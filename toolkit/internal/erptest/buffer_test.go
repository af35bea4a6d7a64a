package erptest

import (
	"runtime"
	"testing"
	"time"
)

// waiting returns once a WaitFor is blocked on b's next write.
func waiting(b *Buffer) {
	for {
		b.mu.Lock()
		blocked := b.grew != nil
		b.mu.Unlock()
		if blocked {
			return
		}
		runtime.Gosched()
	}
}

// TestBufferWaitFor: a waiter blocked on the buffer wakes when a later
// write completes what it waits for, even across writes, and gives up only
// after its timeout.
func TestBufferWaitFor(t *testing.T) {
	t.Parallel()
	var b Buffer
	b.Write([]byte("serving\n"))
	if !b.WaitFor("serving", 0) {
		t.Error("text already there was not found")
	}
	done := make(chan bool)
	go func() { done <- b.WaitFor("purged 1 token", time.Hour) }()
	waiting(&b)
	b.Write([]byte("purged "))
	waiting(&b)
	b.Write([]byte("1 token\n"))
	// A bound for a hang only: a woken waiter answers at once.
	select {
	case found := <-done:
		if !found {
			t.Error("the waiter did not see text completed by two writes")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the write did not wake the waiter")
	}
	if b.WaitFor("never written", time.Millisecond) {
		t.Error("WaitFor found text that was never written")
	}
}
