package cloudspot

import (
	"context"
	"time"
)

// WithClock gives the tests of the external package the clock that retries
// read the time and wait with, so that they see each wait without taking it.
func WithClock(now func() time.Time, sleep func(context.Context, time.Duration) error) Option {
	return Option{func(t *transport) error {
		t.clock = clock{now: now, sleep: sleep}
		return nil
	}}
}
