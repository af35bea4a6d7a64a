package erp

import (
	"context"
	"testing"
	"time"
)

// noUsers is a Store that knows no app and no user.
type noUsers struct{ Store }

func (noUsers) AppBySlug(context.Context, string) (*App, error) {
	return nil, Errorf(ENotFound, "not found")
}

func (noUsers) UserByUsername(context.Context, string) (*User, error) {
	return nil, Errorf(ENotFound, "not found")
}

func (noUsers) CountSignIn(context.Context, []LimitKey, time.Time) (int, time.Time, error) {
	return -1, time.Time{}, nil
}

func (noUsers) AddAudit(context.Context, *AuditEvent) error { return nil }

func (noUsers) IsKnownAddress(context.Context, []byte, time.Time) (bool, error) { return false, nil }

func (noUsers) AddAuditAttempt(context.Context, []byte) (bool, error) { return true, nil }

// TestSignInWaitsForAHashingSlot: password checks run a bounded number at a
// time; a sign-in that cannot get a slot before its context ends is told
// the server is busy, not that its password is wrong.
func TestSignInWaitsForAHashingSlot(t *testing.T) {
	t.Parallel()
	svc, err := NewService(Config{Store: noUsers{}, Argon2: cheap})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SignIn(context.Background(), "app", "nobody", "pw"); ErrorCode(err) != EUnauthorized {
		t.Fatalf("with a free slot: %v, want bad credentials", err)
	}
	for range cap(svc.hashing) {
		svc.hashing <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := svc.SignIn(ctx, "app", "nobody", "pw"); ErrorCode(err) != EUnavailable {
		t.Fatalf("with every slot busy: %v, want EUnavailable", err)
	}
	<-svc.hashing
	if _, err := svc.SignIn(context.Background(), "app", "nobody", "pw"); ErrorCode(err) != EUnauthorized {
		t.Fatalf("after a slot frees: %v, want bad credentials", err)
	}
}
