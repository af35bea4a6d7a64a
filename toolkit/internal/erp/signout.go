package erp

import (
	"context"
	"fmt"
)

// SignOut revokes the user token that requestor presents: its holder's own
// sign-out, an extension of the protocol. The token must be valid for that
// app (errNoValidToken otherwise, as for every call with it); from the next
// call on, in every process on the database, it is refused.
func (s *Service) SignOut(ctx context.Context, requestor, token string) error {
	e, err := s.userForToken(ctx, requestor, token)
	if err != nil {
		return err
	}
	if err := s.tokens.RevokeUserToken(ctx, e.user.ID, e.token.ID, s.now()); err != nil {
		return err
	}
	s.audit(ctx, AuditEvent{Action: AuditSignOut, Username: e.user.Username, App: e.token.AppSlug,
		Detail: fmt.Sprintf("user token %d revoked by its holder", e.token.ID)})
	return nil
}
