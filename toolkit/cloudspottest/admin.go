package cloudspottest

import (
	"context"
	"testing"
)

// Grant gives a user permissions, as an ERP administrator does on the
// permission screen; a permission's parent must be granted first. Calls
// with the user's tokens see them at once; an app that keeps the
// permissions of a signed-in session (erpauth) sees them at its next
// check. A user or permission the server does not know fails the test.
func (s *Server) Grant(t testing.TB, username string, perms ...string) {
	t.Helper()
	for _, p := range perms {
		if err := s.erp.Service.Grant(context.Background(), username, p); err != nil {
			t.Fatalf("cloudspottest: Grant %s to %s: %v", p, username, err)
		}
	}
}

// Revoke takes permissions from a user, each with the permissions below
// it, as an ERP administrator does. A user or permission the server does
// not know fails the test.
func (s *Server) Revoke(t testing.TB, username string, perms ...string) {
	t.Helper()
	for _, p := range perms {
		if err := s.erp.Service.Revoke(context.Background(), username, p); err != nil {
			t.Fatalf("cloudspottest: Revoke %s from %s: %v", p, username, err)
		}
	}
}

// RevokeTokens ends every user token of a user, as an ERP administrator
// does, and returns how many were live: every call with them is refused
// from now on (cloudspot.ErrNoValidToken), and an app's session on one of
// them ends at its next check. An unknown user fails the test.
func (s *Server) RevokeTokens(t testing.TB, username string) int {
	t.Helper()
	n, err := s.erp.Service.RevokeUserTokens(context.Background(), username)
	if err != nil {
		t.Fatalf("cloudspottest: RevokeTokens of %s: %v", username, err)
	}
	return n
}
